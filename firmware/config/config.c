/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * config: see config.h. Where it sits: main() calls config_defaults() and config_load()
 * once at start (and oase --check-config does the same); every other module only reads
 * the resulting struct oase_config.
 *
 * How a file is read: libinih (Debian's build: no line numbers for the handler, lines of at
 * most 199 bytes, multi-line values on) parses through config_read_line(), our own reader.
 * The reader counts lines, reports lines that are too long or malformed instead of handing
 * them to inih (which would split or skip them silently), strips leading blanks (so an
 * indented key is a key, never a continuation of the previous value) and follows [section]
 * headers itself (inih tells the handler nothing about empty sections). The handler then
 * checks each key = value against the tables below.
 *
 * Every value goes into a working copy; lists ([services], [phases]) are collected on the
 * side and replace the previous list when the file has been read. If reading fails half
 * way, the caller's config is left as it was.
 */
#include "config/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <ini.h>

#include "core/clock.h"
#include "core/ini_value.h"
#include "core/timezone.h"
#include "core/utf8.h"
#include "core/week.h"

#define CONFIG_LINE_MAX 199     /* bytes per line Debian's libinih reads whole (INI_MAX_LINE 200) */
#define CONFIG_SECTION_MAX 64   /* longest section name we follow, with its NUL */
#define CONFIG_MESSAGE_MAX 1024 /* one report line */
#define CONFIG_ID_MAX 31        /* service ids and phase names: [a-z0-9_-]{1,31} */
#define CONFIG_PIXELS_MIN 240   /* [display] width and height */
#define CONFIG_PIXELS_MAX 4096
#define CONFIG_DEFAULT_ICON "question"

/*
 * Sections that belong to other modules: each key is handed to the module's own
 * *_config_set, which owns its syntax and ranges; this file adds file:line, key and value
 * to its message. A section without a module yet (web) is accepted and skipped silently,
 * so a file written for the finished kiosk already checks clean.
 */
typedef int (*config_module_set_fn)(struct oase_config *config, const char *section,
                                    const char *key, const char *value, char *why, size_t why_size);

static int config_lights_set(struct oase_config *config, const char *section, const char *key,
                             const char *value, char *why, size_t why_size)
{
    return lights_config_set(&config->lights, section, key, value, why, why_size);
}

static int config_audio_set(struct oase_config *config, const char *section, const char *key,
                            const char *value, char *why, size_t why_size)
{
    return audio_config_set(&config->audio, section, key, value, why, why_size);
}

static int config_web_set(struct oase_config *config, const char *section, const char *key,
                          const char *value, char *why, size_t why_size)
{
    return web_config_set(&config->web, section, key, value, why, why_size);
}

static int config_hours_set(struct oase_config *config, const char *section, const char *key,
                            const char *value, char *why, size_t why_size)
{
    (void)section;
    return key == NULL ? 0 : hours_config_set(&config->hours, key, value, why, why_size);
}

static int config_evaluation_set(struct oase_config *config, const char *section, const char *key,
                                 const char *value, char *why, size_t why_size)
{
    return evaluation_config_set(&config->evaluation, section, key, value, why, why_size);
}

static int config_experiment_set(struct oase_config *config, const char *section, const char *key,
                                 const char *value, char *why, size_t why_size)
{
    return experiment_config_set(&config->experiment, section, key, value, why, why_size);
}

static const struct config_foreign_section {
    const char *name;         /* the section name, or its prefix when is_prefix */
    bool is_prefix;           /* "light." covers [light.desk], [light.hall] ... */
    config_module_set_fn set; /* NULL: skipped silently */
} config_sections_owned_elsewhere[] = {
    {"lights", false, config_lights_set},         /* lights: fade time, PWM frequency */
    {"light.", true, config_lights_set},          /* lights: one channel each */
    {"scene.", true, config_lights_set},          /* lights: named levels */
    {"schedule", false, config_lights_set},       /* lights: scenes by time of day */
    {"audio", false, config_audio_set},           /* audio: source, levels, music folder */
    {"audio.schedule", false, config_audio_set},  /* audio: levels by time of day */
    {"web", false, config_web_set},               /* web: the host's page */
    {"research", false, config_web_set},          /* web: the researcher's download */
    {"evaluation", false, config_evaluation_set}, /* the declared design (oase-report) */
    {"hours", false, config_hours_set},           /* hours: opening hours, closed dates */
    {"experiment", false, config_experiment_set}, /* a randomised room: conditions by day */
};

/* The pictograms a service may show (a subset of ui/draw.h's names). */
static const char *const config_service_icons[] = {
    "money", "work", "home", "care", "question", "family", "letter", "chat", NULL,
};

/* Language codes the kiosk ships texts for; any other 2-3 letter code is accepted too. */
static const char *const config_known_languages[] = {"nl", "en", "ar", "tr", "pl", "uk", NULL};

enum config_section_kind {
    SECTION_NONE,     /* above the first [section] header */
    SECTION_KIOSK,    /* fixed keys, table config_keys */
    SECTION_DISPLAY,  /* fixed keys, table config_keys */
    SECTION_STORE,    /* fixed keys, table config_keys */
    SECTION_STAFF,    /* fixed keys, table config_keys */
    SECTION_SPEECH,   /* fixed keys, table config_keys */
    SECTION_SERVICES, /* id = label, id.icon = name */
    SECTION_PHASES,   /* name = YYYY-MM-DD */
    SECTION_FOREIGN,  /* config_sections_owned_elsewhere: skipped silently */
    SECTION_SKIPPED,  /* unknown or malformed header, already reported: skipped */
};

static const struct config_known_section {
    const char *name;
    enum config_section_kind kind;
} config_known_sections[] = {
    {"kiosk", SECTION_KIOSK},       {"display", SECTION_DISPLAY}, {"store", SECTION_STORE},
    {"services", SECTION_SERVICES}, {"phases", SECTION_PHASES},   {"staff", SECTION_STAFF},
    {"speech", SECTION_SPEECH},
};
#define CONFIG_KNOWN_SECTION_COUNT                                                                 \
    ((int)(sizeof config_known_sections / sizeof config_known_sections[0]))

enum config_value_kind {
    VALUE_INT,           /* int field, min..max */
    VALUE_BOOL,          /* bool field: on/off, true/false, yes/no, 1/0 */
    VALUE_TEXT,          /* char[] field: UTF-8 text, 1..size-1 bytes */
    VALUE_PATH,          /* char[] field: a file or directory path, 1..size-1 bytes */
    VALUE_LANGUAGE,      /* char[] field: one language code */
    VALUE_LANGUAGE_LIST, /* languages[] and language_count */
    VALUE_ORIENTATION,   /* orientation; width and height follow at the end of the load */
    VALUE_CLOSING_TIME,  /* closing_minute: HH:MM or none */
    VALUE_PIXELS,        /* width or height: auto or CONFIG_PIXELS_MIN..MAX */
    VALUE_PIN,           /* char[] field: 4..8 digits, or "off" (empty) */
    VALUE_ROTATION,      /* rotation: 0, 90, 180 or 270 */
    VALUE_BACKLIGHT,     /* char[] field: auto, off or a backlight device name */
    VALUE_SCENE_OR_NONE, /* char[] field: a light scene name, or "none" (empty) */
    VALUE_MM,            /* width_mm: auto or 20..2000 millimetres (decimals allowed) */
    VALUE_TIMEZONE,      /* char[] field: a zone core/timezone.h knows, or empty (the system's) */
    VALUE_GPIO_NAME,     /* char[] field: a GPIO line name or chip label: printable, no spaces */
};

