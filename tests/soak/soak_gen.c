/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * soak_gen: writes a replay script of realistic kiosk days (tests/soak/run.sh, make soak,
 * make valgrind) and, beside it, the counts the database must hold afterwards.
 *
 * A day: the kiosk opens at 08:30; visitors check in (every service, stress answers and
 * skips, back taps, language switches through every language), leave with the departure
 * tap, give up half-way (timeout or back); the host collects, marks no-shows and undoes a
 * mark, as on the host page; staff open the menu once a day. The last journey ends before
 * 16:45, the kiosk folds at closing time (17:00), and on some days one visitor checks in
 * after closing (folded at midnight). Saturdays and Sundays are closed: no visitors.
 * "memory" lines log the kiosk's resident memory at the start and after every day.
 *
 * The script drives simulated time only by "wait", "advance-to" and the pace of each tap
 * (600 ms), so this program knows every instant exactly: the hour of each arrival and the
 * band of each collected wait are in the expected counts too. Expected lines (one count
 * each, in any order; run.sh sorts and compares them with the database):
 *   arrival DAY HOUR SERVICE WANTS_WORD N     arrival_counts
 *   wait DAY SERVICE OUTCOME BAND N           wait_counts (band "-" when not collected)
 *   answer DAY MOMENT ANSWER N                answer_counts, summed over hour and room
 *   withheld DAY MOMENT N                     response_counts 'withheld' (stress question)
 *   journey DAY MOMENT OUTCOME N              journey_counts, summed over screen/service
 * Answers leave the kiosk's pool in batches of BATCH_K visitors of one day and moment (the
 * store's tick runs in every gap between journeys); what is left at a day's end is
 * withheld. This program keeps the same pool, so it knows which answers are written.
 *
 * Usage: soak_gen --start YYYY-MM-DD --days N [--journeys N] [--seed N] [--min N] [--max N]
 *                 --replay FILE --expect FILE
 *   --days      simulated days (the script ends just after midnight of the last day)
 *   --journeys  stop after this many visitor journeys (that day still closes, and the
 *               script ends after its midnight); 0 = no limit
 *   --min/--max check-ins per open day (default 30..80)
 * The services and languages are those of tests/soak/soak.conf. Exit 0, or 2 with a
 * message naming the bad argument.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PACE_MS 600            /* the replay's default pace: simulated time before each tap */
#define OPEN_MIN (8 * 60 + 30) /* 08:30 */
#define LAST_END_MIN (16 * 60 + 45)
#define CLOSE_CHECK_MIN (17 * 60 + 5) /* after the 17:00 closing fold */
#define LATE_MIN (17 * 60 + 20)       /* a check-in after closing: folded at midnight */
#define GAP_MIN_MS 50000 /* longer than 30 s inactivity + 15 s still-there, and 20 s checked-in */
#define MAX_ARRIVALS 512
#define MAX_KEYS 20000
#define KEY_SIZE 96
#define STAFF_PIN "2468"
#define BATCH_K 5 /* [research] k of soak.conf (the default) */

static const char *const services[] = {"schuldhulp", "werk", "wmo",
                                       "toeslagen",  "post", "weetniet"};
#define SERVICE_COUNT 6
static const char *const languages[] = {"nl", "en", "ar", "tr", "pl", "uk"};
#define LANGUAGE_COUNT 6

struct arrival {
    int number;
    int service;
    bool word;
    int64_t at_ms; /* ms since local midnight of its day */
    enum { WAITING, COLLECTED, NO_SHOW } status;
    int64_t collected_ms;
    bool foldable; /* before the closing fold: the host may still mark it */
};

struct count {
    char key[KEY_SIZE];
    long n;
};

