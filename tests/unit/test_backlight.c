/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for screens/backlight against a temporary folder laid out like /sys:
 * ROOT/class/backlight/NAME/{brightness,max_brightness}.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screens/backlight.h"
#include "test_numbers.h"

struct fake_sysfs {
    char root[64]; /* mkdtemp folder standing in for /sys */
};

static int setup(void **state)
{
    struct fake_sysfs *sys = calloc(1, sizeof *sys);
    if (!sys) {
        return -1;
    }
    snprintf(sys->root, sizeof sys->root, "/tmp/oase-backlight.XXXXXX");
    if (!mkdtemp(sys->root)) {
        free(sys);
        return -1;
    }
    *state = sys;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fake_sysfs *sys = *state;
    nftw(sys->root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(sys);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* Creates ROOT/class/backlight/NAME with max_brightness = max_text and brightness = 7. */
static void add_device(const struct fake_sysfs *sys, const char *name, const char *max_text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/class", sys->root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/class/backlight", sys->root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/class/backlight/%s", sys->root, name);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/class/backlight/%s/max_brightness", sys->root, name);
    write_file(path, max_text);
    snprintf(path, sizeof path, "%s/class/backlight/%s/brightness", sys->root, name);
    write_file(path, "7\n");
}

/* The number in NAME/brightness now. */
static int brightness_of(const struct fake_sysfs *sys, const char *name)
{
    char path[256], text[32] = "";
    snprintf(path, sizeof path, "%s/class/backlight/%s/brightness", sys->root, name);
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    assert_non_null(fgets(text, sizeof text, file));
    fclose(file);
    return (int)test_number(text);
}

static void test_auto_picks_the_first_device_by_name(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "rpi_backlight", "255\n");
    add_device(sys, "10-0045", "31\n");
    char why[256] = "";
    struct backlight *bl = backlight_open(sys->root, "auto", why, sizeof why);
    assert_non_null(bl);
    assert_string_equal(backlight_name(bl), "10-0045");
    assert_int_equal(backlight_max(bl), 31);
    assert_int_equal(brightness_of(sys, "10-0045"), 7); /* opening writes nothing */
    backlight_close(bl);
    bl = backlight_open(sys->root, NULL, why, sizeof why);
    assert_non_null(bl);
    assert_string_equal(backlight_name(bl), "10-0045");
    backlight_close(bl);
}

static void test_a_named_device_is_used_even_when_not_first(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "10-0045", "31\n");
    add_device(sys, "rpi_backlight", "255\n");
    char why[256] = "";
    struct backlight *bl = backlight_open(sys->root, "rpi_backlight", why, sizeof why);
    assert_non_null(bl);
    assert_int_equal(backlight_set_percent(bl, 100, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "rpi_backlight"), 255);
    assert_int_equal(brightness_of(sys, "10-0045"), 7);
    backlight_close(bl);
}

static void test_percent_becomes_the_nearest_step_of_max_brightness(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "panel", "255\n");
    char why[256] = "";
    struct backlight *bl = backlight_open(sys->root, NULL, why, sizeof why);
    assert_non_null(bl);
    const int cases[][2] = {{100, 255}, {50, 128}, {20, 51}, {0, 0}, {150, 255}, {-5, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(backlight_set_percent(bl, cases[i][0], why, sizeof why), 0);
        if (brightness_of(sys, "panel") != cases[i][1]) {
            fail_msg("%d %% wrote %d, expected %d of 255", cases[i][0], brightness_of(sys, "panel"),
                     cases[i][1]);
        }
        assert_int_equal(backlight_written(bl), cases[i][1]);
    }
    backlight_close(bl);
}

static void test_a_dimmed_screen_never_rounds_to_dark(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "small", "10\n"); /* a coarse backlight: 1 % of 10 rounds to 0 */
    char why[256] = "";
    struct backlight *bl = backlight_open(sys->root, NULL, why, sizeof why);
    assert_non_null(bl);
    assert_int_equal(backlight_set_percent(bl, 1, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "small"), 1);
    assert_int_equal(backlight_set_percent(bl, 0, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "small"), 0);
    backlight_close(bl);
}

