/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of the audio engine rendered offline (audio_open_offline + audio_render, the
 * mixer the SDL callback runs): levels, cap and limiter, fades, the schedule, the
 * soundscapes' character and determinism.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audio/audio_mixer.h"
#include "test_audio_util.h"

#define RATE 48000
#define MINUS_1_DBFS 0.8912509

static const char *const scapes[] = {"sea", "rain", "forest"};

static struct audio *open_scape(const char *source, double volume_db, double cap_db,
                                const char *when)
{
    struct audio_config cfg;
    test_audio_config(&cfg, source);
    cfg.volume_db = volume_db;
    cfg.cap_dbfs = cap_db;
    struct audio *audio = audio_open_offline(&cfg, local_ms(when), RATE);
    assert_non_null(audio);
    return audio;
}

static void skip_seconds(struct audio *audio, double seconds)
{
    int64_t frames;
    free(render_seconds(audio, seconds, RATE, &frames));
}

static void test_each_soundscape_plays_within_1_db_of_the_set_level(void **state)
{
    (void)state;
    const double levels[] = {-26.0, -38.0};
    for (size_t s = 0; s < 3; s++) {
        for (size_t l = 0; l < 2; l++) {
            struct audio *audio = open_scape(scapes[s], levels[l], -20.0, "2026-03-02 10:00");
            skip_seconds(audio, 1.0); /* the 0.5 s fade-in from silence */
            int64_t frames;
            float *buf = render_seconds(audio, 90.0, RATE, &frames);
            double measured = rms_db(buf, frames);
            if (fabs(measured - levels[l]) > 1.0) {
                fail_msg("%s at %.0f dB: measured %.2f dB", scapes[s], levels[l], measured);
            }
            struct audio_status status;
            audio_status(audio, &status);
            assert_false(status.silent);
            assert_true(fabs(status.level_db - levels[l]) < 0.01);
            assert_string_equal(status.source, scapes[s]);
            free(buf);
            audio_close(audio);
        }
    }
}

static void test_peak_stays_below_minus_1_dbfs_with_the_volume_at_the_highest_cap(void **state)
{
    (void)state;
    for (size_t s = 0; s < 3; s++) {
        struct audio *audio = open_scape(scapes[s], -6.0, AUDIO_CAP_MAX_DB, "2026-03-02 10:00");
        skip_seconds(audio, 1.0);
        int64_t frames;
        float *buf = render_seconds(audio, 30.0, RATE, &frames);
        double peak = peak_abs(buf, frames);
        if (!(peak < MINUS_1_DBFS)) {
            fail_msg("%s: peak %.4f (%.2f dBFS)", scapes[s], peak, to_db(peak));
        }
        /* The limiter bends peaks; it does not squash the sound. */
        assert_true(rms_db(buf, frames) > -6.0 - 1.5);
        free(buf);
        audio_close(audio);
    }
}

static void test_the_limiter_is_smooth_and_never_reaches_its_ceiling(void **state)
{
    (void)state;
    float previous = 0.0f;
    double max_slope = 0.0;
    for (int i = 0; i <= 40000; i++) {
        float x = (float)i * 0.0001f; /* 0 .. 4 */
        float y = audio_mixer_limit(x);
        assert_true(y >= previous);               /* monotonic */
        assert_true(y < AUDIO_LIMIT_CEILING);     /* never reaches it */
        assert_true(audio_mixer_limit(-x) == -y); /* symmetric */
        if (x <= AUDIO_LIMIT_KNEE) {
            assert_true(y == x); /* untouched below the knee */
        }
        if (i > 0) {
            double slope = (y - previous) / 0.0001;
            max_slope = slope > max_slope ? slope : max_slope;
        }
        previous = y;
    }
    assert_true(max_slope < 1.01); /* no corner and no step: the slope never exceeds 1 */
    assert_true(audio_mixer_limit(1e30f) < AUDIO_LIMIT_CEILING);
    assert_true(audio_mixer_limit(-INFINITY) > -AUDIO_LIMIT_CEILING);
    assert_true(audio_mixer_limit(NAN) == 0.0f);
    assert_true(AUDIO_LIMIT_CEILING < MINUS_1_DBFS);
}