struct gen {
    FILE *replay;
    uint64_t rng;
    int64_t t_ms; /* ms since local midnight of the current day */
    char day[40]; /* "YYYY-MM-DD" (room for any int the compiler imagines) */
    struct arrival arrivals[MAX_ARRIVALS];
    int arrival_count;
    struct count *counts;
    int count_count;
    long journeys;
    long checkins_total;
    int language_next; /* language switches walk through every language in turn */
    struct {
        int count;
        char lines[BATCH_K][KEY_SIZE]; /* the answer line each visitor adds, "" = none */
    } pools[2];                        /* arrival, departure: as the store's pool */
};

static uint64_t next_random(struct gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

/* Uniform in [low, high]. */
static int64_t uniform(struct gen *g, int64_t low, int64_t high)
{
    return low + (int64_t)(next_random(g) % (uint64_t)(high - low + 1));
}

static bool chance(struct gen *g, int percent)
{
    return uniform(g, 0, 99) < percent;
}

static void die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "soak_gen: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(2);
}

static void count_add(struct gen *g, const char *fmt, ...)
{
    char key[KEY_SIZE];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(key, sizeof key, fmt, args);
    va_end(args);
    if (n < 0 || (size_t)n >= sizeof key) {
        die("expected-count key too long");
    }
    for (int i = g->count_count - 1; i >= 0; i--) {
        if (strcmp(g->counts[i].key, key) == 0) {
            g->counts[i].n++;
            return;
        }
    }
    if (g->count_count == MAX_KEYS) {
        die("more than %d expected counts", MAX_KEYS);
    }
    memcpy(g->counts[g->count_count].key, key, sizeof key);
    g->counts[g->count_count++].n = 1;
}

static void emit(struct gen *g, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vfprintf(g->replay, fmt, args);
    va_end(args);
    fputc('\n', g->replay);
}

static void tap(struct gen *g, const char *id)
{
    g->t_ms += PACE_MS;
    emit(g, "tap %s", id);
}

static void wait_ms(struct gen *g, int64_t ms)
{
    g->t_ms += ms;
    emit(g, "wait %lld", (long long)ms);
}

static void advance_to(struct gen *g, int minute_of_day)
{
    g->t_ms = (int64_t)minute_of_day * 60000;
    emit(g, "advance-to %s %02d:%02d", g->day, minute_of_day / 60, minute_of_day % 60);
}

static const char *wait_band(int64_t wait)
{
    static const struct {
        int below;
        const char *band;
    } bands[] = {{5, "0-5"},    {10, "5-10"},  {15, "10-15"}, {20, "15-20"},
                 {30, "20-30"}, {45, "30-45"}, {60, "45-60"}};
    int64_t minutes = wait > 0 ? wait / 60000 : 0;
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
        if (minutes < bands[i].below) {
            return bands[i].band;
        }
    }
    return "60+";
}

/* 0..10, or -1 for a skip (one in five). */
static int stress_answer(struct gen *g)
{
    return chance(g, 20) ? -1 : (int)uniform(g, 0, 10);
}

static void tap_answer(struct gen *g, int answer)
{
    char id[32];
    snprintf(id, sizeof id, "score:%d", answer);
    tap(g, answer < 0 ? "skip" : id);
}

/* The pool of a moment: 0 arrival, 1 departure. */
static int pool_of(const char *moment)
{
    return strcmp(moment, "arrival") == 0 ? 0 : 1;
}

/* One visitor's answer (answer -1 skip, -2 walked away: no answer cell) into the pool; a
 * pool of BATCH_K is written at the next tick. */
static void pool_answer(struct gen *g, const char *moment, int answer)
{
    int p = pool_of(moment);
    char *line = g->pools[p].lines[g->pools[p].count++];
    if (answer == -1) {
        snprintf(line, KEY_SIZE, "answer %s %s skip", g->day, moment);
    } else if (answer >= 0) {
        snprintf(line, KEY_SIZE, "answer %s %s %d", g->day, moment, answer);
    } else {
        line[0] = '\0';
    }
    if (g->pools[p].count == BATCH_K) {
        for (int i = 0; i < BATCH_K; i++) {
            if (g->pools[p].lines[i][0] != '\0') {
                count_add(g, "%s", g->pools[p].lines[i]);
            }
        }
        g->pools[p].count = 0;
    }
}

