/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_mixer: renders SECONDS of one generated soundscape through audio_render(), the
 * mixer the SDL audio callback runs (offline engine, 48 kHz stereo float, 1024-frame
 * slices), after one second of warm-up past the fade-in. A tool for tests/bench/run.sh,
 * which runs it under valgrind --tool=callgrind --toggle-collect=bench_mixer_measure so
 * that only the measured seconds are counted: instructions per second of audio, a count
 * that does not move with the machine's load. bench_audio has the wall-clock CPU figures.
 *
 *   bench_mixer SOURCE SECONDS     SOURCE: sea, rain or forest; SECONDS: 1..60
 *
 * Prints nothing on success. Exit status 0, 1 when the engine cannot open or render,
 * 2 on usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio.h"
#include "audio/audio_config.h"
#include "core/log.h"

#define RATE 48000
#define SLICE 1024 /* frames per render call, like a device callback */

/* The counted part (callgrind toggles collection on this function): seconds of audio. */
__attribute__((noinline)) int bench_mixer_measure(struct audio *audio, float *slice, int seconds)
{
    for (long done = 0; done < (long)RATE * seconds; done += SLICE) {
        if (audio_render(audio, slice, SLICE) != 0) {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int seconds = argc == 3 ? (int)strtol(argv[2], NULL, 10) : 0; /* checked below */
    int source = argc == 3 ? audio_source_from_name(argv[1]) : -1;
    if (seconds < 1 || seconds > 60 || source < 0 ||
        (strcmp(argv[1], "sea") != 0 && strcmp(argv[1], "rain") != 0 &&
         strcmp(argv[1], "forest") != 0)) {
        fprintf(stderr, "usage: bench_mixer sea|rain|forest SECONDS (1..60)\n");
        return 2;
    }
    log_set_quiet(1);
    struct audio_config cfg;
    audio_config_defaults(&cfg);
    cfg.schedule_count = 0; /* the configured level all the time: the mixer always works */
    cfg.seed_auto = false;
    cfg.seed = 1000u;
    cfg.fade_seconds = 0.5;
    cfg.source = (enum audio_source)source;
    struct audio *audio = audio_open_offline(&cfg, 0, RATE);
    if (audio == NULL) {
        fprintf(stderr, "bench_mixer: cannot open the offline audio engine\n");
        return 1;
    }
    static float slice[2 * SLICE];
    int status = 0;
    for (long done = 0; done < RATE; done += SLICE) { /* warm-up: past the fade-in */
        if (audio_render(audio, slice, SLICE) != 0) {
            status = 1;
        }
    }
    if (status == 0 && bench_mixer_measure(audio, slice, seconds) != 0) {
        status = 1;
    }
    if (status != 0) {
        fprintf(stderr, "bench_mixer: audio_render failed for %s\n", argv[1]);
    }
    audio_close(audio);
    return status;
}
