/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lang: loads assets/lang/<code>.lang once at start (called from main before the first
 * screen) and answers text look-ups from the screens afterwards, read-only.
 *
 * Each file is read whole (at most LANG_FILE_MAX_BYTES), checked line by line here (length,
 * UTF-8, shape, semicolons) and handed to libinih one clean line at a time, so the parser
 * never sees a line it would cut, continue or misread. Keys and texts are copied into one
 * allocation per language; nothing is allocated after lang_open returns.
 */
#include "i18n/lang.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/utf8.h"

#define LANG_FILE_MAX_BYTES (64 * 1024) /* a .lang file is a few KiB; more is a mistake */
#define LANG_CODE_MAX 16                /* "nl", "pt-br": bytes with the terminator */
#define LANG_PATH_MAX 4096
#define LANG_MESSAGE_MAX 2048
#define LANG_QUOTE_MAX 40 /* bytes of file text quoted in a message */

static const char *const lang_key_names[LANG_KEY_COUNT] = {
#define LANG_KEY_NAME(id, key) [K_##id] = key,
    LANG_KEYS(LANG_KEY_NAME)
#undef LANG_KEY_NAME
};

struct lang_entry {
    const char *key;   /* in the language's pool */
    const char *value; /* in the language's pool, never empty */
    int line;          /* where it was read, for duplicate messages */
};

struct lang {
    char code[LANG_CODE_MAX];         /* "ar" */
    bool rtl;                         /* lang.direction = rtl */
    const struct lang *fallback;      /* nl, or NULL for nl itself */
    const char *text[LANG_KEY_COUNT]; /* static keys; NULL when this file lacks the text */
    struct lang_entry *entries;       /* every other key, sorted by key after loading */
    int entry_count;
    int entry_capacity;
    char *pool; /* keys and texts, NUL-terminated, one after the other */
    size_t pool_used;
    size_t pool_size;
    /* the entries, then the pool, follow in the same allocation */
};

struct lang_set {
    int count;
    struct lang *langs[LANG_MAX]; /* in the caller's order; nl among them */
    struct lang *nl;              /* the fallback, also in langs[] */
};

struct lang_reporter {
    lang_report_fn fn;
    void *ctx;
    int count; /* messages sent (or that would have been sent) */
};

/* State while one file is parsed: the reader and the handler share it. */
struct lang_parse {
    const char *path; /* as shown in messages */
    const char *text; /* the whole file */
    size_t size;
    size_t pos;
    int line; /* number of the line last given to libinih */
    struct lang *lang;
    struct lang_reporter *reporter;
    int static_line[LANG_KEY_COUNT]; /* where each static key was set, 0 = not yet */
    int direction_line;
};

__attribute__((format(printf, 4, 5))) static void
lang_report(struct lang_reporter *reporter, const char *path, int line, const char *fmt, ...)
{
    char message[LANG_MESSAGE_MAX];
    int used;
    if (line > 0)
        used = snprintf(message, sizeof message, "%s:%d: ", path, line);
    else
        used = snprintf(message, sizeof message, "%s: ", path);
    if (used < 0)
        used = 0;
    if ((size_t)used < sizeof message) {
        va_list args;
        va_start(args, fmt);
        /* Too long is fine: vsnprintf always terminates, the start says what matters. */
        (void)vsnprintf(message + used, sizeof message - (size_t)used, fmt, args);
        va_end(args);
    }
    reporter->count++;
    if (reporter->fn != NULL)
        reporter->fn(reporter->ctx, message);
}

static int lang_static_index(const char *key)
{
    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (strcmp(lang_key_names[i], key) == 0)
            return i;
    }
    return -1;
}

static bool lang_starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* "done.title.speech": the text read aloud instead of a shown one (e.g. Arabic with its
 * vowel marks). Only for keys that exist. */