static void test_the_same_level_is_not_written_again(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "panel", "100\n");
    char why[256] = "", path[256];
    struct backlight *bl = backlight_open(sys->root, NULL, why, sizeof why);
    assert_non_null(bl);
    assert_int_equal(backlight_set_percent(bl, 30, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "panel"), 30);
    /* someone else changes it; asking for the same level again does not touch the file */
    snprintf(path, sizeof path, "%s/class/backlight/panel/brightness", sys->root);
    write_file(path, "99\n");
    assert_int_equal(backlight_set_percent(bl, 30, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "panel"), 99);
    assert_int_equal(backlight_set_percent(bl, 80, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "panel"), 80);
    backlight_close(bl);
}

static void test_no_backlight_is_reported_not_fatal(void **state)
{
    struct fake_sysfs *sys = *state;
    char why[256] = "";
    assert_null(backlight_open(sys->root, "auto", why, sizeof why));
    assert_non_null(strstr(why, "class/backlight"));
    char path[256];
    snprintf(path, sizeof path, "%s/class", sys->root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/class/backlight", sys->root);
    assert_int_equal(mkdir(path, 0755), 0); /* an empty class folder, as on an HDMI Pi */
    why[0] = '\0';
    assert_null(backlight_open(sys->root, NULL, why, sizeof why));
    assert_non_null(strstr(why, "no backlight device"));
    why[0] = '\0';
    assert_null(backlight_open(sys->root, "10-0045", why, sizeof why));
    assert_non_null(strstr(why, "10-0045/max_brightness"));
}

static void test_bad_names_and_bad_max_brightness_are_refused(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "zero", "0\n");
    add_device(sys, "words", "bright\n");
    char why[256] = "";
    assert_null(backlight_open(sys->root, "zero", why, sizeof why));
    assert_non_null(strstr(why, "zero/max_brightness: not a number of at least 1"));
    assert_null(backlight_open(sys->root, "words", why, sizeof why));
    assert_non_null(strstr(why, "words/max_brightness"));
    assert_null(backlight_open(sys->root, "../../etc", why, sizeof why));
    assert_non_null(strstr(why, "accepted: auto, off, or a device name"));
    assert_null(backlight_open(sys->root, "..", why, sizeof why));
}

static void test_a_write_that_fails_is_reported_and_retried(void **state)
{
    struct fake_sysfs *sys = *state;
    add_device(sys, "panel", "255\n");
    char why[256] = "", path[256];
    struct backlight *bl = backlight_open(sys->root, NULL, why, sizeof why);
    assert_non_null(bl);
    /* the attribute turns into something that cannot be written (root ignores modes, so
     * a folder stands in for a file the kiosk may not write) */
    snprintf(path, sizeof path, "%s/class/backlight/panel/brightness", sys->root);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0755), 0);
    int rc = backlight_set_percent(bl, 50, why, sizeof why);
    assert_true(rc < 0);
    assert_non_null(strstr(why, "panel/brightness"));
    assert_int_equal(backlight_written(bl), -1);
    /* fixed: the next call writes, although the level asked for is the same */
    assert_int_equal(rmdir(path), 0);
    write_file(path, "7\n");
    assert_int_equal(backlight_set_percent(bl, 50, why, sizeof why), 0);
    assert_int_equal(brightness_of(sys, "panel"), 128);
    backlight_close(bl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_auto_picks_the_first_device_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_named_device_is_used_even_when_not_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_percent_becomes_the_nearest_step_of_max_brightness,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_dimmed_screen_never_rounds_to_dark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_same_level_is_not_written_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_backlight_is_reported_not_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names_and_bad_max_brightness_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_write_that_fails_is_reported_and_retried, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("backlight", tests, NULL, NULL);
}
