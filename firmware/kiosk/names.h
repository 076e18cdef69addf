/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * names: today's friendly names ("Vlinder 12") instead of cold ticket numbers. A name is
 * a nature word plus the day's number; the number is unique for the day, so the name is.
 * The canonical name is Dutch (the host calls it out); the visitor's language shows the
 * word's translation beside it.
 */
#ifndef OASE_NAMES_H
#define OASE_NAMES_H

#include <stddef.h>

struct lang;

/* The nature word id for a day number (1, 2, ...): "butterfly", "heron", ... */
const char *names_word_id(int number);

/*
 * Writes "<word in lang> <number>" into out, e.g. "Vlinder 12" for nl. Falls back to the
 * nl word, then to the id. Returns 0, or -ENOSPC when out is too small (truncated).
 */
int names_format(int number, const struct lang *lang, char *out, size_t size);

#endif