static void test_a_level_above_the_cap_plays_at_the_cap(void **state)
{
    (void)state;
    struct audio *audio = open_scape("rain", -26.0, -20.0, "2026-03-02 10:00");
    assert_int_equal(audio_set_volume_db(audio, -3.0), 0);
    struct audio_status status;
    audio_status(audio, &status);
    assert_true(status.target_db == -20.0);
    skip_seconds(audio, 1.0);
    int64_t frames;
    float *buf = render_seconds(audio, 30.0, RATE, &frames);
    assert_true(fabs(rms_db(buf, frames) - -20.0) < 1.0);
    free(buf);
    assert_int_equal(audio_set_volume_db(audio, NAN), -EINVAL);
    audio_status(audio, &status);
    assert_true(status.target_db == -20.0);
    audio_close(audio);
}

/* RMS of consecutive windows of window_s seconds. */
static void window_levels(const float *buf, int64_t frames, double window_s, double *out, int count)
{
    int64_t window = (int64_t)(window_s * RATE);
    for (int i = 0; i < count && (i + 1) * window <= frames; i++) {
        out[i] = rms_db(buf + 2 * i * window, window);
    }
}

static void test_volume_changes_fade_slowly_over_fade_seconds(void **state)
{
    (void)state;
    struct audio_config cfg;
    test_audio_config(&cfg, "rain");
    cfg.volume_db = -38.0;
    cfg.fade_seconds = 4.0;
    struct audio *audio = audio_open_offline(&cfg, local_ms("2026-03-02 10:00"), RATE);
    skip_seconds(audio, 5.0);
    assert_int_equal(audio_set_volume_db(audio, -26.0), 0);
    int64_t frames;
    float *buf = render_seconds(audio, 6.0, RATE, &frames);
    double levels[24];
    window_levels(buf, frames, 0.25, levels, 24);
    for (int i = 0; i < 24; i++) {
        double mid = (i + 0.5) * 0.25;
        double expected = mid >= 4.0 ? -26.0 : -38.0 + 12.0 * mid / 4.0; /* linear in dB */
        if (fabs(levels[i] - expected) > 1.5) {
            fail_msg("window at %.2f s: %.2f dB, expected about %.2f dB", mid, levels[i], expected);
        }
    }
    /* Slow: halfway through the fade the level is still far from the target. */
    assert_true(levels[7] < -26.0 - 4.0);
    /* Done on time: the last second is at the target. */
    assert_true(fabs(rms_db(buf + 2 * 5 * RATE, RATE) - -26.0) < 1.0);
    free(buf);
    audio_close(audio);
}

static struct audio *open_scheduled(const char *schedule, const char *when)
{
    struct audio_config cfg;
    char why[200];
    test_audio_config(&cfg, "sea");
    cfg.volume_db = -26.0;
    assert_int_equal(audio_config_set(&cfg, "audio.schedule", "*", schedule, why, sizeof why), 1);
    struct audio *audio = audio_open_offline(&cfg, local_ms(when), RATE);
    assert_non_null(audio);
    return audio;
}

static bool all_zero(const float *buf, int64_t frames)
{
    for (int64_t i = 0; i < 2 * frames; i++) {
        if (buf[i] != 0.0f) {
            return false;
        }
    }
    return true;
}

