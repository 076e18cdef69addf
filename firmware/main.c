/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * main: the oase command. Parses the command line, loads the config and hands over to
 * app_run. The only place that decides the process's exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>

#include "app/app.h"
#include "config/config.h"
#include "core/log.h"
#include "core/timezone.h"

#define OASE_VERSION "0.1.0"

static void usage(FILE *out)
{
    fprintf(out, "usage: oase [--config FILE] [--db PATH] [--headless] [--replay FILE]\n"
                 "            [--screenshots DIR] [--audio-file PATH] [--ack-log FILE] [--quiet]\n"
                 "       oase --check-config FILE\n"
                 "\n"
                 "  --config FILE       settings (default /etc/oase/oase.conf)\n"
                 "  --db PATH           database (default: [store] db_path of the config)\n"
                 "  --headless          no display, no sound device (tests, CI, benchmarks)\n"
                 "  --replay FILE       drive the kiosk from a script, exit at its end\n"
                 "  --screenshots DIR   write a PNG of every screen shown\n"
                 "  --audio-file PATH   headless: write what the speaker plays (room sound and\n"
                 "                      speech) as a WAV (48 kHz mono, 16-bit)\n"
                 "  --ack-log FILE      append a line for every check-in and answer the screen\n"
                 "                      acknowledged (reliability tests)\n"
                 "  --check-config FILE report every problem in FILE; exit 1 if there is one\n");
}

static void print_problem(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "%s\n", message);
}

int main(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"config", required_argument, NULL, 'c'},
        {"db", required_argument, NULL, 'd'},
        {"headless", no_argument, NULL, 'H'},
        {"replay", required_argument, NULL, 'r'},
        {"screenshots", required_argument, NULL, 's'},
        {"ack-log", required_argument, NULL, 'A'},
        {"audio-file", required_argument, NULL, 'W'},
        {"check-config", required_argument, NULL, 'C'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct app_options options = {.config_path = "/etc/oase/oase.conf"};
    const char *check_path = NULL;
    bool config_given = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            options.config_path = optarg;
            config_given = true;
            break;
        case 'd':
            options.db_path = optarg;
            break;
        case 'H':
            options.headless = true;
            break;
        case 'r':
            options.replay_path = optarg;
            break;
        case 's':
            options.screenshots_dir = optarg;
            break;
        case 'A':
            options.ack_log_path = optarg;
            break;
        case 'W':
            options.audio_file_path = optarg;
            break;
        case 'C':
            check_path = optarg;
            break;
        case 'q':
            log_set_quiet(1);
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("oase %s\n", OASE_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "oase: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return 2;
    }

    static struct oase_config config;
    config_defaults(&config);
    struct config_problems problems = {0};
    const char *path = check_path ? check_path : options.config_path;
    int rc = config_load(&config, path, print_problem, NULL, &problems);
    bool damaged = rc == -ENODATA || rc == -EBADMSG; /* reported above, never defaults */
    if (rc != 0 && (check_path || config_given || damaged)) {
        if (!damaged) {
            fprintf(stderr, "%s: cannot read config: %s\n", path, strerror(-rc));
        }
        return check_path ? 1 : 2;
    }
    if (rc != 0) {
        log_msg(LOG_WARN, "%s: cannot read config (%s); using the built-in defaults", path,
                strerror(-rc));
    }
    /* The zone opening hours, schedules and calendar days are read in: an unknown or missing
     * one stops the kiosk here, before the C library could fall back to UTC unnoticed. */
    struct timezone_choice zone;
    char zone_why[1024];
    int zone_rc = timezone_choose_here(config.timezone, &zone, zone_why, sizeof zone_why);
    if (check_path) {
        if (zone_rc == 0) {
            printf("%s: time zone %s\n", path, zone.shown);
        } else if (config.timezone[0] == '\0') { /* a bad kiosk.timezone was reported above */
            fprintf(stderr, "%s: %s\n", path, zone_why);
            problems.errors++;
        }
        printf("%s: %d error(s), %d warning(s)\n", path, problems.errors, problems.warnings);
        return problems.errors || problems.warnings ? 1 : 0;
    }
    if (zone_rc != 0 || timezone_apply(&zone) != 0) {
        log_msg(LOG_ERROR, "%s; the kiosk does not start on a guessed time zone",
                zone_rc != 0 ? zone_why : "cannot set TZ");
        return 2;
    }
    log_msg(LOG_INFO, "time zone %s", zone.shown);
    if (rc == 0 && problems.errors) {
        log_msg(LOG_WARN, "%s: %d bad value(s) replaced by their defaults (see above)", path,
                problems.errors);
    }
    int status = app_run(&config, &options);
    SDL_Quit();
    return status;
}
