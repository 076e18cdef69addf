/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the light drivers through the fake libgpiod (tests/fakes/fake_gpiod.c), the
 * same path the firmware takes to the real one: PWM duty measured from recorded edges,
 * X9C digipot steps replayed on a model of the chip, relay threshold and hysteresis,
 * active-low lines, lookup by name and chip label, and what happens when lines are missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "fakes/fake_gpiod.h"
#include "lights/lights.h"
#include "lights/lights_driver.h"
#include "lights/lights_drivers.h"

#define MAIN_LABEL "pinctrl-bcm2711"
#define EXP_LABEL "raspberrypi-exp-gpio"

static int handles_at_setup;

static int setup(void **state)
{
    (void)state;
    handles_at_setup = fake_gpiod_open_handles();
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
    fake_gpiod_reset();
    char names[28][8];
    const char *pointers[28];
    for (int i = 0; i < 28; i++) {
        snprintf(names[i], sizeof names[i], "GPIO%d", i);
        pointers[i] = names[i];
    }
    assert_int_equal(fake_gpiod_add_chip("gpiochip0", MAIN_LABEL, pointers, 28), 0);
    const char *exp[] = {"BT_ON", "WL_ON", "STATUS_LED", "GPIO17"};
    assert_int_equal(fake_gpiod_add_chip("gpiochip1", EXP_LABEL, exp, 4), 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    /* every chip handle the test opened was closed */
    assert_int_equal(fake_gpiod_open_handles(), handles_at_setup);
    return 0;
}

static int64_t local(const char *text)
{
    int64_t ms = 0;
    if (clock_parse_local(text, &ms) != 0) {
        fail_msg("not a local time: %s", text);
    }
    return ms;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static struct lights_channel_config channel(const char *driver, const char *line)
{
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    struct lights_channel_config ch = cfg.channels[0];
    ch.driver = lights_driver_find(driver);
    assert_non_null(ch.driver);
    snprintf(ch.line, sizeof ch.line, "%s", line);
    return ch;
}

static int line_id(const char *name)
{
    int id = fake_gpiod_line_id(MAIN_LABEL, name);
    assert_true(id >= 0);
    return id;
}

/* ---- gpio-pwm ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median high-time ratio and period (ns) of the periods of line in the log. */
static void measure_pwm(int line, double *duty, double *period_ns)
{
    size_t capacity = fake_gpiod_edge_count();
    struct fake_gpiod_edge *edges = calloc(capacity + 1, sizeof *edges);
    size_t n = fake_gpiod_edges(edges, capacity);
    double *ratios = calloc(n + 1, sizeof *ratios), *periods = calloc(n + 1, sizeof *periods);
    size_t count = 0;
    int64_t rise = -1, fall = -1;
    for (size_t i = 0; i < n; i++) {
        if (edges[i].line != line) {
            continue;
        }
        if (edges[i].value == 1) {
            if (rise >= 0 && fall > rise) {
                ratios[count] = (double)(fall - rise) / (double)(edges[i].ns - rise);
                periods[count] = (double)(edges[i].ns - rise);
                count++;
            }
            rise = edges[i].ns;
        } else {
            fall = edges[i].ns;
        }
    }
    assert_true(count >= 20);
    qsort(ratios, count, sizeof *ratios, compare_doubles);
    qsort(periods, count, sizeof *periods, compare_doubles);
    *duty = ratios[count / 2];
    *period_ns = periods[count / 2];
    free(ratios);
    free(periods);
    free(edges);
}

static void test_pwm_duty_measured_from_edges_is_a_quarter_at_200_hz(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-pwm", "GPIO18");
    char why[192];
    bool realtime;
    struct lights_driver *pwm = lights_pwm_open(&ch, 200, true, &realtime, why, sizeof why);
    assert_non_null(pwm);
    lights_driver_set(pwm, 57, 0.25);
    sleep_ms(50);
    fake_gpiod_clear_edges();
    sleep_ms(600); /* ~120 periods */
    double duty, period_ns;
    measure_pwm(line_id("GPIO18"), &duty, &period_ns);
    lights_driver_close(pwm);
    /* Medians are robust to a late wake-up on a busy machine; the band still fails for
     * an inverted (75 %) or un-curved duty. Exact jitter is in the benchmark. */
    if (duty < 0.18 || duty > 0.32) {
        fail_msg("median duty %.3f, expected 0.25", duty);
    }
    assert_in_range((long)(period_ns / 1000), 4500, 5500);
}

static void test_pwm_full_and_zero_hold_the_line_without_toggling(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-pwm", "GPIO18");
    char why[192];
    bool realtime;
    struct lights_driver *pwm = lights_pwm_open(&ch, 1000, false, &realtime, why, sizeof why);
    assert_non_null(pwm);
    assert_false(realtime);
    int id = line_id("GPIO18");
    lights_driver_set(pwm, 100, 1.0);
    sleep_ms(60);
    assert_int_equal(fake_gpiod_value(id), 1);
    fake_gpiod_clear_edges();
    sleep_ms(100);
    assert_int_equal(fake_gpiod_edge_count(), 0);
    lights_driver_set(pwm, 0, 0.0);
    sleep_ms(60);
    assert_int_equal(fake_gpiod_value(id), 0);
    fake_gpiod_clear_edges();
    sleep_ms(100);
    assert_int_equal(fake_gpiod_edge_count(), 0);
    lights_driver_close(pwm);
    assert_false(fake_gpiod_requested(id));
}

static void test_pwm_active_low_inverts_the_line(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-pwm", "GPIO12");
    ch.active_low = true;
    char why[192];
    bool realtime;
    struct lights_driver *pwm = lights_pwm_open(&ch, 200, false, &realtime, why, sizeof why);
    assert_non_null(pwm);
    int id = line_id("GPIO12");
    assert_true(fake_gpiod_active_low(id));
    assert_int_equal(fake_gpiod_value(id), 1); /* off = electrically high */
    lights_driver_set(pwm, 100, 1.0);
    sleep_ms(60);
    assert_int_equal(fake_gpiod_value(id), 0); /* full on = electrically low */
    lights_driver_close(pwm);
}

/* ---- gpio-digipot ---- */

struct x9c_model {
    int cs, inc, ud; /* electrical levels */
    int tap;         /* 0..99 */
    int up, down;    /* wiper moves seen */
    int stores;      /* CS rising with INC high: an EEPROM write */
};

/* Replays the fake's log on an X9C (falling INC with CS low moves the wiper). */
static struct x9c_model replay_x9c(int start_tap)
{
    int cs = line_id("GPIO5"), inc = line_id("GPIO6"), ud = line_id("GPIO13");
    /* Idle levels: what the lines show before the log starts (requested, or after a move). */
    struct x9c_model m = {.cs = 1, .inc = 1, .ud = 0, .tap = start_tap};
    size_t n = fake_gpiod_edge_count();
    struct fake_gpiod_edge *edges = calloc(n + 1, sizeof *edges);
    fake_gpiod_edges(edges, n);
    for (size_t i = 0; i < n; i++) {
        const struct fake_gpiod_edge *e = &edges[i];
        if (e->line == inc) {
            if (m.cs == 0 && m.inc == 1 && e->value == 0) {
                if (m.ud == 1) {
                    m.up++;
                    m.tap = m.tap < 99 ? m.tap + 1 : 99;
                } else {
                    m.down++;
                    m.tap = m.tap > 0 ? m.tap - 1 : 0;
                }
            }
            m.inc = e->value;
        } else if (e->line == cs) {
            if (m.cs == 0 && e->value == 1 && m.inc == 1) {
                m.stores++;
            }
            m.cs = e->value;
        } else if (e->line == ud) {
            m.ud = e->value;
        }
    }
    free(edges);
    return m;
}

static struct lights_channel_config digipot_channel(void)
{
    struct lights_channel_config ch = channel("gpio-digipot", "");
    snprintf(ch.cs_line, sizeof ch.cs_line, "GPIO5");
    snprintf(ch.inc_line, sizeof ch.inc_line, "GPIO6");
    snprintf(ch.ud_line, sizeof ch.ud_line, "GPIO13");
    return ch;
}

static void test_digipot_homes_with_a_full_scale_of_down_steps(void **state)
{
    (void)state;
    struct lights_channel_config ch = digipot_channel();
    char why[192];
    struct lights_driver *pot = lights_digipot_open(&ch, why, sizeof why);
    assert_non_null(pot);
    struct x9c_model m = replay_x9c(57); /* wherever the EEPROM left it */
    assert_int_equal(m.down, 100);
    assert_int_equal(m.up, 0);
    assert_int_equal(m.tap, 0);
    assert_int_equal(m.stores, 0);
    assert_int_equal(m.cs, 1); /* deselected */
    assert_int_equal(lights_digipot_tap(pot), 0);
    lights_driver_close(pot);
}

static void test_digipot_moves_the_right_count_and_direction(void **state)
{
    (void)state;
    struct lights_channel_config ch = digipot_channel();
    char why[192];
    struct lights_driver *pot = lights_digipot_open(&ch, why, sizeof why);
    assert_non_null(pot);
    fake_gpiod_clear_edges();
    lights_driver_set(pot, 76, 0.5); /* 0.5 * 99 -> tap 50 */
    struct x9c_model m = replay_x9c(0);
    assert_int_equal(m.up, 50);
    assert_int_equal(m.down, 0);
    assert_int_equal(lights_digipot_tap(pot), 50);
    fake_gpiod_clear_edges();
    lights_driver_set(pot, 50, 0.2); /* tap 20: 30 down */
    m = replay_x9c(50);
    assert_int_equal(m.down, 30);
    assert_int_equal(m.up, 0);
    assert_int_equal(m.tap, 20);
    assert_int_equal(m.stores, 0); /* CS always rose with INC low */
    fake_gpiod_clear_edges();
    lights_driver_set(pot, 50, 0.2); /* same tap: no pulses at all */
    assert_int_equal(fake_gpiod_edge_count(), 0);
    lights_driver_close(pot);
}

static void test_digipot_homes_again_after_a_write_error(void **state)
{
    (void)state;
    struct lights_channel_config ch = digipot_channel();
    char why[192];
    struct lights_driver *pot = lights_digipot_open(&ch, why, sizeof why);
    assert_non_null(pot);
    fake_gpiod_clear_edges();
    fake_gpiod_fail(FAKE_GPIOD_SET_VALUE, EIO, 10, 1); /* in the middle of the move */
    assert_true(lights_driver_set(pot, 90, 0.8) < 0);
    assert_int_equal(lights_digipot_tap(pot), -1);
    assert_int_equal(lights_driver_set(pot, 90, 0.8), 0);
    struct x9c_model m = replay_x9c(0);
    assert_int_equal(m.tap, 79); /* 0.8 * 99 */
    assert_int_equal(lights_digipot_tap(pot), 79);
    assert_int_equal(m.stores, 0);
    lights_driver_close(pot);
}

/* ---- gpio-relay ---- */

static void test_relay_switches_at_the_threshold_with_hysteresis(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-relay", "GPIO23");
    ch.threshold_percent = 50;
    ch.hysteresis_percent = 5;
    char why[192];
    struct lights_driver *relay = lights_relay_open(&ch, why, sizeof why);
    assert_non_null(relay);
    int id = line_id("GPIO23");
    const struct {
        double level;
        int line;
    } steps[] = {{0, 0},    {49.9, 0}, {50, 1}, {47, 1},  {45, 1},
                 {44.9, 0}, {49.9, 0}, {50, 1}, {100, 1}, {0, 0}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        lights_driver_set(relay, steps[i].level, steps[i].level / 100);
        if (fake_gpiod_value(id) != steps[i].line) {
            fail_msg("at L* %.1f (step %zu) the relay line is %d", steps[i].level, i,
                     fake_gpiod_value(id));
        }
    }
    lights_driver_close(relay);
}

static void test_relay_does_not_chatter_when_the_level_wobbles_at_the_threshold(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-relay", "GPIO23");
    char why[192];
    struct lights_driver *relay = lights_relay_open(&ch, why, sizeof why);
    assert_non_null(relay);
    fake_gpiod_clear_edges();
    for (int i = 0; i < 200; i++) {
        double level = 50 + ((i * 7) % 5) - 2; /* 48..52 */
        lights_driver_set(relay, level, level / 100);
    }
    assert_int_equal(fake_gpiod_edge_count(), 1); /* on once, then steady */
    lights_driver_close(relay);
}

static void test_relay_active_low_inverts_the_line(void **state)
{
    (void)state;
    struct lights_channel_config ch = channel("gpio-relay", "GPIO24");
    ch.active_low = true;
    char why[192];
    struct lights_driver *relay = lights_relay_open(&ch, why, sizeof why);
    assert_non_null(relay);
    int id = line_id("GPIO24");
    assert_int_equal(fake_gpiod_value(id), 1); /* open relay on an active-low module */
    lights_driver_set(relay, 80, 0.8);
    assert_int_equal(fake_gpiod_value(id), 0);
    assert_true(lights_relay_closed(relay));
    lights_driver_close(relay);
}

/* ---- through lights_open ---- */

struct captured {
    char dir[64];
    int saved_fd;
};

static void capture_stderr(struct captured *c)
{
    snprintf(c->dir, sizeof c->dir, "/tmp/oase-lights-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    char path[96];
    snprintf(path, sizeof path, "%s/stderr.txt", c->dir);
    fflush(stderr);
    c->saved_fd = dup(2);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
}

static void release_stderr(struct captured *c, char *text, size_t size)
{
    fflush(stderr);
    dup2(c->saved_fd, 2);
    close(c->saved_fd);
    char path[96];
    snprintf(path, sizeof path, "%s/stderr.txt", c->dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, size - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    rmdir(c->dir);
}

static int count_lines_with(const char *text, const char *needle)
{
    int count = 0;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char copy[1024];
        snprintf(copy, sizeof copy, "%.*s", (int)len, line);
        count += strstr(copy, needle) != NULL;
        line = end ? end + 1 : NULL;
    }
    return count;
}

static void set_ok(struct lights_config *cfg, const char *section, const char *key,
                   const char *value)
{
    char why[256];
    if (lights_config_set(cfg, section, key, value, why, sizeof why) != 1) {
        fail_msg("%s.%s = %s: %s", section, key, value, why);
    }
}

static struct lights_status status_of(const struct lights *lights)
{
    struct lights_status status;
    lights_status(lights, &status);
    return status;
}

static void test_missing_line_degrades_to_sim_with_one_message(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-pwm");
    set_ok(&cfg, "light.room", "line", "GPIO99");
    struct captured c = {.saved_fd = -1};
    char text[4096];
    capture_stderr(&c);
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, ten);
    if (lights != NULL) {
        lights_tick(lights, ten + 20000);
    }
    release_stderr(&c, text, sizeof text);
    assert_non_null(lights);
    assert_int_equal(count_lines_with(text, "GPIO99"), 1);
    assert_int_equal(count_lines_with(text, "no GPIO line named GPIO99 on any chip"), 1);
    struct lights_status st = status_of(lights);
    assert_true(st.channels[0].degraded);
    assert_string_equal(st.channels[0].driver, "gpio-pwm");
    assert_non_null(strstr(st.channels[0].problem, "GPIO99"));
    assert_true(st.channels[0].level == 70); /* the simulated light still follows */
    lights_close(lights);
}

static void test_missing_chip_label_degrades_the_channel(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-relay");
    set_ok(&cfg, "light.room", "chip", "pinctrl-rp1");
    set_ok(&cfg, "light.room", "line", "GPIO17");
    struct captured c = {.saved_fd = -1};
    char text[4096];
    capture_stderr(&c);
    struct lights *lights = lights_open(&cfg, local("2026-06-01 10:00"));
    release_stderr(&c, text, sizeof text);
    assert_non_null(lights);
    assert_int_equal(count_lines_with(text, "no GPIO chip labelled pinctrl-rp1"), 1);
    assert_true(status_of(lights).channels[0].degraded);
    assert_false(fake_gpiod_requested(line_id("GPIO17")));
    lights_close(lights);
}

static void test_chip_label_picks_the_line_on_that_chip(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-relay");
    set_ok(&cfg, "light.room", "chip", EXP_LABEL);
    set_ok(&cfg, "light.room", "line", "GPIO17");
    struct lights *lights = lights_open(&cfg, local("2026-06-01 10:00"));
    assert_non_null(lights);
    int on_exp = fake_gpiod_line_id(EXP_LABEL, "GPIO17");
    assert_true(fake_gpiod_requested(on_exp));
    assert_false(fake_gpiod_requested(line_id("GPIO17")));
    assert_false(status_of(lights).channels[0].degraded);
    lights_close(lights);
    /* Without a label the first chip's line of that name is used. */
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-relay");
    set_ok(&cfg, "light.room", "line", "GPIO17");
    lights = lights_open(&cfg, local("2026-06-01 10:00"));
    assert_true(fake_gpiod_requested(line_id("GPIO17")));
    assert_false(fake_gpiod_requested(on_exp));
    lights_close(lights);
}

static void test_busy_line_is_reported_with_its_user(void **state)
{
    (void)state;
    fake_gpiod_set_busy(line_id("GPIO23"), "gpioset");
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-relay");
    set_ok(&cfg, "light.room", "line", "GPIO23");
    struct captured c = {.saved_fd = -1};
    char text[4096];
    capture_stderr(&c);
    struct lights *lights = lights_open(&cfg, local("2026-06-01 10:00"));
    release_stderr(&c, text, sizeof text);
    assert_non_null(lights);
    assert_non_null(strstr(status_of(lights).channels[0].problem, "in use by 'gpioset'"));
    lights_close(lights);
}

static void test_permission_denied_names_the_gpio_group(void **state)
{
    (void)state;
    fake_gpiod_fail(FAKE_GPIOD_LINE_FIND, EACCES, 0, -1);
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-digipot");
    set_ok(&cfg, "light.room", "cs", "GPIO5");
    set_ok(&cfg, "light.room", "inc", "GPIO6");
    set_ok(&cfg, "light.room", "ud", "GPIO13");
    struct captured c = {.saved_fd = -1};
    char text[4096];
    capture_stderr(&c);
    struct lights *lights = lights_open(&cfg, local("2026-06-01 10:00"));
    release_stderr(&c, text, sizeof text);
    assert_non_null(lights);
    assert_non_null(strstr(status_of(lights).channels[0].problem, "group gpio"));
    lights_close(lights);
}

static void test_close_writes_each_safe_level_and_releases_the_lines(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "lights", "fade_seconds", "0");
    set_ok(&cfg, "light.relay", "driver", "gpio-relay");
    set_ok(&cfg, "light.relay", "line", "GPIO23");
    set_ok(&cfg, "light.relay", "safe_level", "100");
    set_ok(&cfg, "light.strip", "driver", "gpio-pwm");
    set_ok(&cfg, "light.strip", "line", "GPIO18");
    set_ok(&cfg, "light.pot", "driver", "gpio-digipot");
    set_ok(&cfg, "light.pot", "cs", "GPIO5");
    set_ok(&cfg, "light.pot", "inc", "GPIO6");
    set_ok(&cfg, "light.pot", "ud", "GPIO13");
    set_ok(&cfg, "light.pot", "safe_level", "100");
    set_ok(&cfg, "scene.day", "relay", "0");
    set_ok(&cfg, "scene.day", "strip", "100");
    set_ok(&cfg, "scene.day", "pot", "40");
    set_ok(&cfg, "schedule", "*", "00:00 day");
    struct lights *lights = lights_open(&cfg, local("2026-06-01 10:00"));
    assert_non_null(lights);
    sleep_ms(60); /* the PWM thread reaches steady high */
    int relay = line_id("GPIO23"), strip = line_id("GPIO18");
    assert_int_equal(fake_gpiod_value(relay), 0);
    assert_int_equal(fake_gpiod_value(strip), 1);
    lights_close(lights);
    assert_int_equal(fake_gpiod_value(relay), 1); /* safe_level 100 */
    assert_int_equal(fake_gpiod_value(strip), 0); /* [lights] safe_level 0 */
    struct x9c_model m = replay_x9c(33);
    assert_int_equal(m.tap, 99);
    assert_int_equal(m.stores, 0);
    assert_false(fake_gpiod_requested(relay));
    assert_false(fake_gpiod_requested(strip));
    assert_false(fake_gpiod_requested(line_id("GPIO5")));
}

static void test_write_error_shows_in_the_status_until_writes_work_again(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    set_ok(&cfg, "light.room", "driver", "gpio-relay");
    set_ok(&cfg, "light.room", "line", "GPIO23");
    int64_t evening = local("2026-06-01 20:00");
    struct lights *lights = lights_open(&cfg, evening);
    fake_gpiod_fail(FAKE_GPIOD_SET_VALUE, EIO, 0, 2);
    struct captured c = {.saved_fd = -1};
    char text[4096];
    capture_stderr(&c);
    lights_test_level(lights, NULL, 100, evening);
    lights_tick(lights, evening + 600);
    release_stderr(&c, text, sizeof text);
    assert_int_equal(count_lines_with(text, "writing a GPIO line failed"), 1);
    assert_non_null(strstr(status_of(lights).channels[0].problem, "writing a GPIO line failed"));
    assert_int_equal(fake_gpiod_value(line_id("GPIO23")), 0);
    lights_tick(lights, evening + 5000); /* fails again; the fade is over, yet... */
    assert_int_equal(fake_gpiod_value(line_id("GPIO23")), 0);
    assert_true(lights_next_deadline_ms(lights, evening + 5000) <= evening + 6000);
    lights_tick(lights, evening + 6000); /* ...a retry tick is due: it writes */
    assert_int_equal(fake_gpiod_value(line_id("GPIO23")), 1);
    assert_string_equal(status_of(lights).channels[0].problem, "");
    lights_close(lights);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pwm_duty_measured_from_edges_is_a_quarter_at_200_hz,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pwm_full_and_zero_hold_the_line_without_toggling,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pwm_active_low_inverts_the_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digipot_homes_with_a_full_scale_of_down_steps, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_digipot_moves_the_right_count_and_direction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_digipot_homes_again_after_a_write_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_relay_switches_at_the_threshold_with_hysteresis, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_relay_does_not_chatter_when_the_level_wobbles_at_the_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relay_active_low_inverts_the_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_line_degrades_to_sim_with_one_message, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_chip_label_degrades_the_channel, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_chip_label_picks_the_line_on_that_chip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_busy_line_is_reported_with_its_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permission_denied_names_the_gpio_group, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_close_writes_each_safe_level_and_releases_the_lines,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_write_error_shows_in_the_status_until_writes_work_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