static void test_silent_outside_opening_hours(void **state)
{
    (void)state;
    struct audio *audio = open_scheduled("08:00 -26, 17:00 off", "2026-03-02 20:00");
    int64_t frames;
    float *buf = render_seconds(audio, 3.0, RATE, &frames);
    assert_true(all_zero(buf, frames));
    free(buf);
    struct audio_status status;
    audio_status(audio, &status);
    assert_true(status.silent);
    assert_true(status.target_silent);

    audio_tick(audio, local_ms("2026-03-03 08:00")); /* opening: fades in (2 s) */
    skip_seconds(audio, 2.5);
    buf = render_seconds(audio, 20.0, RATE, &frames);
    assert_true(fabs(rms_db(buf, frames) - -26.0) < 1.0);
    free(buf);

    audio_tick(audio, local_ms("2026-03-03 17:00")); /* closing: fades out (2 s) */
    buf = render_seconds(audio, 1.0, RATE, &frames);
    assert_false(all_zero(buf, frames)); /* a fade, not a cut */
    free(buf);
    skip_seconds(audio, 1.5);
    buf = render_seconds(audio, 3.0, RATE, &frames);
    assert_true(all_zero(buf, frames));
    free(buf);
    audio_close(audio);
}

static void test_quieter_early_and_late_than_in_the_day(void **state)
{
    (void)state;
    const char *schedule = "07:30 -34, 08:30 on, 16:30 -34, 17:00 off";
    const char *times[] = {"2026-03-02 07:45", "2026-03-02 12:00", "2026-03-02 16:45"};
    const double expected[] = {-34.0, -26.0, -34.0};
    for (int i = 0; i < 3; i++) {
        struct audio *audio = open_scheduled(schedule, times[i]);
        skip_seconds(audio, 1.0);
        int64_t frames;
        float *buf = render_seconds(audio, 60.0, RATE, &frames);
        double measured = rms_db(buf, frames);
        if (fabs(measured - expected[i]) > 1.0) {
            fail_msg("%s: %.2f dB, expected %.2f", times[i], measured, expected[i]);
        }
        free(buf);
        audio_close(audio);
    }
}

static void test_host_level_holds_until_the_next_scheduled_change(void **state)
{
    (void)state;
    struct audio *audio = open_scheduled("08:00 -26, 16:00 -32, 17:00 off", "2026-03-02 10:00");
    assert_int_equal(audio_set_volume_db(audio, -36.0), 0);
    struct audio_status status;
    audio_status(audio, &status);
    assert_true(status.override_active);
    assert_true(status.target_db == -36.0);
    assert_true(status.next_change_ms == local_ms("2026-03-02 16:00"));
    audio_tick(audio, local_ms("2026-03-02 15:59"));
    audio_status(audio, &status);
    assert_true(status.target_db == -36.0);
    audio_tick(audio, local_ms("2026-03-02 16:00"));
    audio_status(audio, &status);
    assert_false(status.override_active);
    assert_true(status.target_db == -32.0);
    /* And back to the schedule on request. */
    assert_int_equal(audio_set_volume_db(audio, -40.0), 0);
    audio_resume_schedule(audio);
    audio_status(audio, &status);
    assert_false(status.override_active);
    assert_true(status.target_db == -32.0);
    audio_close(audio);
}

static void test_same_seed_gives_the_same_sound_and_another_seed_another(void **state)
{
    (void)state;
    for (size_t s = 0; s < 3; s++) {
        float *runs[3];
        int64_t frames = 0;
        const uint32_t seeds[3] = {7, 7, 8};
        for (int r = 0; r < 3; r++) {
            struct audio_config cfg;
            test_audio_config(&cfg, scapes[s]);
            cfg.seed = seeds[r];
            struct audio *audio = audio_open_offline(&cfg, local_ms("2026-03-02 10:00"), RATE);
            runs[r] = render_seconds(audio, 3.0, RATE, &frames);
            audio_close(audio);
        }
        assert_memory_equal(runs[0], runs[1], sizeof(float) * 2 * (size_t)frames);
        int64_t same = 0;
        for (int64_t i = 2 * RATE; i < 2 * frames; i++) { /* after the fade-in */
            same += runs[0][i] == runs[2][i];
        }
        assert_true(same < frames / 100);
        for (int r = 0; r < 3; r++) {
            free(runs[r]);
        }
    }
}

