/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_api: the host page's JSON answers and the parsing of its requests, as plain
 * functions with no sockets and no locks (web.c gathers what they read). Owns the shape of
 * /api/state, the k-anonymity of today's stress mean, and strict parsing of form bodies.
 * Never shows a stress answer of one person: the store counts answers for the host only
 * when a batch of at least k visitors is written (store.h), so the mean (shown from k
 * answers on) moves only by whole batches and reads the same after a restart.
 */
#ifndef OASE_WEB_API_H
#define OASE_WEB_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i18n/lang.h"
#include "lights/lights.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_json.h"

#define WEB_API_JSON_MAX (4 * 1024 * 1024) /* the largest answer: 1024 arrivals, all escaped */

/* The room as the main loop last published it (web_poll). */
struct web_room {
    bool lights_known;           /* lights present and published at least once */
    struct lights_status lights; /* as of the last web_poll() */
    char scenes[LIGHTS_MAX_SCENES][LIGHTS_NAME_MAX]; /* in config order */
    int scene_count;
    bool audio_known; /* the kiosk has sound (web_context.audio) */
    struct web_audio_status audio;
    struct experiment_status experiment; /* [experiment]; declared false: none */
};

/* The kiosk's health as the page shows it. */
struct web_health {
    char database_error[512]; /* store_last_error(), "" = fine */
    long long failed_writes;  /* store_failed_writes() */
    char database_fault[512]; /* store_health().fault: a file moved aside at start, "" = none */
    bool database_in_memory;  /* no database file could be made: counts end at a restart */
    bool unsaved;             /* the disk refuses writes: they wait in memory */
    int64_t unsaved_since_ms; /* kiosk time of the oldest write not on disk (when unsaved) */
    int held_writes;          /* writes in memory not yet on disk */
    long long lost_writes;    /* refused because memory was full (store_health().lost) */
    int answers_pooled; /* answers in memory waiting for a batch of k (a power cut loses them) */
    long long answers_withheld; /* since start: fewer than k left at a day's end or shutdown */
    long long answers_refused;  /* since start: the answer pool was full */
    bool disk_known;            /* statvfs of the database's folder worked */
    long long disk_free_mb;
    int disk_free_percent;
    const char *clock_problem; /* "" fine, "unsynced" or "stale" (klok niet gelijk) */
};

/*
 * Today's stress mean from the store's written answers (answers, sum): true with *mean and
 * *shown_answers when there are at least k answers, false when none may be shown. No state:
 * the same figures give the same mean, before and after a restart.
 */
bool web_stress_mean(int answers, int64_t sum, int k, double *mean, int *shown_answers);

/* What the web module keeps in memory about one of today's arrivals (never on disk). */
struct web_arrival_extra {
    bool claimed;       /* a desk said "ik haal deze" while the visitor waits */
    bool claimed_by_me; /* by the session asking */
    int64_t claimed_ms; /* kiosk time of the claim */
    int64_t marked_ms;  /* kiosk time of the last status change from a desk; 0 = unknown */
};

/* Everything /api/state shows, gathered by web.c. */
struct web_api_view {
    int64_t now_ms; /* kiosk time */
    const struct store_arrival *arrivals;
    const struct web_arrival_extra *extras; /* one per arrival; NULL = none claimed or marked */
    int arrival_count;
    int help_requests; /* open "hulp gevraagd bij de kiosk" requests (web_help_request) */
    const struct store_today *today;
    const struct web_kiosk *kiosk;
    const struct lang_set *langs; /* may be NULL */
    int k;                        /* web.stress_min_answers */
    bool stress_mean_shown;
    double stress_mean;
    int stress_mean_answers;
    const struct web_room *room;
    const struct web_health *health;
};

/* Writes the /api/state document. Returns 0, or -ENOMEM when it did not fit (json failed). */
int web_api_state(struct web_json *json, const struct web_api_view *view);

/*
 * Finds name in an application/x-www-form-urlencoded body of length bytes and decodes its
 * value ('+' and %XX) into out. Returns 1 when found, 0 when absent (out = ""), -EINVAL when
 * the body is malformed (a bad %-escape, a NUL byte, a value longer than out_size - 1;
 * out = "" then too, never a half-decoded value).
 */
int web_form_get(const char *body, size_t length, const char *name, char *out, size_t out_size);

/* Parses a whole decimal number in min..max. Returns 0, or -EINVAL (out unchanged). */
int web_api_parse_int(const char *text, long min, long max, long *out);

/* "collected", "no_show", "waiting" -> status; -EINVAL for anything else. */
int web_api_parse_status(const char *text, enum store_arrival_status *out);

/* The status's name as /api/state writes it. */
const char *web_api_status_name(enum store_arrival_status status);

#endif
