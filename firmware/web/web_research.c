/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_research: see web_research.h. web.c (token checked) -> here -> research_export_run
 * -> open_memstream -> the reply's body.
 */
#include "web/web_research.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_export.h"
#include "research/research_period.h"

static const char web_research_accepted[] =
    "accepted: format=csv or format=json, optionally from=YYYY-MM-DD and to=YYYY-MM-DD";

__attribute__((format(printf, 3, 4))) static void
web_research_refuse(struct web_research_reply *out, unsigned status, const char *fmt, ...)
{
    out->status = status;
    out->type = "text/plain; charset=utf-8";
    out->disposition[0] = '\0';
    char text[512];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    size_t length = n < 0 ? 0 : (size_t)n >= sizeof text ? sizeof text - 1 : (size_t)n;
    out->body = malloc(length + 1);
    out->size = out->body == NULL ? 0 : length + 1;
    if (out->body != NULL) {
        memcpy(out->body, text, length);
        out->body[length] = '\n';
    }
}

/* A value for a message: printable ASCII only, cut at 40 bytes (it comes from outside). */
static void web_research_quote(const char *value, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = value == NULL ? "" : value; *p != '\0' && n + 1 < size && n < 40; p++) {
        out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
    }
    out[n] = '\0';
}

void web_research_export(const struct web_config *cfg, const char *db_path,
                         const struct web_research_query *query, struct web_research_reply *out)
{
    memset(out, 0, sizeof *out);
    const char *format_text = NULL, *from = NULL, *to = NULL;
    char shown[48];
    if (query->dropped > 0) {
        web_research_refuse(out, 400, "too many parameters; %s", web_research_accepted);
        return;
    }
    for (int i = 0; i < query->count; i++) {
        const char **slot = strcmp(query->keys[i], "format") == 0 ? &format_text
                            : strcmp(query->keys[i], "from") == 0 ? &from
                            : strcmp(query->keys[i], "to") == 0   ? &to
                                                                  : NULL;
        web_research_quote(query->keys[i], shown, sizeof shown);
        if (slot == NULL) {
            web_research_refuse(out, 400, "unknown parameter \"%s\"; %s", shown,
                                web_research_accepted);
            return;
        }
        if (*slot != NULL) {
            web_research_refuse(out, 400, "parameter \"%s\" given twice; %s", shown,
                                web_research_accepted);
            return;
        }
        *slot = query->values[i] == NULL ? "" : query->values[i];
    }
    enum research_format format;
    if (format_text == NULL || research_format_parse(format_text, &format) != 0) {
        web_research_quote(format_text, shown, sizeof shown);
        web_research_refuse(out, 400, "format \"%s\" not understood; %s", shown,
                            web_research_accepted);
        return;
    }
    const char *dates[2] = {from, to};
    int32_t days[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        if (dates[i] != NULL && research_day_parse(dates[i], &days[i]) != 0) {
            web_research_quote(dates[i], shown, sizeof shown);
            web_research_refuse(out, 400, "%s \"%s\" is not a date that exists; %s",
                                i == 0 ? "from" : "to", shown, web_research_accepted);
            return;
        }
    }
    if (from != NULL && to != NULL && days[0] > days[1]) {
        web_research_refuse(out, 400, "from %s is after to %s: give from on or before to", from,
                            to);
        return;
    }
    if (db_path == NULL || strcmp(db_path, ":memory:") == 0) {
        web_research_refuse(out, 503, "the kiosk keeps no database file now (see the host page)");
        return;
    }

    const char *paths[1] = {db_path};
    struct research_export_options options = {
        .db_paths = paths,
        .db_count = 1,
        .site = cfg->site[0] != '\0' ? cfg->site : NULL,
        .from = from,
        .to = to,
        .k = cfg->research_k,
        .site_k = cfg->research_k, /* the site's k unless the database's meta records one */
        .k_at_least = true,        /* a larger k in meta wins over the configured one */
    };
    char *body = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&body, &size);
    if (memory == NULL) {
        web_research_refuse(out, 503, "out of memory; try again later");
        return;
    }
    char err[512] = "";
    int rc = research_export_run(&options, format, memory, err, sizeof err);
    if (fclose(memory) != 0 && rc == 0) {
        rc = -1;
        snprintf(err, sizeof err, "out of memory while writing the export");
    }
    if (rc != 0) {
        free(body);
        /* The request's values were checked above: what is left is the kiosk's problem
         * (database missing, locked, damaged, not a file), told as the tool tells it. */
        web_research_refuse(out, 503, "%s", err[0] != '\0' ? err : "export failed");
        return;
    }
    out->status = 200;
    out->type = format == RESEARCH_FORMAT_CSV ? "text/csv; charset=utf-8"
                                              : "application/json; charset=utf-8";
    out->body = body;
    out->size = size;
    snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"oase-%s-%s-%s.%s\"",
             cfg->site[0] != '\0' ? cfg->site : "site", from != NULL ? from : "start",
             to != NULL ? to : "now", format == RESEARCH_FORMAT_CSV ? "csv" : "json");
    for (char *p = out->disposition + 22; *p != '\0'; p++) {
        if (*p == ' ') {
            *p = '_';
        }
    }
}