/* One key of a section with fixed keys: where its value goes and what it accepts. */
struct config_key {
    enum config_section_kind section;
    const char *name;
    enum config_value_kind kind;
    size_t offset; /* offsetof(struct oase_config, field) */
    size_t size;   /* sizeof the field (text and paths) */
    int min, max;  /* accepted range (integers) */
};

#define CONFIG_FIELD(field)                                                                        \
    offsetof(struct oase_config, field), sizeof(((struct oase_config *)0)->field)

static const struct config_key config_keys[] = {
    {SECTION_KIOSK, "site", VALUE_TEXT, CONFIG_FIELD(site), 0, 0},
    {SECTION_KIOSK, "default_language", VALUE_LANGUAGE, CONFIG_FIELD(default_language), 0, 0},
    {SECTION_KIOSK, "languages", VALUE_LANGUAGE_LIST, CONFIG_FIELD(languages), 0, 0},
    {SECTION_KIOSK, "orientation", VALUE_ORIENTATION, CONFIG_FIELD(orientation), 0, 0},
    {SECTION_KIOSK, "inactivity_seconds", VALUE_INT, CONFIG_FIELD(inactivity_seconds), 10, 600},
    {SECTION_KIOSK, "checked_in_seconds", VALUE_INT, CONFIG_FIELD(checked_in_seconds), 5, 120},
    {SECTION_KIOSK, "calm_animation", VALUE_BOOL, CONFIG_FIELD(calm_animation), 0, 0},
    {SECTION_KIOSK, "stress_question", VALUE_BOOL, CONFIG_FIELD(ask_stress), 0, 0},
    {SECTION_KIOSK, "word_question", VALUE_BOOL, CONFIG_FIELD(ask_word), 0, 0},
    {SECTION_KIOSK, "departure_tap", VALUE_BOOL, CONFIG_FIELD(departure_tap), 0, 0},
    {SECTION_KIOSK, "closing_time", VALUE_CLOSING_TIME, CONFIG_FIELD(closing_minute), 0, 0},
    {SECTION_KIOSK, "wait_estimate_min_samples", VALUE_INT, CONFIG_FIELD(wait_estimate_min_samples),
     3, 1000},
    {SECTION_KIOSK, "timezone", VALUE_TIMEZONE, CONFIG_FIELD(timezone), 0, 0},
    {SECTION_STAFF, "pin", VALUE_PIN, CONFIG_FIELD(staff_pin), 0, 0},
    {SECTION_STAFF, "close_seconds", VALUE_INT, CONFIG_FIELD(staff_close_seconds), 10, 600},
    {SECTION_DISPLAY, "width", VALUE_PIXELS, CONFIG_FIELD(width), CONFIG_PIXELS_MIN,
     CONFIG_PIXELS_MAX},
    {SECTION_DISPLAY, "height", VALUE_PIXELS, CONFIG_FIELD(height), CONFIG_PIXELS_MIN,
     CONFIG_PIXELS_MAX},
    {SECTION_DISPLAY, "width_mm", VALUE_MM, CONFIG_FIELD(width_mm), 20, 2000},
    {SECTION_DISPLAY, "font", VALUE_PATH, CONFIG_FIELD(font_path), 0, 0},
    {SECTION_DISPLAY, "font_bold", VALUE_PATH, CONFIG_FIELD(font_bold_path), 0, 0},
    {SECTION_DISPLAY, "font_arabic", VALUE_PATH, CONFIG_FIELD(font_arabic_path), 0, 0},
    {SECTION_DISPLAY, "font_arabic_bold", VALUE_PATH, CONFIG_FIELD(font_arabic_bold_path), 0, 0},
    {SECTION_DISPLAY, "assets_dir", VALUE_PATH, CONFIG_FIELD(assets_dir), 0, 0},
    {SECTION_DISPLAY, "rotation", VALUE_ROTATION, CONFIG_FIELD(rotation), 0, 0},
    {SECTION_DISPLAY, "backlight", VALUE_BACKLIGHT, CONFIG_FIELD(backlight), 0, 0},
    {SECTION_DISPLAY, "brightness", VALUE_INT, CONFIG_FIELD(brightness_percent), 1, 100},
    {SECTION_DISPLAY, "brightness_closed", VALUE_INT, CONFIG_FIELD(brightness_closed_percent), 0,
     100},
    {SECTION_DISPLAY, "closed_scene", VALUE_SCENE_OR_NONE, CONFIG_FIELD(closed_scene), 0, 0},
    {SECTION_STORE, "db_path", VALUE_PATH, CONFIG_FIELD(db_path), 0, 0},
    {SECTION_SPEECH, "button_line", VALUE_GPIO_NAME, CONFIG_FIELD(speech_button_line), 0, 0},
    {SECTION_SPEECH, "button_chip", VALUE_GPIO_NAME, CONFIG_FIELD(speech_button_chip), 0, 0},
    {SECTION_SPEECH, "chip", VALUE_GPIO_NAME, CONFIG_FIELD(speech_button_chip), 0, 0},
    {SECTION_SPEECH, "button_active_low", VALUE_BOOL, CONFIG_FIELD(speech_button_active_low), 0, 0},
    {SECTION_SPEECH, "active_low", VALUE_BOOL, CONFIG_FIELD(speech_button_active_low), 0, 0},
};
#define CONFIG_KEY_COUNT ((int)(sizeof config_keys / sizeof config_keys[0]))

/* [display] width/height as this file set them: not at all, "auto", or a number. */
#define PIXELS_UNSET 0
#define PIXELS_AUTO (-1)

/* Everything one config_load() call needs; lives on its stack. */
struct config_loader {
    struct oase_config work; /* the caller's values, changed by this file */
    const char *path;        /* as given, used in every message */
    config_report_fn report;
    void *ctx;
    struct config_problems found;
    FILE *file;
    gnutls_hash_hd_t hash; /* SHA-256 of every byte read from file; NULL = none */
    int read_errno;        /* set when reading failed part way */
    int line;              /* number of the line inih is handling now */

    char section[CONFIG_SECTION_MAX]; /* the current section, as the reader saw it */
    enum config_section_kind section_kind;
    int known_section_line[CONFIG_KNOWN_SECTION_COUNT]; /* first header line, 0 = not seen */
    int key_line[CONFIG_KEY_COUNT];                     /* line a key was set on, 0 = not set */

    int services_line; /* line of [services], 0 = the file has none */
    struct service services[CONFIG_MAX_SERVICES];
    int service_line[CONFIG_MAX_SERVICES]; /* line each service was set on */
    int icon_line[CONFIG_MAX_SERVICES];    /* line its icon was set on, 0 = default */
    int service_count;

