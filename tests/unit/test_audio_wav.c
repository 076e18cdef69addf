/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of audio_wav (strict WAV reading) and audio_resample (rate conversion). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "audio/audio_resample.h"
#include "audio/audio_wav.h"
#include "test_audio_util.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    tmp_make(f->dir, sizeof f->dir);
    tmp_path(f->path, sizeof f->path, f->dir, "t.wav");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tmp_remove(f->dir);
    free(f);
    return 0;
}

/* Opens path expecting a refusal; returns why (static). */
static const char *refusal(const char *path)
{
    static char why[256];
    struct audio_wav wav;
    int rc = audio_wav_open(&wav, path, why, sizeof why);
    assert_int_equal(rc, -EINVAL);
    assert_null(wav.file); /* nothing left open */
    return why;
}

static void decode_all(const char *path, float *out, int64_t frames, struct audio_wav *wav)
{
    char why[256];
    assert_int_equal(audio_wav_open(wav, path, why, sizeof why), 0);
    assert_int_equal(wav->frames, frames);
    int64_t done = 0;
    while (done < frames) {
        int got = audio_wav_read(wav, out + 2 * done, 700);
        assert_true(got > 0);
        done += got;
    }
    assert_int_equal(audio_wav_read(wav, out, 10), 0); /* the end */
    audio_wav_close(wav);
}

static void test_every_supported_format_decodes_to_the_same_tone(void **state)
{
    struct fixture *f = *state;
    const struct {
        unsigned tag;
        bool ext_float;
        int bits;
        double tolerance;
    } formats[] = {
        {1, false, 16, 1.0 / 32768}, {1, false, 24, 1e-6},      {1, false, 32, 1e-6},
        {3, false, 32, 1e-7},        {0xfffe, false, 24, 1e-6}, {0xfffe, true, 32, 1e-7},
    };
    const int64_t frames = 4000;
    float *out = malloc(sizeof *out * 2 * frames);
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        struct test_wav w = {.format_tag = formats[k].tag,
                             .extensible_float = formats[k].ext_float,
                             .bits = formats[k].bits,
                             .channels = 2,
                             .rate = 44100,
                             .frames = frames,
                             .hz = {441.0, 882.0},
                             .amplitude = 0.5};
        write_wav(f->path, &w);
        struct audio_wav wav;
        decode_all(f->path, out, frames, &wav);
        assert_int_equal(wav.sample_rate, 44100);
        assert_int_equal(wav.channels, 2);
        for (int64_t i = 0; i < frames; i++) {
            for (int c = 0; c < 2; c++) {
                double expected = 0.5 * sin(2 * M_PI * w.hz[c] * (double)i / 44100);
                double err = fabs(out[2 * i + c] - expected);
                if (err > formats[k].tolerance + 1e-7) {
                    fail_msg("format %zu frame %lld ch %d: %f, expected %f", k, (long long)i, c,
                             out[2 * i + c], expected);
                }
            }
        }
    }
    free(out);
}

static void test_mono_plays_on_both_channels(void **state)
{
    struct fixture *f = *state;
    write_tone(f->path, 8000, 1, 500.0, 0.5, 0.25);
    float out[2 * 4000];
    struct audio_wav wav;
    decode_all(f->path, out, 4000, &wav);
    double energy = 0.0;
    for (int i = 0; i < 4000; i++) {
        assert_true(out[2 * i] == out[2 * i + 1]);
        energy += out[2 * i] * out[2 * i];
    }
    assert_true(energy > 0.0);
}

static void test_empty_file_is_refused(void **state)
{
    struct fixture *f = *state;
    write_bytes(f->path, "", 0);
    assert_non_null(strstr(refusal(f->path), "empty"));
}

static void test_truncated_file_is_refused(void **state)
{
    struct fixture *f = *state;
    write_tone(f->path, 48000, 2, 440.0, 1.0, 0.5);
    assert_int_equal(truncate(f->path, 1000), 0); /* declares 192000 data bytes */
    const char *why = refusal(f->path);
    assert_non_null(strstr(why, "truncated"));
    write_bytes(f->path, "RIFF\x10\x00\x00\x00WAVE", 12);
    assert_non_null(strstr(refusal(f->path), "too short"));
}

