/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of audio through a real SDL device: SDL's "disk" driver writes what the callback
 * renders to a file (SDL_DISKAUDIOFILE), which the test then analyses. SDL_DISKAUDIODELAY=0
 * lets it run faster than real time (the soundscapes); the music test runs at the device's
 * own pace, as on the kiosk. Each test stops at its own sample count, with a generous bound
 * on the wait so a stuck device fails instead of hanging.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <sys/stat.h>

#include "test_audio_util.h"

#define RATE 48000
#define MINUS_1_DBFS 0.8912509
#define WAIT_LIMIT_MS 30000 /* a device that writes nothing for this long is broken */

struct fixture {
    char dir[64];
    char music_dir[64]; /* "" unless a test made one */
    char raw[128];
    char log_path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tmp_make(f->dir, sizeof f->dir);
    tmp_path(f->raw, sizeof f->raw, f->dir, "out.raw");
    snprintf(f->log_path, sizeof f->log_path, "%s.log", f->dir);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", f->raw, 1);
    setenv("SDL_DISKAUDIODELAY", "0", 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tmp_remove(f->dir);
    if (f->music_dir[0] != '\0') {
        tmp_remove(f->music_dir);
    }
    unlink(f->log_path);
    free(f);
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/*
 * Lets the device run until the file holds seconds of stereo float audio, calling
 * audio_tick as a main loop would. Returns the samples read back (malloc'd).
 */
static float *run_device(struct audio *audio, const struct fixture *f, double seconds,
                         int64_t *frames_out)
{
    long want = (long)(seconds * RATE) * 2 * (long)sizeof(float);
    Uint32 start = SDL_GetTicks();
    while (file_size(f->raw) < want) {
        audio_tick(audio, local_ms("2026-03-02 10:00"));
        if (SDL_GetTicks() - start > WAIT_LIMIT_MS) {
            fail_msg("the disk device wrote %ld of %ld bytes", file_size(f->raw), want);
        }
        SDL_Delay(1);
    }
    audio_close(audio); /* flushes and closes the file */
    long size = file_size(f->raw);
    float *buf = malloc((size_t)size);
    FILE *file = fopen(f->raw, "rb");
    assert_non_null(file);
    assert_int_equal(fread(buf, 1, (size_t)size, file), (size_t)size);
    fclose(file);
    *frames_out = size / (2 * (long)sizeof(float));
    return buf;
}

static void test_disk_device_plays_each_soundscape_at_the_set_level(void **state)
{
    struct fixture *f = *state;
    const char *scapes[] = {"rain", "sea", "forest"};
    for (int s = 0; s < 3; s++) {
        struct audio_config cfg;
        test_audio_config(&cfg, scapes[s]);
        cfg.volume_db = -26.0;
        struct audio *audio = audio_open(&cfg, local_ms("2026-03-02 10:00"));
        assert_non_null(audio);
        struct audio_status status;
        audio_status(audio, &status);
        assert_true(status.device_ok);
        assert_int_equal(status.sample_rate, RATE);
        int64_t frames;
        /* rain is steady: 8 s; sea and forest swell and gust slowly: 40 s */
        float *buf = run_device(audio, f, s == 0 ? 8.0 : 40.0, &frames);
        for (int64_t i = 0; i < 2 * frames; i++) {
            assert_true(isfinite(buf[i]));
        }
        int64_t skip = RATE; /* the 0.5 s fade-in from silence */
        /* On a loaded machine the device can run dry (the main loop that feeds it did not get
         * the CPU): the callback then plays exact silence. The level is that of the sound
         * played; runs of 32 or more silent frames are counted apart and bounded. */
        int64_t played = 0, gaps = 0;
        double sum = 0.0;
        for (int64_t at = skip; at < frames;) {
            int64_t end = at;
            while (end < frames && buf[2 * end] == 0.0f && buf[2 * end + 1] == 0.0f) {
                end++;
            }
            if (end - at >= 32) {
                gaps += end - at;
                at = end;
                continue;
            }
            end = end > at ? end : at + 1;
            for (; at < end; at++) {
                sum +=
                    (double)buf[2 * at] * buf[2 * at] + (double)buf[2 * at + 1] * buf[2 * at + 1];
                played++;
            }
        }
        assert_true(played > 0);
        double level = 10.0 * log10(sum / (2.0 * (double)played) + 1e-300);
        if (fabs(level - -26.0) > 1.0 || gaps > played) { /* mostly dry: no level to speak of */
            fail_msg("%s through the disk device: %.2f dB over %lld frames, %lld silent frames "
                     "in gaps (the device ran dry)",
                     scapes[s], level, (long long)played, (long long)gaps);
        }
        assert_true(peak_abs(buf, frames) < MINUS_1_DBFS);
        free(buf);
        unlink(f->raw);
    }
}

static void test_disk_device_plays_music_decoded_by_the_loader_thread(void **state)
{
    struct fixture *f = *state;
    char path[160];
    char *music_dir = f->music_dir; /* removed by teardown, even when the test fails */
    tmp_make(music_dir, sizeof f->music_dir);
    tmp_path(path, sizeof path, music_dir, "a.wav");
    write_tone(path, 44100, 2, 440.0, 3.0, 0.5);
    tmp_path(path, sizeof path, music_dir, "b.wav");
    write_tone(path, 44100, 1, 660.0, 3.0, 0.5);
    struct audio_config cfg;
    test_audio_config(&cfg, "music");
    snprintf(cfg.music_dir, sizeof cfg.music_dir, "%s", music_dir);
    cfg.volume_db = -26.0;
    /* At the device's own pace (SDL's default delay: one buffer's duration), as on the
     * kiosk: the loader thread decodes ahead while the callback plays. */
    unsetenv("SDL_DISKAUDIODELAY");
    struct audio *audio = audio_open(&cfg, local_ms("2026-03-02 10:00"));
    assert_non_null(audio);
    int64_t frames;
    float *buf = run_device(audio, f, 5.0, &frames);
    /* The last 3 s: music only (it starts once a second is decoded, then fades in). */
    int64_t n = 3 * RATE;
    float *music = buf + 2 * (frames - n);
    double tones = fmax(band_db(music, n, 0, 440.0, RATE), band_db(music, n, 0, 660.0, RATE));
    assert_true(tones - band_db(music, n, 0, 2000.0, RATE) > 40.0);
    assert_true(band_db(music, n, 0, 440.0, RATE) - band_db(music, n, 0, 405.0, RATE) > 30.0);
    assert_true(band_db(music, n, 1, 660.0, RATE) - band_db(music, n, 1, 607.0, RATE) > 30.0);
    assert_true(peak_abs(buf, frames) < MINUS_1_DBFS);
    /* No click anywhere: a 660 Hz sine of this level steps at most this far per sample
     * (a crossfade of two sines at most the sum of theirs). */
    double amplitude = sqrt(2.0) * pow(10.0, -26.0 / 20.0);
    double bound = 1.1 * amplitude * (2 * sin(M_PI * 440.0 / RATE) + 2 * sin(M_PI * 660.0 / RATE));
    for (int c = 0; c < 2; c++) {
        double step = max_step(buf, frames, c);
        if (step > bound) {
            fail_msg("channel %d: step %.5f above %.5f", c, step, bound);
        }
    }
    free(buf);
}

static void test_without_a_device_the_kiosk_runs_silently_and_says_so_once(void **state)
{
    struct fixture *f = *state;
    setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    struct log_capture capture;
    log_capture_begin(&capture, f->log_path);
    struct audio_config cfg;
    test_audio_config(&cfg, "sea");
    struct audio *audio = audio_open(&cfg, local_ms("2026-03-02 10:00"));
    assert_non_null(audio);
    for (int i = 0; i < 5; i++) { /* everything still works, and nothing more is said */
        audio_tick(audio, local_ms("2026-03-02 10:00") + i * 60000);
        assert_int_equal(audio_set_source(audio, i % 2 ? "rain" : "forest"), 0);
        assert_int_equal(audio_set_volume_db(audio, -30.0), 0);
    }
    float buf[64];
    assert_int_equal(audio_render(audio, buf, 32), -EBUSY);
    struct audio_status status;
    audio_status(audio, &status);
    audio_close(audio);
    char *log = log_capture_end(&capture);
    assert_false(status.device_ok);
    assert_true(status.silent);
    assert_string_equal(status.requested, "forest");
    assert_non_null(strstr(status.last_error, "no audio device"));
    assert_int_equal(count_lines_with(log, "no audio device", "runs silently", NULL), 1);
    free(log);
}

int main(void)
{
    test_audio_environment();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_disk_device_plays_each_soundscape_at_the_set_level,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_device_plays_music_decoded_by_the_loader_thread,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_without_a_device_the_kiosk_runs_silently_and_says_so_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