/* Midnight: fewer than BATCH_K left of the day are withheld, never written. */
static void pool_close_day(struct gen *g)
{
    static const char *const moments[] = {"arrival", "departure"};
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < g->pools[p].count; i++) {
            count_add(g, "withheld %s %s", g->day, moments[p]);
        }
        g->pools[p].count = 0;
    }
}

static void maybe_switch_language(struct gen *g)
{
    if (!chance(g, 30)) {
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "lang:%s", languages[g->language_next]);
    g->language_next = (g->language_next + 1) % LANGUAGE_COUNT;
    tap(g, id);
}

static void journey_checkin(struct gen *g, bool foldable)
{
    emit(g, "expect-screen welcome");
    maybe_switch_language(g);
    tap(g, "checkin");
    emit(g, "expect-screen service");
    int service = (int)uniform(g, 0, SERVICE_COUNT - 1);
    char id[32];
    snprintf(id, sizeof id, "service:%d", service + 1);
    tap(g, id);
    int64_t at = g->t_ms; /* checked in as the service is chosen */
    if (chance(g, 5)) {   /* back to the services, and another choice */
        tap(g, "back");
        emit(g, "expect-screen service");
        service = (int)uniform(g, 0, SERVICE_COUNT - 1);
        snprintf(id, sizeof id, "service:%d", service + 1);
        tap(g, id);
    }
    int answer = stress_answer(g);
    tap_answer(g, answer);
    if (chance(g, 5)) { /* back from the word question: the answer is given again */
        tap(g, "back");
        emit(g, "expect-screen stress");
        answer = stress_answer(g);
        tap_answer(g, answer);
    }
    bool word = chance(g, 30);
    tap(g, word ? "word:yes" : "word:no");
    emit(g, "expect-screen checked-in");
    if (chance(g, 50)) {
        tap(g, "ok");
    }
    if (g->arrival_count == MAX_ARRIVALS) {
        die("more than %d arrivals on %s", MAX_ARRIVALS, g->day);
    }
    struct arrival *a = &g->arrivals[g->arrival_count];
    *a = (struct arrival){.number = g->arrival_count + 1,
                          .service = service,
                          .word = word,
                          .at_ms = at,
                          .status = WAITING,
                          .foldable = foldable};
    g->arrival_count++;
    count_add(g, "arrival %s %d %s %d", g->day, (int)(at / 3600000), services[service],
              word ? 1 : 0);
    pool_answer(g, "arrival", answer);
    count_add(g, "journey %s arrival completed", g->day);
    g->checkins_total++;
}

static void journey_departure(struct gen *g)
{
    emit(g, "expect-screen welcome");
    maybe_switch_language(g);
    tap(g, "leave");
    emit(g, "expect-screen leave-name");
    tap(g, "skip"); /* who is leaving is the host's business, not the counts' */
    emit(g, "expect-screen leave");
    if (chance(g, 10)) { /* walks away: the question times out during the next gap */
        pool_answer(g, "departure", -2);
        return;
    }
    int answer = stress_answer(g);
    tap_answer(g, answer);
    emit(g, "expect-screen goodbye");
    if (chance(g, 50)) {
        tap(g, "ok");
    }
    pool_answer(g, "departure", answer); /* no journey_counts row: a batch has no hour */
}

