/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_ring: a lock-free single-producer single-consumer ring of stereo float frames.
 * The music loader thread is the only writer, the audio callback the only reader; neither
 * ever waits for the other. Shared state is two C11 atomic positions (release on publish,
 * acquire on observe); the frames between them belong to one side at a time.
 * Never allocates after audio_ring_init().
 */
#ifndef OASE_AUDIO_RING_H
#define OASE_AUDIO_RING_H

#include <stdatomic.h>
#include <stddef.h>

struct audio_ring {
    float *samples;             /* capacity * 2 floats, interleaved left/right */
    size_t capacity;            /* frames, a power of two */
    _Atomic size_t write_count; /* frames ever written (the writer's position) */
    _Atomic size_t read_count;  /* frames ever read (the reader's position) */
};

/*
 * Allocates room for at least min_frames frames (rounded up to a power of two).
 * Returns 0, or -ENOMEM (ring left empty and safe to free) or -EINVAL (min_frames 0 or absurd).
 */
int audio_ring_init(struct audio_ring *ring, size_t min_frames);

/* Frees the samples. Neither side may use the ring afterwards. Safe on a failed init. */
void audio_ring_free(struct audio_ring *ring);

/* Reader side: frames ready to read now (more may arrive at any time). */
size_t audio_ring_readable(struct audio_ring *ring);

/* Writer side: frames that can be written now (more room may appear at any time). */
size_t audio_ring_writable(struct audio_ring *ring);

/* Writer side: copies up to frames frames in; returns how many fitted. */
size_t audio_ring_write(struct audio_ring *ring, const float *stereo, size_t frames);

/* Reader side: copies up to frames frames out; returns how many there were. */
size_t audio_ring_read(struct audio_ring *ring, float *stereo, size_t frames);

#endif
