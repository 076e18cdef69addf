/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_mirror: the part of the store the frame thread reads, in memory. It changes when a
 * write is queued (not when it reaches the disk), so screens and the host page see a
 * check-in at once and never wait for SQLite. Callers hold the store's lock.
 * Days are "YYYY-MM-DD" and compare as strings.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"

int store_mirror_add(struct store_mirror *mirror, const char *day,
                     const struct store_arrival *arrival)
{
    if (store_mirror_find(mirror, day, arrival->name_number) >= 0) {
        return -EEXIST;
    }
    if (mirror->arrival_count >= STORE_MIRROR_MAX) {
        if (!mirror->overflow_logged) {
            log_msg(LOG_WARN,
                    "store: more than %d arrivals not yet folded; later ones are counted but "
                    "not shown to the host until the next fold",
                    STORE_MIRROR_MAX);
            mirror->overflow_logged = true;
        }
        return -ENOSPC;
    }
    /* Keep arrival order: insert after every arrival at or before this one. */
    int at = mirror->arrival_count;
    while (at > 0 && mirror->arrivals[at - 1].arrival.arrived_ms > arrival->arrived_ms) {
        mirror->arrivals[at] = mirror->arrivals[at - 1];
        at--;
    }
    memset(&mirror->arrivals[at], 0, sizeof mirror->arrivals[at]); /* no link of another */
    snprintf(mirror->arrivals[at].day, sizeof mirror->arrivals[at].day, "%s", day);
    mirror->arrivals[at].arrival = *arrival;
    mirror->arrival_count++;
    return 0;
}

int store_mirror_find(const struct store_mirror *mirror, const char *day, int name_number)
{
    int found = -1;
    for (int i = 0; i < mirror->arrival_count; i++) {
        const struct store_mirror_arrival *entry = &mirror->arrivals[i];
        if (entry->arrival.name_number != name_number) {
            continue;
        }
        if (day != NULL) {
            if (strcmp(entry->day, day) == 0) {
                return i;
            }
        } else if (found < 0 || strcmp(entry->day, mirror->arrivals[found].day) > 0) {
            found = i;
        }
    }
    return found;
}

static void store_mirror_remove_wait(struct store_mirror *mirror, int name_number)
{
    for (int i = 0; i < mirror->wait_count; i++) {
        if (mirror->waits[i].name_number == name_number) {
            mirror->waits[i] = mirror->waits[mirror->wait_count - 1];
            mirror->wait_count--;
            return;
        }
    }
}

void store_mirror_new_day(struct store_mirror *mirror, const char *day)
{
    if (strcmp(day, mirror->wait_day) > 0) {
        snprintf(mirror->wait_day, sizeof mirror->wait_day, "%s", day);
        mirror->wait_count = 0;
    }
}

void store_mirror_link(struct store_mirror *mirror, int index, const char *stress_band)
{
    if (index < 0 || index >= mirror->arrival_count) {
        return;
    }
    char *link = mirror->arrivals[index].stress_band;
    snprintf(link, sizeof mirror->arrivals[index].stress_band, "%s",
             stress_band ? stress_band : "");
}

void store_mirror_unlink(struct store_mirror *mirror, int index, char *band, size_t size)
{
    band[0] = '\0';
    if (index < 0 || index >= mirror->arrival_count) {
        return;
    }
    char *link = mirror->arrivals[index].stress_band;
    snprintf(band, size, "%s", link);
    memset(link, 0, sizeof mirror->arrivals[index].stress_band);
}

int store_mirror_link_count(const struct store_mirror *mirror)
{
    int count = 0;
    for (int i = 0; i < mirror->arrival_count; i++) {
        count += mirror->arrivals[i].stress_band[0] != '\0';
    }
    return count;
}

void store_mirror_set_status(struct store_mirror *mirror, int index,
                             enum store_arrival_status status, int64_t at_ms)
{
    if (index < 0 || index >= mirror->arrival_count) {
        return;
    }
    struct store_mirror_arrival *entry = &mirror->arrivals[index];
    entry->arrival.status = status;
    entry->arrival.collected_ms = status == ARRIVAL_COLLECTED ? at_ms : 0;
    entry->claim_band[0] = '\0'; /* a new mark: the desk says again whether it was claimed */

    /* Waiting-time samples describe one day: the latest seen. Older days are ignored. */
    store_mirror_new_day(mirror, entry->day);
    if (strcmp(entry->day, mirror->wait_day) != 0) {
        return;
    }
    store_mirror_remove_wait(mirror, entry->arrival.name_number);
    if (status == ARRIVAL_COLLECTED && mirror->wait_count < STORE_WAIT_SAMPLES_MAX) {
        int64_t wait_ms = at_ms - entry->arrival.arrived_ms;
        mirror->waits[mirror->wait_count].name_number = entry->arrival.name_number;
        mirror->waits[mirror->wait_count].wait_ms = wait_ms > 0 ? wait_ms : 0;
        mirror->wait_count++;
    }
}

