/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * app: the kiosk program. Wires config, languages, store, journey and screens together,
 * owns the SDL window (or the headless surface) and runs the event-driven main loop or a
 * replay script. main.c only parses the command line and calls app_run.
 */
#ifndef OASE_APP_H
#define OASE_APP_H

#include <stdbool.h>

#include "config/config.h"

struct app_options {
    const char *config_path;     /* for messages */
    const char *db_path;         /* overrides config store.db_path when set */
    bool headless;               /* SDL dummy video + software renderer, no audio device */
    const char *replay_path;     /* drive from a script and exit at its end */
    const char *screenshots_dir; /* write a PNG of every screen shown */
    const char *ack_log_path;    /* append a line per acknowledged record (tests) */
    const char *audio_file_path; /* headless: the speaker's output as a WAV (tests) */
};

/*
 * Runs the kiosk until SDL_QUIT (SIGTERM, window closed) or the end of the replay.
 * Returns the process exit status: 0, 1 for a failed replay expectation or a replay
 * script error, 2 when the kiosk cannot start (fonts or the display missing).
 */
int app_run(const struct oase_config *config, const struct app_options *options);

#endif