static void test_sea_rain_and_forest_have_distinct_spectra(void **state)
{
    (void)state;
    const double bands[] = {125.0, 500.0, 2000.0, 8000.0};
    double level[3][4];
    for (size_t s = 0; s < 3; s++) {
        struct audio *audio = open_scape(scapes[s], -26.0, -20.0, "2026-03-02 10:00");
        skip_seconds(audio, 1.0);
        int64_t frames;
        float *buf = render_seconds(audio, 30.0, RATE, &frames);
        for (int b = 0; b < 4; b++) {
            level[s][b] = band_db(buf, frames, 0, bands[b], RATE);
        }
        free(buf);
        audio_close(audio);
    }
    /* Spectral slope from 125 Hz to 8 kHz (6 octaves), dB per octave. */
    double slope[3];
    for (int s = 0; s < 3; s++) {
        slope[s] = (level[s][3] - level[s][0]) / 6.0;
    }
    /* Rain is bright (rising), the sea darker, the forest's wind darkest. */
    assert_true(slope[1] > 0.0);
    assert_true(slope[1] - slope[0] > 2.0);
    assert_true(slope[0] - slope[2] > 2.0);
    /* And every pair differs by at least 6 dB in some band, relative to its 500 Hz band. */
    for (int a = 0; a < 3; a++) {
        for (int b = a + 1; b < 3; b++) {
            double most = 0.0;
            for (int k = 0; k < 4; k++) {
                double d = fabs((level[a][k] - level[a][1]) - (level[b][k] - level[b][1]));
                most = d > most ? d : most;
            }
            if (most < 6.0) {
                fail_msg("%s and %s differ by only %.1f dB", scapes[a], scapes[b], most);
            }
        }
    }
}

static void test_sea_swells_slowly_every_6_to_12_seconds(void **state)
{
    (void)state;
    struct audio *audio = open_scape("sea", -26.0, -20.0, "2026-03-02 10:00");
    skip_seconds(audio, 1.0);
    int64_t frames;
    float *buf = render_seconds(audio, 90.0, RATE, &frames);
    const int64_t window = RATE / 2;
    double level[180], low = 0.0, high = -200.0;
    int windows = (int)(frames / window);
    for (int i = 0; i < windows; i++) {
        level[i] = rms_db(buf + 2 * i * window, window);
        low = fmin(low, level[i]);
        high = fmax(high, level[i]);
    }
    assert_true(high - low > 6.0); /* swells you can hear */
    double middle = (low + high) / 2.0;
    int swells = 0;
    bool rising = false;
    for (int i = 0; i < windows; i++) { /* crossings of the middle, with 1.5 dB hysteresis */
        if (!rising && level[i] > middle + 1.5) {
            swells++;
            rising = true;
        } else if (rising && level[i] < middle - 1.5) {
            rising = false;
        }
    }
    if (swells < 90 / 12 - 1 || swells > 90 / 6 + 1) {
        fail_msg("%d swells in 90 s", swells);
    }
    free(buf);
    audio_close(audio);
}

