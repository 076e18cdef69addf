/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * config_set: the values of the sections with fixed keys, each checked against its row of
 * config_keys (ranges, languages, closing time, pixels, PIN, paths), and the lists: the
 * services of [services] with their icons and the phases of [phases].
 */
#include "config/config_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/ini_value.h"
#include "core/timezone.h"
#include "core/utf8.h"
#include "core/week.h"

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

void config_set_fixed_key(struct config_loader *loader, int index, const char *value)
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
void config_set_service(struct config_loader *loader, const char *name, const char *value)
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
void config_set_phase(struct config_loader *loader, const char *name, const char *value)
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