static void journey_abandoned(struct gen *g, bool foldable)
{
    emit(g, "expect-screen welcome");
    maybe_switch_language(g);
    tap(g, "checkin");
    int service = (int)uniform(g, 0, SERVICE_COUNT - 1);
    char id[32];
    snprintf(id, sizeof id, "service:%d", service + 1);
    if (chance(g, 50)) {
        tap(g, "back"); /* from the services: gives up at once, before checking in */
        emit(g, "expect-screen welcome");
        count_add(g, "journey %s arrival abandoned", g->day);
        return;
    }
    /* Chooses a service (checked in at once), then walks away: the stress question times
     * out in the next gap; the check-in stands, the question counts as walked away. */
    tap(g, id);
    emit(g, "expect-screen stress");
    if (g->arrival_count == MAX_ARRIVALS) {
        die("more than %d arrivals on %s", MAX_ARRIVALS, g->day);
    }
    g->arrivals[g->arrival_count] = (struct arrival){.number = g->arrival_count + 1,
                                                     .service = service,
                                                     .at_ms = g->t_ms,
                                                     .status = WAITING,
                                                     .foldable = foldable};
    g->arrival_count++;
    count_add(g, "arrival %s %d %s 0", g->day, (int)(g->t_ms / 3600000), services[service]);
    count_add(g, "journey %s arrival completed", g->day);
    pool_answer(g, "arrival", -2);
    g->checkins_total++;
}

static void staff_visit(struct gen *g)
{
    emit(g, "expect-screen welcome");
    g->t_ms += PACE_MS + 3000;
    emit(g, "hold 30 240 3000");
    emit(g, "expect-screen staff-pin");
    for (const char *digit = STAFF_PIN; *digit; digit++) {
        char id[8];
        snprintf(id, sizeof id, "pin:%c", *digit);
        tap(g, id);
    }
    tap(g, "pin:ok");
    emit(g, "expect-screen staff-menu");
    static const char *const actions[] = {"scene:quiet", "scene:schedule", "light:test",
                                          "sound:next"};
    tap(g, actions[uniform(g, 0, 3)]);
    tap(g, "close");
    emit(g, "expect-screen welcome");
}

/* The host marks arrivals as the day goes: collects the longest waiting, some no-shows. */
static void host_marks(struct gen *g)
{
    struct arrival *oldest = NULL;
    for (int i = 0; i < g->arrival_count; i++) {
        struct arrival *a = &g->arrivals[i];
        if (a->foldable && a->status == WAITING && a->at_ms + 60000 <= g->t_ms) {
            oldest = a;
            break;
        }
    }
    if (oldest && chance(g, 5)) {
        oldest->status = NO_SHOW;
        emit(g, "host %d no-show", oldest->number);
    } else if (oldest && chance(g, 70)) {
        oldest->status = COLLECTED;
        oldest->collected_ms = g->t_ms;
        emit(g, "host %d collected", oldest->number);
    }
    if (chance(g, 3)) { /* undo: the last one marked goes back to waiting */
        for (int i = g->arrival_count - 1; i >= 0; i--) {
            struct arrival *a = &g->arrivals[i];
            if (a->foldable && a->status != WAITING) {
                a->status = WAITING;
                a->collected_ms = 0;
                emit(g, "host %d waiting", a->number);
                break;
            }
        }
    }
}

/* Arrivals from..count-1 of the day as the fold counts them into wait_counts. */
static void count_waits(struct gen *g, int from)
{
    for (int i = from; i < g->arrival_count; i++) {
        const struct arrival *a = &g->arrivals[i];
        const char *service = services[a->service];
        if (a->status == COLLECTED) {
            count_add(g, "wait %s %s collected %s", g->day, service,
                      wait_band(a->collected_ms - a->at_ms));
        } else {
            count_add(g, "wait %s %s %s -", g->day, service,
                      a->status == NO_SHOW ? "no_show" : "not_marked");
        }
    }
}

enum kind { CHECKIN, DEPARTURE, ABANDONED };

