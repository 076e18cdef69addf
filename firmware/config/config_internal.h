/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * config_internal: what the files of config share and nothing outside them may use: the
 * sections and fixed keys oase.conf knows (config_keys: where each value goes and what it
 * accepts), the loader's state for one config_load() and the helpers one file lends another.
 * Reading the file, sections, messages and the checks of the whole (config.c); the values of
 * the fixed keys, [services] and [phases] (config_set.c).
 * The tables below are static const: each file that reads one has its own copy (a few
 * hundred bytes); rows are found by index, never compared by address across files.
 */
#ifndef OASE_CONFIG_INTERNAL_H
#define OASE_CONFIG_INTERNAL_H

#include <gnutls/crypto.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"

#define CONFIG_LINE_MAX 199     /* bytes per line Debian's libinih reads whole (INI_MAX_LINE 200) */
#define CONFIG_SECTION_MAX 64   /* longest section name we follow, with its NUL */
#define CONFIG_MESSAGE_MAX 1024 /* one report line */
#define CONFIG_ID_MAX 31        /* service ids and phase names: [a-z0-9_-]{1,31} */
#define CONFIG_PIXELS_MIN 240   /* [display] width and height */
#define CONFIG_PIXELS_MAX 4096
#define CONFIG_DEFAULT_ICON "question"

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

/* Lent by config.c. */
__attribute__((format(printf, 4, 5))) void config_report(struct config_loader *loader, int line,
                                                         enum config_severity severity,
                                                         const char *fmt, ...);
void config_bad_value(struct config_loader *loader, const char *key, const char *value,
                      const char *accepted);
void config_duplicate_key(struct config_loader *loader, const char *key, int first_line);
void config_unknown_key(struct config_loader *loader, const char *key);

/* Lent by config_set.c. */
void config_set_fixed_key(struct config_loader *loader, int index, const char *value);
void config_set_service(struct config_loader *loader, const char *name, const char *value);
void config_set_phase(struct config_loader *loader, const char *name, const char *value);

#endif /* OASE_CONFIG_INTERNAL_H */
