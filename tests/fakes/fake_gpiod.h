/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fake_gpiod: a stand-in for libgpiod 1.6 linked into every unit test and bench binary in
 * place of -lgpiod. It implements exactly the gpiod_* calls firmware/lights/lights_gpiod1.c
 * makes, on chips and line names a test describes, behaves like the kernel where the
 * drivers can tell (ENOENT for missing names, EBUSY for a line in use, active-low flips the
 * electrical level), can be told to fail, and records every change of a line's electrical
 * level with its CLOCK_MONOTONIC time. All functions are thread-safe (the PWM thread writes
 * while a test reads). State is process-global, like the real kernel's; reset it per test.
 */
#ifndef OASE_FAKE_GPIOD_H
#define OASE_FAKE_GPIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_GPIOD_MAX_CHIPS 4
#define FAKE_GPIOD_MAX_LINES 32 /* per chip */
#define FAKE_GPIOD_DEFAULT_LOG 65536

/* One change of a line's electrical level (or its first level when requested). */
struct fake_gpiod_edge {
    int line;   /* id from fake_gpiod_line_id() */
    int value;  /* electrical level after the change: 0 low, 1 high */
    int64_t ns; /* CLOCK_MONOTONIC */
};

/* Calls that can be made to fail. */
enum fake_gpiod_op {
    FAKE_GPIOD_LINE_FIND,          /* gpiod_line_find */
    FAKE_GPIOD_CHIP_OPEN_BY_LABEL, /* gpiod_chip_open_by_label */
    FAKE_GPIOD_CHIP_FIND_LINE,     /* gpiod_chip_find_line */
    FAKE_GPIOD_REQUEST_OUTPUT,     /* gpiod_line_request_output_flags */
    FAKE_GPIOD_SET_VALUE,          /* gpiod_line_set_value */
    FAKE_GPIOD_OP_COUNT
};

/* No chips, no failures, empty log of FAKE_GPIOD_DEFAULT_LOG entries. Frees nothing a
 * caller still holds: close every handle first (fake_gpiod_open_handles() == 0). */
void fake_gpiod_reset(void);

/* Sets the edge log's capacity (and empties it); past it edges are counted as dropped. */
void fake_gpiod_set_log_capacity(size_t entries);

/* Adds a chip ("gpiochip0", label "pinctrl-bcm2711") with count named lines (NULL or ""
 * names an unnamed line). Returns its index, or -1 when FAKE_GPIOD_MAX_CHIPS are there. */
int fake_gpiod_add_chip(const char *name, const char *label, const char *const *line_names,
                        int count);

/* Id of the first line called name (on the chip labelled chip_label, or any when NULL);
 * -1 when there is none. */
int fake_gpiod_line_id(const char *chip_label, const char *name);

/* Marks a line as used by another program (consumer) or free again (NULL). */
void fake_gpiod_set_busy(int line, const char *consumer);

/* After `after` more successful calls, the next `times` calls of op fail with errno err
 * (times < 0: every later call). */
void fake_gpiod_fail(enum fake_gpiod_op op, int err, int after, int times);

int fake_gpiod_value(int line);       /* electrical level, -1 = never driven */
bool fake_gpiod_requested(int line);  /* held by a caller now */
bool fake_gpiod_active_low(int line); /* requested with the active-low flag */
int fake_gpiod_open_handles(void);    /* chip handles not yet closed */

/*
 * An input line's electrical level changes to value (0 low, 1 high), as a button would make
 * it: a line requested for edge events through gpiod_line_request_both_edges_events_flags
 * gets an event (rising or falling by its logical level, active-low applied, as the kernel
 * reports both-edge events) that gpiod_line_event_wait / _read return. Returns 0, or -1
 * when the line does not exist.
 */
int fake_gpiod_set_input(int line, int value);

/* Copies up to max logged edges (oldest first) into out; returns how many were logged. */
size_t fake_gpiod_edges(struct fake_gpiod_edge *out, size_t max);
size_t fake_gpiod_edge_count(void);
size_t fake_gpiod_dropped(void);
void fake_gpiod_clear_edges(void);

#endif
