/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lang: the kiosk's texts in every configured language, loaded from
 * <assets>/lang/<code>.lang (UTF-8 "key = value" lines, read with libinih).
 * A key missing in a language falls back to nl and is reported at load; a text is never
 * shown as its raw key. Loaded once at start; read-only afterwards (any thread).
 */
#ifndef OASE_LANG_H
#define OASE_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "i18n/lang_keys.h"

#define LANG_FALLBACK "nl"
#define LANG_MAX 12
#define LANG_TEXT_MAX 199 /* bytes per line libinih accepts (its INI_MAX_LINE is 200) */

struct lang;     /* one language */
struct lang_set; /* all loaded languages */

typedef void (*lang_report_fn)(void *ctx, const char *message);

/*
 * Loads nl (always; it is the fallback) and each of codes[0..count-1] from dir/<code>.lang.
 * Problems ("ar.lang:12: ...": unreadable file, line too long, unknown key, missing key,
 * bad placeholder, duplicate key) go through report (may be NULL) and are counted in
 * *problems. A language whose file cannot be read is left out (nl texts are not shown
 * under its name). Returns NULL only when nl itself cannot be loaded, with a reason
 * in err.
 */
struct lang_set *lang_open(const char *dir, const char *const codes[], int count,
                           lang_report_fn report, void *ctx, int *problems, char *err,
                           size_t err_size);

void lang_close(struct lang_set *set);

/* The language with this code, or NULL if it was not loaded. */
const struct lang *lang_get(const struct lang_set *set, const char *code);

/* Loaded languages in the order given to lang_open (nl first if it was not listed). */
int lang_count(const struct lang_set *set);
const struct lang *lang_at(const struct lang_set *set, int index);

/* The text for key: this language's, else nl's, else "" (never NULL, never the key). */
const char *lang_text(const struct lang *lang, enum lang_key key);

/*
 * A dynamic key such as "service.schuldhulp" or "nature.butterfly": this language's
 * text, else nl's, else NULL (the caller has its own fallback, e.g. the config label).
 */
const char *lang_lookup(const struct lang *lang, const char *key);

/*
 * The text read aloud for key: this language's "<key>.speech" when its file has one (e.g.
 * Arabic with vowel marks), else lang_text(). Never NULL. A ".speech" text never falls
 * back to another language's.
 */
const char *lang_speech(const struct lang *lang, enum lang_key key);

/* The same for a dynamic key ("service.schuldhulp"): "<key>.speech", else lang_lookup(). */
const char *lang_speech_lookup(const struct lang *lang, const char *key);

const char *lang_code(const struct lang *lang);
bool lang_is_rtl(const struct lang *lang); /* "lang.direction = rtl" */

/*
 * Copies text into out replacing {min} and {max} with the numbers. Returns 0, or
 * -ENOSPC when out is too small (out then holds a truncated, terminated string).
 */
int lang_format_range(const char *text, int min, int max, char *out, size_t size);

#endif
