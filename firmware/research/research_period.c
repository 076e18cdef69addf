/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_period: see research_period.h. Day numbers use the days-from-civil algorithm of
 * Howard Hinnant ("chrono-Compatible Low-Level Date Algorithms"), exact for every date of
 * the proleptic Gregorian calendar.
 */
#include "research/research_period.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

static int32_t research_days_from_civil(int year, int month, int day)
{
    year -= month <= 2;
    int era = (year >= 0 ? year : year - 399) / 400;
    int year_of_era = year - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static void research_civil_from_days(int32_t days, int *year, int *month, int *day)
{
    days += 719468;
    int era = (days >= 0 ? days : days - 146096) / 146097;
    int day_of_era = days - era * 146097;
    int year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int month_index = (5 * day_of_year + 2) / 153;
    *day = day_of_year - (153 * month_index + 2) / 5 + 1;
    *month = month_index < 10 ? month_index + 3 : month_index - 9;
    *year = year_of_era + era * 400 + (*month <= 2);
}

static bool research_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int research_day_parse(const char *text, int32_t *day)
{
    if (text == NULL) {
        return -EINVAL;
    }
    for (int i = 0; i < 10; i++) {
        bool want_dash = i == 4 || i == 7;
        if (want_dash ? text[i] != '-' : !research_is_digit(text[i])) {
            return -EINVAL;
        }
    }
    if (text[10] != '\0') {
        return -EINVAL;
    }
    int year =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    int month = (text[5] - '0') * 10 + (text[6] - '0');
    int month_day = (text[8] - '0') * 10 + (text[9] - '0');
    if (year < 1970 || month < 1 || month > 12 || month_day < 1) {
        return -EINVAL;
    }
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = month_days[month - 1] + (month == 2 && leap ? 1 : 0);
    if (month_day > last) {
        return -EINVAL;
    }
    *day = research_days_from_civil(year, month, month_day);
    return 0;
}

void research_day_format(int32_t day, char out[RESEARCH_DATE_SIZE])
{
    int year = 0, month = 0, month_day = 0;
    research_civil_from_days(day < 0 ? 0 : day, &year, &month, &month_day);
    /* years 1970..9999 fit the 10 characters; the cast keeps -Wformat-truncation quiet */
    snprintf(out, RESEARCH_DATE_SIZE, "%04u-%02u-%02u", (unsigned)year % 10000u,
             (unsigned)month % 100u, (unsigned)month_day % 100u);
}

int research_day_weekday(int32_t day)
{
    int weekday = (int)((day + 3) % 7); /* 1970-01-01 was a Thursday */
    return weekday < 0 ? weekday + 7 : weekday;
}

int32_t research_week_monday(int32_t day)
{
    return day - research_day_weekday(day);
}

void research_week_label(int32_t day, char out[RESEARCH_WEEK_SIZE])
{
    /* ISO 8601: a week belongs to the year of its Thursday. */
    int32_t thursday = research_week_monday(day) + 3;
    int year = 0, month = 0, month_day = 0;
    research_civil_from_days(thursday, &year, &month, &month_day);
    int week = (thursday - research_days_from_civil(year, 1, 1)) / 7 + 1;
    snprintf(out, RESEARCH_WEEK_SIZE, "%04u-W%02u", (unsigned)year % 10000u, (unsigned)week % 100u);
}

enum research_part_of_day research_part_of_hour(int hour)
{
    if (hour < 6) {
        return RESEARCH_NIGHT;
    }
    if (hour < 12) {
        return RESEARCH_MORNING;
    }
    if (hour < 18) {
        return RESEARCH_AFTERNOON;
    }
    return RESEARCH_EVENING;
}

const char *research_part_name(enum research_part_of_day part)
{
    switch (part) {
    case RESEARCH_NIGHT:
        return "night";
    case RESEARCH_MORNING:
        return "morning";
    case RESEARCH_AFTERNOON:
        return "afternoon";
    case RESEARCH_EVENING:
        return "evening";
    }
    return "night";
}
