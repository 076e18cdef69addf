/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_audio: what the audio engine costs on this machine, per second of 48 kHz stereo
 * float output, for each soundscape and for music. It renders offline through the same
 * mixer the SDL callback runs (audio_render); for music the decoding, sample-rate
 * conversion (44.1 -> 48 kHz), loudness measurement and crossfades that the loader thread
 * does on the kiosk run in the same thread here, so they are counted too. Each figure is
 * the median of 5 runs of 10 s of audio, timed with CLOCK_THREAD_CPUTIME_ID. Prints
 * Markdown table rows for docs/benchmarks.md. --quick: one run of 1 s each (checks that it
 * works; the figures are not worth keeping).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/audio.h"
#include "audio/audio_config.h"
#include "core/log.h"
#include "unit/test_audio_util.h"

#define RATE 48000
#define RUNS_MAX 5
#define SLICE 1024 /* frames per render call, like a device callback */

static int runs = RUNS_MAX;  /* median of this many */
static int run_seconds = 10; /* of audio per run */

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* CPU seconds to render run_seconds of source after one warm-up second. */
static double run_once(const char *source, const char *music_dir, uint32_t seed)
{
    struct audio_config cfg;
    audio_config_defaults(&cfg);
    cfg.schedule_count = 0;
    cfg.seed_auto = false;
    cfg.seed = seed;
    cfg.fade_seconds = 0.5;
    cfg.crossfade_seconds = 3.0;
    cfg.source = (enum audio_source)audio_source_from_name(source);
    if (music_dir != NULL) {
        snprintf(cfg.music_dir, sizeof cfg.music_dir, "%s", music_dir);
    }
    struct audio *audio = audio_open_offline(&cfg, 0, RATE);
    if (audio == NULL) {
        fprintf(stderr, "bench_audio: out of memory\n");
        exit(1);
    }
    static float buf[2 * SLICE];
    for (int i = 0; i < RATE; i += SLICE) { /* past the fade-in: full work from here */
        audio_render(audio, buf, SLICE);
    }
    double start = thread_cpu_seconds();
    for (long i = 0; i < (long)RATE * run_seconds; i += SLICE) {
        audio_render(audio, buf, SLICE);
    }
    double used = thread_cpu_seconds() - start;
    audio_close(audio);
    return used;
}

static void bench_source(const char *label, const char *source, const char *music_dir)
{
    double cpu[RUNS_MAX];
    for (int r = 0; r < runs; r++) {
        cpu[r] = run_once(source, music_dir, 1000u + (uint32_t)r);
    }
    qsort(cpu, (size_t)runs, sizeof cpu[0], compare_doubles);
    double median = cpu[runs / 2] / run_seconds;
    printf("| audio: mixer CPU, %s | %.3f %% of one core (%.2f ms per s of 48 kHz stereo) | "
           "<= 2 %%; median of %d x %d s |\n",
           label, median * 100.0, median * 1000.0, runs, run_seconds);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--quick") == 0) {
        runs = 1;
        run_seconds = 1;
    }
    log_set_quiet(1);
    char dir[64], path[160];
    tmp_make(dir, sizeof dir);
    /* Two 44.1 kHz stereo 16-bit files of 7 s: two crossfades in every 10 s run. */
    tmp_path(path, sizeof path, dir, "a.wav");
    struct test_wav a = {.format_tag = 1,
                         .bits = 16,
                         .channels = 2,
                         .rate = 44100,
                         .frames = 7 * 44100,
                         .hz = {440.0, 554.4},
                         .amplitude = 0.4};
    write_wav(path, &a);
    tmp_path(path, sizeof path, dir, "b.wav");
    struct test_wav b = a;
    b.hz[0] = 329.6;
    b.hz[1] = 392.0;
    write_wav(path, &b);

    bench_source("sea", "sea", NULL);
    bench_source("rain", "rain", NULL);
    bench_source("forest", "forest", NULL);
    bench_source("music (44.1 kHz WAV: decode, convert, crossfade)", "music", dir);
    bench_source("silent (off)", "off", NULL);
    tmp_remove(dir);
    return 0;
}
