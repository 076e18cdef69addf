/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * oase-export: anonymised aggregate counts of one or more kiosk databases for researchers,
 * as CSV or JSON on stdout (or --out FILE). Reads the databases read-only, also while the
 * kiosk runs; every exported number is at least k and none can be worked out below k
 * (firmware/research/research_kanon.h; columns and rules: docs/research.md).
 *
 *   build/oase-export --db /var/lib/oase/oase.db > counts.csv
 *   build/oase-export --db zuid.db --db noord.db --from 2026-01-05 --format json --out counts.json
 *
 * Exit status: 0 written, 1 a database could not be read, 2 a bad option.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_export.h"

#define EXPORT_MAX_DATABASES 64

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s --db PATH [--db PATH ...] [--site NAME] [--from YYYY-MM-DD]\n"
            "       [--to YYYY-MM-DD] [--k N] [--format csv|json] [--with-context] [--out FILE]\n"
            "  --db PATH       a kiosk database (read-only); one per site, up to %d\n"
            "  --site NAME     the site name of a single database (default: its meta table's\n"
            "                  \"site\", else the file name without .db)\n"
            "  --from, --to    widened to whole ISO weeks, then to the published blocks wholly\n"
            "                  inside; only weeks that are over are exported\n"
            "  --k N           smallest published count, %d or more; default and minimum: the\n"
            "                  site's k (meta research_k, else %d); a larger k only hides rows\n"
            "  --format        csv (default) or json\n"
            "  --with-context  answers also per light scene, light band, sound and queue band\n"
            "                  (a split of the same rows: docs/research.md, Room context)\n"
            "  --out FILE      write there instead of stdout\n",
            program, EXPORT_MAX_DATABASES, RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
    return 2;
}

/* A whole number from text, or -1. */
static int parse_k(const char *text)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 1000000) {
        return -1;
    }
    return (int)value;
}

int main(int argc, char **argv)
{
    const char *paths[EXPORT_MAX_DATABASES];
    struct research_export_options options = {.db_paths = paths};
    enum research_format format = RESEARCH_FORMAT_CSV;
    const char *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(option, "--with-context") == 0) {
            options.with_context = true;
        } else if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            usage(argv[0]);
            return 0;
        } else if (!has_value) {
            fprintf(stderr, "%s: %s needs a value\n", argv[0], option);
            return usage(argv[0]);
        } else if (strcmp(option, "--db") == 0) {
            if (options.db_count == EXPORT_MAX_DATABASES) {
                fprintf(stderr, "%s: more than %d databases: export them in groups\n", argv[0],
                        EXPORT_MAX_DATABASES);
                return 2;
            }
            paths[options.db_count++] = argv[++i];
        } else if (strcmp(option, "--site") == 0) {
            options.site = argv[++i];
        } else if (strcmp(option, "--from") == 0) {
            options.from = argv[++i];
        } else if (strcmp(option, "--to") == 0) {
            options.to = argv[++i];
        } else if (strcmp(option, "--out") == 0) {
            out_path = argv[++i];
        } else if (strcmp(option, "--k") == 0) {
            options.k = parse_k(argv[++i]);
            if (options.k < RESEARCH_K_MIN) {
                fprintf(stderr,
                        "%s: --k %s: give a whole number of at least %d (default %d): smaller "
                        "groups could identify a visitor\n",
                        argv[0], argv[i], RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
                return 2;
            }
        } else if (strcmp(option, "--format") == 0) {
            if (research_format_parse(argv[++i], &format) != 0) {
                fprintf(stderr, "%s: --format %s: give csv or json\n", argv[0], argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "%s: unknown option %s\n", argv[0], option);
            return usage(argv[0]);
        }
    }
    if (options.db_count == 0) {
        fprintf(stderr, "%s: no database: give one or more with --db PATH\n", argv[0]);
        return usage(argv[0]);
    }

    char err[1024] = "";
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(&options, &dataset, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], err);
        return rc == -EINVAL ? 2 : 1;
    }
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (out == NULL) {
        fprintf(stderr, "%s: --out %s: %s\n", argv[0], out_path, strerror(errno));
        research_dataset_free(dataset);
        return 1;
    }
    rc = research_export_write(dataset, format, out);
    if (out != stdout && fclose(out) != 0) {
        rc = -EIO;
    }
    research_dataset_free(dataset);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], out_path ? out_path : "stdout",
                strerror(-rc));
        return 1;
    }
    return 0;
}
