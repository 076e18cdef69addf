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
 * checks each key = value against the tables of config_internal.h; the values of the fixed
 * keys, [services] and [phases] are set in config_set.c.
 *
 * Every value goes into a working copy; lists ([services], [phases]) are collected on the
 * side and replace the previous list when the file has been read. If reading fails half
 * way, the caller's config is left as it was.
 */
#include "config/config.h"
#include "config/config_internal.h"

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

__attribute__((format(printf, 4, 5))) void config_report(struct config_loader *loader, int line,
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
void config_bad_value(struct config_loader *loader, const char *key, const char *value,
                      const char *accepted)
{
    config_report(loader, loader->line, CONFIG_ERROR, "%s.%s = %s: accepted: %s", loader->section,
                  key, value, accepted);
}

void config_duplicate_key(struct config_loader *loader, const char *key, int first_line)
{
    config_report(loader, loader->line, CONFIG_WARNING,
                  "%s.%s is set again (first on line %d); the last good value counts",
                  loader->section, key, first_line);
}

void config_unknown_key(struct config_loader *loader, const char *key)
{
    config_report(loader, loader->line, CONFIG_WARNING, "unknown key %s.%s (ignored)",
                  loader->section, key);
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
