/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_wav: reads the organisation's music files. Strict RIFF/WAVE validation at open
 * (a file that is empty, truncated, not RIFF/WAVE, declares absurd sizes or holds an
 * unsupported format is refused with a reason a technician can act on), then streaming
 * decode to interleaved stereo float in blocks: a file is never loaded whole.
 *
 * Played: PCM 16, 24 and 32-bit integer and 32-bit IEEE float (also as
 * WAVE_FORMAT_EXTENSIBLE), mono or stereo, 8000..192000 Hz. Mono is copied to both
 * channels. Float samples that are not finite become 0; all are clamped to +-2.
 *
 * Used only by the music loader thread (audio_playlist); never by the audio callback.
 */
#ifndef OASE_AUDIO_WAV_H
#define OASE_AUDIO_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AUDIO_WAV_BLOCK_FRAMES 1024           /* frames per fread */
#define AUDIO_WAV_MAX_DATA_BYTES 0x7fffffffLL /* larger declared data chunks are refused */
#define AUDIO_WAV_RATE_MIN 8000
#define AUDIO_WAV_RATE_MAX 192000

struct audio_wav {
    FILE *file;
    int channels;        /* 1 or 2 */
    int sample_rate;     /* Hz */
    int bits;            /* 16, 24 or 32 */
    bool is_float;       /* 32-bit IEEE float samples */
    int block_align;     /* bytes per frame */
    int64_t data_offset; /* file offset of the first sample */
    int64_t frames;      /* frames in the data chunk */
    int64_t frames_read; /* position of the next frame */
    bool failed;         /* a read came up short: every later read returns -EIO */
    uint8_t raw[AUDIO_WAV_BLOCK_FRAMES * 8]; /* one block of undecoded bytes */
};

/*
 * Opens and validates path. Returns 0 with wav ready to read its first frame; -EINVAL when
 * the file is not a playable WAV (why says why, e.g. "data chunk declares 2147483647 bytes
 * but only 1000 follow (truncated or damaged file)"); another -errno when the file cannot
 * be opened or read (why holds strerror). On failure nothing is left open.
 */
int audio_wav_open(struct audio_wav *wav, const char *path, char *why, size_t why_size);

/*
 * Decodes up to frames frames into stereo (2 * frames floats, interleaved). Returns the
 * number decoded (0 at the end of the data). When the file ends early or a read fails (the
 * file changed while playing), the frames decoded before are returned and the next call
 * returns -EIO.
 */
int audio_wav_read(struct audio_wav *wav, float *stereo, int frames);

/* Back to the first frame. Returns 0 or -EIO. */
int audio_wav_rewind(struct audio_wav *wav);

/* Closes the file. Safe on a closed or failed wav. */
void audio_wav_close(struct audio_wav *wav);

#endif
