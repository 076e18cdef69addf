/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the speech push button (kiosk/speech_button.h) through the fake libgpiod: what a
 * press counts, what a missing or busy line says, and the whole kiosk reading its screen
 * aloud when the button is pressed ([speech] button_line, --audio-file).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "config/config.h"
#include "fakes/fake_gpiod.h"
#include "kiosk/speech_button.h"

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

/* Presses counted within timeout_ms (the button's thread takes the edges). */
static int presses_within(struct speech_button *button, int expected, int timeout_ms)
{
    int presses = 0;
    for (int waited = 0; waited < timeout_ms && presses < expected; waited += 10) {
        presses += speech_button_take(button);
        sleep_ms(10);
    }
    return presses + speech_button_take(button);
}

static int setup(void **state)
{
    (void)state;
    fake_gpiod_reset();
    const char *lines[] = {"GPIO17", "SPEAK_BUTTON", "GPIO27"};
    fake_gpiod_add_chip("gpiochip0", "pinctrl-bcm2711", lines, 3);
    return 0;
}

static int wakes;
static void count_wake(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&wakes, 1, __ATOMIC_SEQ_CST);
}

static void test_a_press_is_one_press_however_the_contact_bounces(void **state)
{
    (void)state;
    char why[256] = "";
    wakes = 0;
    struct speech_button *button =
        speech_button_open(NULL, "SPEAK_BUTTON", true, count_wake, NULL, why, sizeof why);
    assert_non_null(button);
    int line = fake_gpiod_line_id(NULL, "SPEAK_BUTTON");
    assert_true(fake_gpiod_requested(line));
    assert_true(fake_gpiod_active_low(line));
    assert_int_equal(speech_button_take(button), 0); /* released: nothing */

    /* To ground (active low): pressed; the contact bounces three times within a few ms. */
    for (int bounce = 0; bounce < 3; bounce++) {
        fake_gpiod_set_input(line, 0);
        fake_gpiod_set_input(line, 1);
    }
    fake_gpiod_set_input(line, 0);
    assert_int_equal(presses_within(button, 1, 1000), 1);
    assert_true(__atomic_load_n(&wakes, __ATOMIC_SEQ_CST) >= 1); /* the main loop is woken */
    fake_gpiod_set_input(line, 1);                               /* let go: no press */
    sleep_ms(SPEECH_BUTTON_DEBOUNCE_MS + 50);
    assert_int_equal(speech_button_take(button), 0);

    fake_gpiod_set_input(line, 0); /* a second press, later */
    assert_int_equal(presses_within(button, 1, 1000), 1);
    speech_button_close(button);
    assert_false(fake_gpiod_requested(line));
    assert_int_equal(fake_gpiod_open_handles(), 0);
}

static void test_active_high_button_presses_on_a_rising_level(void **state)
{
    (void)state;
    char why[256] = "";
    struct speech_button *button =
        speech_button_open("pinctrl-bcm2711", "SPEAK_BUTTON", false, NULL, NULL, why, sizeof why);
    assert_non_null(button);
    int line = fake_gpiod_line_id(NULL, "SPEAK_BUTTON");
    fake_gpiod_set_input(line, 1);
    assert_int_equal(presses_within(button, 1, 1000), 1);
    speech_button_close(button);
}

static void test_missing_or_busy_line_says_why_and_holds_nothing(void **state)
{
    (void)state;
    char why[256] = "";
    assert_null(speech_button_open(NULL, "NO_SUCH_LINE", true, NULL, NULL, why, sizeof why));
    assert_non_null(strstr(why, "NO_SUCH_LINE"));
    assert_non_null(strstr(why, "gpioinfo"));
    assert_null(
        speech_button_open("no-such-chip", "SPEAK_BUTTON", true, NULL, NULL, why, sizeof why));
    assert_non_null(strstr(why, "no-such-chip"));
    assert_null(
        speech_button_open("pinctrl-bcm2711", "NO_SUCH_LINE", true, NULL, NULL, why, sizeof why));
    assert_non_null(strstr(why, "NO_SUCH_LINE"));
    int line = fake_gpiod_line_id(NULL, "SPEAK_BUTTON");
    fake_gpiod_set_busy(line, "gpiomon");
    assert_null(speech_button_open(NULL, "SPEAK_BUTTON", true, NULL, NULL, why, sizeof why));
    assert_non_null(strstr(why, "gpiomon"));
    assert_int_equal(fake_gpiod_open_handles(), 0);
}

