/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_wav: music files, as any bytes, through audio_wav_open and a full decode. A refused
 * file must say why; a played one must give finite samples within +-2 and end.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "audio/audio_wav.h"
#include "fuzz/fuzz_util.h"

static void fuzz_wav_decode(struct audio_wav *wav)
{
    static float stereo[2 * AUDIO_WAV_BLOCK_FRAMES];
    int64_t total = 0;
    for (int blocks = 0; blocks < 4096; blocks++) {
        int got = audio_wav_read(wav, stereo, AUDIO_WAV_BLOCK_FRAMES);
        if (got <= 0) {
            if (got != 0 && got != -EIO) {
                abort();
            }
            break;
        }
        if (got > AUDIO_WAV_BLOCK_FRAMES) {
            abort();
        }
        for (int i = 0; i < 2 * got; i++) {
            if (!isfinite(stereo[i]) || fabsf(stereo[i]) > 2.0f) {
                abort();
            }
        }
        total += got;
    }
    if (total > wav->frames) {
        abort(); /* more frames than the data chunk holds */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("fuzz.wav", data, size);
    struct audio_wav wav;
    char why[256] = "";
    if (audio_wav_open(&wav, path, why, sizeof why) != 0) {
        if (why[0] == '\0') {
            abort(); /* refused without a reason */
        }
        return 0;
    }
    if (wav.channels < 1 || wav.channels > 2 || wav.sample_rate < AUDIO_WAV_RATE_MIN ||
        wav.sample_rate > AUDIO_WAV_RATE_MAX) {
        abort();
    }
    fuzz_wav_decode(&wav);
    if (audio_wav_rewind(&wav) == 0) {
        fuzz_wav_decode(&wav);
    }
    audio_wav_close(&wav);
    audio_wav_close(&wav); /* safe on a closed wav */
    return 0;
}
