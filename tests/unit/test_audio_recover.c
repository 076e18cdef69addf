/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of a sound device that comes and goes: missing at start, then plugged in; or
 * removed while playing, then back. The kiosk stays silent meanwhile, says so once, looks
 * again every 30 s of kiosk time and plays again. SDL's dummy driver stands in for a sound
 * card; "no-such-driver" for none, and quitting SDL's audio under the kiosk for an unplug
 * (SDL then reports the open device as stopped, as it does when ALSA loses a USB card).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>

#include "test_audio_util.h"

#define RETRY_MS 30000

struct fixture {
    char log_path[96];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->log_path, sizeof f->log_path, "/tmp/oase-audio-recover.%d.log", (int)getpid());
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->log_path);
    free(f);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    return 0;
}

static bool device_ok(struct audio *audio)
{
    struct audio_status status;
    audio_status(audio, &status);
    return status.device_ok;
}

static void test_a_sound_device_that_appears_later_is_opened(void **state)
{
    struct fixture *f = *state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    struct log_capture capture;
    log_capture_begin(&capture, f->log_path);
    int64_t start = local_ms("2026-03-02 10:00");
    struct audio_config cfg;
    test_audio_config(&cfg, "sea");
    struct audio *audio = audio_open(&cfg, start);
    assert_non_null(audio);
    assert_false(device_ok(audio));
    audio_tick(audio, start + RETRY_MS); /* still no driver: another quiet attempt */
    assert_false(device_ok(audio));
    assert_true(audio_next_deadline_ms(audio, start + RETRY_MS) <= start + 2 * RETRY_MS);

    setenv("SDL_AUDIODRIVER", "dummy", 1); /* the card is plugged in */
    audio_tick(audio, start + RETRY_MS + 1000);
    assert_false(device_ok(audio)); /* not looked for yet */
    audio_tick(audio, start + 2 * RETRY_MS);
    assert_true(device_ok(audio));
    struct audio_status status;
    audio_status(audio, &status);
    assert_string_equal(status.last_error, "");
    assert_string_equal(status.requested, "sea");
    assert_true(status.sample_rate > 0);
    audio_close(audio);
    char *log = log_capture_end(&capture);
    assert_int_equal(count_lines_with(log, "no audio device", NULL, NULL), 1);
    assert_int_equal(count_lines_with(log, "sound device is back", NULL, NULL), 1);
    free(log);
}

static void test_a_removed_sound_device_is_noticed_and_opened_again(void **state)
{
    struct fixture *f = *state;
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    struct log_capture capture;
    log_capture_begin(&capture, f->log_path);
    int64_t start = local_ms("2026-03-02 10:00");
    struct audio_config cfg;
    test_audio_config(&cfg, "rain");
    struct audio *audio = audio_open(&cfg, start);
    assert_non_null(audio);
    assert_true(device_ok(audio));

    SDL_QuitSubSystem(SDL_INIT_AUDIO); /* the device goes away under the kiosk */
    for (int64_t t = 1000; t < RETRY_MS; t += 1000) {
        audio_tick(audio, start + t);
        assert_false(device_ok(audio));
        assert_int_equal(audio_set_volume_db(audio, -30.0), 0); /* the host's controls work */
    }
    struct audio_status status;
    audio_status(audio, &status);
    assert_non_null(strstr(status.last_error, "removed"));
    audio_tick(audio, start + 1000 + RETRY_MS);
    assert_true(device_ok(audio));
    audio_close(audio);
    char *log = log_capture_end(&capture);
    assert_int_equal(count_lines_with(log, "sound device was removed", NULL, NULL), 1);
    assert_int_equal(count_lines_with(log, "sound device is back", NULL, NULL), 1);
    free(log);
}

int main(void)
{
    test_audio_environment();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_sound_device_that_appears_later_is_opened, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_removed_sound_device_is_noticed_and_opened_again,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