static void test_forest_has_rare_soft_bird_calls(void **state)
{
    (void)state;
    struct audio *audio = open_scape("forest", -26.0, -20.0, "2026-03-02 10:00");
    skip_seconds(audio, 1.0);
    int64_t frames;
    float *buf = render_seconds(audio, 120.0, RATE, &frames);
    const int window = RATE / 20; /* 50 ms */
    int windows = (int)(frames / window);
    double *birds = malloc(sizeof *birds * (size_t)windows);
    double *sorted = malloc(sizeof *sorted * (size_t)windows);
    double loudest = -200.0;
    for (int i = 0; i < windows; i++) {
        const float *at = buf + 2 * (int64_t)i * window;
        birds[i] = -300.0;
        for (double hz = 2700.0; hz <= 5400.0; hz += 150.0) { /* where the calls sing */
            birds[i] = fmax(birds[i], goertzel_db(at, window, 0, hz, RATE));
        }
        sorted[i] = birds[i];
        loudest = fmax(loudest, rms_db(at, window));
    }
    for (int i = 1; i < windows; i++) { /* insertion sort, for the median */
        for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
            double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    }
    double median = sorted[windows / 2];
    int calls = 0, last_loud = -100;
    for (int i = 0; i < windows; i++) {
        if (birds[i] > median + 20.0) {
            if (i - last_loud > 20) { /* more than a second after the last chirp: a new call */
                calls++;
            }
            last_loud = i;
        }
    }
    /* Occasional: a call every 8 to 24 s, so a handful in two minutes, never constant. */
    if (calls < 3 || calls > 15) {
        fail_msg("%d bird calls in 120 s", calls);
    }
    /* Soft: no 50 ms of the forest, birds and gusts included, stands out by 6 dB. */
    assert_true(loudest < -26.0 + 6.0);
    free(birds);
    free(sorted);
    free(buf);
    audio_close(audio);
}

static void test_a_source_change_crossfades_at_an_even_level(void **state)
{
    (void)state;
    struct audio_config cfg;
    test_audio_config(&cfg, "rain");
    cfg.volume_db = -30.0;
    cfg.fade_seconds = 2.0;
    struct audio *audio = audio_open_offline(&cfg, local_ms("2026-03-02 10:00"), RATE);
    skip_seconds(audio, 3.0);
    assert_int_equal(audio_set_source(audio, "sea"), 0);
    assert_int_equal(audio_set_source(audio, "waves"), -EINVAL);
    assert_int_equal(audio_set_source(audio, "music"), -ENOENT); /* no music_dir */
    int64_t frames;
    float *buf = render_seconds(audio, 3.0, RATE, &frames);
    struct audio_status status;
    audio_status(audio, &status);
    assert_string_equal(status.source, "sea");
    assert_string_equal(status.requested, "sea");
    double levels[30];
    window_levels(buf, frames, 0.1, levels, 30);
    for (int i = 0; i < 30; i++) { /* equal power: no dip, no bump while both sound */
        if (fabs(levels[i] - -30.0) > 3.0) {
            fail_msg("window %d: %.2f dB", i, levels[i]);
        }
    }
    free(buf);
    assert_int_equal(audio_set_source(audio, "off"), 0);
    skip_seconds(audio, 2.1);
    buf = render_seconds(audio, 1.0, RATE, &frames);
    assert_true(all_zero(buf, frames));
    free(buf);
    audio_close(audio);
}

int main(void)
{
    test_audio_environment();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_soundscape_plays_within_1_db_of_the_set_level),
        cmocka_unit_test(test_peak_stays_below_minus_1_dbfs_with_the_volume_at_the_highest_cap),
        cmocka_unit_test(test_the_limiter_is_smooth_and_never_reaches_its_ceiling),
        cmocka_unit_test(test_a_level_above_the_cap_plays_at_the_cap),
        cmocka_unit_test(test_volume_changes_fade_slowly_over_fade_seconds),
        cmocka_unit_test(test_silent_outside_opening_hours),
        cmocka_unit_test(test_quieter_early_and_late_than_in_the_day),
        cmocka_unit_test(test_host_level_holds_until_the_next_scheduled_change),
        cmocka_unit_test(test_same_seed_gives_the_same_sound_and_another_seed_another),
        cmocka_unit_test(test_sea_rain_and_forest_have_distinct_spectra),
        cmocka_unit_test(test_sea_swells_slowly_every_6_to_12_seconds),
        cmocka_unit_test(test_forest_has_rare_soft_bird_calls),
        cmocka_unit_test(test_a_source_change_crossfades_at_an_even_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
