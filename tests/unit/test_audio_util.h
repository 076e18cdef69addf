/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Helpers shared by the audio tests (header only): a temporary folder, a WAV writer for
 * generated test files, level and spectrum measures, and a capture of the log (stderr).
 * Test WAV files are made at run time, so no binary test data lives in the repository.
 */
#ifndef OASE_TEST_AUDIO_UTIL_H
#define OASE_TEST_AUDIO_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio/audio.h"
#include "audio/audio_config.h"
#include "core/clock.h"

/* ---- temporary folder --------------------------------------------------------------- */

static inline void tmp_make(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/oase-audio-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
}

static inline void tmp_path(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        abort();
    }
}

/* Removes every file in dir, then dir (one level: the tests make no subfolders). */
static inline void tmp_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *entry;
        while ((entry = readdir(d)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
                continue;
            }
            char path[512];
            tmp_path(path, sizeof path, dir, entry->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* ---- WAV files ---------------------------------------------------------------------- */

struct test_wav {
    unsigned format_tag; /* 1 PCM, 3 float, 0xfffe extensible (sub = float ? 3 : 1) */
    bool extensible_float;
    int bits, channels, rate;
    int64_t frames;
    double hz[2];     /* sine per channel */
    double amplitude; /* 0..1 of full scale */
    bool square;      /* square wave instead of a sine */
};

static inline void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Writes a WAV of w's sine (or square) tones; returns the file size. */
static inline long write_wav(const char *path, const struct test_wav *w)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        abort();
    }
    int bytes = w->bits / 8;
    int block = bytes * w->channels;
    uint32_t data_size = (uint32_t)(w->frames * block);
    uint32_t fmt_size = w->format_tag == 0xfffe ? 40 : 16;
    uint8_t header[68] = {0};
    memcpy(header, "RIFF", 4);
    put32(header + 4, 4 + 8 + fmt_size + 8 + data_size);
    memcpy(header + 8, "WAVEfmt ", 8);
    put32(header + 16, fmt_size);
    put16(header + 20, w->format_tag);
    put16(header + 22, (unsigned)w->channels);
    put32(header + 24, (uint32_t)w->rate);
    put32(header + 28, (uint32_t)(w->rate * block));
    put16(header + 32, (unsigned)block);
    put16(header + 34, (unsigned)w->bits);
    size_t at = 36;
    if (fmt_size == 40) {
        static const uint8_t tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                         0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};
        put16(header + 36, 22);
        put16(header + 38, (unsigned)w->bits);
        put32(header + 40, w->channels == 2 ? 3 : 4);
        put16(header + 44, w->extensible_float ? 3 : 1);
        memcpy(header + 46, tail, sizeof tail);
        at = 60;
    }
    memcpy(header + at, "data", 4);
    put32(header + at + 4, data_size);
    fwrite(header, 1, at + 8, f);
    bool is_float = w->format_tag == 3 || (w->format_tag == 0xfffe && w->extensible_float);
    for (int64_t i = 0; i < w->frames; i++) {
        for (int c = 0; c < w->channels; c++) {
            double phase = 2.0 * M_PI * w->hz[c % 2] * (double)i / w->rate;
            double x = w->square ? (sin(phase) >= 0 ? 1.0 : -1.0) : sin(phase);
            x *= w->amplitude;
            uint8_t s[4];
            if (is_float) {
                float v = (float)x;
                uint32_t u;
                memcpy(&u, &v, 4);
                put32(s, u);
            } else {
                double full = ldexp(1.0, w->bits - 1);
                double scaled = floor(x * (full - 1) + 0.5);
                int64_t v = (int64_t)scaled;
                for (int b = 0; b < bytes; b++) {
                    s[b] = (uint8_t)((uint64_t)v >> (8 * b));
                }
            }
            fwrite(s, 1, (size_t)bytes, f);
        }
    }
    long size = ftell(f);
    fclose(f);
    return size;
}

/* A 16-bit stereo 48 kHz sine file: the common case. */
static inline void write_tone(const char *path, int rate, int channels, double hz, double seconds,
                              double amplitude)
{
    struct test_wav w = {.format_tag = 1,
                         .bits = 16,
                         .channels = channels,
                         .rate = rate,
                         .frames = (int64_t)(seconds * rate),
                         .hz = {hz, hz},
                         .amplitude = amplitude};
    write_wav(path, &w);
}

static inline void write_bytes(const char *path, const void *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        abort();
    }
    if (size > 0) {
        fwrite(bytes, 1, size, f);
    }
    fclose(f);
}

/* ---- measures ----------------------------------------------------------------------- */

/* RMS over frames interleaved stereo frames (both channels), in dB re full scale. */
static inline double rms_db(const float *stereo, int64_t frames)
{
    double sum = 0.0;
    for (int64_t i = 0; i < 2 * frames; i++) {
        sum += (double)stereo[i] * stereo[i];
    }
    return 10.0 * log10(sum / (2.0 * (double)frames) + 1e-300);
}

static inline double peak_abs(const float *stereo, int64_t frames)
{
    double peak = 0.0;
    for (int64_t i = 0; i < 2 * frames; i++) {
        if (fabs(stereo[i]) > peak || isnan(stereo[i])) {
            peak = isnan(stereo[i]) ? INFINITY : fabs(stereo[i]);
        }
    }
    return peak;
}