    int phases_line; /* line of [phases], 0 = the file has none */
    struct phase_list phases;
    int phase_line[PHASE_MAX]; /* parallel to phases.items (kept in step on insert) */

    bool orientation_set;
    int width_setting, height_setting; /* PIXELS_UNSET, PIXELS_AUTO or pixels */
    double width_mm_setting;           /* 0: auto (from the panel), else millimetres */

    const struct config_foreign_section *foreign; /* the current section's module, if any */
    int evaluation_design_line;                   /* line of [evaluation] design =, 0 = not set */
};

/* --- messages --------------------------------------------------------------------------- */

enum config_severity { CONFIG_ERROR, CONFIG_WARNING };

/* Formats "PATH:LINE: ..." (no LINE when line is 0), counts it and hands it to report. */
/*
 * Makes a message safe to print: a control character (a terminal escape from a hostile
 * value) or a byte that is not part of well-formed UTF-8 becomes '?'.
 */
static void config_clean_message(char *text)
{
    unsigned char *p = (unsigned char *)text;
    while (*p != '\0') {
        size_t length;
        uint32_t code = utf8_decode(p, 4, &length); /* stops at the NUL */
        if (code == UTF8_INVALID || code < 0x20 || code == 0x7f) {
            *p++ = '?'; /* the bytes after it are looked at on their own */
            continue;
        }
        p += length;
    }
}

__attribute__((format(printf, 4, 5))) static void config_report(struct config_loader *loader,
                                                                int line,
                                                                enum config_severity severity,
                                                                const char *fmt, ...)
{
    if (severity == CONFIG_ERROR) {
        loader->found.errors++;
    } else {
        loader->found.warnings++;
    }
    if (loader->report == NULL) {
        return;
    }
    char message[CONFIG_MESSAGE_MAX];
    int used = line > 0 ? snprintf(message, sizeof message, "%s:%d: ", loader->path, line)
                        : snprintf(message, sizeof message, "%s: ", loader->path);
    if (used < 0) {
        return;
    }
    if ((size_t)used < sizeof message) {
        va_list args;
        va_start(args, fmt);
        int more = vsnprintf(message + used, sizeof message - (size_t)used, fmt, args);
        va_end(args);
        if (more < 0) {
            return;
        }
        used += more;
    }
    if ((size_t)used >= sizeof message) {
        /* cut, and say so, rather than drop the message */
        memcpy(message + sizeof message - 4, "...", 4);
    }
    config_clean_message(message);
    loader->report(loader->ctx, message);
}

/* "PATH:LINE: section.key = value: accepted: what" */
static void config_bad_value(struct config_loader *loader, const char *key, const char *value,
                             const char *accepted)
{
    config_report(loader, loader->line, CONFIG_ERROR, "%s.%s = %s: accepted: %s", loader->section,
                  key, value, accepted);
}

static void config_duplicate_key(struct config_loader *loader, const char *key, int first_line)
{
    config_report(loader, loader->line, CONFIG_WARNING,
                  "%s.%s is set again (first on line %d); the last good value counts",
                  loader->section, key, first_line);
}

static void config_unknown_key(struct config_loader *loader, const char *key)
{
    config_report(loader, loader->line, CONFIG_WARNING, "unknown key %s.%s (ignored)",
                  loader->section, key);
}

/* --- value checks ----------------------------------------------------------------------- */

/* True when text is well-formed UTF-8 without control characters. */
static bool config_is_clean_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p != '\0') {
        size_t length;
        uint32_t code = utf8_decode(p, 4, &length); /* stops at the NUL */
        if (code == UTF8_INVALID || code < 0x20 || code == 0x7f) {
            return false; /* malformed, overlong, out of range, a surrogate or a control */
        }
        p += length;
    }
    return true;
}

/* True for 1..CONFIG_ID_MAX characters from a-z 0-9 _ - (service ids, phase names). */
static bool config_is_id(const char *text)
{
    size_t length = strlen(text);
    if (length < 1 || length > CONFIG_ID_MAX) {
        return false;
    }
    return strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789_-") == length;
}

/* True for a 2 or 3 letter lowercase language code. */
static bool config_is_language_code(const char *text, size_t length)
{
    if (length < 2 || length > 3) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        if (text[i] < 'a' || text[i] > 'z') {
            return false;
        }
    }
    return true;
}

/* "HH:MM" (or "H:MM") from 00:00 to 23:59 as minutes after midnight, "none" as -1. */
static int config_parse_closing_time(const char *text, int *out)
{
    if (strcasecmp(text, "none") == 0) {
        *out = -1;
        return 0;
    }
    const char *end = NULL;
    int minute = 0;
    if (!week_parse_time(text, &minute, &end) || *end != '\0') {
        return -EINVAL;
    }
    *out = minute;
    return 0;
}

/* A date "YYYY-MM-DD" that exists (2026-02-30 does not). 0 or -EINVAL. */
static int config_check_date(const char *text)
{
    static const char shape[] = "dddd-dd-dd";
    if (strlen(text) != sizeof shape - 1) {
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (shape[i] == 'd' ? !digit : text[i] != '-') {
            return -EINVAL;
        }
    }
    int64_t ms;
    return clock_parse_local(text, &ms);
}

static bool config_in_list(const char *const list[], const char *text)
{
    for (int i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], text) == 0) {
            return true;
        }
    }
    return false;
}

/* Joins list with spaces into out (cut if out is too small, which the sizes below avoid). */
static const char *config_join(const char *const list[], char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; list[i] != NULL && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i > 0 ? " " : "", list[i]);
        if (n < 0) {
            break;
        }
        used += (size_t)n;
    }
    return out;
}

/* --- [kiosk], [display], [store] -------------------------------------------------------- */

/*
 * Splits "nl en, ar" into codes. Returns 0, or -EINVAL with the reason in why.
 * languages and *count are written only on success.
 */
static int config_parse_languages(const char *text, char languages[][8], int *count,
                                  const char **why)
{
    char found[CONFIG_MAX_LANGUAGES][8];
    int found_count = 0;
    const char *p = text;
    while (*p != '\0') {
        p += strspn(p, " \t,");
        size_t length = strcspn(p, " \t,");
        if (length == 0) {
            break;
        }
        if (!config_is_language_code(p, length)) {
            *why = "a code is not 2 or 3 lowercase letters";
            return -EINVAL;
        }
        if (found_count == CONFIG_MAX_LANGUAGES) {
            *why = "more languages than fit";
            return -EINVAL;
        }
        memcpy(found[found_count], p, length);
        found[found_count][length] = '\0';
        for (int i = 0; i < found_count; i++) {
            if (strcmp(found[i], found[found_count]) == 0) {
                *why = "a code is listed twice";
                return -EINVAL;
            }
        }
        found_count++;
        p += length;
    }
    if (found_count == 0) {
        *why = "the list is empty";
        return -EINVAL;
    }
    memcpy(languages, found, sizeof found[0] * (size_t)found_count);
    *count = found_count;
    return 0;
}

