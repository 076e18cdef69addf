/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fake_gpiod: see fake_gpiod.h. Only the libgpiod 1.6 API is faked: with libgpiod 2.x
 * headers (no GPIOD_LINE_BULK_MAX_LINES) this file compiles to nothing and a 2.x fake is
 * still to be written.
 */
#include <gpiod.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES

#include "fakes/fake_gpiod.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fake_line_state {
    char name[32];
    char consumer[32];         /* "" = free */
    struct gpiod_chip *holder; /* handle that requested it, NULL = none (busy by others) */
    bool active_low;
    int value;       /* electrical, -1 = never driven */
    bool events;     /* requested for edge events (an input) */
    int pending[16]; /* logical levels of edges not yet read (a ring) */
    int pending_head, pending_count;
    int64_t pending_ns[16];
};

struct fake_chip_state {
    char name[32];
    char label[64];
    int line_count;
    struct fake_line_state lines[FAKE_GPIOD_MAX_LINES];
};

/* The handle types libgpiod keeps opaque. */
struct gpiod_line {
    struct gpiod_chip *chip;
    unsigned int offset;
};

struct gpiod_chip {
    int index; /* into fake.chips */
    struct gpiod_line lines[FAKE_GPIOD_MAX_LINES];
};

struct fake_failure {
    int err;
    int after;
    int times;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t edge; /* an input edge was queued */
    struct fake_chip_state chips[FAKE_GPIOD_MAX_CHIPS];
    int chip_count;
    int open_handles;
    struct fake_failure failures[FAKE_GPIOD_OP_COUNT];
    struct fake_gpiod_edge *log;
    size_t log_capacity;
    size_t log_count;
    size_t log_dropped;
} fake = {.lock = PTHREAD_MUTEX_INITIALIZER, .edge = PTHREAD_COND_INITIALIZER};

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* With fake.lock held: true (errno set) when op is due to fail now. */
static bool should_fail(enum fake_gpiod_op op)
{
    struct fake_failure *f = &fake.failures[op];
    if (f->times == 0) {
        return false;
    }
    if (f->after > 0) {
        f->after--;
        return false;
    }
    if (f->times > 0) {
        f->times--;
    }
    errno = f->err;
    return true;
}

static int line_id(int chip, unsigned int offset)
{
    return chip * FAKE_GPIOD_MAX_LINES + (int)offset;
}

static struct fake_line_state *line_state_by_id(int id)
{
    if (id < 0 || id / FAKE_GPIOD_MAX_LINES >= fake.chip_count) {
        return NULL;
    }
    struct fake_chip_state *chip = &fake.chips[id / FAKE_GPIOD_MAX_LINES];
    int offset = id % FAKE_GPIOD_MAX_LINES;
    return offset < chip->line_count ? &chip->lines[offset] : NULL;
}

static struct fake_line_state *state_of(const struct gpiod_line *line)
{
    return &fake.chips[line->chip->index].lines[line->offset];
}

/* With fake.lock held: drives the electrical level and logs a change. */
static void drive(const struct gpiod_line *line, int electrical)
{
    struct fake_line_state *state = state_of(line);
    if (state->value == electrical) {
        return;
    }
    state->value = electrical;
    if (fake.log_count >= fake.log_capacity) {
        fake.log_dropped++;
        return;
    }
    fake.log[fake.log_count++] = (struct fake_gpiod_edge){
        .line = line_id(line->chip->index, line->offset),
        .value = electrical,
        .ns = monotonic_ns(),
    };
}

static void set_capacity_locked(size_t entries)
{
    free(fake.log);
    fake.log = calloc(entries ? entries : 1, sizeof *fake.log);
    fake.log_capacity = fake.log ? entries : 0;
    fake.log_count = 0;
    fake.log_dropped = 0;
}

void fake_gpiod_reset(void)
{
    pthread_mutex_lock(&fake.lock);
    memset(fake.chips, 0, sizeof fake.chips);
    fake.chip_count = 0;
    memset(fake.failures, 0, sizeof fake.failures);
    set_capacity_locked(FAKE_GPIOD_DEFAULT_LOG);
    pthread_mutex_unlock(&fake.lock);
}

