/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests of speech in the audio engine (audio/audio_speech.c and its part of
 * audio_mixer.c): speech plays at its own level over the room, also over a silent room;
 * the room is lowered while it plays and comes back after; a stop silences it at once;
 * espeak-ng missing degrades to "not available"; with espeak-ng, a synchronous utterance
 * fills its track.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio/audio_mixer.h"
#include "audio/audio_speech.h"
#include "core/log.h"

#define RATE 48000

static struct audio_speech_feed feed;
static struct audio_mixer mixer;

/* A feed with one track of seconds of a 440 Hz sine at amplitude (0 = silence). */
static void feed_setup(double seconds, double amplitude, double speech_db, double duck_db)
{
    memset(&feed, 0, sizeof feed);
    size_t n = (size_t)(seconds * AUDIO_SPEECH_RATE);
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        feed.tracks[t].pcm = calloc(n + 1, sizeof(int16_t));
        assert_non_null(feed.tracks[t].pcm);
        feed.tracks[t].capacity = n;
        atomic_init(&feed.tracks[t].ready, 0);
        atomic_init(&feed.tracks[t].complete, true);
    }
    for (size_t i = 0; i < n; i++) {
        feed.tracks[0].pcm[i] = (int16_t)lround(
            amplitude * 32767.0 * sin(2 * M_PI * 440.0 * (double)i / AUDIO_SPEECH_RATE));
    }
    atomic_init(&feed.play, -1);
    atomic_init(&feed.serial, 0);
    atomic_init(&feed.reading, -1);
    atomic_init(&feed.done_serial, 0);
    atomic_init(&feed.gain_mdb, (uint32_t)lround(fabs(speech_db) * 1000));
    atomic_init(&feed.duck_mdb, (uint32_t)lround(duck_db * 1000));
    atomic_init(&feed.heard, 0);
}

static void feed_teardown(void)
{
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        free(feed.tracks[t].pcm);
    }
}

/* The control thread's part of audio_speech_say: track 0 complete, published. */
static void say_track0(void)
{
    atomic_store(&feed.tracks[0].ready, feed.tracks[0].capacity);
    atomic_store(&feed.tracks[0].complete, true);
    atomic_store(&feed.play, 0);
    atomic_fetch_add(&feed.serial, 1);
}

static void stop(void)
{
    atomic_store(&feed.play, -1);
    atomic_fetch_add(&feed.serial, 1);
}

static double render_db_of(struct audio_mixer *m, double seconds)
{
    int frames = (int)(seconds * RATE);
    float *buf = malloc(sizeof(float) * 2 * (size_t)frames);
    assert_non_null(buf);
    audio_mixer_render(m, buf, frames);
    double sum = 0;
    for (int i = 0; i < 2 * frames; i++) {
        sum += (double)buf[i] * buf[i];
    }
    free(buf);
    double rms = sqrt(sum / (2.0 * frames));
    return rms > 1e-9 ? 20 * log10(rms) : -180.0;
}

static double render_db(double seconds)
{
    return render_db_of(&mixer, seconds);
}

static void test_speech_plays_at_its_level_over_a_silent_room(void **state)
{
    (void)state;
    /* A sine of amplitude 0.1 (RMS -23 dBFS) at speech_db = the reference (-20): as made. */
    feed_setup(3.0, 0.1, AUDIO_SPEECH_REF_DBFS, 12);
    audio_mixer_init(&mixer, RATE, 1, AUDIO_SOURCE_SEA, 5.0, NULL); /* level: silent */
    audio_mixer_set_speech(&mixer, &feed);
    assert_true(render_db(0.5) < -150); /* nothing yet */
    say_track0();
    double level = render_db(2.0);
    assert_true(fabs(level - (-23.0)) < 0.5);
    /* 6 dB lower asked: 6 dB lower heard. */
    atomic_store(&feed.gain_mdb, (uint32_t)lround(fabs(AUDIO_SPEECH_REF_DBFS - 6.0) * 1000));
    say_track0();
    assert_true(fabs(render_db(1.0) - (-29.0)) < 0.5);
    feed_teardown();
}