static void open_day(struct gen *g, int checkins, long journey_limit)
{
    int departures = checkins / 4 + (int)uniform(g, 0, 3);
    int abandoned = checkins / 10 + (int)uniform(g, 0, 2);
    int total = checkins + departures + abandoned;
    enum kind kinds[MAX_ARRIVALS * 2];
    int n = 0;
    for (int i = 0; i < checkins; i++) {
        kinds[n++] = CHECKIN;
    }
    for (int i = 0; i < departures; i++) {
        kinds[n++] = DEPARTURE;
    }
    for (int i = 0; i < abandoned; i++) {
        kinds[n++] = ABANDONED;
    }
    for (int i = n - 1; i > 0; i--) { /* shuffled */
        int j = (int)uniform(g, 0, i);
        enum kind swap = kinds[i];
        kinds[i] = kinds[j];
        kinds[j] = swap;
    }
    advance_to(g, OPEN_MIN);
    int64_t window = (int64_t)(LAST_END_MIN - OPEN_MIN) * 60000;
    int64_t per = window / total;      /* a journey's share of the day, gap included */
    int64_t journey_ms = 40 * PACE_MS; /* no journey takes longer than this (staff included) */
    if (per < GAP_MIN_MS + journey_ms) {
        die("%d journeys do not fit in one day", total);
    }
    int staff_at = (int)uniform(g, 0, total - 1);
    for (int i = 0; i < total; i++) {
        if (journey_limit > 0 && g->journeys >= journey_limit) {
            break;
        }
        /* Each journey starts in its own slot of the day, somewhere after a calm gap. */
        int64_t slot_start = (int64_t)OPEN_MIN * 60000 + per * i;
        int64_t start = slot_start + uniform(g, GAP_MIN_MS, per - journey_ms);
        wait_ms(g, start - g->t_ms);
        if (i == staff_at) {
            staff_visit(g);
        }
        switch (kinds[i]) {
        case CHECKIN:
            journey_checkin(g, true);
            break;
        case DEPARTURE:
            journey_departure(g);
            break;
        case ABANDONED:
            journey_abandoned(g, true);
            break;
        }
        g->journeys++;
        host_marks(g);
    }
    advance_to(g, CLOSE_CHECK_MIN); /* the closing fold has run */
    count_waits(g, 0);
    for (int i = 0; i < g->arrival_count; i++) {
        g->arrivals[i].foldable = false;
    }
}

/* One visitor after closing time: folded at midnight with the day it arrived on. */
static void late_visitor(struct gen *g)
{
    int first = g->arrival_count; /* numbers go on after the closing fold */
    advance_to(g, LATE_MIN);
    journey_checkin(g, true);
    g->journeys++;
    wait_ms(g, uniform(g, 2, 20) * 60000);
    struct arrival *a = &g->arrivals[first];
    if (chance(g, 70)) {
        a->status = COLLECTED;
        a->collected_ms = g->t_ms;
        emit(g, "host %d collected", a->number);
    }
    count_waits(g, first);
}

static void parse_args(int argc, char **argv, char *start, long *days, long *journeys,
                       uint64_t *seed, long *min, long *max, const char **replay,
                       const char **expect)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (i + 1 >= argc) {
            die("%s: needs a value", arg);
        }
        const char *value = argv[++i];
        char *end;
        errno = 0;
        long number = strtol(value, &end, 10);
        bool numeric = errno == 0 && *end == '\0' && end != value && number >= 0;
        if (strcmp(arg, "--start") == 0) {
            if (strlen(value) != 10) {
                die("--start %s: accepted: YYYY-MM-DD", value);
            }
            memcpy(start, value, 11);
        } else if (strcmp(arg, "--replay") == 0) {
            *replay = value;
        } else if (strcmp(arg, "--expect") == 0) {
            *expect = value;
        } else if (!numeric) {
            die("%s %s: accepted: a whole number >= 0", arg, value);
        } else if (strcmp(arg, "--days") == 0) {
            *days = number;
        } else if (strcmp(arg, "--journeys") == 0) {
            *journeys = number;
        } else if (strcmp(arg, "--seed") == 0) {
            *seed = (uint64_t)number;
        } else if (strcmp(arg, "--min") == 0) {
            *min = number;
        } else if (strcmp(arg, "--max") == 0) {
            *max = number;
        } else {
            die("unknown option %s: accepted: --start --days --journeys --seed --min --max "
                "--replay --expect",
                arg);
        }
    }
    if (!start[0] || *days < 1 || !*replay || !*expect || *min < 1 || *max < *min || *max > 200) {
        die("usage: soak_gen --start YYYY-MM-DD --days N (>= 1) [--journeys N] [--seed N] "
            "[--min N] [--max N (<= 200)] --replay FILE --expect FILE");
    }
}