void fake_gpiod_set_log_capacity(size_t entries)
{
    pthread_mutex_lock(&fake.lock);
    set_capacity_locked(entries);
    pthread_mutex_unlock(&fake.lock);
}

int fake_gpiod_add_chip(const char *name, const char *label, const char *const *line_names,
                        int count)
{
    pthread_mutex_lock(&fake.lock);
    int index = -1;
    if (fake.chip_count < FAKE_GPIOD_MAX_CHIPS && count >= 0 && count <= FAKE_GPIOD_MAX_LINES) {
        index = fake.chip_count++;
        struct fake_chip_state *chip = &fake.chips[index];
        memset(chip, 0, sizeof *chip);
        snprintf(chip->name, sizeof chip->name, "%s", name);
        snprintf(chip->label, sizeof chip->label, "%s", label);
        chip->line_count = count;
        for (int i = 0; i < count; i++) {
            snprintf(chip->lines[i].name, sizeof chip->lines[i].name, "%s",
                     line_names && line_names[i] ? line_names[i] : "");
            chip->lines[i].value = -1;
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return index;
}

/* With fake.lock held. */
static int find_line_locked(const char *chip_label, const char *name)
{
    for (int c = 0; c < fake.chip_count; c++) {
        if (chip_label != NULL && strcmp(fake.chips[c].label, chip_label) != 0) {
            continue;
        }
        for (int i = 0; i < fake.chips[c].line_count; i++) {
            if (name[0] != '\0' && strcmp(fake.chips[c].lines[i].name, name) == 0) {
                return line_id(c, (unsigned int)i);
            }
        }
    }
    return -1;
}

int fake_gpiod_line_id(const char *chip_label, const char *name)
{
    pthread_mutex_lock(&fake.lock);
    int id = find_line_locked(chip_label, name);
    pthread_mutex_unlock(&fake.lock);
    return id;
}

void fake_gpiod_set_busy(int line, const char *consumer)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = line_state_by_id(line);
    if (state != NULL) {
        snprintf(state->consumer, sizeof state->consumer, "%s", consumer ? consumer : "");
        state->holder = NULL;
    }
    pthread_mutex_unlock(&fake.lock);
}

void fake_gpiod_fail(enum fake_gpiod_op op, int err, int after, int times)
{
    pthread_mutex_lock(&fake.lock);
    fake.failures[op] = (struct fake_failure){.err = err, .after = after, .times = times};
    pthread_mutex_unlock(&fake.lock);
}

int fake_gpiod_value(int line)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = line_state_by_id(line);
    int value = state ? state->value : -1;
    pthread_mutex_unlock(&fake.lock);
    return value;
}

bool fake_gpiod_requested(int line)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = line_state_by_id(line);
    bool requested = state != NULL && state->holder != NULL;
    pthread_mutex_unlock(&fake.lock);
    return requested;
}

bool fake_gpiod_active_low(int line)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = line_state_by_id(line);
    bool active_low = state != NULL && state->active_low;
    pthread_mutex_unlock(&fake.lock);
    return active_low;
}

int fake_gpiod_open_handles(void)
{
    pthread_mutex_lock(&fake.lock);
    int n = fake.open_handles;
    pthread_mutex_unlock(&fake.lock);
    return n;
}

size_t fake_gpiod_edges(struct fake_gpiod_edge *out, size_t max)
{
    pthread_mutex_lock(&fake.lock);
    size_t n = fake.log_count;
    memcpy(out, fake.log, (n < max ? n : max) * sizeof *out);
    pthread_mutex_unlock(&fake.lock);
    return n;
}

size_t fake_gpiod_edge_count(void)
{
    pthread_mutex_lock(&fake.lock);
    size_t n = fake.log_count;
    pthread_mutex_unlock(&fake.lock);
    return n;
}

size_t fake_gpiod_dropped(void)
{
    pthread_mutex_lock(&fake.lock);
    size_t n = fake.log_dropped;
    pthread_mutex_unlock(&fake.lock);
    return n;
}

void fake_gpiod_clear_edges(void)
{
    pthread_mutex_lock(&fake.lock);
    fake.log_count = 0;
    fake.log_dropped = 0;
    pthread_mutex_unlock(&fake.lock);
}

