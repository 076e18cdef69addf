/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * why: see why.h.
 */
#include "core/why.h"

#include <stdarg.h>
#include <stdio.h>

void why_set(char *why, size_t why_size, const char *fmt, ...)
{
    if (why == NULL || why_size == 0) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(why, why_size, fmt, args);
    va_end(args);
    if (n < 0) {
        why[0] = '\0';
    }
}
