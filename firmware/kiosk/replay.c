/* SPDX-License-Identifier: EUPL-1.2 */
/* replay: see replay.h. Bounded: lines over 255 bytes and scripts over the limits fail. */
#include "kiosk/replay.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "kiosk/journey.h"

#define LINE_MAX_BYTES 256

/* Parses a whole decimal integer in [min, max]. Returns 0 or -EINVAL. */
static int parse_int(const char *text, long long min, long long max, long long *out)
{
    if (*text == '\0') {
        return -EINVAL;
    }
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max) {
        return -EINVAL;
    }
    *out = value;
    return 0;
}

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= REPLAY_ID_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)id[i]) && id[i] != ':' && id[i] != '-' && id[i] != '_') {
            return false;
        }
    }
    return true;
}

/* Splits line into at most 4 whitespace-separated words; returns the count (5 = too many). */
static int split(char *line, char *words[4])
{
    int count = 0;
    for (char *save = NULL, *word = strtok_r(line, " \t\r\n", &save); word;
         word = strtok_r(NULL, " \t\r\n", &save)) {
        if (count == 4) {
            return 5;
        }
        words[count++] = word;
    }
    return count;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        snprintf(err, err_size, __VA_ARGS__);                                                      \
        return -EINVAL;                                                                            \
    } while (0)

