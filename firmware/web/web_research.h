/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_research: the researcher's download, GET /research/export. Owns the checking of the
 * request's parameters (format, from, to; nothing else) and running the same export as
 * tools/oase-export (research_export_run) on the kiosk's database into memory, with the k
 * and the site name of the config, never of the request (DESIGN.md: exports with different
 * k could be combined). Never sees the token (web.c checks it against [research]
 * token_hash before calling here) and never writes to the database.
 */
#ifndef OASE_WEB_RESEARCH_H
#define OASE_WEB_RESEARCH_H

#include <stddef.h>

#include "web/web_config.h"

#define WEB_RESEARCH_PATH "/research/export"
#define WEB_RESEARCH_PARAMS_MAX 8 /* query arguments looked at; more is a bad request */

/* The query's arguments as libmicrohttpd hands them (value NULL for "?format"). */
struct web_research_query {
    const char *keys[WEB_RESEARCH_PARAMS_MAX];
    const char *values[WEB_RESEARCH_PARAMS_MAX];
    int count;
    int dropped; /* arguments past WEB_RESEARCH_PARAMS_MAX */
};

/* What to answer. body is malloc'd (free it) or NULL. */
struct web_research_reply {
    unsigned status;       /* 200, 400 (message says why), 500/503 (export failed) */
    const char *type;      /* Content-Type */
    char *body;            /* the export, or the message as text */
    size_t size;           /* bytes of body */
    char disposition[160]; /* Content-Disposition for a 200, "" otherwise */
};

/*
 * Runs the export asked for by query on db_path with cfg's research_k and site.
 * Always fills out (status and body; body NULL only when even the message could not be
 * allocated). Accepted: format=csv|json (required), from=YYYY-MM-DD, to=YYYY-MM-DD.
 */
void web_research_export(const struct web_config *cfg, const char *db_path,
                         const struct web_research_query *query, struct web_research_reply *out);

#endif
