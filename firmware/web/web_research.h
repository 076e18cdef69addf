/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_research: the researcher's download, GET /research/export. Owns the checking of the
 * request's parameters (format, from, to; nothing else) and running the same export as
 * tools/oase-export (research_export_run) on the kiosk's database, with the k and the site
 * name of the config, never of the request (docs/design.md: exports with different k could be
 * combined). The export is streamed: a thread of its own writes it into a pipe the
 * connection reads from as the client takes it, so the body is never held whole, and a byte
 * cap ends it with a message. Never sees the token (web.c checks it against [research]
 * token_hash before calling here) and never writes to the database.
 */
#ifndef OASE_WEB_RESEARCH_H
#define OASE_WEB_RESEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "web/web_config.h"

#define WEB_RESEARCH_PATH "/research/export"
#define WEB_RESEARCH_PARAMS_MAX 8 /* query arguments looked at; more is a bad request */
/* Bytes of one export body at most: a year of a busy kiosk is a few MB; past this the body
 * ends with a message and the connection closes without the final chunk (incomplete). */
#define WEB_RESEARCH_BODY_MAX ((size_t)128 * 1024 * 1024)

/* The query's arguments as libmicrohttpd hands them (value NULL for "?format"). */
struct web_research_query {
    const char *keys[WEB_RESEARCH_PARAMS_MAX];
    const char *values[WEB_RESEARCH_PARAMS_MAX];
    int count;
    int dropped; /* arguments past WEB_RESEARCH_PARAMS_MAX */
};

/* An export being written by its thread and read by the connection. */
struct web_research_stream;

/* What to answer: a message (body) or, for a 200, the export as a stream. */
struct web_research_reply {
    unsigned status;  /* 200, 400 (message says why), 500/503 (export failed) */
    const char *type; /* Content-Type */
    char *body;       /* the message as text, malloc'd (free it); NULL for a 200 */
    size_t size;      /* bytes of body */
    struct web_research_stream *stream; /* a 200: read it, then web_research_stream_close */
    char disposition[160];              /* Content-Disposition for a 200, "" otherwise */
};

/*
 * Starts the export asked for by query on db_path with cfg's research_k and site; its body
 * will stop at cap bytes (WEB_RESEARCH_BODY_MAX in the kiosk). Waits until the export has
 * read the database and written its first bytes, so a database that is missing, locked or
 * damaged is still answered with a 503 and its message. Always fills out: a 200 with a
 * stream, or a status with a message (body NULL and no stream only when even the message
 * could not be allocated). Accepted: format=csv|json (required), from=YYYY-MM-DD,
 * to=YYYY-MM-DD.
 */
void web_research_export(const struct web_config *cfg, const char *db_path,
                         const struct web_research_query *query, size_t cap,
                         struct web_research_reply *out);

/*
 * Copies the next bytes of the export (at most max) into buf, waiting for the thread to
 * write them. Returns their count; 0 at the end of a complete export; -1 once the export
 * ended badly: it failed half way or reached the cap. Before that -1 the body ends with a
 * line saying so ("oase: export stopped: ..."), so a reader of a cut file knows why.
 */
ssize_t web_research_stream_read(struct web_research_stream *stream, char *buf, size_t max);

/* Bytes handed out so far, and whether the export ended complete (0 at its end). */
size_t web_research_stream_sent(const struct web_research_stream *stream, bool *complete);

/* Stops the export if it still runs (the client went away), waits for its thread and frees
 * everything. NULL is a no-op. */
void web_research_stream_close(struct web_research_stream *stream);

#endif