static void test_wrong_header_is_refused(void **state)
{
    struct fixture *f = *state;
    uint8_t bytes[64];
    write_tone(f->path, 48000, 2, 440.0, 0.01, 0.5);
    FILE *file = fopen(f->path, "rb");
    assert_int_equal(fread(bytes, 1, sizeof bytes, file), sizeof bytes);
    fclose(file);

    uint8_t bad[64];
    memcpy(bad, bytes, sizeof bad);
    memcpy(bad, "OggS", 4);
    write_bytes(f->path, bad, sizeof bad);
    assert_non_null(strstr(refusal(f->path), "does not start with RIFF"));

    memcpy(bad, bytes, sizeof bad);
    memcpy(bad, "RIFX", 4);
    write_bytes(f->path, bad, sizeof bad);
    assert_non_null(strstr(refusal(f->path), "RIFX"));

    memcpy(bad, bytes, sizeof bad);
    memcpy(bad + 8, "AVI ", 4);
    write_bytes(f->path, bad, sizeof bad);
    assert_non_null(strstr(refusal(f->path), "not WAVE"));
}

/* A header-only WAV (fmt of 16-bit stereo 48 kHz) with a data chunk declaring data_size,
 * followed by body_bytes of silence. */
static void write_declared(const char *path, uint32_t riff_size, uint32_t data_size,
                           size_t body_bytes)
{
    uint8_t *bytes = calloc(1, 44 + body_bytes);
    memcpy(bytes, "RIFF", 4);
    put32(bytes + 4, riff_size);
    memcpy(bytes + 8, "WAVEfmt ", 8);
    put32(bytes + 16, 16);
    put16(bytes + 20, 1);
    put16(bytes + 22, 2);
    put32(bytes + 24, 48000);
    put32(bytes + 28, 192000);
    put16(bytes + 32, 4);
    put16(bytes + 34, 16);
    memcpy(bytes + 36, "data", 4);
    put32(bytes + 40, data_size);
    write_bytes(path, bytes, 44 + body_bytes);
    free(bytes);
}

static void test_absurd_declared_sizes_are_refused(void **state)
{
    struct fixture *f = *state;
    write_declared(f->path, 36 + 400, 0xfffffff0u, 400);
    assert_non_null(strstr(refusal(f->path), "over 2 GB"));
    write_declared(f->path, 36 + 400, 0x7fffffffu, 400);
    assert_non_null(strstr(refusal(f->path), "truncated"));
    write_declared(f->path, 0xffffffffu, 400, 400);
    assert_non_null(strstr(refusal(f->path), "truncated"));
    write_declared(f->path, 36 + 400, 400, 400); /* the same file, honest: plays */
    struct audio_wav wav;
    char why[256];
    assert_int_equal(audio_wav_open(&wav, f->path, why, sizeof why), 0);
    assert_int_equal(wav.frames, 100);
    audio_wav_close(&wav);
}

static void test_unsupported_formats_are_refused_with_what_is_played(void **state)
{
    struct fixture *f = *state;
    struct test_wav w = {.format_tag = 0x55,
                         .bits = 16,
                         .channels = 2,
                         .rate = 44100,
                         .frames = 100,
                         .hz = {440, 440},
                         .amplitude = 0.5};
    write_wav(f->path, &w);
    const char *why = refusal(f->path);
    assert_non_null(strstr(why, "MP3"));
    assert_non_null(strstr(why, "only PCM"));

    struct test_wav eight = w;
    eight.format_tag = 1;
    eight.bits = 8;
    write_wav(f->path, &eight);
    assert_non_null(strstr(refusal(f->path), "8-bit PCM"));

    struct test_wav six = w;
    six.format_tag = 1;
    six.channels = 6;
    write_wav(f->path, &six);
    assert_non_null(strstr(refusal(f->path), "6 channels"));

    struct test_wav slow = w;
    slow.format_tag = 1;
    slow.rate = 4000;
    write_wav(f->path, &slow);
    assert_non_null(strstr(refusal(f->path), "4000 Hz"));

    struct test_wav extensible_mp3 = w;
    extensible_mp3.format_tag = 0xfffe;
    write_wav(f->path, &extensible_mp3);
    uint8_t patch[2] = {0x55, 0x00}; /* subformat GUID: MP3 */
    FILE *file = fopen(f->path, "r+b");
    fseek(file, 44, SEEK_SET);
    fwrite(patch, 1, 2, file);
    fclose(file);
    assert_non_null(strstr(refusal(f->path), "subformat"));
}