static void config_set_fixed_key(struct config_loader *loader, int index, const char *value)
{
    const struct config_key *key = &config_keys[index];
    char *field = (char *)&loader->work + key->offset;
    char accepted[256];

    if (loader->key_line[index] != 0) {
        config_duplicate_key(loader, key->name, loader->key_line[index]);
    }
    loader->key_line[index] = loader->line;

    switch (key->kind) {
    case VALUE_INT: {
        int number;
        if (!ini_value_int(value, key->min, key->max, &number)) {
            snprintf(accepted, sizeof accepted, "%d..%d", key->min, key->max);
            config_bad_value(loader, key->name, value, accepted);
            return;
        }
        memcpy(field, &number, sizeof number);
        return;
    }
    case VALUE_BOOL: {
        bool flag;
        if (!ini_value_bool(value, &flag)) {
            config_bad_value(loader, key->name, value, "on or off (also true/false, yes/no, 1/0)");
            return;
        }
        memcpy(field, &flag, sizeof flag);
        return;
    }
    case VALUE_TEXT:
    case VALUE_PATH: {
        size_t length = strlen(value);
        if (length == 0 || length >= key->size || !config_is_clean_utf8(value)) {
            snprintf(accepted, sizeof accepted, "%s of 1..%zu bytes (UTF-8, no control characters)",
                     key->kind == VALUE_PATH ? "a path" : "text", key->size - 1);
            config_bad_value(loader, key->name, value, accepted);
            return;
        }
        memcpy(field, value, length + 1);
        return;
    }
    case VALUE_LANGUAGE:
        if (!config_is_language_code(value, strlen(value))) {
            config_bad_value(loader, key->name, value,
                             "a 2 or 3 letter lowercase code listed in kiosk.languages");
            return;
        }
        memcpy(field, value, strlen(value) + 1);
        return;
    case VALUE_LANGUAGE_LIST: {
        const char *why = "";
        if (config_parse_languages(value, loader->work.languages, &loader->work.language_count,
                                   &why) != 0) {
            char known[64];
            snprintf(accepted, sizeof accepted,
                     "1..%d codes of 2 or 3 lowercase letters (%s ...), each once, separated by "
                     "spaces or commas (%s)",
                     CONFIG_MAX_LANGUAGES, config_join(config_known_languages, known, sizeof known),
                     why);
            config_bad_value(loader, key->name, value, accepted);
        }
        return;
    }
    case VALUE_ORIENTATION:
        if (strcasecmp(value, "landscape") == 0) {
            loader->work.orientation = ORIENTATION_LANDSCAPE;
        } else if (strcasecmp(value, "portrait") == 0) {
            loader->work.orientation = ORIENTATION_PORTRAIT;
        } else {
            config_bad_value(loader, key->name, value,
                             "landscape (800x480) or portrait (720x1280)");
            return;
        }
        loader->orientation_set = true;
        return;
    case VALUE_CLOSING_TIME: {
        int minute;
        if (config_parse_closing_time(value, &minute) != 0) {
            config_bad_value(loader, key->name, value, "a time HH:MM from 00:00 to 23:59, or none");
            return;
        }
        memcpy(field, &minute, sizeof minute);
        return;
    }
    case VALUE_PIN: {
        size_t length = strlen(value);
        bool digits = length >= 4 && length <= 8 && strspn(value, "0123456789") == length;
        if (strcasecmp(value, "off") == 0) {
            memset(field, 0, key->size);
        } else if (digits && length < key->size) {
            memcpy(field, value, length + 1);
        } else {
            config_bad_value(loader, key->name, value, "4 to 8 digits, or off");
        }
        return;
    }
    case VALUE_MM: {
        double mm = 0;
        if (strcasecmp(value, "auto") == 0) {
            loader->width_mm_setting = 0.0;
        } else if (ini_value_double(value, key->min, key->max, &mm)) {
            loader->width_mm_setting = mm;
        } else {
            snprintf(accepted, sizeof accepted,
                     "auto (the 7\" panel's 154.2 mm for 800 px, or Touch Display 2's 87.5 mm "
                     "for 720 px) or %d..%d millimetres",
                     key->min, key->max);
            config_bad_value(loader, key->name, value, accepted);
        }
        return;
    }
    case VALUE_ROTATION: {
        enum rotation angle;
        if (rotation_parse(value, &angle) != 0) {
            config_bad_value(loader, key->name, value,
                             "0, 90, 180 or 270 (degrees the picture turns clockwise)");
            return;
        }
        memcpy(field, &angle, sizeof angle);
        return;
    }
    case VALUE_BACKLIGHT: {
        size_t length = strlen(value);
        const char *name_chars =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:";
        if (length == 0 || length >= key->size || strspn(value, name_chars) != length ||
            strcmp(value, ".") == 0 || strcmp(value, "..") == 0) {
            config_bad_value(loader, key->name, value,
                             "auto, off, or a device name from /sys/class/backlight");
            return;
        }
        memcpy(field, value, length + 1);
        return;
    }
    case VALUE_GPIO_NAME: {
        size_t length = strlen(value);
        bool printable = length > 0 && length < key->size;
        for (size_t i = 0; printable && i < length; i++) {
            printable = (unsigned char)value[i] > ' ' && (unsigned char)value[i] < 0x7F;
        }
        if (!printable) {
            config_bad_value(loader, key->name, value,
                             "a GPIO line name or chip label without spaces (gpioinfo lists "
                             "them)");
            return;
        }
        memcpy(field, value, length + 1);
        return;
    }
    case VALUE_SCENE_OR_NONE: {
        size_t length = strlen(value);
        if (strcasecmp(value, "none") == 0) {
            memset(field, 0, key->size);
        } else if (length > 0 && length < key->size &&
                   strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-") == length) {
            memcpy(field, value, length + 1);
        } else {
            config_bad_value(loader, key->name, value, "the name of a [scene.NAME], or none");
        }
        return;
    }
    case VALUE_TIMEZONE: {
        size_t length = strlen(value);
        if (length >= key->size || !config_is_clean_utf8(value)) {
            snprintf(accepted, sizeof accepted,
                     "a zone name such as Europe/Amsterdam of at most %zu bytes, or nothing (the "
                     "system's zone)",
                     key->size - 1);
            config_bad_value(loader, key->name, value, accepted);
            return;
        }
        /* Kept even when the zone is unknown: the kiosk then refuses to start (main), as it
         * must not run its opening hours and calendar days on another zone. */
        memcpy(field, value, length + 1);
        char why[768];
        if (length > 0 && timezone_check(value, why, sizeof why) != 0) {
            config_report(loader, loader->line, CONFIG_ERROR, "%s.%s = %s: %s", loader->section,
                          key->name, value, why);
        }
        return;
    }
    case VALUE_PIXELS: {
        int pixels;
        int *setting = key->offset == offsetof(struct oase_config, width) ? &loader->width_setting
                                                                          : &loader->height_setting;
        if (strcasecmp(value, "auto") == 0) {
            *setting = PIXELS_AUTO;
        } else if (ini_value_int(value, key->min, key->max, &pixels)) {
            *setting = pixels;
        } else {
            snprintf(accepted, sizeof accepted, "auto (from kiosk.orientation) or %d..%d pixels",
                     key->min, key->max);
            config_bad_value(loader, key->name, value, accepted);
        }
        return;
    }
    }
}

/* --- [services] ------------------------------------------------------------------------- */

