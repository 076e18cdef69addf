/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * why: the reason a function gives its caller for a failure, written into the caller's
 * bounded buffer ("why", "why_size"), the way config, audio, lights and notify report what
 * went wrong. Owns only the formatting: never logs, never allocates, keeps no state.
 */
#ifndef OASE_WHY_H
#define OASE_WHY_H

#include <stddef.h>

/*
 * Writes the printf-style reason into why (at most why_size bytes, always terminated): a
 * reason too long for why is cut. Does nothing when why is NULL or why_size is 0; leaves
 * why empty when the reason cannot be formatted.
 */
void why_set(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
