/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * replay: reads a replay script that drives the kiosk without a person, for tests,
 * benchmarks and demonstrations. One command per line; '#' starts a comment.
 *
 *   start YYYY-MM-DD HH:MM [UPTIME]
 *                            simulated local start time (first command only; default:
 *                            now, rounded down to the minute); UPTIME: seconds since the
 *                            machine booted (default 600). Two replays on one database
 *                            whose start less UPTIME is the same instant ran in one boot:
 *                            the second is a restart of the kiosk, not of the machine
 *   tap ID                   tap the widget with this id on the current screen
 *   tap-at X Y               tap at a pixel of the logical screen
 *   wait MS                  let simulated time pass (timeouts, closing time, midnight)
 *   advance-to YYYY-MM-DD HH:MM
 *                            let simulated time pass until this local time (across days,
 *                            closing times, midnights and DST changes, as wait does); stops
 *                            with an error when the kiosk's time is already past it
 *   pace MS                  simulated time before each tap (default 600: a calm person)
 *   hold X Y MS              a finger held at a pixel for MS (the staff corner: 3000)
 *   expect-screen NAME       stop with an error unless NAME is showing (a journey screen,
 *                            staff-pin or staff-menu)
 *   checkin-default [N]      from the welcome screen, a calm default check-in: checkin, then
 *                            service N (default 1) when asked, skip the stress question,
 *                            "no" to a word; stops with an error unless the checked-in screen
 *                            is reached (e.g. closed)
 *   host NUMBER collected|no-show|waiting
 *                            the host marks today's arrival NUMBER (as the host page does)
 *   memory                   log the kiosk's memory with its local time (soak runs):
 *                            "memory: DAY HH:MM rss_kb= hwm_kb= anon_kb= file_kb= heap_kb="
 *                            (VmRSS, VmHWM, RssAnon, RssFile; malloc's bytes in use)
 *   clock-step SECONDS       the wall clock jumps by SECONDS (+ or -) while monotonic time
 *                            goes on, as NTP setting a stale clock right or `date -s` would
 *   storm SECONDS RATE SEED  a touch storm: RATE random touches per simulated second for
 *                            SECONDS (multi-touch, fingers up without down, touches outside
 *                            the screen), through the app's event path; fails unless every
 *                            check-in made (a name given) was counted once and the 400 ms guard
 * held
 *
 * For tests of the systemd watchdog only (tests/e2e/watchdog.sh), in real time:
 *   real-wait MS             MS of real time pass with the main loop alive (ticks, frames,
 *                            watchdog pings); simulated time moves along with it
 *   stall MS                 the main loop hangs for MS of real time: no ticks, no frames,
 *                            no pings (as a stuck driver or a deadlock would)
 *
 * The parser checks everything before the kiosk starts; the whole script is refused
 * with "FILE:LINE: ..." naming the first bad line.
 */
#ifndef OASE_REPLAY_H
#define OASE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#define REPLAY_MAX_COMMANDS 200000
#define REPLAY_ID_MAX 32
#define REPLAY_MAX_WAIT_MS (400LL * 24 * 3600 * 1000) /* one wait spans at most 400 days */
#define REPLAY_MAX_REAL_MS 600000                     /* real-wait and stall: 10 minutes */
#define REPLAY_MAX_STEP_S (400 * 24 * 3600)           /* clock-step: at most 400 days */
#define REPLAY_MAX_UPTIME_S (400 * 24 * 3600)         /* start's UPTIME: at most 400 days */

enum replay_op {
    REPLAY_TAP,
    REPLAY_TAP_AT,
    REPLAY_HOLD,
    REPLAY_WAIT,
    REPLAY_PACE,
    REPLAY_EXPECT,
    REPLAY_HOST,
    REPLAY_ADVANCE_TO, /* ms: the target instant (UTC ms) */
    REPLAY_MEMORY,
    REPLAY_REAL_WAIT,       /* test-only: real time passes, the loop alive */
    REPLAY_STALL,           /* test-only: the loop hangs */
    REPLAY_STORM,           /* ms: duration; rate, seed */
    REPLAY_CLOCK_STEP,      /* ms: the wall clock's jump (either sign) */
    REPLAY_CHECKIN_DEFAULT, /* ms: the service number (1-based) */
};

struct replay_command {
    enum replay_op op;
    int line;               /* line in the script, for messages */
    char id[REPLAY_ID_MAX]; /* widget id, screen name or host status */
    int x, y;               /* tap-at, hold */
    int64_t ms;    /* wait / pace / hold / storm; host: arrival number; advance-to: UTC ms */
    int rate;      /* storm: touches per simulated second, 1..10000 */
    uint32_t seed; /* storm: the random sequence, 0..2147483647 */
};

struct replay_script {
    char path[256];
    struct replay_command *commands;
    size_t count;
    int64_t start_ms;  /* 0 when the script has no start line */
    int64_t uptime_ms; /* the start line's UPTIME, 0 = the default */
};

/*
 * Reads and checks path. Returns 0, or -errno with a one-line reason in err
 * ("demo.replay:7: wait -5: accepted: 0..34560000000 ms"); script is empty then.
 */
int replay_load(struct replay_script *script, const char *path, char *err, size_t err_size);

void replay_free(struct replay_script *script);

#endif