static int config_find_service(const struct config_loader *loader, const char *id)
{
    for (int i = 0; i < loader->service_count; i++) {
        if (strcmp(loader->services[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

/* "id.icon = name": the pictogram of a service listed above. */
static void config_set_service_icon(struct config_loader *loader, const char *name,
                                    const char *value)
{
    char id[CONFIG_ID_MAX + 2];
    size_t id_length = (size_t)(strrchr(name, '.') - name);
    if (id_length >= sizeof id) {
        config_bad_value(loader, name, value, "the id of a service listed above this line");
        return;
    }
    memcpy(id, name, id_length);
    id[id_length] = '\0';
    int index = config_find_service(loader, id);
    if (index < 0) {
        config_bad_value(loader, name, value, "the id of a service listed above this line");
        return;
    }
    if (loader->icon_line[index] != 0) {
        config_duplicate_key(loader, name, loader->icon_line[index]);
    }
    loader->icon_line[index] = loader->line;
    struct service *service = &loader->services[index];
    size_t length = strlen(value);
    if (length >= sizeof service->icon || !config_in_list(config_service_icons, value)) {
        char icons[96];
        config_bad_value(loader, name, value,
                         config_join(config_service_icons, icons, sizeof icons));
        return;
    }
    memcpy(service->icon, value, length + 1);
}

/* "id = Dutch label", in file order. */
static void config_set_service(struct config_loader *loader, const char *name, const char *value)
{
    const char *dot = strrchr(name, '.');
    if (dot != NULL) {
        if (strcmp(dot, ".icon") == 0) {
            config_set_service_icon(loader, name, value);
        } else {
            config_unknown_key(loader, name);
        }
        return;
    }
    if (!config_is_id(name)) {
        char accepted[96];
        snprintf(accepted, sizeof accepted,
                 "a service id of 1..%d characters from a-z 0-9 _ - (then = label)", CONFIG_ID_MAX);
        config_bad_value(loader, name, value, accepted);
        return;
    }
    size_t length = strlen(value);
    struct service *service;
    if (length == 0 || length >= sizeof service->label || !config_is_clean_utf8(value)) {
        char accepted[96];
        snprintf(accepted, sizeof accepted,
                 "a label of 1..%zu bytes (UTF-8, no control characters)",
                 sizeof service->label - 1);
        config_bad_value(loader, name, value, accepted);
        return;
    }
    int index = config_find_service(loader, name);
    if (index >= 0) {
        config_duplicate_key(loader, name, loader->service_line[index]);
    } else if (loader->service_count == CONFIG_MAX_SERVICES) {
        char accepted[96];
        snprintf(accepted, sizeof accepted, "at most %d services; this one is left out",
                 CONFIG_MAX_SERVICES);
        config_bad_value(loader, name, value, accepted);
        return;
    } else {
        index = loader->service_count++;
        service = &loader->services[index];
        snprintf(service->id, sizeof service->id, "%s", name);
        snprintf(service->icon, sizeof service->icon, "%s", CONFIG_DEFAULT_ICON);
        loader->icon_line[index] = 0;
    }
    service = &loader->services[index];
    memcpy(service->label, value, length + 1);
    loader->service_line[index] = loader->line;
}

/* --- [phases] --------------------------------------------------------------------------- */

static int config_find_phase(const struct phase_list *phases, const char *name)
{
    for (int i = 0; i < phases->count; i++) {
        if (strcmp(phases->items[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

static void config_remove_phase(struct config_loader *loader, int index)
{
    struct phase_list *phases = &loader->phases;
    for (int i = index; i + 1 < phases->count; i++) {
        phases->items[i] = phases->items[i + 1];
        loader->phase_line[i] = loader->phase_line[i + 1];
    }
    phases->count--;
}

/* phase_add, keeping phase_line[] in step with the sorted items. */
static int config_add_phase(struct config_loader *loader, const char *name, const char *date,
                            int line)
{
    int rc = phase_add(&loader->phases, name, date);
    if (rc != 0) {
        return rc;
    }
    int at = config_find_phase(&loader->phases, name);
    for (int i = loader->phases.count - 1; i > at; i--) {
        loader->phase_line[i] = loader->phase_line[i - 1];
    }
    loader->phase_line[at] = line;
    return 0;
}

/* "name = YYYY-MM-DD": the phase that starts on that day. */
static void config_set_phase(struct config_loader *loader, const char *name, const char *value)
{
    char accepted[128];
    if (!config_is_id(name) || strcmp(name, PHASE_NONE) == 0) {
        snprintf(accepted, sizeof accepted,
                 "a phase name of 1..%d characters from a-z 0-9 _ - other than %s (then = "
                 "YYYY-MM-DD)",
                 CONFIG_ID_MAX, PHASE_NONE);
        config_bad_value(loader, name, value, accepted);
        return;
    }
    if (config_check_date(value) != 0) {
        config_bad_value(loader, name, value, "a date YYYY-MM-DD that exists, from 1970 on");
        return;
    }

    struct phase replaced = {{0}, {0}};
    int replaced_line = 0;
    int index = config_find_phase(&loader->phases, name);
    if (index >= 0) {
        config_duplicate_key(loader, name, loader->phase_line[index]);
        replaced = loader->phases.items[index];
        replaced_line = loader->phase_line[index];
        config_remove_phase(loader, index);
    }
    int rc = config_add_phase(loader, name, value, loader->line);
    if (rc == -ENOSPC) {
        snprintf(accepted, sizeof accepted, "at most %d phases; this one is left out", PHASE_MAX);
        config_bad_value(loader, name, value, accepted);
    } else if (rc != 0) {
        const char *other = "another phase";
        for (int i = 0; i < loader->phases.count; i++) {
            if (strcmp(loader->phases.items[i].start, value) == 0) {
                other = loader->phases.items[i].name;
            }
        }
        snprintf(accepted, sizeof accepted, "a start date no other phase has (%s starts then)",
                 other);
        config_bad_value(loader, name, value, accepted);
    }
    if (rc != 0 && replaced_line != 0) {
        config_add_phase(loader, replaced.name, replaced.start, replaced_line);
    }
}

/* --- the handler and the reader --------------------------------------------------------- */

/* Removes one pair of surrounding double quotes: name = "Werk en inkomen". */
static const char *config_unquote(const char *value, char *out, size_t size)
{
    size_t length = strlen(value);
    if (length < 2 || value[0] != '"' || value[length - 1] != '"' || length - 1 > size) {
        return value;
    }
    memcpy(out, value + 1, length - 2);
    out[length - 2] = '\0';
    return out;
}

/* A key of a section another module owns: that module checks it, this file reports. */
static void config_set_module_key(struct config_loader *loader, const char *name, const char *value)
{
    if (loader->foreign == NULL || loader->foreign->set == NULL) {
        return;
    }
    char why[CONFIG_MESSAGE_MAX] = "";
    int rc = loader->foreign->set(&loader->work, loader->section, name, value, why, sizeof why);
    if (rc >= 0 && strcmp(loader->section, "evaluation") == 0 && strcmp(name, "design") == 0) {
        loader->evaluation_design_line = loader->line; /* checked against [experiment] */
    }
    if (rc >= 0) {
        return;
    }
    if (strncmp(why, "unknown key", 11) == 0) {
        config_unknown_key(loader, name);
    } else {
        config_report(loader, loader->line, CONFIG_ERROR, "%s.%s = %s: %s", loader->section, name,
                      value, why);
    }
}

/* Hands a module's whole-file check message on, prefixed with the file. */
static void config_module_report(void *ctx, const char *message)
{
    struct config_loader *loader = ctx;
    if (loader->report) {
        char line[CONFIG_MESSAGE_MAX];
        snprintf(line, sizeof line, "%s: %s", loader->path, message);
        loader->report(loader->ctx, line);
    }
}

/* inih's handler: one key = value on line loader->line of section loader->section. */
static int config_handle(void *user, const char *inih_section, const char *name,
                         const char *raw_value)
{
    (void)inih_section; /* the reader follows sections itself, empty ones included */
    struct config_loader *loader = user;
    char unquoted[CONFIG_LINE_MAX + 1];
    const char *value = config_unquote(raw_value, unquoted, sizeof unquoted);

    switch (loader->section_kind) {
    case SECTION_NONE:
        config_report(loader, loader->line, CONFIG_WARNING,
                      "unknown key %s (ignored): keys belong below a [section] header", name);
        return 1;
    case SECTION_FOREIGN:
        config_set_module_key(loader, name, value);
        return 1;
    case SECTION_SKIPPED:
        return 1;
    case SECTION_SERVICES:
        config_set_service(loader, name, value);
        return 1;
    case SECTION_PHASES:
        config_set_phase(loader, name, value);
        return 1;
    case SECTION_KIOSK:
    case SECTION_DISPLAY:
    case SECTION_STORE:
    case SECTION_STAFF:
    case SECTION_SPEECH:
        for (int i = 0; i < CONFIG_KEY_COUNT; i++) {
            if (config_keys[i].section == loader->section_kind &&
                strcmp(config_keys[i].name, name) == 0) {
                config_set_fixed_key(loader, i, value);
                return 1;
            }
        }
        config_unknown_key(loader, name);
        return 1;
    }
    return 1;
}

static const struct config_foreign_section *config_foreign_section(const char *name)
{
    for (size_t i = 0;
         i < sizeof config_sections_owned_elsewhere / sizeof config_sections_owned_elsewhere[0];
         i++) {
        const struct config_foreign_section *foreign = &config_sections_owned_elsewhere[i];
        size_t length = strlen(foreign->name);
        if (foreign->is_prefix ? strncmp(name, foreign->name, length) == 0
                               : strcmp(name, foreign->name) == 0) {
            return foreign;
        }
    }
    return NULL;
}

/* A [name] header on loader->line: what the following keys are. */
static void config_enter_section(struct config_loader *loader, const char *name)
{
    snprintf(loader->section, sizeof loader->section, "%s", name);
    for (int i = 0; i < CONFIG_KNOWN_SECTION_COUNT; i++) {
        if (strcmp(config_known_sections[i].name, name) != 0) {
            continue;
        }
        loader->section_kind = config_known_sections[i].kind;
        if (loader->known_section_line[i] != 0) {
            config_report(loader, loader->line, CONFIG_WARNING,
                          "section [%s] appears again (first on line %d); its keys are read as "
                          "one section",
                          name, loader->known_section_line[i]);
            return;
        }
        loader->known_section_line[i] = loader->line;
        if (loader->section_kind == SECTION_SERVICES) {
            loader->services_line = loader->line; /* the file's list replaces the defaults */
        } else if (loader->section_kind == SECTION_PHASES) {
            loader->phases_line = loader->line;
        }
        return;
    }
    loader->foreign = config_foreign_section(name);
    if (loader->foreign != NULL) {
        loader->section_kind = SECTION_FOREIGN;
        char why[CONFIG_MESSAGE_MAX];
        if (loader->foreign->set) { /* the module registers the section (key NULL) */
            loader->foreign->set(&loader->work, name, NULL, NULL, why, sizeof why);
        }
        return;
    }
    loader->section_kind = SECTION_SKIPPED;
    config_report(loader, loader->line, CONFIG_WARNING, "unknown section [%s] (ignored)", name);
}

/* Where a line's text ends before an inline comment (" ;"), as inih sees it. */
static size_t config_text_before_comment(const char *text)
{
    for (size_t i = 0; text[i] != '\0'; i++) {
        if (text[i] == ';' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
            return i;
        }
    }
    return strlen(text);
}

/*
 * Looks at one line before inih does. Returns true when inih may have it; false when it
 * was reported here (malformed) or fully handled (a section header).
 */
static bool config_check_line(struct config_loader *loader, char *text)
{
    if (text[0] == '\0' || text[0] == ';' || text[0] == '#') {
        return true;
    }
    if (text[0] == '[') {
        char *close = strchr(text, ']');
        char *after = close != NULL ? close + 1 + strspn(close + 1, " \t") : NULL;
        if (close == NULL || (*after != '\0' && *after != ';' && *after != '#')) {
            config_report(loader, loader->line, CONFIG_ERROR,
                          "%s: accepted: a section header [name] alone on its line; the keys "
                          "below it are skipped",
                          text);
            loader->section_kind = SECTION_SKIPPED;
            return false;
        }
        char *name = text + 1 + strspn(text + 1, " \t");
        size_t length = (size_t)(close - name);
        while (length > 0 && (name[length - 1] == ' ' || name[length - 1] == '\t')) {
            length--;
        }
        if (length == 0 || length >= CONFIG_SECTION_MAX) {
            config_report(loader, loader->line, CONFIG_ERROR,
                          "%s: accepted: a section name of 1..%d bytes; the keys below it are "
                          "skipped",
                          text, CONFIG_SECTION_MAX - 1);
            loader->section_kind = SECTION_SKIPPED;
            return false;
        }
        char name_copy[CONFIG_SECTION_MAX];
        memcpy(name_copy, name, length);
        name_copy[length] = '\0';
        config_enter_section(loader, name_copy);
        return false;
    }
    size_t text_length = config_text_before_comment(text);
    size_t equals = strcspn(text, "=");
    size_t colon = strcspn(text, ":");
    if (equals >= text_length || colon < equals || equals == 0) {
        config_report(loader, loader->line, CONFIG_ERROR,
                      "%s: accepted: key = value, a [section] header, or a comment starting with "
                      "# or ;",
                      text);
        return false;
    }
    return true;
}

/* getc that also feeds the byte into the file's SHA-256 (config_hash). */
static int config_getc(struct config_loader *loader)
{
    int c = getc(loader->file);
    if (c != EOF && loader->hash != NULL) {
        unsigned char byte = (unsigned char)c;
        gnutls_hash(loader->hash, &byte, 1);
    }
    return c;
}

/*
 * Finishes the hash of the file's bytes into "sha256:<hex>" (the rest of the file, should
 * inih have stopped early, included). Leaves out "" when it cannot be computed.
 */
static void config_finish_hash(struct config_loader *loader, char *out, size_t size)
{
    unsigned char digest[32];
    out[0] = '\0';
    if (loader->hash == NULL) {
        return;
    }
    while (config_getc(loader) != EOF) {
    }
    gnutls_hash_deinit(loader->hash, digest);
    loader->hash = NULL;
    if (ferror(loader->file) || size < sizeof "sha256:" + 2 * sizeof digest) {
        return;
    }
    snprintf(out, size, "sha256:");
    for (size_t i = 0; i < sizeof digest; i++) {
        snprintf(out + strlen("sha256:") + 2 * i, 3, "%02x", digest[i]);
    }
}

/*
 * inih's reader (fgets-like). Reads one whole line, however long, counts it, and hands
 * inih either the line without leading blanks or an empty line when it was reported or
 * handled here. Returns NULL at the end of the file or when reading fails (read_errno).
 */
static char *config_read_line(char *out, int out_size, void *stream)
{
    struct config_loader *loader = stream;
    char line[CONFIG_LINE_MAX + 5]; /* a BOM, the longest accepted line, a '\r', the NUL */
    size_t length = 0;
    bool has_nul = false;
    int c = EOF, last = EOF;

    while ((c = config_getc(loader)) != EOF && c != '\n') {
        if (length < sizeof line - 1) {
            line[length] = (char)c;
        }
        has_nul |= c == '\0';
        last = c;
        length++;
    }
    if (c == EOF && ferror(loader->file)) {
        loader->read_errno = errno != 0 ? errno : EIO;
        return NULL;
    }
    if (c == EOF && length == 0) {
        return NULL;
    }
    loader->line++;
    out[0] = '\0';
    if (last == '\r') {
        length--;
    }
    size_t start = 0;
    if (loader->line == 1 && length >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        start = 3; /* a UTF-8 byte order mark */
    }
    size_t limit = CONFIG_LINE_MAX;
    if (out_size > 0 && (size_t)out_size - 1 < limit) {
        limit = (size_t)out_size - 1;
    }
    if (length - start > limit) {
        config_report(loader, loader->line, CONFIG_ERROR,
                      "line is %zu bytes long; at most %zu are accepted", length - start, limit);
        return out;
    }
    line[length] = '\0';
    if (has_nul) {
        config_report(loader, loader->line, CONFIG_ERROR,
                      "line holds a NUL byte: accepted: UTF-8 text");
        return out;
    }
    char *text = line + start;
    text += strspn(text, " \t");
    if (config_check_line(loader, text)) {
        snprintf(out, (size_t)out_size, "%s", text);
    }
    return out;
}

/* --- end of the load -------------------------------------------------------------------- */

static void config_finish(struct config_loader *loader)
{
    struct oase_config *work = &loader->work;

    loader->found.errors += lights_config_check(&work->lights, config_module_report, loader);
    loader->found.errors += audio_config_check(&work->audio, config_module_report, loader);
    loader->found.errors += web_config_check(&work->web, config_module_report, loader);
    loader->found.errors +=
        evaluation_config_check(&work->evaluation, config_module_report, loader);
    loader->found.errors +=
        experiment_config_check(&work->experiment, &work->lights, config_module_report, loader);
    if (work->evaluation.design == EVALUATION_RANDOMISED && !work->experiment.declared) {
        config_report(loader, loader->evaluation_design_line, CONFIG_ERROR,
                      "evaluation.design = randomised needs an [experiment] section (the "
                      "randomised room whose conditions are compared): accepted: add "
                      "[experiment], or design = interrupted_time_series, controlled or "
                      "before_after");
    }

    if (loader->services_line != 0) {
        if (loader->service_count > 0) {
            memcpy(work->services, loader->services, sizeof loader->services);
            work->service_count = loader->service_count;
        } else {
            config_report(loader, loader->services_line, CONFIG_ERROR,
                          "[services] lists no usable service: accepted: 1..%d lines id = label; "
                          "the previous services are kept",
                          CONFIG_MAX_SERVICES);
        }
    }
    if (loader->phases_line != 0) {
        work->phases = loader->phases;
    }

    if (loader->orientation_set || loader->width_setting == PIXELS_AUTO ||
        loader->height_setting == PIXELS_AUTO) {
        bool portrait = work->orientation == ORIENTATION_PORTRAIT;
        if (loader->orientation_set || loader->width_setting == PIXELS_AUTO) {
            work->width = portrait ? 720 : 800;
        }
        if (loader->orientation_set || loader->height_setting == PIXELS_AUTO) {
            work->height = portrait ? 1280 : 480;
        }
    }
    if (loader->width_setting > 0) {
        work->width = loader->width_setting;
    }
    if (loader->height_setting > 0) {
        work->height = loader->height_setting;
    }
    /* The panel's physical width: type sizes are given in millimetres (layout_access.c). */
    if (loader->width_mm_setting > 0.0) {
        work->width_mm = loader->width_mm_setting;
    } else {
        bool portrait = work->orientation == ORIENTATION_PORTRAIT;
        work->width_mm =
            work->width * (portrait ? CONFIG_PORTRAIT_MM_PER_PX : CONFIG_LANDSCAPE_MM_PER_PX);
    }

    /* closed_scene must name a light scene; checked once every [scene.*] has been read. */
    if (work->closed_scene[0] != '\0') {
        bool found = false;
        for (int i = 0; i < work->lights.scene_count && !found; i++) {
            found = strcmp(work->lights.scenes[i].name, work->closed_scene) == 0;
        }
        if (!found) {
            int line = 0;
            for (int i = 0; i < CONFIG_KEY_COUNT; i++) {
                if (config_keys[i].kind == VALUE_SCENE_OR_NONE) {
                    line = loader->key_line[i];
                }
            }
            config_report(loader, line, CONFIG_ERROR,
                          "display.closed_scene = %s: accepted: the name of a [scene.NAME] or "
                          "none; the screen is not dimmed",
                          work->closed_scene);
            work->closed_scene[0] = '\0';
        }
    }

    /* default_language must be one of languages; checked once both may have been read. */
    int default_line = 0, languages_line = 0;
    for (int i = 0; i < CONFIG_KEY_COUNT; i++) {
        if (config_keys[i].kind == VALUE_LANGUAGE) {
            default_line = loader->key_line[i];
        } else if (config_keys[i].kind == VALUE_LANGUAGE_LIST) {
            languages_line = loader->key_line[i];
        }
    }
    if (default_line == 0 && languages_line == 0) {
        return;
    }
    for (int i = 0; i < work->language_count; i++) {
        if (strcmp(work->languages[i], work->default_language) == 0) {
            return;
        }
    }
    char listed[CONFIG_MAX_LANGUAGES * 4 + 1] = "";
    size_t used = 0;
    for (int i = 0; i < work->language_count && used < sizeof listed; i++) {
        int n = snprintf(listed + used, sizeof listed - used, "%s%s", i > 0 ? " " : "",
                         work->languages[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    const char *fallback = work->language_count > 0 ? work->languages[0] : "nl";
    config_report(loader, default_line != 0 ? default_line : languages_line, CONFIG_ERROR,
                  "kiosk.default_language = %s: accepted: one of kiosk.languages (%s); %s is used",
                  work->default_language, listed, fallback);
    snprintf(work->default_language, sizeof work->default_language, "%s", fallback);
}

/* --- public ----------------------------------------------------------------------------- */

void config_defaults(struct oase_config *config)
{
    static const struct service default_services[] = {
        {"schuldhulp", "Schuldhulp", "money"},
        {"werk", "Werk en inkomen", "work"},
        {"wmo", "Wmo", "care"},
        {"weetniet", "Ik weet het niet", "question"},
    };

    memset(config, 0, sizeof *config);
    snprintf(config->site, sizeof config->site, "oase");
    snprintf(config->default_language, sizeof config->default_language, "nl");
    for (int i = 0; config_known_languages[i] != NULL; i++) {
        snprintf(config->languages[i], sizeof config->languages[i], "%s",
                 config_known_languages[i]);
        config->language_count++;
    }
    config->orientation = ORIENTATION_LANDSCAPE;
    config->width = 800;
    config->height = 480;
    config->width_mm = 800 * CONFIG_LANDSCAPE_MM_PER_PX;
    config->inactivity_seconds = 30;
    config->checked_in_seconds = 20;
    config->calm_animation = true;
    config->ask_stress = true;
    config->ask_word = true;
    config->departure_tap = false;
    config->closing_minute = 17 * 60;
    config->wait_estimate_min_samples = 5;

    config->service_count = (int)(sizeof default_services / sizeof default_services[0]);
    memcpy(config->services, default_services, sizeof default_services);

    config->phases.count = 0;

    snprintf(config->font_path, sizeof config->font_path, "%s",
             "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf");
    snprintf(config->font_bold_path, sizeof config->font_bold_path, "%s",
             "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf");
    snprintf(config->font_arabic_path, sizeof config->font_arabic_path, "%s",
             "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf");
    snprintf(config->font_arabic_bold_path, sizeof config->font_arabic_bold_path, "%s",
             "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf");
    snprintf(config->assets_dir, sizeof config->assets_dir, "assets");
    config->rotation = ROTATION_0;
    snprintf(config->backlight, sizeof config->backlight, "auto");
    config->brightness_percent = 100;
    config->brightness_closed_percent = 20;
    snprintf(config->closed_scene, sizeof config->closed_scene, "closed");
    snprintf(config->db_path, sizeof config->db_path, "%s", "/var/lib/oase/oase.db");
    config->staff_pin[0] = '\0'; /* no PIN: the staff menu stays closed */
    config->staff_close_seconds = 60;
    config->speech_button_active_low = true; /* a button to ground, with the pull-up */
    lights_config_defaults(&config->lights);
    hours_defaults(&config->hours);
    audio_config_defaults(&config->audio);
    web_config_defaults(&config->web);
    evaluation_config_defaults(&config->evaluation);
    experiment_config_defaults(&config->experiment);
}

/*
 * Reads file (named path in messages) over *config. The one code path behind config_load and
 * config_load_buffer. Returns 0, or -errno when reading failed (config unchanged).
 */
static int config_load_stream(struct oase_config *config, FILE *file, const char *path,
                              config_report_fn report, void *ctx, struct config_problems *problems)
{
    struct config_loader loader;
    int rc = 0;

    memset(&loader, 0, sizeof loader);
    loader.work = *config;
    loader.path = path;
    loader.report = report;
    loader.ctx = ctx;
    loader.section_kind = SECTION_NONE;
    loader.file = file;

    if (gnutls_hash_init(&loader.hash, GNUTLS_DIG_SHA256) != 0) {
        loader.hash = NULL; /* the kiosk runs on; phase_configs then lacks this run */
    }
    int inih_rc = ini_parse_stream(config_read_line, &loader, config_handle, &loader);
    if (loader.read_errno != 0) {
        rc = -loader.read_errno; /* config unchanged; the caller reports it */
        loader.found.errors++;
        goto out_free_hash;
    }
    if (inih_rc != 0) {
        /* every line inih could reject was reported by the reader: this is a safety net */
        config_report(&loader, inih_rc > 0 ? inih_rc : 0, CONFIG_ERROR,
                      "libinih could not parse this file (code %d)", inih_rc);
    }
    config_finish(&loader);
    config_finish_hash(&loader, loader.work.config_hash, sizeof loader.work.config_hash);
    *config = loader.work;

out_free_hash:
    if (loader.hash != NULL) {
        gnutls_hash_deinit(loader.hash, NULL);
    }
    if (problems != NULL) {
        *problems = loader.found;
    }
    return rc;
}

/*
 * A file saved half (a power cut while an editor wrote it) must not run the kiosk on
 * defaults: 0 bytes, or a last line without its newline, is refused with a message.
 * Returns 0, -ENODATA (empty), -EBADMSG (cut) or -errno (unreadable); file rewound.
 */
static int config_check_whole(FILE *file, const char *path, config_report_fn report, void *ctx)
{
    char message[CONFIG_PATH_MAX + 320];
    int rc = 0;
    struct stat st;
    if (fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) {
        return 0; /* a directory or a pipe: reading it tells */
    }
    if (fseek(file, 0, SEEK_END) != 0) {
        return -errno;
    }
    long size = ftell(file);
    if (size == 0) {
        snprintf(message, sizeof message,
                 "%s: the file is empty (0 bytes; a power cut while it was saved?): restore it "
                 "from a backup or the shipped config/oase.conf; the kiosk never runs on "
                 "built-in defaults in place of its config",
                 path);
        rc = -ENODATA;
    } else if (size > 0 && fseek(file, -1, SEEK_END) == 0 && fgetc(file) != '\n') {
        snprintf(message, sizeof message,
                 "%s: the last line does not end in a newline, so the file may have been cut off "
                 "(a power cut while it was saved?): check its last lines, then end the file "
                 "with a newline",
                 path);
        rc = -EBADMSG;
    }
    if (rc != 0 && report != NULL) {
        report(ctx, message);
    }
    rewind(file);
    return rc;
}

int config_load(struct oase_config *config, const char *path, config_report_fn report, void *ctx,
                struct config_problems *problems)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        int rc = -errno; /* config unchanged; the caller reports it */
        if (problems != NULL) {
            *problems = (struct config_problems){.errors = 1};
        }
        return rc;
    }
    int whole = config_check_whole(file, path, report, ctx);
    if (whole != 0) {
        fclose(file); /* config unchanged */
        if (problems != NULL) {
            *problems = (struct config_problems){.errors = 1};
        }
        return whole;
    }
    int rc = config_load_stream(config, file, path, report, ctx, problems);
    fclose(file);
    return rc;
}

int config_load_buffer(struct oase_config *config, const char *name, const char *data, size_t size,
                       config_report_fn report, void *ctx, struct config_problems *problems)
{
    static char empty[1]; /* glibc reads nothing from a buffer of size 0 */
    FILE *file = fmemopen(size > 0 ? (void *)(uintptr_t)data : empty, size, "r");
    if (file == NULL) {
        int rc = -errno;
        if (problems != NULL) {
            *problems = (struct config_problems){.errors = 1};
        }
        return rc;
    }
    int rc = config_load_stream(config, file, name, report, ctx, problems);
    fclose(file);
    return rc;
}

const struct service *config_service(const struct oase_config *config, const char *id)
{
    return service_find(config->services, config->service_count, id);
}