static bool lang_is_speech_key(const char *name)
{
    static const char suffix[] = ".speech";
    size_t len = strlen(name), tail = sizeof suffix - 1;
    if (len <= tail || strcmp(name + len - tail, suffix) != 0) {
        return false;
    }
    char base[64];
    if (len - tail >= sizeof base) {
        return false;
    }
    memcpy(base, name, len - tail);
    base[len - tail] = '\0';
    return lang_static_index(base) >= 0 || lang_starts_with(base, "service.") ||
           lang_starts_with(base, "nature.");
}

/* True when text[0..len) is well-formed UTF-8 without NUL bytes or overlong forms. */
static bool lang_is_utf8(const unsigned char *text, size_t len)
{
    return utf8_valid((const char *)text, len);
}

/*
 * libinih's reader: hands over the next line of the file, stripped of its line end and
 * leading blanks (so libinih never takes it for a continuation line). A line that libinih
 * would cut or misread is reported and handed over as an empty line.
 */
static char *lang_read_line(char *str, int num, void *stream)
{
    struct lang_parse *parse = stream;
    if (parse->pos >= parse->size || num < 1)
        return NULL;

    const char *start = parse->text + parse->pos;
    size_t left = parse->size - parse->pos;
    const char *newline = memchr(start, '\n', left);
    size_t len = newline != NULL ? (size_t)(newline - start) : left;
    parse->pos += len + (newline != NULL ? 1 : 0);
    parse->line++;
    str[0] = '\0';

    if (len > 0 && start[len - 1] == '\r')
        len--;
    if (parse->line == 1 && len >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
        start += 3;
        len -= 3;
    }

    size_t limit = LANG_TEXT_MAX;
    if ((size_t)num - 1 < limit)
        limit = (size_t)num - 1;
    if (len > limit) {
        lang_report(parse->reporter, parse->path, parse->line,
                    "line is %zu bytes long: at most %zu fit (libinih cuts longer lines), "
                    "shorten the text or split it over two keys",
                    len, limit);
        return str;
    }
    if (!lang_is_utf8((const unsigned char *)start, len)) {
        lang_report(parse->reporter, parse->path, parse->line,
                    "not valid UTF-8: save the file as UTF-8, the line is ignored");
        return str;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)start[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            /* a terminal escape or a stray control byte: never shown, never quoted */
            lang_report(parse->reporter, parse->path, parse->line,
                        "control character 0x%02x at byte %zu: texts are plain UTF-8 text, the "
                        "line is ignored",
                        c, i + 1);
            return str;
        }
    }
    while (len > 0 && (*start == ' ' || *start == '\t')) {
        start++;
        len--;
    }
    if (len == 0 || *start == '#' || *start == ';')
        return str;
    if (*start == '[') {
        lang_report(parse->reporter, parse->path, parse->line,
                    "\"%.*s\": .lang files have no [sections], the line is ignored",
                    (int)(len < LANG_QUOTE_MAX ? len : LANG_QUOTE_MAX), start);
        return str;
    }
    size_t key_end = 0;
    while (key_end < len && start[key_end] != '=' && start[key_end] != ':')
        key_end++;
    if (key_end == len || start[key_end] != '=') {
        lang_report(parse->reporter, parse->path, parse->line,
                    "\"%.*s\": expected \"key = text\", the line is ignored",
                    (int)(len < LANG_QUOTE_MAX ? len : LANG_QUOTE_MAX), start);
        return str;
    }
    if (memchr(start, ';', len) != NULL) {
        lang_report(parse->reporter, parse->path, parse->line,
                    "';' in a text: libinih cuts the text at \" ;\", use ',' or '.' instead");
    }
    memcpy(str, start, len);
    str[len] = '\0';
    return str;
}

/* Copies text into the language's pool. Returns the copy, or NULL when it does not fit. */
static const char *lang_pool_copy(struct lang *lang, const char *text)
{
    size_t len = strlen(text);
    if (len >= lang->pool_size - lang->pool_used)
        return NULL;
    char *copy = lang->pool + lang->pool_used;
    memcpy(copy, text, len + 1);
    lang->pool_used += len + 1;
    return copy;
}

