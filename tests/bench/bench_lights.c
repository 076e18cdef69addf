/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_lights: what software PWM costs on this machine and how late its edges come, plus
 * the cost of one lights_tick(). The PWM thread drives a line of the fake libgpiod, which
 * timestamps every edge (CLOCK_MONOTONIC); lateness is measured against the thread's own
 * ideal grid (origin + k * period, + high time for falling edges). Each figure is the
 * median of 3 runs of 3 s. Prints Markdown table rows for docs/benchmarks.md.
 * The fake adds a mutex and a clock read per edge; a real chardev write on a Pi costs a
 * few microseconds more per edge, so treat the CPU figure as a floor.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "fakes/fake_gpiod.h"
#include "lights/lights.h"
#include "lights/lights_driver.h"
#include "lights/lights_drivers.h"

#define RUNS 3
#define RUN_MS 3000
#define DUTY 0.25

struct pwm_run {
    double cpu_percent; /* of one core */
    double p50_us, p99_us, max_us;
    size_t edges;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, size_t n, double p)
{
    if (n == 0) {
        return 0;
    }
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static double median3(double a, double b, double c)
{
    double v[3] = {a, b, c};
    qsort(v, 3, sizeof v[0], compare_doubles);
    return v[1];
}

static int run_pwm(int hz, bool realtime_wanted, bool *realtime_got, struct pwm_run *out)
{
    fake_gpiod_reset();
    fake_gpiod_set_log_capacity((size_t)hz * 2 * (RUN_MS / 1000 + 2));
    const char *names[] = {"GPIO18"};
    fake_gpiod_add_chip("gpiochip0", "pinctrl-bcm2711", names, 1);
    int line = fake_gpiod_line_id(NULL, "GPIO18");

    struct lights_config cfg;
    lights_config_defaults(&cfg);
    struct lights_channel_config ch = cfg.channels[0];
    ch.driver = lights_driver_find("gpio-pwm");
    snprintf(ch.line, sizeof ch.line, "GPIO18");
    char why[192];
    struct lights_driver *pwm =
        lights_pwm_open(&ch, hz, realtime_wanted, realtime_got, why, sizeof why);
    if (pwm == NULL) {
        fprintf(stderr, "bench_lights: %s\n", why);
        return -1;
    }
    lights_driver_set(pwm, 57, DUTY);
    sleep_ms(100);
    fake_gpiod_clear_edges();
    int64_t cpu0 = lights_pwm_thread_cpu_ns(pwm), wall0 = monotonic_ns();
    sleep_ms(RUN_MS);
    int64_t cpu1 = lights_pwm_thread_cpu_ns(pwm), wall1 = monotonic_ns();
    size_t n = fake_gpiod_edge_count();
    struct fake_gpiod_edge *edges = calloc(n + 1, sizeof *edges);
    double *late = calloc(n + 1, sizeof *late);
    n = fake_gpiod_edges(edges, n);
    int64_t origin = lights_pwm_origin_ns(pwm), period = lights_pwm_period_ns(pwm);
    lights_driver_close(pwm);

    int64_t high = period * (int64_t)(DUTY * 1000000 + 0.5) / 1000000; /* as the thread does */
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (edges[i].line != line) {
            continue;
        }
        int64_t offset = edges[i].value ? 0 : high;
        int64_t k = (edges[i].ns - origin - offset) / period;
        late[count++] = (double)(edges[i].ns - (origin + k * period + offset)) / 1000.0;
    }
    qsort(late, count, sizeof *late, compare_doubles);
    out->cpu_percent = 100.0 * (double)(cpu1 - cpu0) / (double)(wall1 - wall0);
    out->p50_us = percentile(late, count, 0.50);
    out->p99_us = percentile(late, count, 0.99);
    out->max_us = count ? late[count - 1] : 0;
    out->edges = count;
    free(late);
    free(edges);
    return 0;
}

static void bench_pwm(int hz, bool realtime_wanted)
{
    struct pwm_run runs[RUNS];
    bool realtime = false;
    for (int r = 0; r < RUNS; r++) {
        if (run_pwm(hz, realtime_wanted, &realtime, &runs[r]) < 0) {
            return;
        }
    }
    const char *mode = realtime ? "SCHED_FIFO" : "normal priority";
    double period_us = 1e6 / hz;
    printf("| lights: gpio-pwm %d Hz, %s: thread CPU | %.2f %% of one core | %s; fake "
           "libgpiod, median of %d x %d s |\n",
           hz, mode, median3(runs[0].cpu_percent, runs[1].cpu_percent, runs[2].cpu_percent),
           hz <= 200 ? "target < 2 %" : "grows with the frequency", RUNS, RUN_MS / 1000);
    printf("| lights: gpio-pwm %d Hz, %s: edge lateness p50 / p99 / max | %.0f / %.0f / %.0f "
           "us | period %.0f us, 25 %% duty = %.0f us high; %zu edges per run |\n",
           hz, mode, median3(runs[0].p50_us, runs[1].p50_us, runs[2].p50_us),
           median3(runs[0].p99_us, runs[1].p99_us, runs[2].p99_us),
           median3(runs[0].max_us, runs[1].max_us, runs[2].max_us), period_us, period_us * DUTY,
           runs[0].edges);
}

static void bench_tick(void)
{
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    char why[128], section[32];
    for (int c = 0; c < LIGHTS_MAX_CHANNELS; c++) {
        snprintf(section, sizeof section, "light.ch%d", c);
        lights_config_set(&cfg, section, "driver", "sim", why, sizeof why);
    }
    lights_config_set(&cfg, "scene.full", "*", "100", why, sizeof why);
    lights_config_set(&cfg, "schedule", "*", "00:00 full", why, sizeof why);
    lights_config_set(&cfg, "lights", "fade_seconds", "600", why, sizeof why);
    int64_t t = 1780000000000LL;
    struct lights *lights = lights_open(&cfg, t);
    if (lights == NULL) {
        return;
    }
    const int ticks = 200000;
    int64_t start = monotonic_ns();
    for (int i = 0; i < ticks; i++) {
        lights_tick(lights, t + i); /* 200 s of a 600 s fade: every tick moves */
    }
    double ns = (double)(monotonic_ns() - start) / ticks;
    lights_close(lights);
    printf("| lights: lights_tick, %d sim channels mid-fade | %.0f ns | called at most every "
           "16-50 ms while fading |\n",
           LIGHTS_MAX_CHANNELS, ns);
}

int main(void)
{
    log_set_quiet(1);
    bench_pwm(200, true);
    bench_pwm(1000, true);
    bench_pwm(200, false);
    bench_pwm(1000, false);
    bench_tick();
    return 0;
}
