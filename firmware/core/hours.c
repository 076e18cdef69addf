/* SPDX-License-Identifier: EUPL-1.2 */
/* hours: see hours.h. Flow: config [hours] -> hours -> journey (closed screen). */
#include "core/hours.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MINUTES_PER_DAY 1440

static const char *const weekday_keys[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};

void hours_defaults(struct hours *hours)
{
    memset(hours, 0, sizeof *hours);
    for (int day = 0; day < 7; day++) {
        hours->close_minute[day] = MINUTES_PER_DAY;
    }
}

/* "HH:MM" as minutes after midnight, 00:00..24:00; -1 when it is not one. */
static int parse_time(const char *text, size_t length)
{
    if (length != 5 || text[2] != ':') {
        return -1;
    }
    for (size_t i = 0; i < 5; i++) {
        if (i != 2 && (text[i] < '0' || text[i] > '9')) {
            return -1;
        }
    }
    int hour = (text[0] - '0') * 10 + (text[1] - '0');
    int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) {
        return -1;
    }
    return hour * 60 + minute;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_from_civil(int year, int month, int day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long yoe = year - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *year, int *month, int *day)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* Whether text of length 10 is a real date "YYYY-MM-DD". */
static bool is_date(const char *text, size_t length)
{
    if (length != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    int year = 0, month = 0, day = 0;
    for (size_t i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            continue;
        }
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        int digit = text[i] - '0';
        if (i < 4) {
            year = year * 10 + digit;
        } else if (i < 7) {
            month = month * 10 + digit;
        } else {
            day = day * 10 + digit;
        }
    }
    if (month < 1 || month > 12 || day < 1 || year < 1970) {
        return false;
    }
    int y, m, d;
    civil_from_days(days_from_civil(year, month, day), &y, &m, &d);
    return y == year && m == month && d == day; /* 2026-02-30 comes back as March */
}

static int set_weekday(struct hours *hours, int day, const char *value, char *why, size_t why_size)
{
    if (strcasecmp(value, "closed") == 0) {
        hours->open_minute[day] = 0;
        hours->close_minute[day] = 0;
        return 0;
    }
    const char *dash = strchr(value, '-');
    int open = dash ? parse_time(value, (size_t)(dash - value)) : -1;
    int close = dash ? parse_time(dash + 1, strlen(dash + 1)) : -1;
    if (open < 0 || close < 0 || close <= open) {
        snprintf(why, why_size,
                 "accepted: opening and closing time HH:MM-HH:MM, the closing time later "
                 "(e.g. 08:30-17:00, up to 24:00), or closed");
        return -EINVAL;
    }
    hours->open_minute[day] = open;
    hours->close_minute[day] = close;
    return 0;
}

static int set_closed_dates(struct hours *hours, const char *value, char *why, size_t why_size)
{
    char dates[HOURS_MAX_CLOSED_DATES][11];
    int count = 0;
    const char *p = value;
    while (*p) {
        p += strspn(p, " ,\t");
        size_t length = strcspn(p, " ,\t");
        if (length == 0) {
            break;
        }
        if (!is_date(p, length) || count >= HOURS_MAX_CLOSED_DATES) {
            snprintf(why, why_size,
                     "accepted: up to %d dates YYYY-MM-DD that exist, separated by spaces or "
                     "commas (e.g. "
                     "2026-12-25 2026-12-26)",
                     HOURS_MAX_CLOSED_DATES);
            return -EINVAL;
        }
        memcpy(dates[count], p, 10);
        dates[count][10] = '\0';
        count++;
        p += length;
    }
    memcpy(hours->closed_dates, dates, sizeof dates);
    hours->closed_date_count = count;
    return 0;
}

static int set_phone(struct hours *hours, const char *value, char *why, size_t why_size)
{
    size_t length = strlen(value);
    if (length == 0 || length >= sizeof hours->phone ||
        strspn(value, "0123456789 +-()") != length || strpbrk(value, "0123456789") == NULL) {
        snprintf(why, why_size,
                 "accepted: a phone number of digits, spaces, + - ( ), at most %zu bytes",
                 sizeof hours->phone - 1);
        return -EINVAL;
    }
    memcpy(hours->phone, value, length + 1);
    return 0;
}

int hours_config_set(struct hours *hours, const char *key, const char *value, char *why,
                     size_t why_size)
{
    for (int day = 0; day < 7; day++) {
        if (strcmp(key, weekday_keys[day]) == 0) {
            return set_weekday(hours, day, value, why, why_size);
        }
    }
    if (strcmp(key, "closed_dates") == 0) {
        return set_closed_dates(hours, value, why, why_size);
    }
    if (strcmp(key, "phone") == 0) {
        return set_phone(hours, value, why, why_size);
    }
    snprintf(why, why_size, "unknown key (monday .. sunday, closed_dates, phone)");
    return -ENOENT;
}

static bool closed_date(const struct hours *hours, const char *date)
{
    for (int i = 0; i < hours->closed_date_count; i++) {
        if (strcmp(hours->closed_dates[i], date) == 0) {
            return true;
        }
    }
    return false;
}

bool hours_is_open(const struct hours *hours, const struct oase_localtime *now)
{
    int day = now->weekday;
    return !closed_date(hours, now->date) && now->minute_of_day >= hours->open_minute[day] &&
           now->minute_of_day < hours->close_minute[day];
}

int hours_next_open(const struct hours *hours, const struct oase_localtime *now,
                    struct hours_opening *next)
{
    long today = days_from_civil(now->year, now->month, now->day);
    for (int ahead = 0; ahead <= 366; ahead++) {
        int weekday = (now->weekday + ahead) % 7;
        int open = hours->open_minute[weekday];
        if (open >= hours->close_minute[weekday] || (ahead == 0 && open <= now->minute_of_day)) {
            continue;
        }
        int y, m, d;
        civil_from_days(today + ahead, &y, &m, &d);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        if (closed_date(hours, date)) {
            continue;
        }
        *next = (struct hours_opening){.days_ahead = ahead, .weekday = weekday, .minute = open};
        return 0;
    }
    return -ENOENT;
}