/* Reports every placeholder in value that key may not hold. */
static void lang_check_placeholders(struct lang_parse *parse, const char *key, const char *value)
{
    bool is_range = strcmp(key, lang_key_names[K_DONE_WAIT_RANGE]) == 0 ||
                    strncmp(key, "plural.wait_range", 17) == 0;
    bool has_min = false;
    bool has_max = false;

    for (const char *open = strchr(value, '{'); open != NULL; open = strchr(open + 1, '{')) {
        const char *close = strchr(open, '}');
        if (close == NULL) {
            lang_report(parse->reporter, parse->path, parse->line,
                        "%s: '{' without '}': only {min} and {max} exist, in %s", key,
                        lang_key_names[K_DONE_WAIT_RANGE]);
            break;
        }
        size_t len = (size_t)(close - open) + 1;
        bool is_min = len == 5 && memcmp(open, "{min}", 5) == 0;
        bool is_max = len == 5 && memcmp(open, "{max}", 5) == 0;
        if ((is_min || is_max) && is_range) {
            has_min = has_min || is_min;
            has_max = has_max || is_max;
        } else if (is_min || is_max) {
            lang_report(parse->reporter, parse->path, parse->line,
                        "%s holds %.5s: only %s may hold {min} and {max}", key, open,
                        lang_key_names[K_DONE_WAIT_RANGE]);
        } else {
            lang_report(parse->reporter, parse->path, parse->line,
                        "%s holds the unknown placeholder %.*s: only {min} and {max} exist, "
                        "in %s",
                        key, (int)(len < LANG_QUOTE_MAX ? len : LANG_QUOTE_MAX), open,
                        lang_key_names[K_DONE_WAIT_RANGE]);
        }
        open = close;
    }
    if (is_range && (!has_min || !has_max)) {
        lang_report(parse->reporter, parse->path, parse->line,
                    "%s must hold both {min} and {max}, e.g. \"Meestal duurt het {min} tot "
                    "{max} minuten.\"",
                    key);
    }
}

/* libinih's handler: one "key = text" line. Always returns 1 (keep parsing). */
static int lang_handle_pair(void *user, const char *section, const char *name, const char *value)
{
    struct lang_parse *parse = user;
    struct lang *lang = parse->lang;
    (void)section; /* always "": the reader drops [section] lines */

    if (name[0] == '\0') {
        lang_report(parse->reporter, parse->path, parse->line,
                    "no key before '=': expected \"key = text\", the line is ignored");
        return 1;
    }
    if (value[0] == '\0') {
        lang_report(parse->reporter, parse->path, parse->line,
                    "%s has no text: the line is ignored, the Dutch text is shown", name);
        return 1;
    }

    int index = lang_static_index(name);
    if (index >= 0) {
        if (parse->static_line[index] != 0) {
            lang_report(parse->reporter, parse->path, parse->line,
                        "duplicate key %s (first at line %d): this line is ignored", name,
                        parse->static_line[index]);
            return 1;
        }
        lang_check_placeholders(parse, name, value);
        const char *copy = lang_pool_copy(lang, value);
        if (copy == NULL) {
            lang_report(parse->reporter, parse->path, parse->line,
                        "no room left for %s: the line is ignored", name);
            return 1;
        }
        parse->static_line[index] = parse->line;
        lang->text[index] = copy;
        return 1;
    }

    if (strcmp(name, "lang.direction") == 0 && parse->direction_line == 0) {
        parse->direction_line = parse->line;
        if (strcmp(value, "rtl") == 0) {
            lang->rtl = true;
        } else if (strcmp(value, "ltr") != 0) {
            lang_report(parse->reporter, parse->path, parse->line,
                        "lang.direction = \"%.*s\": must be ltr or rtl, ltr is used",
                        LANG_QUOTE_MAX, value);
        }
    } else if (!lang_starts_with(name, "service.") && !lang_starts_with(name, "nature.") &&
               !lang_starts_with(name, "lang.") && !lang_starts_with(name, "plural.") &&
               !lang_is_speech_key(name)) {
        lang_report(parse->reporter, parse->path, parse->line,
                    "unknown key %.*s: not a kiosk text (see firmware/i18n/lang_keys.h), "
                    "other keys start with service., nature., plural. or lang., or add .speech "
                    "to a text's key",
                    LANG_QUOTE_MAX, name);
    }
    lang_check_placeholders(parse, name, value);

    if (lang->entry_count == lang->entry_capacity)
        goto out_no_room;
    const char *key_copy = lang_pool_copy(lang, name);
    if (key_copy == NULL)
        goto out_no_room;
    const char *value_copy = lang_pool_copy(lang, value);
    if (value_copy == NULL)
        goto out_no_room;
    lang->entries[lang->entry_count++] =
        (struct lang_entry){.key = key_copy, .value = value_copy, .line = parse->line};
    return 1;

out_no_room:
    lang_report(parse->reporter, parse->path, parse->line,
                "no room left for %.*s: the line is ignored", LANG_QUOTE_MAX, name);
    return 1;
}

