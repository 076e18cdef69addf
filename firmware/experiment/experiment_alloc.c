/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * experiment_alloc: see experiment_alloc.h. Config -> here (the kiosk's plan at start) and
 * export -> report -> here (the permutation distribution).
 */
#include "experiment/experiment_alloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

uint64_t experiment_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform integer 0..bound-1 (bound <= EXPERIMENT_CONDITIONS_MAX) without modulo bias. */
static int alloc_below(uint64_t *state, int bound)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % (uint64_t)bound;
    uint64_t value;
    do {
        value = experiment_splitmix64(state);
    } while (value >= limit);
    return (int)(value % (uint64_t)bound);
}

/* The next block's permutation of 0..count-1 (Fisher-Yates). */
static void alloc_permutation(uint64_t *state, int count, int *perm)
{
    for (int i = 0; i < count; i++) {
        perm[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
        int j = alloc_below(state, i + 1);
        int swap = perm[i];
        perm[i] = perm[j];
        perm[j] = swap;
    }
}

/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
static int32_t alloc_days_from_civil(int year, int month, int day)
{
    year -= month <= 2;
    int era = (year >= 0 ? year : year - 399) / 400;
    int year_of_era = year - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int experiment_day_parse(const char *text, int32_t *day)
{
    int year = 0, month = 0, mday = 0, used = 0;
    if (text == NULL || strlen(text) != 10 ||
        sscanf(text, "%4d-%2d-%2d%n", &year, &month, &mday, &used) != 3 || used != 10 ||
        text[4] != '-' || text[7] != '-' || year < 1970 || year > 9999 || month < 1 || month > 12 ||
        mday < 1) {
        return -EINVAL;
    }
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mday > month_days[month - 1] + (month == 2 && leap)) {
        return -EINVAL;
    }
    *day = alloc_days_from_civil(year, month, mday);
    return 0;
}

void experiment_day_format(int32_t day, char out[11])
{
    int32_t z = day + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t day_of_era = z - era * 146097;
    int32_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int32_t mp = (5 * day_of_year + 2) / 153;
    int mday = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    int year = (int)(year_of_era + era * 400 + (month <= 2));
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
             (unsigned)mday % 100u);
}

int experiment_weekday(int32_t day)
{
    int weekday = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday (3) */
    return weekday < 0 ? weekday + 7 : weekday;
}

static bool alloc_day_open(const struct hours *hours, int32_t day)
{
    if (hours == NULL) {
        return true;
    }
    int weekday = experiment_weekday(day);
    if (hours->open_minute[weekday] >= hours->close_minute[weekday]) {
        return false;
    }
    char date[11];
    experiment_day_format(day, date);
    for (int i = 0; i < hours->closed_date_count; i++) {
        if (strcmp(hours->closed_dates[i], date) == 0) {
            return false;
        }
    }
    return true;
}

int experiment_open_days(const struct hours *hours, int32_t first_day, int32_t last_day,
                         int32_t *days, size_t max)
{
    if (last_day < first_day || (int64_t)last_day - first_day + 1 > (int64_t)max) {
        return -EINVAL;
    }
    int count = 0;
    for (int32_t day = first_day; day <= last_day; day++) {
        if (alloc_day_open(hours, day)) {
            days[count++] = day;
        }
    }
    return count;
}

int experiment_alloc_redraw(uint64_t seed, int condition_count, const int *block, const int *slot,
                            size_t count, int *condition)
{
    if (condition_count < 2 || condition_count > EXPERIMENT_CONDITIONS_MAX) {
        return -EINVAL;
    }
    int blocks = 0;
    for (size_t i = 0; i < count; i++) {
        if (block[i] < 0 || block[i] >= EXPERIMENT_DAYS_MAX || slot[i] < 0 ||
            slot[i] >= condition_count) {
            return -EINVAL;
        }
        blocks = block[i] + 1 > blocks ? block[i] + 1 : blocks;
    }
    int perms[EXPERIMENT_DAYS_MAX][EXPERIMENT_CONDITIONS_MAX];
    uint64_t state = seed;
    for (int b = 0; b < blocks; b++) {
        alloc_permutation(&state, condition_count, perms[b]);
    }
    for (size_t i = 0; i < count; i++) {
        condition[i] = perms[block[i]][slot[i]];
    }
    return 0;
}

int experiment_alloc_plan(uint64_t seed, int condition_count, const int32_t *days, size_t count,
                          struct experiment_day *out)
{
    if (condition_count < 2 || condition_count > EXPERIMENT_CONDITIONS_MAX ||
        count > EXPERIMENT_DAYS_MAX) {
        return -EINVAL;
    }
    uint64_t state = seed;
    int perm[EXPERIMENT_CONDITIONS_MAX];
    for (size_t i = 0; i < count; i++) {
        int slot = (int)(i % (size_t)condition_count);
        if (slot == 0) {
            alloc_permutation(&state, condition_count, perm);
        }
        out[i].day = days[i];
        out[i].block = (int)(i / (size_t)condition_count);
        out[i].slot = slot;
        out[i].condition = perm[slot];
    }
    return 0;
}