int main(int argc, char **argv)
{
    char start[11] = "";
    long days = 0, journey_limit = 0, min = 30, max = 80;
    uint64_t seed = 1;
    const char *replay_path = NULL, *expect_path = NULL;
    parse_args(argc, argv, start, &days, &journey_limit, &seed, &min, &max, &replay_path,
               &expect_path);

    struct gen g = {.rng = seed * 2654435761u + 88172645463325252ull};
    g.counts = calloc(MAX_KEYS, sizeof *g.counts);
    g.replay = fopen(replay_path, "w");
    if (!g.counts || !g.replay) {
        die("%s: %s", replay_path, strerror(errno));
    }
    struct tm day = {0};
    if (sscanf(start, "%4d-%2d-%2d", &day.tm_year, &day.tm_mon, &day.tm_mday) != 3) {
        die("--start %s: accepted: YYYY-MM-DD", start);
    }
    day.tm_year -= 1900;
    day.tm_mon -= 1;
    day.tm_hour = 12;
    emit(&g, "# %ld simulated days from %s (tests/soak/soak_gen.c, seed %llu)", days, start,
         (unsigned long long)seed);
    emit(&g, "start %s 07:00", start);
    emit(&g, "memory");
    long open_days = 0;
    for (long d = 0; d < days; d++) {
        time_t noon = timegm(&day); /* normalises the date: the next day of the month */
        struct tm norm;
        gmtime_r(&noon, &norm);
        snprintf(g.day, sizeof g.day, "%04d-%02d-%02d", norm.tm_year + 1900, norm.tm_mon + 1,
                 norm.tm_mday);
        g.arrival_count = 0;
        bool weekend = norm.tm_wday == 0 || norm.tm_wday == 6;
        bool more = journey_limit == 0 || g.journeys < journey_limit;
        if (!weekend && more) {
            emit(&g, "# %s", g.day);
            open_day(&g, (int)uniform(&g, min, max), journey_limit);
            open_days++;
            emit(&g, "memory");
            if (chance(&g, 30) && (journey_limit == 0 || g.journeys < journey_limit)) {
                late_visitor(&g);
            }
        }
        pool_close_day(&g); /* at the coming midnight */
        day.tm_mday++;
        bool done = journey_limit > 0 && g.journeys >= journey_limit;
        if (d + 1 == days || done) { /* past the last midnight: every day folded */
            time_t next = timegm(&day);
            gmtime_r(&next, &norm);
            emit(&g, "advance-to %04d-%02d-%02d 00:05", norm.tm_year + 1900, norm.tm_mon + 1,
                 norm.tm_mday);
            emit(&g, "memory");
            days = d + 1;
            break;
        }
    }
    if (fclose(g.replay) != 0) {
        die("%s: %s", replay_path, strerror(errno));
    }
    FILE *expect = fopen(expect_path, "w");
    if (!expect) {
        die("%s: %s", expect_path, strerror(errno));
    }
    for (int i = 0; i < g.count_count; i++) {
        fprintf(expect, "%s %ld\n", g.counts[i].key, g.counts[i].n);
    }
    if (fclose(expect) != 0) {
        die("%s: %s", expect_path, strerror(errno));
    }
    fprintf(stderr, "soak_gen: %ld days (%ld open), %ld journeys, %ld check-ins\n", days, open_days,
            g.journeys, g.checkins_total);
    free(g.counts);
    return 0;
}