static int lang_entry_order(const void *a, const void *b)
{
    const struct lang_entry *left = a;
    const struct lang_entry *right = b;
    int by_key = strcmp(left->key, right->key);
    if (by_key != 0)
        return by_key;
    return (left->line > right->line) - (left->line < right->line);
}

static int lang_entry_match(const void *key, const void *member)
{
    const struct lang_entry *entry = member;
    return strcmp(key, entry->key);
}

/* Sorts the entries by key and drops (and reports) every later copy of a key. */
static void lang_sort_entries(struct lang_parse *parse)
{
    struct lang *lang = parse->lang;
    if (lang->entry_count == 0)
        return;
    qsort(lang->entries, (size_t)lang->entry_count, sizeof lang->entries[0], lang_entry_order);
    int kept = 1;
    for (int i = 1; i < lang->entry_count; i++) {
        const struct lang_entry *first = &lang->entries[kept - 1];
        if (strcmp(first->key, lang->entries[i].key) == 0) {
            lang_report(parse->reporter, parse->path, lang->entries[i].line,
                        "duplicate key %s (first at line %d): this line is ignored",
                        lang->entries[i].key, first->line);
            continue;
        }
        lang->entries[kept++] = lang->entries[i];
    }
    lang->entry_count = kept;
}

static const struct lang_entry *lang_find_entry(const struct lang *lang, const char *key)
{
    if (lang->entry_count == 0)
        return NULL;
    return bsearch(key, lang->entries, (size_t)lang->entry_count, sizeof lang->entries[0],
                   lang_entry_match);
}

struct lang_missing {
    char list[LANG_MESSAGE_MAX / 2];
    size_t used;
    int count;
    bool cut; /* the list is longer than fits: it ends in ", ..." */
};

static void lang_missing_add(struct lang_missing *missing, const char *key)
{
    if (!missing->cut) {
        size_t room = sizeof missing->list - missing->used;
        int n = snprintf(missing->list + missing->used, room, "%s%s",
                         missing->count > 0 ? ", " : "", key);
        if (n < 0 || (size_t)n >= room) {
            missing->cut = true;
            missing->list[missing->used] = '\0';
        } else {
            missing->used += (size_t)n;
        }
    }
    missing->count++;
}

/* One message per language naming every key it lacks (static, and dynamic ones nl has). */
static void lang_report_missing(struct lang_parse *parse)
{
    const struct lang *lang = parse->lang;
    struct lang_missing missing = {.used = 0};

    for (int i = 0; i < LANG_KEY_COUNT; i++) {
        if (lang->text[i] == NULL)
            lang_missing_add(&missing, lang_key_names[i]);
    }
    if (lang->fallback != NULL) {
        for (int i = 0; i < lang->fallback->entry_count; i++) {
            const char *key = lang->fallback->entries[i].key;
            if (lang_find_entry(lang, key) == NULL)
                lang_missing_add(&missing, key);
        }
    }
    if (missing.count == 0)
        return;
    lang_report(parse->reporter, parse->path, 0, "%d %s missing, %s: %s%s", missing.count,
                missing.count == 1 ? "key is" : "keys are",
                lang->fallback != NULL ? "the Dutch text is shown instead"
                                       : "these texts stay empty",
                missing.list, missing.cut ? ", ..." : "");
}

