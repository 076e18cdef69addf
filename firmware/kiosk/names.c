/* SPDX-License-Identifier: EUPL-1.2 */
/* names: see names.h. Words cycle in a fixed order so consecutive visitors differ. */
#include "kiosk/names.h"

#include <errno.h>
#include <stdio.h>

#include "i18n/lang.h"
#include "i18n/nature_words.h"

const char *names_word_id(int number)
{
    if (number < 1) {
        number = 1;
    }
    return NATURE_WORDS[(number - 1) % NATURE_WORD_COUNT];
}

int names_format(int number, const struct lang *lang, char *out, size_t size)
{
    const char *id = names_word_id(number);
    char key[48];
    snprintf(key, sizeof key, "nature.%s", id);
    const char *word = lang ? lang_lookup(lang, key) : NULL;
    int n = snprintf(out, size, "%s %d", word ? word : id, number);
    return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}
