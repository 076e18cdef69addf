/* SPDX-License-Identifier: EUPL-1.2 */
/* clock: see clock.h. The only place that reads the wall clock. */
#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

/* A simulated clock's monotonic time starts as if the kiosk booted this long ago. */
#define CLOCK_SIM_UPTIME_MS 600000

void clock_init_real(struct oase_clock *clock)
{
    clock->simulated = false;
    clock->sim_ms = 0;
    clock->sim_mono_ms = 0;
}

void clock_init_simulated(struct oase_clock *clock, int64_t start_ms)
{
    clock->simulated = true;
    clock->sim_ms = start_ms;
    clock->sim_mono_ms = CLOCK_SIM_UPTIME_MS;
    clock->sim_boot_ms = start_ms - CLOCK_SIM_UPTIME_MS;
}

void clock_set_uptime(struct oase_clock *clock, int64_t uptime_ms)
{
    if (clock->simulated && uptime_ms > 0) {
        clock->sim_mono_ms = uptime_ms;
        clock->sim_boot_ms = clock->sim_ms - uptime_ms;
    }
}

int clock_boot_id(const struct oase_clock *clock, char *out, size_t size)
{
    if (out == NULL || size == 0) {
        return -EINVAL;
    }
    out[0] = '\0';
    if (clock->simulated) {
        snprintf(out, size, "sim-%lld", (long long)clock->sim_boot_ms);
        return 0;
    }
    static const char path[] = "/proc/sys/kernel/random/boot_id";
    FILE *file = fopen(path, "re");
    if (file == NULL) {
        return -errno;
    }
    char line[64] = "";
    int rc = fgets(line, sizeof line, file) != NULL ? 0 : -EIO;
    fclose(file);
    line[strcspn(line, "\n")] = '\0';
    if (rc == 0 && (line[0] == '\0' || strlen(line) >= size || strchr(line, ' ') != NULL)) {
        rc = -EINVAL; /* a boot id is 36 characters of hex and dashes */
    }
    if (rc == 0) {
        snprintf(out, size, "%s", line);
    }
    return rc;
}

int64_t clock_now_ms(const struct oase_clock *clock)
{
    if (clock->simulated) {
        return clock->sim_ms;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(const struct oase_clock *clock)
{
    if (clock->simulated) {
        return clock->sim_mono_ms;
    }
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_advance(struct oase_clock *clock, int64_t ms)
{
    if (clock->simulated && ms > 0) {
        clock->sim_ms += ms;
        clock->sim_mono_ms += ms;
    }
}

void clock_step(struct oase_clock *clock, int64_t ms)
{
    if (clock->simulated) {
        clock->sim_ms += ms;
    }
}

bool clock_kernel_unsynced(const struct oase_clock *clock)
{
    if (clock->simulated) {
        return false;
    }
    struct timex tx;
    memset(&tx, 0, sizeof tx); /* modes 0: only read */
    int state = adjtimex(&tx);
    return state == TIME_ERROR || (tx.status & STA_UNSYNC) != 0;
}

void clock_watch_start(struct clock_watch *watch, int64_t offset_ms)
{
    watch->started = true;
    watch->offset_ms = offset_ms;
    watch->epoch_wall_ms = offset_ms; /* the wall time at boot (monotonic 0) */
}

int64_t clock_watch_look(struct clock_watch *watch, int64_t wall_ms, int64_t mono_ms,
                         int64_t *since_ms)
{
    int64_t offset = wall_ms - mono_ms;
    if (!watch->started) {
        clock_watch_start(watch, offset); /* the offset has held since boot */
        return 0;
    }
    int64_t step = offset - watch->offset_ms;
    if (step > -CLOCK_STEP_MIN_MS && step < CLOCK_STEP_MIN_MS) {
        watch->offset_ms = offset; /* slewing: follow it */
        return 0;
    }
    *since_ms = watch->epoch_wall_ms;
    watch->offset_ms = offset;
    watch->epoch_wall_ms = wall_ms; /* the new offset holds from now on */
    return step;
}

void clock_local(int64_t ms, struct oase_localtime *out)
{
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&seconds, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    out->second = tm.tm_sec;
    out->weekday = (tm.tm_wday + 6) % 7;
    out->minute_of_day = tm.tm_hour * 60 + tm.tm_min;
    snprintf(out->date, sizeof out->date, "%04u-%02u-%02u", (unsigned)out->year % 10000u,
             (unsigned)out->month % 100u, (unsigned)out->day % 100u);
}

/* True when text has exactly the shape "DDDD-DD-DD" or "DDDD-DD-DD DD:DD". */
static bool date_shape(const char *text)
{
    static const char long_shape[] = "dddd-dd-dd dd:dd";
    size_t n = strlen(text);
    if (n != 10 && n != 16) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (long_shape[i] == 'd' ? !digit : text[i] != long_shape[i]) {
            return false;
        }
    }
    return true;
}

int clock_parse_local(const char *text, int64_t *out_ms)
{
    if (!date_shape(text)) {
        return -EINVAL;
    }
    int year, month, day, hour = 0, minute = 0;
    char tail;
    int fields = sscanf(text, "%4d-%2d-%2d %2d:%2d%c", &year, &month, &day, &hour, &minute, &tail);
    if (fields != 3 && fields != 5) {
        return -EINVAL;
    }
    if (strlen(text) != (fields == 3 ? 10u : 16u)) {
        return -EINVAL;
    }
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59) {
        return -EINVAL;
    }
    struct tm tm = {.tm_year = year - 1900,
                    .tm_mon = month - 1,
                    .tm_mday = day,
                    .tm_hour = hour,
                    .tm_min = minute,
                    .tm_isdst = -1};
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != month - 1) {
        return -EINVAL; /* mktime normalised an impossible date such as 2026-02-30 */
    }
    if (fields == 5 && (tm.tm_hour != hour || tm.tm_min != minute)) {
        return -EINVAL; /* a time the clocks skip, such as 02:30 when summer time starts */
    }
    *out_ms = (int64_t)t * 1000;
    return 0;
}

int64_t clock_ms_until_midnight(int64_t ms)
{
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&seconds, &tm);
    tm.tm_mday += 1;
    tm.tm_hour = 0;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t midnight = mktime(&tm);
    return (int64_t)midnight * 1000 - ms;
}