/* ---- the libgpiod 1.6 calls lights_gpiod1.c makes ---- */

/* With fake.lock held: a new handle on chip index. */
static struct gpiod_chip *open_handle(int index)
{
    struct gpiod_chip *chip = calloc(1, sizeof *chip);
    if (chip == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    chip->index = index;
    for (unsigned int i = 0; i < FAKE_GPIOD_MAX_LINES; i++) {
        chip->lines[i] = (struct gpiod_line){.chip = chip, .offset = i};
    }
    fake.open_handles++;
    return chip;
}

struct gpiod_line *gpiod_line_find(const char *name)
{
    pthread_mutex_lock(&fake.lock);
    struct gpiod_line *line = NULL;
    if (!should_fail(FAKE_GPIOD_LINE_FIND)) {
        int id = find_line_locked(NULL, name);
        if (id < 0) {
            errno = ENOENT;
        } else {
            struct gpiod_chip *chip = open_handle(id / FAKE_GPIOD_MAX_LINES);
            line = chip ? &chip->lines[id % FAKE_GPIOD_MAX_LINES] : NULL;
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return line;
}

struct gpiod_chip *gpiod_chip_open_by_label(const char *label)
{
    pthread_mutex_lock(&fake.lock);
    struct gpiod_chip *chip = NULL;
    if (!should_fail(FAKE_GPIOD_CHIP_OPEN_BY_LABEL)) {
        errno = ENOENT;
        for (int c = 0; c < fake.chip_count && chip == NULL; c++) {
            if (strcmp(fake.chips[c].label, label) == 0) {
                chip = open_handle(c);
            }
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return chip;
}

struct gpiod_line *gpiod_chip_find_line(struct gpiod_chip *chip, const char *name)
{
    pthread_mutex_lock(&fake.lock);
    struct gpiod_line *line = NULL;
    if (!should_fail(FAKE_GPIOD_CHIP_FIND_LINE)) {
        const struct fake_chip_state *state = &fake.chips[chip->index];
        errno = ENOENT;
        for (int i = 0; i < state->line_count && line == NULL; i++) {
            if (name[0] != '\0' && strcmp(state->lines[i].name, name) == 0) {
                line = &chip->lines[i];
            }
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return line;
}

struct gpiod_chip *gpiod_line_get_chip(struct gpiod_line *line)
{
    return line->chip;
}

bool gpiod_line_is_used(struct gpiod_line *line)
{
    pthread_mutex_lock(&fake.lock);
    bool used = state_of(line)->consumer[0] != '\0';
    pthread_mutex_unlock(&fake.lock);
    return used;
}

const char *gpiod_line_consumer(struct gpiod_line *line)
{
    pthread_mutex_lock(&fake.lock);
    const char *consumer = state_of(line)->consumer[0] ? state_of(line)->consumer : NULL;
    pthread_mutex_unlock(&fake.lock);
    return consumer;
}

int gpiod_line_request_output_flags(struct gpiod_line *line, const char *consumer, int flags,
                                    int default_val)
{
    pthread_mutex_lock(&fake.lock);
    int rc = -1;
    struct fake_line_state *state = state_of(line);
    if (should_fail(FAKE_GPIOD_REQUEST_OUTPUT)) {
        goto out_unlock;
    }
    if (state->consumer[0] != '\0') {
        errno = EBUSY;
        goto out_unlock;
    }
    snprintf(state->consumer, sizeof state->consumer, "%s", consumer ? consumer : "?");
    state->holder = line->chip;
    state->active_low = (flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) != 0;
    drive(line, (default_val ? 1 : 0) ^ (state->active_low ? 1 : 0));
    rc = 0;
out_unlock:
    pthread_mutex_unlock(&fake.lock);
    return rc;
}

int gpiod_line_set_value(struct gpiod_line *line, int value)
{
    pthread_mutex_lock(&fake.lock);
    int rc = -1;
    struct fake_line_state *state = state_of(line);
    if (should_fail(FAKE_GPIOD_SET_VALUE)) {
        goto out_unlock;
    }
    if (state->holder != line->chip) {
        errno = EPERM; /* not requested through this handle */
        goto out_unlock;
    }
    drive(line, (value ? 1 : 0) ^ (state->active_low ? 1 : 0));
    rc = 0;
out_unlock:
    pthread_mutex_unlock(&fake.lock);
    return rc;
}

/* With fake.lock held. */
static void release_locked(struct gpiod_line *line)
{
    struct fake_line_state *state = state_of(line);
    if (state->holder == line->chip) {
        state->holder = NULL;
        state->consumer[0] = '\0';
        state->events = false;
        state->pending_count = 0;
    }
}

void gpiod_line_release(struct gpiod_line *line)
{
    pthread_mutex_lock(&fake.lock);
    release_locked(line);
    pthread_mutex_unlock(&fake.lock);
}

void gpiod_chip_close(struct gpiod_chip *chip)
{
    if (chip == NULL) {
        return;
    }
    pthread_mutex_lock(&fake.lock);
    for (int i = 0; i < fake.chips[chip->index].line_count; i++) {
        release_locked(&chip->lines[i]);
    }
    fake.open_handles--;
    pthread_mutex_unlock(&fake.lock);
    free(chip);
}

/* ---- input lines with edge events: the calls speech_button_gpiod1.c makes ---- */

int fake_gpiod_set_input(int line, int value)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = line_state_by_id(line);
    if (state == NULL) {
        pthread_mutex_unlock(&fake.lock);
        return -1;
    }
    int electrical = value ? 1 : 0;
    if (state->value != electrical) {
        state->value = electrical;
        if (state->events && state->pending_count < 16) {
            int slot = (state->pending_head + state->pending_count) % 16;
            state->pending[slot] = electrical ^ (state->active_low ? 1 : 0);
            state->pending_ns[slot] = monotonic_ns();
            state->pending_count++;
            pthread_cond_broadcast(&fake.edge);
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return 0;
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line, const char *consumer,
                                               int flags)
{
    pthread_mutex_lock(&fake.lock);
    int rc = -1;
    struct fake_line_state *state = state_of(line);
    if (state->consumer[0] != '\0') {
        errno = EBUSY;
        goto out_unlock;
    }
    snprintf(state->consumer, sizeof state->consumer, "%s", consumer ? consumer : "?");
    state->holder = line->chip;
    state->active_low = (flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) != 0;
    state->events = true;
    state->pending_count = 0;
    if (state->value < 0) { /* an idle button: its pull resistor holds it released */
        state->value = state->active_low ? 1 : 0;
    }
    rc = 0;
out_unlock:
    pthread_mutex_unlock(&fake.lock);
    return rc;
}

int gpiod_line_event_wait(struct gpiod_line *line, const struct timespec *timeout)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout->tv_sec;
    until.tv_nsec += timeout->tv_nsec;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = state_of(line);
    int rc = 0;
    if (!state->events || state->holder != line->chip) {
        errno = EPERM;
        rc = -1;
    }
    while (rc == 0 && state->pending_count == 0) {
        if (pthread_cond_timedwait(&fake.edge, &fake.lock, &until) != 0) {
            break;
        }
    }
    if (rc == 0) {
        rc = state->pending_count > 0 ? 1 : 0;
    }
    pthread_mutex_unlock(&fake.lock);
    return rc;
}

int gpiod_line_event_read(struct gpiod_line *line, struct gpiod_line_event *event)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_line_state *state = state_of(line);
    int rc = -1;
    if (state->pending_count == 0) {
        errno = EAGAIN;
    } else {
        int level = state->pending[state->pending_head];
        int64_t ns = state->pending_ns[state->pending_head];
        state->pending_head = (state->pending_head + 1) % 16;
        state->pending_count--;
        event->event_type = level ? GPIOD_LINE_EVENT_RISING_EDGE : GPIOD_LINE_EVENT_FALLING_EDGE;
        event->ts.tv_sec = ns / 1000000000;
        event->ts.tv_nsec = ns % 1000000000;
        rc = 0;
    }
    pthread_mutex_unlock(&fake.lock);
    return rc;
}

#endif /* GPIOD_LINE_BULK_MAX_LINES: libgpiod 1.6 */