void store_mirror_fold(struct store_mirror *mirror, const char *today, bool include_today)
{
    int kept = 0;
    for (int i = 0; i < mirror->arrival_count; i++) {
        int order = strcmp(mirror->arrivals[i].day, today);
        bool marked = mirror->arrivals[i].arrival.status != ARRIVAL_WAITING;
        bool folded = order < 0 || (include_today && order == 0 && marked);
        if (!folded) {
            mirror->arrivals[kept++] = mirror->arrivals[i];
        }
    }
    /* The folded entries' links go with them: nothing of them stays in memory. */
    memset(&mirror->arrivals[kept], 0,
           (size_t)(mirror->arrival_count - kept) * sizeof mirror->arrivals[0]);
    mirror->arrival_count = kept;
    mirror->overflow_logged = false;
}

void store_mirror_note_name(struct store_mirror *mirror, const char *day, int number)
{
    int order = strcmp(day, mirror->name_day);
    if (order > 0) {
        snprintf(mirror->name_day, sizeof mirror->name_day, "%s", day);
        mirror->name_last = number;
    } else if (order == 0 && number > mirror->name_last) {
        mirror->name_last = number;
    }
}

int store_mirror_next_name(struct store_mirror *mirror, const char *day)
{
    if (strcmp(day, mirror->name_day) != 0) {
        /* A new day starts at 1; a day seen again (clock set back) continues past its
         * arrivals still in memory. */
        snprintf(mirror->name_day, sizeof mirror->name_day, "%s", day);
        mirror->name_last = 0;
        for (int i = 0; i < mirror->arrival_count; i++) {
            const struct store_mirror_arrival *entry = &mirror->arrivals[i];
            if (strcmp(entry->day, day) == 0 && entry->arrival.name_number > mirror->name_last) {
                mirror->name_last = entry->arrival.name_number;
            }
        }
    }
    mirror->name_last++;
    return mirror->name_last;
}

int store_mirror_waiting_count(const struct store_mirror *mirror)
{
    int waiting = 0;
    for (int i = 0; i < mirror->arrival_count; i++) {
        if (mirror->arrivals[i].arrival.status == ARRIVAL_WAITING) {
            waiting++;
        }
    }
    return waiting;
}

static int store_compare_ms(const void *a, const void *b)
{
    int64_t left = *(const int64_t *)a;
    int64_t right = *(const int64_t *)b;
    return (left > right) - (left < right);
}

/* Percentile by linear interpolation between closest ranks; sorted holds count > 0 values. */
static double store_percentile_minutes(const int64_t *sorted, int count, double fraction)
{
    double position = fraction * (count - 1);
    int below = (int)floor(position);
    int above = below + 1 < count ? below + 1 : below;
    double weight = position - below;
    double ms = sorted[below] + (sorted[above] - sorted[below]) * weight;
    return ms / 60000.0;
}

/* Whole minutes rounded outward to a multiple of 5: down for the low end, up for the high. */
static int store_floor_to_5(double minutes)
{
    return (int)floor(minutes / 5.0 + 1e-9) * 5;
}

static int store_ceil_to_5(double minutes)
{
    return (int)ceil(minutes / 5.0 - 1e-9) * 5;
}

bool store_mirror_wait_range(const struct store_mirror *mirror, int min_samples, int *low_min,
                             int *high_min)
{
    int count = mirror->wait_count;
    if (count == 0 || count < min_samples) {
        return false;
    }
    int64_t sorted[STORE_WAIT_SAMPLES_MAX];
    for (int i = 0; i < count; i++) {
        sorted[i] = mirror->waits[i].wait_ms;
    }
    qsort(sorted, (size_t)count, sizeof sorted[0], store_compare_ms);
    int low = store_floor_to_5(store_percentile_minutes(sorted, count, 0.25));
    int high = store_ceil_to_5(store_percentile_minutes(sorted, count, 0.75));
    if (low < 0) {
        low = 0;
    }
    if (high <= low) {
        high = low + 5; /* a range, never "between 10 and 10 minutes" */
    }
    *low_min = low;
    *high_min = high;
    return true;
}

int store_mirror_copy(const struct store_mirror *mirror, struct store_arrival *out, int max)
{
    int count = 0;
    for (int i = 0; i < mirror->arrival_count && count < max; i++) {
        out[count++] = mirror->arrivals[i].arrival;
    }
    return count;
}

/* Makes counts describe day; returns false when day is older than the day counted. */
static bool store_mirror_counts_day(struct store_mirror *mirror, const char *day)
{
    int order = strcmp(day, mirror->counts.day);
    if (order > 0) {
        memset(&mirror->counts, 0, sizeof mirror->counts);
        snprintf(mirror->counts.day, sizeof mirror->counts.day, "%s", day);
        return true;
    }
    return order == 0;
}

void store_mirror_note_checkin(struct store_mirror *mirror, const char *day)
{
    if (store_mirror_counts_day(mirror, day)) {
        mirror->counts.checkins++;
    }
}