/* --- the whole kiosk: a press reads the welcome screen aloud -------------------------- */

struct presser {
    int line;
    int delay_ms;
};

static void *press_later(void *arg)
{
    const struct presser *p = arg;
    sleep_ms(p->delay_ms);
    fake_gpiod_set_input(p->line, 0);
    sleep_ms(120);
    fake_gpiod_set_input(p->line, 1);
    return NULL;
}

/* RMS in dBFS of a 16-bit mono WAV written by --audio-file, from from_ms on. */
static double wav_level_from(const char *path, int from_ms)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    unsigned char header[44];
    assert_int_equal(fread(header, 1, sizeof header, in), sizeof header);
    long rate = header[24] | header[25] << 8 | (long)header[26] << 16 | (long)header[27] << 24;
    assert_int_equal(fseek(in, 44 + 2 * (from_ms * rate / 1000), SEEK_SET), 0);
    double sum = 0;
    long count = 0;
    unsigned char sample[2];
    while (fread(sample, 1, 2, in) == 2) {
        int16_t value = (int16_t)(sample[0] | sample[1] << 8);
        sum += (double)value * value;
        count++;
    }
    fclose(in);
    return count && sum > 0 ? 10 * log10(sum / count / (32768.0 * 32768.0)) : -120.0;
}

/* Runs the headless kiosk for about two seconds of real time with the button configured;
 * pressed: the button goes down half a second in. Returns the level after the press. */
static double run_kiosk(bool pressed)
{
    char dir[] = "/tmp/oase-button.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char replay[128], wav[128], db[128];
    snprintf(replay, sizeof replay, "%s/press.replay", dir);
    snprintf(wav, sizeof wav, "%s/press.wav", dir);
    snprintf(db, sizeof db, "%s/oase.db", dir);
    FILE *f = fopen(replay, "w");
    assert_non_null(f);
    fputs("start 2026-03-02 10:00\nreal-wait 2500\n", f);
    fclose(f);

    struct oase_config config;
    config_defaults(&config);
    const char *text = "[audio]\nsource = off\n[speech]\nbutton_line = SPEAK_BUTTON\n";
    struct config_problems problems = {0};
    assert_int_equal(
        config_load_buffer(&config, "button.conf", text, strlen(text), NULL, NULL, &problems), 0);
    assert_int_equal(problems.errors + problems.warnings, 0);
    struct app_options options = {.config_path = "button.conf",
                                  .db_path = db,
                                  .headless = true,
                                  .replay_path = replay,
                                  .audio_file_path = wav};
    struct presser presser = {.line = fake_gpiod_line_id(NULL, "SPEAK_BUTTON"), .delay_ms = 500};
    pthread_t thread;
    if (pressed) {
        assert_int_equal(pthread_create(&thread, NULL, press_later, &presser), 0);
    }
    assert_int_equal(app_run(&config, &options), 0);
    if (pressed) {
        pthread_join(thread, NULL);
    }
    double level = wav_level_from(wav, 600);
    char command[160];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    assert_int_equal(system(command), 0);
    return level;
}

static void test_a_press_reads_the_screen_aloud(void **state)
{
    (void)state;
    if (access("/usr/bin/espeak-ng", X_OK) != 0) {
        skip(); /* no voice to hear: tests/e2e/access.sh fails on that already */
    }
    double silent = run_kiosk(false);
    double spoken = run_kiosk(true);
    if (!(spoken > silent + 20 && spoken > -50)) {
        fail_msg("after the press %.1f dBFS, without it %.1f dBFS", spoken, silent);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_a_press_is_one_press_however_the_contact_bounces, setup),
        cmocka_unit_test_setup(test_active_high_button_presses_on_a_rising_level, setup),
        cmocka_unit_test_setup(test_missing_or_busy_line_says_why_and_holds_nothing, setup),
        cmocka_unit_test_setup(test_a_press_reads_the_screen_aloud, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
