/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of a light channel whose GPIO chip is missing at start (a HAT plugged in later, a
 * chip driver that loads late): it runs simulated and says so once, looks for the chip
 * every 60 s of kiosk time without more messages, and when the chip appears the real
 * driver takes over at the level the room should have. Through the fake libgpiod.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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

#define LABEL "pinctrl-bcm2711"
#define REOPEN_MS 60000

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    fake_gpiod_reset(); /* no chips at all: the kiosk boots without its GPIO */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(fake_gpiod_open_handles(), 0);
    fake_gpiod_reset();
    return 0;
}

static void add_header_chip(void)
{
    char names[28][8];
    const char *pointers[28];
    for (int i = 0; i < 28; i++) {
        snprintf(names[i], sizeof names[i], "GPIO%d", i);
        pointers[i] = names[i];
    }
    assert_int_equal(fake_gpiod_add_chip("gpiochip0", LABEL, pointers, 28), 0);
}

/* stderr into a file for the length of a test, to count what the kiosk said */
struct captured {
    char path[64];
    int saved_fd;
};

static void capture_begin(struct captured *c)
{
    snprintf(c->path, sizeof c->path, "/tmp/oase-lights-recover.%d.txt", (int)getpid());
    fflush(stderr);
    c->saved_fd = dup(2);
    int fd = open(c->path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
}

static int capture_count(struct captured *c, const char *needle)
{
    fflush(stderr);
    FILE *f = fopen(c->path, "r");
    assert_non_null(f);
    char line[1024];
    int count = 0;
    while (fgets(line, sizeof line, f)) {
        count += strstr(line, needle) != NULL;
    }
    fclose(f);
    return count;
}

static void capture_end(struct captured *c)
{
    fflush(stderr);
    dup2(c->saved_fd, 2);
    close(c->saved_fd);
    unlink(c->path);
}

static int64_t local(const char *text)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_local(text, &ms), 0);
    return ms;
}

static bool degraded(const struct lights *lights)
{
    struct lights_status st;
    lights_status(lights, &st);
    return st.channels[0].degraded;
}

static void test_a_gpio_chip_that_appears_later_takes_over_from_the_sim(void **state)
{
    (void)state;
    struct lights_config cfg;
    lights_config_defaults(&cfg);
    char why[256];
    assert_int_equal(lights_config_set(&cfg, "light.room", "driver", "gpio-relay", why, sizeof why),
                     1);
    assert_int_equal(lights_config_set(&cfg, "light.room", "line", "GPIO23", why, sizeof why), 1);
    assert_int_equal(lights_config_set(&cfg, "lights", "fade_seconds", "0", why, sizeof why), 1);
    struct captured c;
    capture_begin(&c);
    int64_t ten = local("2026-06-01 10:00");
    struct lights *lights = lights_open(&cfg, ten);
    assert_non_null(lights);
    assert_true(degraded(lights));
    for (int64_t t = 1000; t <= 3 * REOPEN_MS; t += 1000) { /* three quiet looks */
        lights_tick(lights, ten + t);
    }
    assert_true(degraded(lights));
    assert_int_equal(capture_count(&c, "[light.room]"), 1);

    add_header_chip(); /* the chip appears */
    int line = fake_gpiod_line_id(LABEL, "GPIO23");
    int64_t t = 3 * REOPEN_MS + 1000;
    for (; t <= 4 * REOPEN_MS + 1000 && degraded(lights); t += 1000) {
        lights_tick(lights, ten + t);
    }
    assert_false(degraded(lights));
    assert_true(fake_gpiod_requested(line));
    struct lights_status st;
    lights_status(lights, &st);
    assert_string_equal(st.channels[0].problem, "");
    /* the default scene lights the room: the relay closes on the real line */
    assert_true(st.channels[0].level >= 50);
    assert_int_equal(fake_gpiod_value(line), 1);
    assert_int_equal(capture_count(&c, "the hardware is there now"), 1);
    assert_int_equal(capture_count(&c, "[light.room]"), 2);
    lights_close(lights);
    assert_false(fake_gpiod_requested(line));
    capture_end(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_gpio_chip_that_appears_later_takes_over_from_the_sim,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