static void test_damaged_structure_is_refused(void **state)
{
    struct fixture *f = *state;
    write_declared(f->path, 36 + 400, 400, 400);
    FILE *file = fopen(f->path, "r+b");
    fseek(file, 32, SEEK_SET);
    fputc(3, file); /* block align 3 for 16-bit stereo */
    fclose(file);
    assert_non_null(strstr(refusal(f->path), "block align"));

    write_declared(f->path, 36 + 400, 0, 400);
    assert_non_null(strstr(refusal(f->path), "0 frames"));

    write_declared(f->path, 36 + 400, 400, 400);
    file = fopen(f->path, "r+b");
    fseek(file, 36, SEEK_SET);
    fwrite("junk", 1, 4, file); /* the data chunk becomes an unknown chunk */
    fclose(file);
    assert_non_null(strstr(refusal(f->path), "no data chunk"));

    char folder[160];
    tmp_path(folder, sizeof folder, f->dir, "folder.wav");
    assert_int_equal(mkdir(folder, 0700), 0);
    assert_non_null(strstr(refusal(folder), "not a regular file"));
    rmdir(folder);
}

static void test_unknown_and_odd_sized_chunks_are_skipped(void **state)
{
    struct fixture *f = *state;
    /* RIFF WAVE, LIST (3 bytes + pad), fmt, data of 2 frames, then trailing junk. */
    uint8_t bytes[] = {'R',  'I',  'F', 'F', 0,    0,    0, 0, 'W',  'A',  'V',  'E',
                       'L',  'I',  'S', 'T', 3,    0,    0, 0, 'a',  'b',  'c',  0,
                       'f',  'm',  't', ' ', 16,   0,    0, 0, 1,    0,    1,    0,
                       0x40, 0x1f, 0,   0,   0x80, 0x3e, 0, 0, 2,    0,    16,   0,
                       'd',  'a',  't', 'a', 4,    0,    0, 0, 0x00, 0x40, 0x00, 0xc0};
    put32(bytes + 4, sizeof bytes - 8);
    write_bytes(f->path, bytes, sizeof bytes);
    struct audio_wav wav;
    char why[256];
    assert_int_equal(audio_wav_open(&wav, f->path, why, sizeof why), 0);
    assert_int_equal(wav.frames, 2);
    float out[4];
    assert_int_equal(audio_wav_read(&wav, out, 2), 2);
    assert_true(out[0] == 0.5f && out[1] == 0.5f && out[2] == -0.5f);
    audio_wav_close(&wav);
}

static void test_a_file_cut_short_while_playing_reports_an_error(void **state)
{
    struct fixture *f = *state;
    write_tone(f->path, 48000, 2, 440.0, 1.0, 0.5);
    struct audio_wav wav;
    char why[256];
    assert_int_equal(audio_wav_open(&wav, f->path, why, sizeof why), 0);
    assert_int_equal(truncate(f->path, 44 + 4 * 1500), 0);
    float out[2 * 1024];
    int64_t total = 0;
    int got;
    while ((got = audio_wav_read(&wav, out, 1024)) > 0) {
        total += got;
    }
    assert_int_equal(got, -EIO);
    assert_int_equal(total, 1500);
    audio_wav_close(&wav);
}

