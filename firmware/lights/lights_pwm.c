/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_pwm: software PWM on one GPIO line (an LED strip switched by a logic-level MOSFET).
 * lights_tick() -> set() stores the duty; this driver's own thread turns it into edges on
 * a fixed grid of absolute CLOCK_MONOTONIC deadlines (clock_nanosleep TIMER_ABSTIME), so
 * lateness does not accumulate. User-space PWM can flicker when the system is busy; the
 * thread asks for SCHED_FIFO to make that rarer, and gpio-digipot or gpio-relay are the
 * recommended drivers for a real room (see docs/lights.md for measured jitter).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "lights/lights_driver.h"
#include "lights/lights_gpio.h"

#define PWM_PPM 1000000u           /* duty unit: parts per million */
#define PWM_START_DELAY_NS 1000000 /* first period starts 1 ms after open */
#define PWM_TIMER_SLACK_NS 1000    /* normal threads get 50 us of timer slack by default */

struct pwm_driver {
    struct lights_driver base;
    struct lights_gpio_line *line; /* owned by the thread while it runs */
    pthread_t thread;
    _Atomic uint32_t duty_ppm; /* SHARED: written by set(), read by the thread */
    atomic_bool stop;          /* SHARED: written by close(), read by the thread */
    int64_t period_ns;         /* read-only once the thread runs */
    int64_t origin_ns;         /* read-only once the thread runs */
};

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_until_ns(int64_t deadline_ns)
{
    struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1000000000),
                          .tv_nsec = (long)(deadline_ns % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static void *pwm_thread(void *arg)
{
    struct pwm_driver *pwm = arg;
    const int64_t period = pwm->period_ns;
    int64_t steady_periods = LIGHTS_PWM_STEADY_NS / period;
    if (steady_periods < 1) {
        steady_periods = 1;
    }
    int64_t next = pwm->origin_ns; /* start of the next period: a rising edge when dimmed */
    int written = 0;               /* the line was requested low */
    prctl(PR_SET_TIMERSLACK, PWM_TIMER_SLACK_NS, 0, 0, 0); /* best effort; no effect for RT */

    while (!atomic_load_explicit(&pwm->stop, memory_order_relaxed)) {
        sleep_until_ns(next);
        uint32_t duty = atomic_load_explicit(&pwm->duty_ppm, memory_order_relaxed);
        if (duty == 0 || duty >= PWM_PPM) {
            int level = duty == 0 ? 0 : 1;
            if (level != written) {
                lights_gpio_set(pwm->line, level);
                written = level;
            }
            next += steady_periods * period;
        } else {
            int64_t high_ns = period * (int64_t)duty / PWM_PPM;
            lights_gpio_set(pwm->line, 1);
            sleep_until_ns(next + high_ns);
            lights_gpio_set(pwm->line, 0);
            written = 0;
            next += period;
        }
        int64_t now = monotonic_ns();
        if (now > next) { /* overrun (system busy): skip to the next period on the grid */
            next += ((now - next) / period + 1) * period;
        }
    }
    return NULL;
}

static int pwm_set(struct lights_driver *driver, double lightness, double output)
{
    (void)lightness;
    struct pwm_driver *pwm = (struct pwm_driver *)driver;
    double clamped = output < 0 ? 0 : output > 1 ? 1 : output;
    uint32_t duty = (uint32_t)(clamped * PWM_PPM + 0.5);
    atomic_store_explicit(&pwm->duty_ppm, duty, memory_order_relaxed);
    return 0;
}

static void pwm_close(struct lights_driver *driver)
{
    struct pwm_driver *pwm = (struct pwm_driver *)driver;
    uint32_t duty = atomic_load_explicit(&pwm->duty_ppm, memory_order_relaxed);
    atomic_store_explicit(&pwm->stop, true, memory_order_relaxed);
    pthread_join(pwm->thread, NULL);
    lights_gpio_set(pwm->line, duty >= PWM_PPM / 2 ? 1 : 0);
    lights_gpio_close(pwm->line);
    free(pwm);
}

static const struct lights_driver_ops pwm_ops = {.set = pwm_set, .close = pwm_close};

/* Starts the thread with SCHED_FIFO; returns pthread_create's error. */
static int start_realtime(struct pwm_driver *pwm)
{
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc != 0) {
        return rc;
    }
    struct sched_param param = {.sched_priority = LIGHTS_PWM_RT_PRIORITY};
    rc = pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    if (rc == 0) {
        rc = pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
    }
    if (rc == 0) {
        rc = pthread_attr_setschedparam(&attr, &param);
    }
    if (rc == 0) {
        rc = pthread_create(&pwm->thread, &attr, pwm_thread, pwm);
    }
    pthread_attr_destroy(&attr);
    return rc;
}

struct lights_driver *lights_pwm_open(const struct lights_channel_config *channel, int pwm_hz,
                                      bool try_realtime, bool *realtime, char *why, size_t why_size)
{
    *realtime = false;
    struct pwm_driver *pwm = calloc(1, sizeof *pwm);
    if (pwm == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    pwm->base.ops = &pwm_ops;
    pwm->period_ns = 1000000000LL / (pwm_hz > 0 ? pwm_hz : 200);
    atomic_init(&pwm->duty_ppm, 0);
    atomic_init(&pwm->stop, false);
    pwm->line =
        lights_gpio_open(channel->chip, channel->line, channel->active_low, 0, why, why_size);
    if (pwm->line == NULL) {
        goto out_free;
    }
    pwm->origin_ns = monotonic_ns() + PWM_START_DELAY_NS;
    int rc = try_realtime ? start_realtime(pwm) : -1;
    if (rc == 0) {
        *realtime = true;
    } else {
        rc = pthread_create(&pwm->thread, NULL, pwm_thread, pwm);
        if (rc != 0) {
            snprintf(why, why_size, "starting the PWM thread failed: %s", strerror(rc));
            goto out_close_line;
        }
    }
    return &pwm->base;

out_close_line:
    lights_gpio_close(pwm->line);
out_free:
    free(pwm);
    return NULL;
}

int64_t lights_pwm_origin_ns(const struct lights_driver *driver)
{
    return ((const struct pwm_driver *)driver)->origin_ns;
}

int64_t lights_pwm_period_ns(const struct lights_driver *driver)
{
    return ((const struct pwm_driver *)driver)->period_ns;
}

int64_t lights_pwm_thread_cpu_ns(const struct lights_driver *driver)
{
    const struct pwm_driver *pwm = (const struct pwm_driver *)driver;
    clockid_t cpu_clock;
    struct timespec ts;
    if (pthread_getcpuclockid(pwm->thread, &cpu_clock) != 0 || clock_gettime(cpu_clock, &ts) != 0) {
        return -1;
    }
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