static inline double to_db(double x)
{
    return 20.0 * log10(x + 1e-300);
}

/* Largest sample-to-sample step of one channel over frames. */
static inline double max_step(const float *stereo, int64_t frames, int channel)
{
    double step = 0.0;
    for (int64_t i = 1; i < frames; i++) {
        double d = fabs((double)stereo[2 * i + channel] - stereo[2 * (i - 1) + channel]);
        if (d > step) {
            step = d;
        }
    }
    return step;
}

/* Power of channel at hz over all frames, in dB: one Hann-windowed Goertzel. */
static inline double goertzel_db(const float *stereo, int64_t frames, int channel, double hz,
                                 int rate)
{
    double coeff = 2.0 * cos(2.0 * M_PI * hz / rate), s1 = 0.0, s2 = 0.0;
    for (int64_t i = 0; i < frames; i++) {
        double hann = 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)(frames - 1));
        double s0 = stereo[2 * i + channel] * hann + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return 10.0 * log10(s1 * s1 + s2 * s2 - coeff * s1 * s2 + 1e-300);
}

/*
 * Power density of channel at hz, in dB: Hann-windowed Goertzel over 4096-frame segments,
 * averaged over the segments in frames.
 */
static inline double band_db(const float *stereo, int64_t frames, int channel, double hz, int rate)
{
    const int segment = 4096;
    double coeff = 2.0 * cos(2.0 * M_PI * hz / rate), total = 0.0;
    int count = 0;
    for (int64_t start = 0; start + segment <= frames; start += segment) {
        double s1 = 0.0, s2 = 0.0;
        for (int i = 0; i < segment; i++) {
            double hann = 0.5 - 0.5 * cos(2.0 * M_PI * i / (segment - 1));
            double s0 = stereo[2 * (start + i) + channel] * hann + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        total += s1 * s1 + s2 * s2 - coeff * s1 * s2;
        count++;
    }
    return 10.0 * log10(total / (count > 0 ? count : 1) + 1e-300);
}

/* ---- rendering ---------------------------------------------------------------------- */

/* Renders seconds of audio (in device-like slices of 1024 frames) into a new buffer. */
static inline float *render_seconds(struct audio *audio, double seconds, int rate,
                                    int64_t *frames_out)
{
    int64_t frames = (int64_t)(seconds * rate);
    float *buf = malloc(sizeof *buf * 2 * (size_t)frames);
    if (buf == NULL) {
        abort();
    }
    for (int64_t i = 0; i < frames; i += 1024) {
        int n = frames - i < 1024 ? (int)(frames - i) : 1024;
        if (audio_render(audio, buf + 2 * i, n) != 0) {
            abort();
        }
    }
    *frames_out = frames;
    return buf;
}

/* A config with no schedule (volume_db all day), a fixed seed and short fades. */
static inline void test_audio_config(struct audio_config *cfg, const char *source)
{
    audio_config_defaults(cfg);
    cfg->schedule_count = 0;
    cfg->seed_auto = false;
    cfg->seed = 42;
    cfg->fade_seconds = 0.5;
    cfg->schedule_fade_seconds = 2.0;
    cfg->crossfade_seconds = 1.0;
    cfg->source = (enum audio_source)audio_source_from_name(source);
}

/* Local kiosk time "YYYY-MM-DD HH:MM" in milliseconds. */
static inline int64_t local_ms(const char *text)
{
    int64_t ms = 0;
    if (clock_parse_local(text, &ms) != 0) {
        abort();
    }
    return ms;
}

static inline void test_audio_environment(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
}

/* ---- the log ------------------------------------------------------------------------ */

struct log_capture {
    int saved_fd;
    char path[512];
};

/* Sends stderr (where log_msg writes) to path until log_capture_end(). */
static inline void log_capture_begin(struct log_capture *capture, const char *path)
{
    fflush(stderr);
    snprintf(capture->path, sizeof capture->path, "%s", path);
    capture->saved_fd = dup(STDERR_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (capture->saved_fd < 0 || fd < 0) {
        abort();
    }
    dup2(fd, STDERR_FILENO);
    close(fd);
}

/* Restores stderr; returns the captured text (malloc'd, NUL-terminated). */
static inline char *log_capture_end(struct log_capture *capture)
{
    fflush(stderr);
    dup2(capture->saved_fd, STDERR_FILENO);
    close(capture->saved_fd);
    FILE *f = fopen(capture->path, "rb");
    char *text = calloc(1, 65536);
    if (f == NULL || text == NULL) {
        abort();
    }
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    unlink(capture->path);
    fputs(text, stderr); /* still visible to whoever runs the test */
    return text;
}

/* Lines of text containing every one of the (up to three) needles. */
static inline int count_lines_with(const char *text, const char *a, const char *b, const char *c)
{
    int count = 0;
    const char *line = text;
    while (*line != '\0') {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        char buf[1024];
        size_t copy = len < sizeof buf - 1 ? len : sizeof buf - 1;
        memcpy(buf, line, copy);
        buf[copy] = '\0';
        if (strstr(buf, a) != NULL && (b == NULL || strstr(buf, b) != NULL) &&
            (c == NULL || strstr(buf, c) != NULL)) {
            count++;
        }
        line += len + (end != NULL ? 1 : 0);
    }
    return count;
}

#endif
