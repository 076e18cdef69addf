/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * speech_button_gpiod1: speech_button.h on the libgpiod 1.6 API (Raspberry Pi OS Bookworm).
 * Unit tests link tests/fakes/fake_gpiod.c in place of -lgpiod, so exactly the gpiod_*
 * calls made here must exist there: gpiod_line_find, gpiod_chip_open_by_label,
 * gpiod_chip_find_line, gpiod_line_get_chip, gpiod_line_is_used, gpiod_line_consumer,
 * gpiod_line_request_both_edges_events_flags, gpiod_line_event_wait, gpiod_line_event_read,
 * gpiod_line_release, gpiod_chip_close.
 *
 * Both edges are requested: the kernel then reports each edge by the line's logical level
 * (active-low applied), so a rising edge is a press whichever way the button is wired.
 */
#include "kiosk/speech_button.h"

#include <errno.h>
#include <gpiod.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct speech_button {
    struct gpiod_chip *chip; /* owns line; closed with it */
    struct gpiod_line *line; /* requested for edge events */
    pthread_t thread;
    atomic_bool stop;
    atomic_int presses; /* taken by speech_button_take */
    int64_t last_press_ns;
    void (*wake)(void *ctx);
    void *wake_ctx;
};

static int64_t event_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Waits for edges until stop; a rising edge after the debounce time is a press. */
static void *button_thread(void *arg)
{
    struct speech_button *button = arg;
    const struct timespec poll = {.tv_sec = 0, .tv_nsec = 100 * 1000000}; /* to see stop */
    while (!atomic_load(&button->stop)) {
        int ready = gpiod_line_event_wait(button->line, &poll);
        if (ready < 0) {
            struct timespec pause = {.tv_sec = 0, .tv_nsec = 200 * 1000000};
            nanosleep(&pause, NULL); /* a driver hiccup: try again, never spin */
            continue;
        }
        if (ready == 0) {
            continue;
        }
        struct gpiod_line_event event;
        if (gpiod_line_event_read(button->line, &event) < 0 ||
            event.event_type != GPIOD_LINE_EVENT_RISING_EDGE) {
            continue;
        }
        int64_t at = event_ns(&event.ts);
        if (button->last_press_ns != 0 &&
            at - button->last_press_ns < (int64_t)SPEECH_BUTTON_DEBOUNCE_MS * 1000000) {
            continue;
        }
        button->last_press_ns = at;
        atomic_fetch_add(&button->presses, 1);
        if (button->wake) {
            button->wake(button->wake_ctx);
        }
    }
    return NULL;
}

static void describe_error(int err, const char *what, char *why, size_t why_size)
{
    if (err == EACCES || err == EPERM) {
        snprintf(why, why_size,
                 "%s: permission denied (add the service user to group gpio, or "
                 "SupplementaryGroups=gpio in the systemd unit)",
                 what);
    } else {
        snprintf(why, why_size, "%s: %s", what, strerror(err ? err : EIO));
    }
}

/* Finds the line (on the chip labelled chip_label, or on any chip); NULL with why. */
static int find_line(struct speech_button *button, const char *chip_label, const char *line_name,
                     char *why, size_t why_size)
{
    errno = 0;
    if (chip_label != NULL && chip_label[0] != '\0') {
        button->chip = gpiod_chip_open_by_label(chip_label);
        if (button->chip == NULL) {
            snprintf(why, why_size,
                     "speech.button_chip = %s: no GPIO chip with that label (gpiodetect shows "
                     "labels in brackets)",
                     chip_label);
            return -ENOENT;
        }
        errno = 0;
        button->line = gpiod_chip_find_line(button->chip, line_name);
        if (button->line == NULL) {
            snprintf(why, why_size,
                     "speech.button_line = %s: GPIO chip %s has no line of that name (gpioinfo "
                     "lists the names)",
                     line_name, chip_label);
            gpiod_chip_close(button->chip);
            return -ENOENT;
        }
        return 0;
    }
    button->line = gpiod_line_find(line_name);
    if (button->line == NULL) {
        snprintf(why, why_size,
                 "speech.button_line = %s: no GPIO line of that name on any chip (gpioinfo "
                 "lists the names)",
                 line_name);
        return -ENOENT;
    }
    button->chip = gpiod_line_get_chip(button->line);
    return 0;
}

struct speech_button *speech_button_open(const char *chip_label, const char *line_name,
                                         bool active_low, void (*wake)(void *ctx), void *wake_ctx,
                                         char *why, size_t why_size)
{
    if (line_name == NULL || line_name[0] == '\0') {
        snprintf(why, why_size, "speech.button_line is empty: name a GPIO line");
        return NULL;
    }
    struct speech_button *button = calloc(1, sizeof *button);
    if (button == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    button->wake = wake;
    button->wake_ctx = wake_ctx;
    atomic_init(&button->stop, false);
    atomic_init(&button->presses, 0);
    if (find_line(button, chip_label, line_name, why, why_size) < 0) {
        goto out_free;
    }
    if (gpiod_line_is_used(button->line)) {
        const char *user = gpiod_line_consumer(button->line);
        snprintf(why, why_size,
                 "speech.button_line = %s: the line is in use by %s%s%s (stop it, or pick "
                 "another line)",
                 line_name, user ? "'" : "", user ? user : "another program", user ? "'" : "");
        goto out_close_chip;
    }
    /* A button to ground needs the pull-up (to 3.3 V: the pull-down). Not every chip can
     * bias its lines: then without, and the board's own resistor does it. */
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    int bias =
        active_low ? GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP : GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    errno = 0;
    if (gpiod_line_request_both_edges_events_flags(button->line, SPEECH_BUTTON_CONSUMER,
                                                   flags | bias) < 0) {
        errno = 0;
        if (gpiod_line_request_both_edges_events_flags(button->line, SPEECH_BUTTON_CONSUMER,
                                                       flags) < 0) {
            char what[128];
            snprintf(what, sizeof what, "speech.button_line = %s: requesting its edge events",
                     line_name);
            describe_error(errno, what, why, why_size);
            goto out_close_chip;
        }
    }
    if (pthread_create(&button->thread, NULL, button_thread, button) != 0) {
        snprintf(why, why_size, "speech.button_line = %s: cannot start its thread", line_name);
        goto out_release;
    }
    return button;

out_release:
    gpiod_line_release(button->line);
out_close_chip:
    gpiod_chip_close(button->chip);
out_free:
    free(button);
    return NULL;
}

int speech_button_take(struct speech_button *button)
{
    return button ? atomic_exchange(&button->presses, 0) : 0;
}

void speech_button_close(struct speech_button *button)
{
    if (button == NULL) {
        return;
    }
    atomic_store(&button->stop, true);
    pthread_join(button->thread, NULL);
    gpiod_line_release(button->line);
    gpiod_chip_close(button->chip);
    free(button);
}
