/* SPDX-License-Identifier: EUPL-1.2 */
/* ini_value: see ini_value.h. */
#include "core/ini_value.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

/* strtol and strtod skip leading blanks: a value here starts with a sign or a digit (or '.'
 * for a decimal). */
static bool ini_value_starts_well(const char *text, bool decimal)
{
    char c = text[0];
    return c == '-' || c == '+' || (c >= '0' && c <= '9') || (decimal && c == '.');
}

bool ini_value_int(const char *text, long min, long max, int *out)
{
    if (!ini_value_starts_well(text, false)) {
        return false;
    }
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        return false;
    }
    *out = (int)value;
    return true;
}

bool ini_value_double(const char *text, double min, double max, double *out)
{
    if (!ini_value_starts_well(text, true)) {
        return false;
    }
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(value) || value < min ||
        value > max) {
        return false;
    }
    *out = value;
    return true;
}

bool ini_value_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"on", "true", "yes", "1"};
    static const char *const no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}