/* Parses one non-empty line into cmd (start lines set *start_ms instead and return 1). */
static int parse_line(const char *path, int line_no, char *line, struct replay_command *cmd,
                      int64_t *start_ms, int64_t *uptime_ms, bool first, char *err, size_t err_size)
{
    char copy[LINE_MAX_BYTES];
    snprintf(copy, sizeof copy, "%s", line);
    copy[strcspn(copy, "\r\n")] = '\0';
    for (char *c = copy; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
            *c = '?'; /* scripts are ASCII: a quoted line never carries a terminal escape */
        }
    }
    char *words[4];
    int n = split(line, words);
    long long value;
    memset(cmd, 0, sizeof *cmd);
    cmd->line = line_no;
    const char *verb = words[0];
    if (strcmp(verb, "start") == 0) {
        if (!first) {
            FAIL("%s:%d: start must be the first command", path, line_no);
        }
        char when[32];
        if ((n != 3 && n != 4) ||
            snprintf(when, sizeof when, "%s %s", words[1], words[2]) >= (int)sizeof when ||
            clock_parse_local(when, start_ms) != 0 ||
            (n == 4 && parse_int(words[3], 1, REPLAY_MAX_UPTIME_S, &value) != 0)) {
            FAIL("%s:%d: \"%s\": accepted: start YYYY-MM-DD HH:MM [UPTIME] (an existing local "
                 "time; UPTIME seconds since boot, 1..%d)",
                 path, line_no, copy, REPLAY_MAX_UPTIME_S);
        }
        *uptime_ms = n == 4 ? value * 1000 : 0;
        return 1;
    }
    if (strcmp(verb, "tap") == 0) {
        if (n != 2 || !valid_id(words[1])) {
            FAIL("%s:%d: \"%s\": accepted: tap ID (letters, digits, ':', '-', '_'; e.g. "
                 "checkin, service:1, score:7, skip, word:yes, lang:ar)",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_TAP;
        snprintf(cmd->id, sizeof cmd->id, "%s", words[1]);
        return 0;
    }
    if (strcmp(verb, "tap-at") == 0) {
        long long x, y;
        if (n != 3 || parse_int(words[1], 0, 4095, &x) != 0 ||
            parse_int(words[2], 0, 4095, &y) != 0) {
            FAIL("%s:%d: \"%s\": accepted: tap-at X Y with X and Y in 0..4095 px", path, line_no,
                 copy);
        }
        cmd->op = REPLAY_TAP_AT;
        cmd->x = (int)x;
        cmd->y = (int)y;
        return 0;
    }
    if (strcmp(verb, "hold") == 0) {
        long long x, y;
        if (n != 4 || parse_int(words[1], 0, 4095, &x) != 0 ||
            parse_int(words[2], 0, 4095, &y) != 0 || parse_int(words[3], 0, 600000, &value) != 0) {
            FAIL("%s:%d: \"%s\": accepted: hold X Y MS with X and Y in 0..4095 px and MS in "
                 "0..600000",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_HOLD;
        cmd->x = (int)x;
        cmd->y = (int)y;
        cmd->ms = value;
        return 0;
    }
    if (strcmp(verb, "wait") == 0 || strcmp(verb, "pace") == 0) {
        long long max = strcmp(verb, "wait") == 0 ? REPLAY_MAX_WAIT_MS : 3600000;
        if (n != 2 || parse_int(words[1], 0, max, &value) != 0) {
            FAIL("%s:%d: \"%s\": accepted: %s MS with MS in 0..%lld", path, line_no, copy, verb,
                 max);
        }
        cmd->op = strcmp(verb, "wait") == 0 ? REPLAY_WAIT : REPLAY_PACE;
        cmd->ms = value;
        return 0;
    }
    if (strcmp(verb, "real-wait") == 0 || strcmp(verb, "stall") == 0) {
        if (n != 2 || parse_int(words[1], 0, REPLAY_MAX_REAL_MS, &value) != 0) {
            FAIL("%s:%d: \"%s\": accepted: %s MS with MS in 0..%d (real time; for tests)", path,
                 line_no, copy, verb, REPLAY_MAX_REAL_MS);
        }
        cmd->op = strcmp(verb, "stall") == 0 ? REPLAY_STALL : REPLAY_REAL_WAIT;
        cmd->ms = value;
        return 0;
    }
    if (strcmp(verb, "expect-screen") == 0) {
        bool staff =
            n == 2 && (strcmp(words[1], "staff-pin") == 0 || strcmp(words[1], "staff-menu") == 0);
        if (n != 2 || (!staff && journey_screen_from_name(words[1]) < 0)) {
            FAIL("%s:%d: \"%s\": accepted: expect-screen NAME with NAME one of welcome, service, "
                 "stress, word, checked-in, leave, goodbye, staff-pin, staff-menu",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_EXPECT;
        snprintf(cmd->id, sizeof cmd->id, "%s", words[1]);
        return 0;
    }
    if (strcmp(verb, "host") == 0) {
        if (n != 3 || parse_int(words[1], 1, 100000, &value) != 0 ||
            (strcmp(words[2], "collected") != 0 && strcmp(words[2], "no-show") != 0 &&
             strcmp(words[2], "waiting") != 0)) {
            FAIL("%s:%d: \"%s\": accepted: host NUMBER collected|no-show|waiting", path, line_no,
                 copy);
        }
        cmd->op = REPLAY_HOST;
        cmd->ms = value;
        snprintf(cmd->id, sizeof cmd->id, "%s", words[2]);
        return 0;
    }
    if (strcmp(verb, "storm") == 0) {
        long long seconds, rate, seed;
        if (n != 4 || parse_int(words[1], 1, 3600, &seconds) != 0 ||
            parse_int(words[2], 1, 10000, &rate) != 0 ||
            parse_int(words[3], 0, 2147483647, &seed) != 0) {
            FAIL("%s:%d: \"%s\": accepted: storm SECONDS RATE SEED with SECONDS in 1..3600, "
                 "RATE in 1..10000 touches a second and SEED in 0..2147483647",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_STORM;
        cmd->ms = seconds * 1000;
        cmd->rate = (int)rate;
        cmd->seed = (uint32_t)seed;
        return 0;
    }
    if (strcmp(verb, "advance-to") == 0) {
        char when[32];
        int64_t target;
        if (n != 3 ||
            snprintf(when, sizeof when, "%s %s", words[1], words[2]) >= (int)sizeof when ||
            clock_parse_local(when, &target) != 0) {
            FAIL("%s:%d: \"%s\": accepted: advance-to YYYY-MM-DD HH:MM (an existing local time)",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_ADVANCE_TO;
        cmd->ms = target;
        return 0;
    }
    if (strcmp(verb, "checkin-default") == 0) {
        long long service = 1;
        if (n > 2 || (n == 2 && parse_int(words[1], 1, 6, &service) != 0)) {
            FAIL("%s:%d: \"%s\": accepted: checkin-default, or checkin-default N with the "
                 "service N in 1..6",
                 path, line_no, copy);
        }
        cmd->op = REPLAY_CHECKIN_DEFAULT;
        cmd->ms = service;
        return 0;
    }
    if (strcmp(verb, "clock-step") == 0) {
        if (n != 2 || parse_int(words[1], -REPLAY_MAX_STEP_S, REPLAY_MAX_STEP_S, &value) != 0 ||
            value == 0) {
            FAIL("%s:%d: \"%s\": accepted: clock-step SECONDS with SECONDS in -%d..%d, not 0", path,
                 line_no, copy, REPLAY_MAX_STEP_S, REPLAY_MAX_STEP_S);
        }
        cmd->op = REPLAY_CLOCK_STEP;
        cmd->ms = value * 1000;
        return 0;
    }
    if (strcmp(verb, "memory") == 0) {
        if (n != 1) {
            FAIL("%s:%d: \"%s\": accepted: memory (no arguments)", path, line_no, copy);
        }
        cmd->op = REPLAY_MEMORY;
        return 0;
    }
    FAIL("%s:%d: unknown command \"%s\": accepted: start, tap, tap-at, hold, wait, pace, "
         "expect-screen, checkin-default, host, advance-to, clock-step, memory, real-wait, stall, "
         "storm",
         path, line_no, verb);
}

int replay_load(struct replay_script *script, const char *path, char *err, size_t err_size)
{
    memset(script, 0, sizeof *script);
    snprintf(script->path, sizeof script->path, "%s", path);
    FILE *file = fopen(path, "r");
    if (!file) {
        int code = errno;
        snprintf(err, err_size, "%s: cannot open replay script: %s", path, strerror(code));
        return -code;
    }
    size_t capacity = 0;
    char line[LINE_MAX_BYTES];
    int line_no = 0, rc = 0;
    bool first = true;
    while (fgets(line, sizeof line, file)) {
        line_no++;
        if (!strchr(line, '\n') && !feof(file)) {
            snprintf(err, err_size, "%s:%d: line longer than %d bytes", path, line_no,
                     LINE_MAX_BYTES - 1);
            rc = -EINVAL;
            goto out_fail;
        }
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        if (strspn(line, " \t\r\n") == strlen(line)) {
            continue;
        }
        if (script->count == REPLAY_MAX_COMMANDS) {
            snprintf(err, err_size, "%s:%d: more than %d commands", path, line_no,
                     REPLAY_MAX_COMMANDS);
            rc = -E2BIG;
            goto out_fail;
        }
        if (script->count == capacity) {
            size_t grown = capacity ? capacity * 2 : 64;
            struct replay_command *more = realloc(script->commands, grown * sizeof *more);
            if (!more) {
                snprintf(err, err_size, "%s:%d: out of memory", path, line_no);
                rc = -ENOMEM;
                goto out_fail;
            }
            script->commands = more;
            capacity = grown;
        }
        rc = parse_line(path, line_no, line, &script->commands[script->count], &script->start_ms,
                        &script->uptime_ms, first, err, err_size);
        if (rc < 0) {
            goto out_fail;
        }
        if (rc == 0) {
            script->count++;
        }
        first = false;
    }
    if (ferror(file)) {
        snprintf(err, err_size, "%s: read error", path);
        rc = -EIO;
        goto out_fail;
    }
    fclose(file);
    return 0;

out_fail:
    fclose(file);
    replay_free(script);
    return rc;
}

void replay_free(struct replay_script *script)
{
    free(script->commands);
    script->commands = NULL;
    script->count = 0;
}
