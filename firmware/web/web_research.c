/*
 * web_research: see web_research.h. Query arguments -> web_research_request ->
 * research_dataset_build + research_export_write on open_memstream -> the body web.c sends.
 */
#include "web/web_research.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int web_research_arg(struct web_research_request *request, const char *key, const char *value,
                     char *why, size_t why_size)
{
    const char *shown = value != NULL ? value : "";
    bool *given = NULL;
    if (strcmp(key, "format") == 0) {
        given = &request->format_given;
    } else if (strcmp(key, "from") == 0) {
        given = &request->from_given;
    } else if (strcmp(key, "to") == 0) {
        given = &request->to_given;
    } else {
        snprintf(why, why_size,
                 "%.64s: unknown parameter; accepted: format=csv|json, "
                 "from=YYYY-MM-DD, to=YYYY-MM-DD",
                 key);
        return -EINVAL;
    }
    if (*given) {
        snprintf(why, why_size, "%s is given twice: give it once", key);
        return -EINVAL;
    }
    if (given == &request->format_given) {
        if (research_format_parse(shown, &request->format) != 0) {
            snprintf(why, why_size, "format=%.64s: accepted: format=csv or format=json", shown);
            return -EINVAL;
        }
    } else {
        int32_t day = 0;
        if (research_day_parse(shown, &day) != 0) {
            snprintf(why, why_size,
                     "%s=%.64s: accepted: a date YYYY-MM-DD that exists, e.g. %s=2026-01-05 "
                     "(widened to whole ISO weeks)",
                     key, shown, key);
            return -EINVAL;
        }
        char *field = given == &request->from_given ? request->from : request->to;
        research_day_format(day, field);
    }
    *given = true;
    return 0;
}

int web_research_check(const struct web_research_request *request, char *why, size_t why_size)
{
    if (request->from_given && request->to_given && strcmp(request->from, request->to) > 0) {
        snprintf(why, why_size, "from=%s is after to=%s: give from <= to", request->from,
                 request->to);
        return -EINVAL;
    }
    return 0;
}

/* The site as a file name part: letters, digits, '-' and '_'; anything else becomes '_'. */
static void web_research_file_part(const char *text, char *out, size_t size)
{
    size_t length = 0;
    for (const char *c = text; *c != '\0' && length + 1 < size; c++) {
        bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
        out[length++] = plain ? *c : '_';
    }
    out[length] = '\0';
}

int web_research_export(const struct web_research_source *source,
                        const struct web_research_request *request, char **body, size_t *size,
                        char filename[WEB_RESEARCH_FILENAME_MAX], char *err, size_t err_size)
{
    *body = NULL;
    *size = 0;
    filename[0] = '\0';
    const char *paths[1] = {source->db_path};
    struct research_export_options options = {
        .db_paths = paths,
        .db_count = 1,
        .site = source->site,
        .from = request->from_given ? request->from : NULL,
        .to = request->to_given ? request->to : NULL,
        .k = source->k,
        .today = source->today,
    };
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(&options, &dataset, err, err_size);
    if (rc != 0) {
        return rc;
    }
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    if (out == NULL) {
        research_dataset_free(dataset);
        snprintf(err, err_size, "out of memory for the export");
        return -ENOMEM;
    }
    rc = research_export_write(dataset, request->format, out);
    if (fclose(out) != 0 && rc == 0) {
        rc = -ENOMEM;
    }
    if (rc != 0) {
        free(text);
        research_dataset_free(dataset);
        snprintf(err, err_size, "out of memory while writing the export");
        return -ENOMEM;
    }

    char site[RESEARCH_SITE_MAX];
    web_research_file_part(dataset->site_count > 0 ? dataset->sites[0].name : "oase", site,
                           sizeof site);
    char first[RESEARCH_DATE_SIZE] = "none", last[RESEARCH_DATE_SIZE] = "none";
    if (dataset->first_day <= dataset->last_day) {
        research_day_format(dataset->first_day, first);
        research_day_format(dataset->last_day, last);
    }
    snprintf(filename, WEB_RESEARCH_FILENAME_MAX, "oase-export-%s-%s-%s.%s", site, first, last,
             request->format == RESEARCH_FORMAT_JSON ? "json" : "csv");
    research_dataset_free(dataset);
    *body = text;
    *size = length;
    return 0;
}
