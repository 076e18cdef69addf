/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * oase-report: the before/after report for researchers from one or more kiosk databases:
 * the summary in Dutch and English on stdout, charts and tables as PDF, SVG or PNG (--out),
 * every figure as JSON (--json). It uses only what oase-export would publish with the same
 * k (firmware/research/research_report.h; how to read it: docs/research.md).
 *
 *   build/oase-report --db zuid.db noord.db --out report.pdf --json report.json
 *   build/oase-report --db oase.db --compare baseline after --out report.png
 *   build/oase-report --db zuid.db noord.db --config oase.conf --json report.json
 *
 * --config reads the [evaluation] section (primary outcome, design, alpha, control sites)
 * declared before the data came in; without it the report uses the defaults and says so.
 *
 * Exit status: 0 done, 1 a database or a file could not be read or written, 2 a bad option.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "research/research_export.h"
#include "research/research_report.h"

#define REPORT_MAX_DATABASES 64

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s --db PATH... [--out FILE.pdf|.svg|.png] [--json FILE] [--k N]\n"
            "       [--compare A B] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--site NAME]\n"
            "       [--config FILE]\n"
            "  --db PATH...   kiosk databases, one per site (read-only), up to %d\n"
            "  --out FILE     the report with charts: .pdf (A4 pages), .svg or .png\n"
            "  --json FILE    every figure of the report as JSON\n"
            "  --k N          smallest count used, %d or more (default %d)\n"
            "  --compare A B  the phases to compare (default: the first two by start date)\n"
            "  --from, --to   widened to whole ISO weeks; only weeks that are over are used\n"
            "  --site NAME    the site name of a single database\n"
            "  --config FILE  oase.conf with the declared [evaluation] (primary, design, alpha,\n"
            "                 control_sites); without it: defaults, marked as not declared\n",
            program, REPORT_MAX_DATABASES, RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
    return 2;
}

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

/* Counts and prints the config loader's messages about [evaluation]; others are not ours. */
struct evaluation_messages {
    const char *program;
    int count;
};

static void evaluation_message(void *ctx, const char *message)
{
    struct evaluation_messages *messages = ctx;
    if (strstr(message, "evaluation") != NULL) {
        fprintf(stderr, "%s: %s\n", messages->program, message);
        messages->count++;
    }
}

static bool is_option(const char *text)
{
    return strncmp(text, "--", 2) == 0;
}

int main(int argc, char **argv)
{
    const char *paths[REPORT_MAX_DATABASES];
    struct research_export_options options = {.db_paths = paths};
    const char *out_path = NULL, *json_path = NULL, *compare_a = NULL, *compare_b = NULL;
    const char *config_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            usage(argv[0]);
            return 0;
        }
        if (strcmp(option, "--db") == 0) { /* one or more paths up to the next option */
            if (i + 1 >= argc || is_option(argv[i + 1])) {
                fprintf(stderr, "%s: --db needs a path\n", argv[0]);
                return usage(argv[0]);
            }
            while (i + 1 < argc && !is_option(argv[i + 1])) {
                if (options.db_count == REPORT_MAX_DATABASES) {
                    fprintf(stderr, "%s: more than %d databases\n", argv[0], REPORT_MAX_DATABASES);
                    return 2;
                }
                paths[options.db_count++] = argv[++i];
            }
            continue;
        }
        if (strcmp(option, "--compare") == 0) {
            if (i + 2 >= argc || is_option(argv[i + 1]) || is_option(argv[i + 2])) {
                fprintf(stderr,
                        "%s: --compare needs two phase names, e.g. --compare baseline "
                        "after\n",
                        argv[0]);
                return 2;
            }
            compare_a = argv[++i];
            compare_b = argv[++i];
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "%s: %s needs a value\n", argv[0], option);
            return usage(argv[0]);
        }
        const char *value = argv[++i];
        if (strcmp(option, "--out") == 0) {
            out_path = value;
        } else if (strcmp(option, "--json") == 0) {
            json_path = value;
        } else if (strcmp(option, "--from") == 0) {
            options.from = value;
        } else if (strcmp(option, "--to") == 0) {
            options.to = value;
        } else if (strcmp(option, "--config") == 0) {
            config_path = value;
        } else if (strcmp(option, "--site") == 0) {
            options.site = value;
        } else if (strcmp(option, "--k") == 0) {
            options.k = parse_k(value);
            if (options.k < RESEARCH_K_MIN) {
                fprintf(stderr,
                        "%s: --k %s: give a whole number of at least %d (default %d): smaller "
                        "groups could identify a visitor\n",
                        argv[0], value, RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
                return 2;
            }
        } else {
            fprintf(stderr, "%s: unknown option %s\n", argv[0], option);
            return usage(argv[0]);
        }
    }
    if (options.db_count == 0) {
        fprintf(stderr, "%s: no database: give one or more with --db PATH...\n", argv[0]);
        return usage(argv[0]);
    }

    static struct oase_config config; /* large: not on the stack */
    const struct evaluation_config *evaluation = NULL;
    if (config_path != NULL) {
        struct evaluation_messages messages = {argv[0], 0};
        struct config_problems problems;
        config_defaults(&config);
        int load = config_load(&config, config_path, evaluation_message, &messages, &problems);
        if (load != 0) {
            fprintf(stderr, "%s: --config %s: %s\n", argv[0], config_path, strerror(-load));
            return 2;
        }
        if (messages.count > 0) {
            fprintf(stderr,
                    "%s: --config %s: fix [evaluation] first: the report analyses the design as "
                    "declared\n",
                    argv[0], config_path);
            return 2;
        }
        if (!config.evaluation.declared) {
            fprintf(stderr,
                    "%s: --config %s has no [evaluation] section: the defaults are used and the "
                    "primary is marked as not declared in advance\n",
                    argv[0], config_path);
        }
        evaluation = &config.evaluation;
    }

    char err[1024] = "";
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(&options, &dataset, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], err);
        return rc == -EINVAL ? 2 : 1;
    }
    struct research_report *report = NULL;
    rc = research_report_compute_evaluation(dataset, compare_a, compare_b, evaluation, &report, err,
                                            sizeof err);
    research_dataset_free(dataset);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], err);
        return rc == -EINVAL ? 2 : 1;
    }
    printf("%s\n\n%s\n", report->summary_nl, report->summary_en);
    int status = 0;
    if (out_path != NULL) {
        if (research_report_render(report, out_path, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", argv[0], err);
            status = 1;
        } else {
            fprintf(stderr, "%s: report written to %s\n", argv[0], out_path);
        }
    }
    if (json_path != NULL) {
        FILE *out = fopen(json_path, "w");
        if (out == NULL || research_report_write_json(report, out) != 0) {
            fprintf(stderr, "%s: --json %s: %s\n", argv[0], json_path,
                    strerror(errno ? errno : EIO));
            status = 1;
        }
        if (out != NULL && fclose(out) != 0) {
            status = 1;
        }
    }
    if (out_path == NULL && json_path == NULL) {
        fprintf(stderr, "%s: for charts and tables add --out report.pdf (or .svg, .png)\n",
                argv[0]);
    }
    research_report_free(report);
    return status;
}
