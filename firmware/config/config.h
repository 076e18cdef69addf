/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * config: the kiosk's settings, read from one INI file (config/oase.conf) with libinih.
 * Owns validation: every value is checked, a bad one is reported as
 * "FILE:LINE: section.key = value: what is accepted" and keeps its default.
 * Never exits; the caller decides what a problem means (oase --check-config exits 1).
 */
#ifndef OASE_CONFIG_H
#define OASE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "audio/audio_config.h"
#include "core/hours.h"
#include "core/phase.h"
#include "core/service.h"
#include "core/timezone.h"
#include "experiment/experiment_config.h"
#include "lights/lights_config.h"
#include "research/evaluation_config.h"
#include "screens/rotation.h"
#include "web/web_config.h"

#define CONFIG_MAX_SERVICES SERVICE_MAX
#define CONFIG_MAX_LANGUAGES 12
#define CONFIG_PATH_MAX 256

enum config_orientation {
    ORIENTATION_LANDSCAPE, /* 800x480, the official 7" touchscreen */
    ORIENTATION_PORTRAIT,  /* 720x1280, Touch Display 2 */
};

/* auto width_mm: the 7" panel (154.2 mm for 800 px), Touch Display 2 (87.5 mm for 720 px) */
#define CONFIG_LANDSCAPE_MM_PER_PX (154.2 / 800.0)
#define CONFIG_PORTRAIT_MM_PER_PX (87.5 / 720.0)

struct oase_config {
    /* [kiosk] */
    char site[64];                           /* site name, tags exports; default "oase" */
    char default_language[8];                /* "nl" */
    char languages[CONFIG_MAX_LANGUAGES][8]; /* language buttons in this order */
    int language_count;
    enum config_orientation orientation; /* landscape */
    int width, height;                   /* derived from orientation unless set in [display] */
    double width_mm;        /* physical width of those width pixels: [display] width_mm, else the
                               panel's (auto) */
    int inactivity_seconds; /* 30, accepted 10..600 */
    int checked_in_seconds; /* 20, accepted 5..120: how long "checked in" stays */
    bool calm_animation;    /* on */
    bool ask_stress;        /* on: the 0-10 stress question */
    bool ask_word;          /* on: "would you like a word with someone?" */
    bool departure_tap;     /* off: "Ik ga weg" on the welcome screen */
    int closing_minute;     /* 17:00 -> 1020; -1 = "none" (fold at midnight only) */
    int wait_estimate_min_samples; /* 5, accepted 3..1000: collected waits today before a range is
                                      shown */
    char timezone[TIMEZONE_NAME_MAX]; /* "" = the system's (TZ, else /etc/localtime); a name
                                         core/timezone.h does not know is kept (and reported):
                                         the kiosk refuses to start on it */

    /* [services], in file order */
    struct service services[CONFIG_MAX_SERVICES];
    int service_count;

    /* [phases] name = YYYY-MM-DD */
    struct phase_list phases;

    /* [display] */
    char font_path[CONFIG_PATH_MAX];        /* Noto Sans Regular */
    char font_bold_path[CONFIG_PATH_MAX];   /* Noto Sans Bold */
    char font_arabic_path[CONFIG_PATH_MAX]; /* Noto Sans Arabic Regular */
    char font_arabic_bold_path[CONFIG_PATH_MAX];
    char assets_dir[CONFIG_PATH_MAX]; /* where lang/ lives; default "assets" */
    enum rotation rotation;           /* 0: how the panel is mounted (screens/rotation.h) */
    char backlight[64];            /* "auto" (first /sys/class/backlight device), "off" or a name */
    int brightness_percent;        /* 100, accepted 1..100: the screen while open */
    int brightness_closed_percent; /* 20, accepted 0..100: while closed_scene is in force */
    char closed_scene[LIGHTS_NAME_MAX]; /* "closed": the light scene meaning closed; "" = none */

    /* [store] */
    char db_path[CONFIG_PATH_MAX]; /* /var/lib/oase/oase.db; --db overrides */

    /* [staff] */
    char staff_pin[9];       /* 4..8 digits; "" = the staff menu is off (default) */
    int staff_close_seconds; /* 60, accepted 10..600: the menu closes itself when untouched */

    /* [speech]: the optional push button that reads the screen aloud (kiosk/speech_button.h) */
    char speech_button_line[32];   /* GPIO line name; "" (default): no button */
    char speech_button_chip[64];   /* chip label; "": the line is looked up on every chip */
    bool speech_button_active_low; /* on: pressed pulls the line to ground */

    /* [hours]: opening hours, closed dates, phone; owned by core/hours.c */
    struct hours hours;

    /* [audio], [audio.schedule]: owned by audio/audio_config.c */
    struct audio_config audio;

    /* [web]: owned by web/web_config.c */
    struct web_config web;

    /* [evaluation]: owned by research/evaluation_config.c (read by oase-report --config) */
    struct evaluation_config evaluation;

    /* [experiment]: owned by experiment/experiment_config.c (a randomised room) */
    struct experiment_config experiment;

    /* [lights], [light.*], [scene.*], [schedule]: owned by lights/lights_config.c */
    struct lights_config lights;

    /* Not a setting: "sha256:<hex>" of the bytes of the file config_load() read last ("" when
     * none was read); the store keeps it per phase (phase_configs) */
    char config_hash[72];
};

/* Counts of what config_load() found. */
struct config_problems {
    int errors;   /* unreadable file, malformed line, bad value (default kept) */
    int warnings; /* unknown section or key */
};

/* Receives one message line, already formatted with file and line. */
typedef void (*config_report_fn)(void *ctx, const char *message);

/* Fills every field with its documented default (the same values config/oase.conf shows). */
void config_defaults(struct oase_config *config);

/*
 * Reads path over the current values (call config_defaults first). Each problem is
 * reported once through report (may be NULL) and counted in *problems. A bad value
 * leaves that field's previous value in place. Returns 0 when the file was read (even
 * with problems), -errno when it could not be opened, -ENODATA when it is empty (0 bytes)
 * and -EBADMSG when its last line lacks its newline (cut off while saved); in these
 * cases the config is unchanged and the last two are reported through report.
 */
int config_load(struct oase_config *config, const char *path, config_report_fn report, void *ctx,
                struct config_problems *problems);

/*
 * The same as config_load for a text held in memory (size bytes, no NUL needed); name stands
 * for the file in messages. Returns 0, or -errno when no stream could be made of it.
 */
int config_load_buffer(struct oase_config *config, const char *name, const char *data, size_t size,
                       config_report_fn report, void *ctx, struct config_problems *problems);

/* The service with this id, or NULL. */
const struct service *config_service(const struct oase_config *config, const char *id);

#endif