/*
 * Reads path whole into a new NUL-terminated buffer (the caller frees it). Returns 0, or a
 * negative errno: -EFBIG when it holds more than LANG_FILE_MAX_BYTES (*size_out then says
 * how much at least), -EISDIR / -EINVAL when it is not a regular file.
 */
static int lang_read_file(const char *path, char **text_out, size_t *size_out)
{
    int rc = 0;
    char *text = NULL;
    size_t size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;

    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = -errno;
        goto out_close;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        goto out_close;
    }
    if (st.st_size > LANG_FILE_MAX_BYTES) {
        *size_out = (size_t)st.st_size;
        rc = -EFBIG;
        goto out_close;
    }
    /* Room for one byte more than fstat saw, so a file that grew is read whole or refused. */
    size_t capacity = (size_t)st.st_size + 1;
    text = malloc(capacity + 1);
    if (text == NULL) {
        rc = -ENOMEM;
        goto out_close;
    }
    for (;;) {
        if (size == capacity) {
            if (capacity > LANG_FILE_MAX_BYTES) {
                *size_out = size;
                rc = -EFBIG;
                goto out_free_text;
            }
            capacity =
                capacity * 2 > LANG_FILE_MAX_BYTES + 1 ? LANG_FILE_MAX_BYTES + 1 : capacity * 2;
            char *grown = realloc(text, capacity + 1);
            if (grown == NULL) {
                rc = -ENOMEM;
                goto out_free_text;
            }
            text = grown;
        }
        ssize_t got = read(fd, text + size, capacity - size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = -errno;
            goto out_free_text;
        }
        if (got == 0)
            break;
        size += (size_t)got;
    }
    text[size] = '\0';
    *text_out = text;
    *size_out = size;
    close(fd);
    return 0;

out_free_text:
    free(text);
out_close:
    close(fd);
    return rc;
}

/* Writes a reason for the caller; a reason too long for why is cut (and terminated). */
__attribute__((format(printf, 3, 4))) static void lang_describe(char *why, size_t why_size,
                                                                const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    (void)vsnprintf(why, why_size, fmt, args);
    va_end(args);
}

/*
 * Loads dir/code.lang. Returns the language, or NULL with the reason ("PATH: ...") in why
 * when the file cannot be read or memory runs out. Problems inside the file are reported.
 */
static struct lang *lang_load(const char *dir, const char *code, const struct lang *fallback,
                              struct lang_reporter *reporter, char *why, size_t why_size)
{
    char path[LANG_PATH_MAX];
    char *text = NULL;
    size_t size = 0;
    struct lang *lang = NULL;

    int n = snprintf(path, sizeof path, "%s/%s.lang", dir, code);
    if (n < 0 || (size_t)n >= sizeof path) {
        lang_describe(why, why_size, "%.200s...: path is longer than %d bytes", dir,
                      LANG_PATH_MAX - 1);
        return NULL;
    }
    int rc = lang_read_file(path, &text, &size);
    if (rc == -EFBIG) {
        lang_describe(why, why_size,
                      "%s: %zu bytes or more: a language file may hold at most %d bytes", path,
                      size, LANG_FILE_MAX_BYTES);
        return NULL;
    }
    if (rc < 0) {
        char reason[128];
        lang_describe(why, why_size, "%s: cannot read: %s", path,
                      strerror_r(-rc, reason, sizeof reason));
        return NULL;
    }

    /* Every line yields at most one entry, and key + text + two NULs fit in line + 1 bytes. */
    size_t lines = 1;
    for (const char *p = memchr(text, '\n', size); p != NULL;
         p = memchr(p + 1, '\n', size - (size_t)(p + 1 - text)))
        lines++;
    size_t pool_size = size + 1;
    lang = calloc(1, sizeof *lang + lines * sizeof(struct lang_entry) + pool_size);
    if (lang == NULL) {
        lang_describe(why, why_size, "%s: out of memory", path);
        goto out_free_text;
    }
    (void)snprintf(lang->code, sizeof lang->code, "%s", code);
    lang->fallback = fallback;
    lang->entries = (struct lang_entry *)(lang + 1);
    lang->entry_capacity = (int)lines;
    lang->pool = (char *)(lang->entries + lines);
    lang->pool_size = pool_size;

