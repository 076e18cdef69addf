/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * speech_button_gpiod2: speech_button.h where the build has libgpiod 2.x (Trixie). The
 * button is not written for that API yet: open says so, and the kiosk runs without it
 * (the speak control and the long press still read the screen).
 */
#include "kiosk/speech_button.h"

#include <stdio.h>

struct speech_button *speech_button_open(const char *chip_label, const char *line_name,
                                         bool active_low, void (*wake)(void *ctx), void *wake_ctx,
                                         char *why, size_t why_size)
{
    (void)chip_label;
    (void)active_low;
    (void)wake;
    (void)wake_ctx;
    snprintf(why, why_size,
             "speech.button_line = %s: the speech button needs libgpiod 1.6; this build has "
             "libgpiod 2 (not supported yet)",
             line_name ? line_name : "");
    return NULL;
}

int speech_button_take(struct speech_button *button)
{
    (void)button;
    return 0;
}

void speech_button_close(struct speech_button *button)
{
    (void)button;
}