/* Runs n input frames of a sine through a resampler; returns the output (malloc'd). */
static float *resample_tone(int in_rate, int out_rate, double hz, int64_t in_frames,
                            int64_t *out_frames)
{
    struct audio_resampler rs;
    assert_int_equal(audio_resample_init(&rs, in_rate, out_rate), 0);
    int64_t expected = audio_resample_output_frames(in_frames, in_rate, out_rate);
    float *out = malloc(sizeof *out * 2 * (size_t)(expected + 16));
    float block[2 * 1000];
    int64_t fed = 0, made = 0;
    for (;;) {
        int got = audio_resample_pull(&rs, out + 2 * made, (int)(expected + 16 - made));
        made += got;
        if (audio_resample_finished(&rs)) {
            break;
        }
        if (got > 0) {
            continue;
        }
        if (fed == in_frames) {
            audio_resample_end(&rs);
            continue;
        }
        int n = audio_resample_space(&rs);
        n = n < 1000 ? n : 1000;
        n = (int64_t)n < in_frames - fed ? n : (int)(in_frames - fed);
        for (int i = 0; i < n; i++) {
            double x = 0.5 * sin(2 * M_PI * hz * (double)(fed + i) / in_rate);
            block[2 * i] = (float)x;
            block[2 * i + 1] = (float)-x;
        }
        audio_resample_push(&rs, block, n);
        fed += n;
    }
    audio_resample_free(&rs);
    *out_frames = made;
    assert_int_equal(made, expected);
    return out;
}

static void test_conversion_gives_exactly_the_expected_number_of_frames(void **state)
{
    (void)state;
    const int rates[][2] = {{8000, 48000},  {44100, 48000}, {96000, 48000},
                            {48000, 48000}, {22050, 44100}, {192000, 44100}};
    for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
        int64_t frames;
        float *out = resample_tone(rates[k][0], rates[k][1], 300.0, 12345, &frames);
        free(out);
    }
    assert_int_equal(audio_resample_output_frames(8000, 8000, 48000), 48000);
    assert_int_equal(audio_resample_output_frames(1, 44100, 48000), 2);
}

static void test_converted_tones_keep_their_pitch_and_level(void **state)
{
    (void)state;
    const int rates[] = {8000, 22050, 44100, 96000};
    for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
        int64_t frames;
        float *out = resample_tone(rates[k], 48000, 1000.0, rates[k], &frames);
        /* Skip the kernel's run-in; measure the middle. */
        float *mid = out + 2 * 4800;
        int64_t n = frames - 9600;
        double at_tone = band_db(mid, n, 0, 1000.0, 48000);
        double wrong_pitch = band_db(mid, n, 0, 1000.0 * 48000 / rates[k], 48000);
        double near_below = band_db(mid, n, 0, 900.0, 48000);
        double near_above = band_db(mid, n, 0, 1100.0, 48000);
        if (rates[k] != 48000) {
            assert_true(at_tone - wrong_pitch > 40.0);
        }
        assert_true(at_tone - near_below > 40.0);
        assert_true(at_tone - near_above > 40.0);
        /* 0.5 amplitude sine: RMS -9.03 dB; left and right are opposite. */
        assert_true(fabs(rms_db(mid, n) - to_db(0.5 / sqrt(2.0))) < 0.1);
        assert_true(fabs(mid[0] + mid[1]) < 1e-5);
        free(out);
    }
}

static void test_bringing_the_rate_down_leaves_no_alias(void **state)
{
    (void)state;
    int64_t frames;
    /* 30 kHz cannot exist at 48 kHz; a naive converter folds it to 18 kHz. */
    float *out = resample_tone(96000, 48000, 30000.0, 96000, &frames);
    assert_true(rms_db(out + 2 * 4800, frames - 9600) < to_db(0.5) - 60.0);
    free(out);
    /* 20 kHz is below the new Nyquist: it stays. */
    out = resample_tone(96000, 48000, 20000.0, 96000, &frames);
    assert_true(fabs(rms_db(out + 2 * 4800, frames - 9600) - to_db(0.5 / sqrt(2.0))) < 0.5);
    free(out);
}

int main(void)
{
    test_audio_environment();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_supported_format_decodes_to_the_same_tone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_mono_plays_on_both_channels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_header_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absurd_declared_sizes_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_formats_are_refused_with_what_is_played,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_structure_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_odd_sized_chunks_are_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_file_cut_short_while_playing_reports_an_error, setup,
                                        teardown),
        cmocka_unit_test(test_conversion_gives_exactly_the_expected_number_of_frames),
        cmocka_unit_test(test_converted_tones_keep_their_pitch_and_level),
        cmocka_unit_test(test_bringing_the_rate_down_leaves_no_alias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