    struct lang_parse parse = {
        .path = path, .text = text, .size = size, .lang = lang, .reporter = reporter};
    int parse_rc = ini_parse_stream(lang_read_line, &parse, lang_handle_pair, &parse);
    if (parse_rc < 0) {
        lang_describe(why, why_size, "%s: libinih failed (%d)", path, parse_rc);
        free(lang);
        lang = NULL;
        goto out_free_text;
    }
    if (parse_rc > 0) {
        /* The reader hands over only lines libinih accepts: this is a safety net. */
        lang_report(reporter, path, parse_rc, "libinih could not read this line");
    }
    lang_sort_entries(&parse);
    lang_report_missing(&parse);

out_free_text:
    free(text);
    return lang;
}

static bool lang_code_is_valid(const char *code)
{
    if (code == NULL || code[0] < 'a' || code[0] > 'z')
        return false;
    size_t len = strlen(code);
    if (len >= LANG_CODE_MAX)
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

static void lang_set_error(char *err, size_t err_size, const char *why)
{
    if (err != NULL && err_size > 0)
        (void)snprintf(err, err_size, "%s (nl is the fallback language and must load)", why);
}

struct lang_set *lang_open(const char *dir, const char *const codes[], int count,
                           lang_report_fn report, void *ctx, int *problems, char *err,
                           size_t err_size)
{
    struct lang_reporter reporter = {.fn = report, .ctx = ctx, .count = 0};
    char why[LANG_MESSAGE_MAX];
    struct lang_set *set = NULL;

    if (err != NULL && err_size > 0)
        err[0] = '\0';
    if (dir == NULL || count < 0 || (count > 0 && codes == NULL)) {
        lang_set_error(err, err_size, "lang_open: no language directory or codes given");
        goto out;
    }
    set = calloc(1, sizeof *set);
    if (set == NULL) {
        lang_set_error(err, err_size, "lang_open: out of memory");
        goto out;
    }
    set->nl = lang_load(dir, LANG_FALLBACK, NULL, &reporter, why, sizeof why);
    if (set->nl == NULL) {
        lang_set_error(err, err_size, why);
        goto out_free_set;
    }

    bool nl_placed = true;
    for (int i = 0; i < count; i++) {
        if (codes[i] != NULL && strcmp(codes[i], LANG_FALLBACK) == 0)
            nl_placed = false;
    }
    if (nl_placed)
        set->langs[set->count++] = set->nl;

    for (int i = 0; i < count; i++) {
        const char *code = codes[i];
        if (!lang_code_is_valid(code)) {
            lang_report(&reporter, dir, 0,
                        "language code \"%.*s\": use the file name without .lang "
                        "(a-z first, then a-z, 0-9, - or _, at most %d bytes), "
                        "the language is left out",
                        LANG_QUOTE_MAX, code != NULL ? code : "(null)", LANG_CODE_MAX - 1);
            continue;
        }
        if (lang_get(set, code) != NULL) {
            lang_report(&reporter, dir, 0, "language %s is listed twice: it is shown once", code);
            continue;
        }
        if (strcmp(code, LANG_FALLBACK) == 0) {
            set->langs[set->count++] = set->nl;
            nl_placed = true;
            continue;
        }
        /* nl keeps a slot even when it is listed last. */
        if (set->count + (nl_placed ? 0 : 1) >= LANG_MAX) {
            lang_report(&reporter, dir, 0, "too many languages: at most %d, %s is left out",
                        LANG_MAX, code);
            continue;
        }
        struct lang *lang = lang_load(dir, code, set->nl, &reporter, why, sizeof why);
        if (lang == NULL) {
            lang_report(&reporter, why, 0, "the language is left out");
            continue;
        }
        set->langs[set->count++] = lang;
    }
    goto out;

out_free_set:
    free(set);
    set = NULL;
out:
    if (problems != NULL)
        *problems = reporter.count;
    return set;
}

void lang_close(struct lang_set *set)
{
    if (set == NULL)
        return;
    for (int i = 0; i < set->count; i++)
        free(set->langs[i]); /* nl is among them exactly once */
    free(set);
}

const struct lang *lang_get(const struct lang_set *set, const char *code)
{
    if (set == NULL || code == NULL)
        return NULL;
    for (int i = 0; i < set->count; i++) {
        if (strcmp(set->langs[i]->code, code) == 0)
            return set->langs[i];
    }
    return NULL;
}

int lang_count(const struct lang_set *set)
{
    return set != NULL ? set->count : 0;
}

const struct lang *lang_at(const struct lang_set *set, int index)
{
    if (set == NULL || index < 0 || index >= set->count)
        return NULL;
    return set->langs[index];
}

const char *lang_text(const struct lang *lang, enum lang_key key)
{
    if (lang == NULL || (int)key < 0 || key >= LANG_KEY_COUNT)
        return "";
    if (lang->text[key] != NULL)
        return lang->text[key];
    if (lang->fallback != NULL && lang->fallback->text[key] != NULL)
        return lang->fallback->text[key];
    return "";
}

const char *lang_speech(const struct lang *lang, enum lang_key key)
{
    if (lang == NULL || (int)key < 0 || key >= LANG_KEY_COUNT) {
        return "";
    }
    char name[64];
    snprintf(name, sizeof name, "%s.speech", lang_key_names[key]);
    const struct lang_entry *entry = lang_find_entry(lang, name);
    return entry != NULL ? entry->value : lang_text(lang, key);
}

const char *lang_speech_lookup(const struct lang *lang, const char *key)
{
    char name[80];
    if (lang != NULL && key != NULL &&
        snprintf(name, sizeof name, "%s.speech", key) < (int)sizeof name) {
        const struct lang_entry *entry = lang_find_entry(lang, name);
        if (entry != NULL) {
            return entry->value;
        }
    }
    return lang_lookup(lang, key);
}

const char *lang_lookup(const struct lang *lang, const char *key)
{
    if (lang == NULL || key == NULL)
        return NULL;
    int index = lang_static_index(key);
    for (const struct lang *source = lang; source != NULL; source = source->fallback) {
        if (index >= 0 && source->text[index] != NULL)
            return source->text[index];
        if (index < 0) {
            const struct lang_entry *entry = lang_find_entry(source, key);
            if (entry != NULL)
                return entry->value;
        }
    }
    return NULL;
}

const char *lang_code(const struct lang *lang)
{
    return lang != NULL ? lang->code : "";
}

bool lang_is_rtl(const struct lang *lang)
{
    return lang != NULL && lang->rtl;
}

int lang_format_range(const char *text, int min, int max, char *out, size_t size)
{
    if (out == NULL || size == 0)
        return -ENOSPC;
    size_t used = 0;
    int rc = 0;
    const char *p = text != NULL ? text : "";

    while (*p != '\0') {
        char number[16];
        const char *piece = p;
        size_t len;
        bool whole = false; /* a number is copied whole or not at all */
        if (strncmp(p, "{min}", 5) == 0 || strncmp(p, "{max}", 5) == 0) {
            int n = snprintf(number, sizeof number, "%d", p[2] == 'i' ? min : max);
            len = n > 0 ? (size_t)n : 0;
            piece = number;
            whole = true;
            p += 5;
        } else {
            len = strcspn(p + 1, "{") + 1;
            p += len;
        }
        if (len >= size - used) {
            size_t fit = whole ? 0 : size - used - 1;
            /* Never cut a UTF-8 sequence in two. */
            while (fit > 0 && ((unsigned char)piece[fit] & 0xC0) == 0x80)
                fit--;
            memcpy(out + used, piece, fit);
            used += fit;
            rc = -ENOSPC;
            break;
        }
        memcpy(out + used, piece, len);
        used += len;
    }
    out[used] = '\0';
    return rc;
}
