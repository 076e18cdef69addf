/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * ini_value: the values every section of oase.conf shares, parsed one way: whole numbers and
 * decimals in a range, and on/off words. A value is the whole text: a sign may lead it, no
 * blank may, nothing may follow it. Pure parsing: no file, no message (the caller names the key,
 * the line and what is accepted).
 */
#ifndef OASE_INI_VALUE_H
#define OASE_INI_VALUE_H

#include <stdbool.h>

/* A whole decimal number in min..max ("-3", "600", "+600"). False (out unchanged) otherwise. */
bool ini_value_int(const char *text, long min, long max, int *out);

/* A finite decimal number in min..max ("0.5", "-6", "1e3"). False (out unchanged) otherwise. */
bool ini_value_double(const char *text, double min, double max, double *out);

/* on/off, true/false, yes/no, 1/0 in any case. False (out unchanged) for anything else. */
bool ini_value_bool(const char *text, bool *out);

#endif
