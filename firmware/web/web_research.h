/*
 * web_research: the researchers' download, GET /research/export on the host page's server.
 * Owns what the route accepts (the query arguments format, from and to) and the making of
 * the answer's body with research_export, exactly as `oase-export --db <kiosk db> --k <k>
 * --site <site> --format ...` writes it. Never checks the token (web.c does, through
 * web_auth_check_secret, before anything here runs) and never writes to the database: the
 * export opens its own read-only connection (WAL: it never blocks the store's writer).
 *
 * Flow: MHD thread -> web.c (404 when off, 405, bearer token) -> web_research_arg() for each
 * query argument -> web_research_export() -> web.c replies with the body.
 */
#ifndef OASE_WEB_RESEARCH_H
#define OASE_WEB_RESEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "research/research_export.h"
#include "research/research_period.h"

#define WEB_RESEARCH_PATH "/research/export"
#define WEB_RESEARCH_FILENAME_MAX 160

/* What one request asks for. Zeroed: CSV of every finished week. */
struct web_research_request {
    enum research_format format;
    char from[RESEARCH_DATE_SIZE]; /* "" = from the first counted week */
    char to[RESEARCH_DATE_SIZE];   /* "" = up to the last finished week */
    bool format_given, from_given, to_given;
};

/*
 * Applies one query argument (value NULL for "?key" without "="). Returns 0, or -EINVAL with
 * a message for people in why naming the argument, its value and what is accepted: an
 * unknown argument, one given twice, a format other than csv or json, a date that is not
 * YYYY-MM-DD or does not exist.
 */
int web_research_arg(struct web_research_request *request, const char *key, const char *value,
                     char *why, size_t why_size);

/*
 * Checks what needs every argument (from after to). Returns 0, or -EINVAL with why.
 */
int web_research_check(const struct web_research_request *request, char *why, size_t why_size);

/* Where the export comes from: the kiosk's database and its config. */
struct web_research_source {
    const char *db_path; /* the kiosk database */
    const char *site;    /* [kiosk] site */
    int k;               /* [research] k */
    const char *today;   /* the kiosk's date "YYYY-MM-DD" (it may run on simulated time) */
};

/*
 * Writes the export into *body (malloc'd, *size bytes; free it) and a download name like
 * "oase-export-zuid-2026-01-05-2026-03-01.csv" into filename (the site with only [A-Za-z0-9_-],
 * then the first and last exported day). Returns 0, or the negative errno of
 * research_dataset_build (-EINVAL, -ENOENT, -EBUSY, -EPROTO, -E2BIG, -EIO, -ENOMEM) with its
 * message in err; *body is then NULL.
 */
int web_research_export(const struct web_research_source *source,
                        const struct web_research_request *request, char **body, size_t *size,
                        char filename[WEB_RESEARCH_FILENAME_MAX], char *err, size_t err_size);

#endif
