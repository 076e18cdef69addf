/* SPDX-License-Identifier: EUPL-1.2 */
/* week: see week.h. */
#include "core/week.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *const week_day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int day_index(const char *text, size_t len)
{
    for (int d = 0; d < 7; d++) {
        if (len == 3 && strncasecmp(text, week_day_names[d], 3) == 0) {
            return d;
        }
    }
    return -1;
}

/* "*", "mon", "mon-fri", "sat,sun", "fri-mon" (wraps), "mon-wed,fri". */
bool week_parse_days(const char *text, unsigned *out)
{
    if (strcmp(text, "*") == 0) {
        *out = WEEK_ALL_DAYS;
        return true;
    }
    unsigned days = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ') {
            p++;
        }
        const char *item = p;
        while (*p != '\0' && *p != ',') {
            p++;
        }
        const char *item_end = p;
        while (item_end > item && item_end[-1] == ' ') {
            item_end--;
        }
        const char *dash = memchr(item, '-', (size_t)(item_end - item));
        int first, last;
        if (dash == NULL) {
            first = last = day_index(item, (size_t)(item_end - item));
        } else {
            first = day_index(item, (size_t)(dash - item));
            last = day_index(dash + 1, (size_t)(item_end - dash - 1));
        }
        if (first < 0 || last < 0) {
            return false;
        }
        for (int d = first;; d = (d + 1) % 7) {
            days |= 1u << d;
            if (d == last) {
                break;
            }
        }
        if (*p == '\0') {
            break;
        }
        p++; /* past ',' */
    }
    *out = days;
    return true;
}

/* "8:00" or "08:00" -> minute of the day; *end points past the time. */
bool week_parse_time(const char *text, int *minute_of_day, const char **end)
{
    const char *p = text;
    int hour = 0, digits = 0;
    while (isdigit((unsigned char)*p) && digits < 2) {
        hour = hour * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || *p != ':') {
        return false;
    }
    p++;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) {
        return false;
    }
    int minute = (p[0] - '0') * 10 + (p[1] - '0');
    p += 2;
    if (hour > 23 || minute > 59) {
        return false;
    }
    *minute_of_day = hour * 60 + minute;
    *end = p;
    return true;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

int week_next_entry(const char **text, int *minute_of_day, const char **word, size_t *word_len)
{
    const char *p = skip_blanks(*text);
    if (*p == '\0') {
        return 0;
    }
    int minute;
    if (!week_parse_time(p, &minute, &p) || (*p != ' ' && *p != '\t')) {
        return -1;
    }
    const char *start = skip_blanks(p);
    const char *end = start;
    while (*end != '\0' && *end != ',') {
        end++;
    }
    p = end;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    if (end == start) {
        return -1;
    }
    if (*p == ',') {
        p = skip_blanks(p + 1);
        if (*p == '\0') {
            return -1; /* "08:00 calm," : an entry is missing after the comma */
        }
    }
    *minute_of_day = minute;
    *word = start;
    *word_len = (size_t)(end - start);
    *text = p;
    return 1;
}
