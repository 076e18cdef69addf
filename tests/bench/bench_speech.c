/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_speech: the time from a tap on "speak" to the first sound of speech, as the kiosk
 * does it: audio_speech_say() starts espeak-ng (a separate program) and its worker thread,
 * while the mixer renders 2048-frame callbacks at 48 kHz in real time (a simulated sound
 * card whose callbacks fall at a random phase to the tap). The latency of one tap is the
 * moment the callback that first carries speech was rendered, plus the position of that
 * speech in its buffer, plus one buffer (SDL plays a buffer one period after it is filled).
 * Also the time until espeak-ng's first samples arrive. Median of 21 taps (--quick: 3) of
 * the Dutch welcome screen. Prints Markdown table rows for docs/benchmarks.md; exit
 * status 1 when espeak-ng is missing or never speaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/audio.h"
#include "audio/audio_mixer.h"
#include "audio/audio_speech.h"
#include "core/log.h"

#define RATE 48000
#define PERIOD_FRAMES AUDIO_DEVICE_FRAMES
#define RUNS_MAX 21

static const char *const welcome =
    "<speak>Welkom. Fijn dat u er bent.<break time=\"350ms\"/>Heeft u een afspraak? Meld u "
    "hier aan.<break time=\"350ms\"/>Aanmelden<break time=\"350ms\"/>Ik ga weg</speak>";

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_until(double ms)
{
    struct timespec t = {.tv_sec = (time_t)(ms / 1e3),
                         .tv_nsec = (long)((ms - (double)(time_t)(ms / 1e3) * 1e3) * 1e6)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 3 : RUNS_MAX;
    log_set_quiet(1);
    struct audio_speech_options options = {
        .program = "espeak-ng", .synchronous = false, .speech_db = -20, .duck_db = 12};
    struct audio_speech *speech = audio_speech_open(&options);
    if (!speech || !audio_speech_available(speech)) {
        fprintf(stderr, "bench_speech: espeak-ng is not installed\n");
        printf("| speech: tap to first sound | not measured | espeak-ng is missing |\n");
        audio_speech_close(speech);
        return 1;
    }
    static struct audio_mixer mixer;
    audio_mixer_init(&mixer, RATE, 1, AUDIO_SOURCE_SEA, 5.0, NULL);
    audio_mixer_set_speech(&mixer, audio_speech_feed(speech));
    audio_mixer_request_level(&mixer, false, -26, 0.5);
    static float buffer[2 * PERIOD_FRAMES];
    double period_ms = 1000.0 * PERIOD_FRAMES / RATE;
    double latency[RUNS_MAX], first_pcm[RUNS_MAX];
    srand(16);
    for (int r = 0; r < runs; r++) {
        struct audio_speech_feed *feed = audio_speech_feed(speech);
        uint64_t heard_before = atomic_load(&feed->heard);
        double tap = now_ms();
        double next = tap + period_ms * (rand() % 1000) / 1000.0; /* the card's phase */
        if (audio_speech_say(speech, "nl", welcome) != 0) {
            fprintf(stderr, "bench_speech: espeak-ng could not be started\n");
            return 1;
        }
        first_pcm[r] = -1;
        latency[r] = -1;
        for (int cb = 0; cb < 100 && latency[r] < 0; cb++) {
            while (first_pcm[r] < 0 && now_ms() < next) { /* watch the track fill meanwhile */
                int play = atomic_load(&feed->play);
                if (play >= 0 && atomic_load(&feed->tracks[play].ready) > 0) {
                    first_pcm[r] = now_ms() - tap;
                }
                sleep_until(now_ms() + 0.2);
            }
            sleep_until(next);
            audio_mixer_render(&mixer, buffer, PERIOD_FRAMES);
            uint64_t heard = atomic_load(&feed->heard) - heard_before;
            if (heard > 0) {
                double in_buffer =
                    (double)(PERIOD_FRAMES - (heard < PERIOD_FRAMES ? heard : PERIOD_FRAMES));
                latency[r] = next - tap + 1000.0 * in_buffer / RATE + period_ms;
            }
            next += period_ms;
        }
        audio_speech_stop(speech);
        for (int cb = 0; cb < 4; cb++) {
            audio_mixer_render(&mixer, buffer, PERIOD_FRAMES); /* the stop ramps down */
        }
        if (latency[r] < 0) {
            fprintf(stderr, "bench_speech: no speech within 100 callbacks\n");
            return 1;
        }
    }
    qsort(latency, (size_t)runs, sizeof latency[0], compare);
    qsort(first_pcm, (size_t)runs, sizeof first_pcm[0], compare);
    printf("| speech: tap to first sound (espeak-ng, Dutch welcome screen) | %.0f ms median, "
           "%.0f ms worst of %d | <= 150 ms; includes one %.0f ms sound buffer |\n",
           latency[runs / 2], latency[runs - 1], runs, period_ms);
    printf("| speech: tap to espeak-ng's first samples | %.0f ms median | separate program, "
           "started per tap (posix_spawn) |\n",
           first_pcm[runs / 2]);
    audio_speech_close(speech);
    return 0;
}