void store_mirror_note_stress(struct store_mirror *mirror, const char *day, int asked, int answers,
                              int64_t sum)
{
    if (store_mirror_counts_day(mirror, day)) {
        mirror->counts.stress_asked += asked;
        mirror->counts.stress_answers += answers;
        mirror->counts.stress_sum += sum;
    }
}

bool store_mirror_has_marked(const struct store_mirror *mirror, const char *day)
{
    for (int i = 0; i < mirror->arrival_count; i++) {
        if (strcmp(mirror->arrivals[i].day, day) == 0 &&
            mirror->arrivals[i].arrival.status != ARRIVAL_WAITING) {
            return true;
        }
    }
    return false;
}

void store_mirror_note_incident(struct store_mirror *mirror, const char *day,
                                enum store_incident_kind kind)
{
    if ((int)kind < 0 || (int)kind >= STORE_INCIDENT_KINDS ||
        !store_mirror_counts_day(mirror, day)) {
        return;
    }
    mirror->counts.incidents[kind]++;
}

void store_mirror_today(const struct store_mirror *mirror, const char *day, struct store_today *out)
{
    memset(out, 0, sizeof *out);
    out->median_wait_ms = -1;
    if (strcmp(mirror->counts.day, day) == 0) {
        out->checkins = mirror->counts.checkins;
        out->stress_asked = mirror->counts.stress_asked;
        out->stress_answers = mirror->counts.stress_answers;
        out->stress_sum = mirror->counts.stress_sum;
        memcpy(out->incidents, mirror->counts.incidents, sizeof out->incidents);
    }
    for (int i = 0; i < mirror->arrival_count; i++) {
        const struct store_mirror_arrival *entry = &mirror->arrivals[i];
        if (strcmp(entry->day, day) != 0) {
            continue;
        }
        if (entry->arrival.status == ARRIVAL_WAITING) {
            out->waiting++;
        } else if (entry->arrival.status == ARRIVAL_NO_SHOW) {
            out->no_shows++;
        }
    }
    if (strcmp(mirror->wait_day, day) != 0 || mirror->wait_count == 0) {
        return;
    }
    int64_t sorted[STORE_WAIT_SAMPLES_MAX];
    int count = mirror->wait_count;
    for (int i = 0; i < count; i++) {
        sorted[i] = mirror->waits[i].wait_ms;
    }
    qsort(sorted, (size_t)count, sizeof sorted[0], store_compare_ms);
    out->collected = count;
    out->median_wait_ms =
        count % 2 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
}

int store_mirror_redate(struct store_mirror *mirror, int64_t since_ms, int64_t step_ms,
                        const char *floor_day, struct store_redate_range *ranges, int *moved)
{
    int range_count = 0;
    *moved = 0;
    for (int i = 0; i < mirror->arrival_count; i++) {
        struct store_mirror_arrival *entry = &mirror->arrivals[i];
        if (!entry->this_run || entry->arrival.arrived_ms < since_ms) {
            continue;
        }
        int number = entry->arrival.name_number;
        int r = 0;
        while (r < range_count && strcmp(ranges[r].day, entry->day) != 0) {
            r++;
        }
        if (r == range_count) {
            if (range_count == STORE_REDATE_RANGES) {
                continue; /* arrivals on more days than that: the rest keep their date */
            }
            snprintf(ranges[r].day, sizeof ranges[r].day, "%s", entry->day);
            ranges[r].first = ranges[r].last = number;
            range_count++;
        }
        ranges[r].first = number < ranges[r].first ? number : ranges[r].first;
        ranges[r].last = number > ranges[r].last ? number : ranges[r].last;
        struct oase_localtime local;
        clock_local(entry->arrival.arrived_ms + step_ms, &local);
        if (strcmp(local.date, entry->day) != 0 &&
            store_mirror_find(mirror, local.date, number) >= 0) {
            continue; /* its number is taken on the new day: it keeps its date */
        }
        if (strcmp(local.date, floor_day) < 0) {
            continue; /* a step back into a day already folded: it keeps its date */
        }
        snprintf(entry->day, sizeof entry->day, "%s", local.date);
        entry->arrival.arrived_ms += step_ms;
        if (entry->arrival.collected_ms > 0) {
            entry->arrival.collected_ms += step_ms;
        }
        store_mirror_note_name(mirror, local.date, number);
        (*moved)++;
    }
    /* Keep arrival order (insertion sort: the list is short and almost sorted). */
    for (int i = 1; i < mirror->arrival_count; i++) {
        struct store_mirror_arrival entry = mirror->arrivals[i];
        int at = i;
        while (at > 0 && mirror->arrivals[at - 1].arrival.arrived_ms > entry.arrival.arrived_ms) {
            mirror->arrivals[at] = mirror->arrivals[at - 1];
            at--;
        }
        mirror->arrivals[at] = entry;
    }
    return range_count;
}
