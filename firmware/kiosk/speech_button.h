/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * speech_button: the optional push button that reads the screen aloud, for people who cannot
 * see it ([speech] button_line). It owns the GPIO line and a thread that waits for the line's
 * edges; the main loop takes the presses and does what the speak control does. It never
 * speaks itself and never blocks the main loop. A missing chip or line, or a line in use,
 * is reported once by the caller and the kiosk runs without the button.
 * One file per libgpiod API, like lights: speech_button_gpiod1.c (1.6, line events; the
 * unit tests' fake) and speech_button_gpiod2.c (2.x).
 */
#ifndef OASE_SPEECH_BUTTON_H
#define OASE_SPEECH_BUTTON_H

#include <stdbool.h>
#include <stddef.h>

#define SPEECH_BUTTON_CONSUMER "oase-speech"
#define SPEECH_BUTTON_DEBOUNCE_MS 200 /* a second press within this is the same press bouncing */

struct speech_button;

/*
 * Requests line_name (on the chip labelled chip_label, or on any chip when it is NULL or "")
 * as an input with edge events; active_low: pressed pulls the line low (a button to ground,
 * with the pull-up switched on). wake(wake_ctx) is called from the button's thread after
 * each press, so a sleeping main loop wakes (may be NULL). Returns NULL with the reason in
 * why (naming the chip or line and what to do) when the line cannot be had; nothing is held
 * then.
 */
struct speech_button *speech_button_open(const char *chip_label, const char *line_name,
                                         bool active_low, void (*wake)(void *ctx), void *wake_ctx,
                                         char *why, size_t why_size);

/* The presses since the last call (0 when none). Thread-safe; NULL gives 0. */
int speech_button_take(struct speech_button *button);

/* Stops the thread and releases the line. NULL is allowed. */
void speech_button_close(struct speech_button *button);

#endif