static void test_room_is_lowered_while_speech_plays_and_comes_back(void **state)
{
    (void)state;
    /* The same rain with and without speech (same seed): window by window, speech of
     * silence leaves the room alone, lowered by duck_db, then as before. */
    static struct audio_mixer ref;
    feed_setup(3.0, 0.0, -20, 12);
    audio_mixer_init(&mixer, RATE, 1, AUDIO_SOURCE_RAIN, 5.0, NULL);
    audio_mixer_init(&ref, RATE, 1, AUDIO_SOURCE_RAIN, 5.0, NULL);
    audio_mixer_set_speech(&mixer, &feed);
    audio_mixer_request_level(&mixer, false, -26, 0.5);
    audio_mixer_request_level(&ref, false, -26, 0.5);
    double windows[][2] = {{1.0, 0}, {1.0, 0}, {0.3, 0}, {1.5, 0}, {2.5, 0}, {1.0, 0}};
    for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
        if (w == 2) {
            say_track0();
        }
        double with = render_db(windows[w][0]), without = render_db_of(&ref, windows[w][0]);
        windows[w][1] = with - without;
    }
    assert_true(fabs(windows[1][1]) < 0.01);       /* before: the same */
    assert_true(fabs(windows[3][1] + 12.0) < 0.5); /* while speaking: 12 dB lower */
    assert_true(fabs(windows[5][1]) < 0.5);        /* after: back */
    assert_int_equal(atomic_load(&feed.done_serial), atomic_load(&feed.serial));
    assert_int_equal(atomic_load(&feed.reading), -1); /* the track is free again */
    feed_teardown();
}

static void test_a_stop_silences_speech_at_once(void **state)
{
    (void)state;
    feed_setup(3.0, 0.2, AUDIO_SPEECH_REF_DBFS, 12);
    audio_mixer_init(&mixer, RATE, 1, AUDIO_SOURCE_SEA, 5.0, NULL);
    audio_mixer_set_speech(&mixer, &feed);
    say_track0();
    assert_true(render_db(0.5) > -20);
    stop();
    render_db(0.01); /* the 5 ms ramp down */
    assert_true(render_db(0.2) < -150);
    assert_int_equal(atomic_load(&feed.reading), -1);
    assert_int_equal(atomic_load(&feed.done_serial), atomic_load(&feed.serial));
    feed_teardown();
}

static void test_a_missing_espeak_ng_leaves_speech_unavailable(void **state)
{
    (void)state;
    log_set_quiet(1);
    struct audio_speech_options options = {
        .program = "/nonexistent/espeak-ng", .synchronous = true, .speech_db = -20, .duck_db = 12};
    struct audio_speech *speech = audio_speech_open(&options);
    assert_non_null(speech);
    assert_false(audio_speech_available(speech));
    assert_int_equal(audio_speech_say(speech, "nl", "<speak>Welkom</speak>"), -ENOENT);
    assert_false(audio_speech_speaking(speech));
    audio_speech_stop(speech); /* harmless */
    audio_speech_close(speech);
    options.program = ""; /* [audio] speech_program = none */
    speech = audio_speech_open(&options);
    assert_false(audio_speech_available(speech));
    audio_speech_close(speech);
}

static void test_every_kiosk_language_has_a_voice(void **state)
{
    (void)state;
    const char *codes[] = {"nl", "en", "ar", "tr", "pl", "uk"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_non_null(audio_speech_voice(codes[i]));
    }
    assert_string_equal(audio_speech_voice("en"), "en-gb");
    assert_null(audio_speech_voice("xx"));
    assert_null(audio_speech_voice(NULL));
}

static void test_espeak_ng_fills_a_track_in_every_language(void **state)
{
    (void)state;
    if (access("/usr/bin/espeak-ng", X_OK) != 0) {
        skip(); /* make deps installs it; tests/e2e/access.sh fails without it */
    }
    struct audio_speech_options options = {
        .program = "espeak-ng", .synchronous = true, .speech_db = -20, .duck_db = 12};
    struct audio_speech *speech = audio_speech_open(&options);
    assert_true(audio_speech_available(speech));
    struct audio_speech_feed *f = audio_speech_feed(speech);
    const char *codes[] = {"nl", "en", "ar", "tr", "pl", "uk"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_int_equal(
            audio_speech_say(speech, audio_speech_voice(codes[i]), "<speak>1 2 3 &amp; 4</speak>"),
            0);
        int play = atomic_load(&f->play);
        assert_true(play >= 0);
        size_t ready = atomic_load(&f->tracks[play].ready);
        assert_true(ready > AUDIO_SPEECH_RATE / 2); /* more than half a second of voice */
        long peak = 0;
        for (size_t s = 0; s < ready; s++) {
            long v = labs((long)f->tracks[play].pcm[s]);
            peak = v > peak ? v : peak;
        }
        assert_true(peak > 3000);
        assert_true(audio_speech_speaking(speech)); /* nobody played it yet */
    }
    assert_int_equal(audio_speech_say(speech, "n l", "x"), -EINVAL); /* not a voice name */
    assert_int_equal(audio_speech_say(speech, "nl", ""), -EINVAL);
    audio_speech_stop(speech);
    audio_speech_close(speech);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speech_plays_at_its_level_over_a_silent_room),
        cmocka_unit_test(test_room_is_lowered_while_speech_plays_and_comes_back),
        cmocka_unit_test(test_a_stop_silences_speech_at_once),
        cmocka_unit_test(test_a_missing_espeak_ng_leaves_speech_unavailable),
        cmocka_unit_test(test_every_kiosk_language_has_a_voice),
        cmocka_unit_test(test_espeak_ng_fills_a_track_in_every_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
