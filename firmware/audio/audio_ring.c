/* SPDX-License-Identifier: EUPL-1.2 */
/* audio_ring: see audio_ring.h. Loader thread -> write; audio callback -> read. */
#include "audio/audio_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AUDIO_RING_MAX_FRAMES ((size_t)1 << 24) /* 5.8 minutes at 48 kHz: far beyond need */

int audio_ring_init(struct audio_ring *ring, size_t min_frames)
{
    ring->samples = NULL;
    ring->capacity = 0;
    atomic_init(&ring->write_count, 0);
    atomic_init(&ring->read_count, 0);
    if (min_frames == 0 || min_frames > AUDIO_RING_MAX_FRAMES) {
        return -EINVAL;
    }
    size_t capacity = 1;
    while (capacity < min_frames) {
        capacity <<= 1;
    }
    ring->samples = calloc(capacity * 2, sizeof *ring->samples);
    if (ring->samples == NULL) {
        return -ENOMEM;
    }
    ring->capacity = capacity;
    return 0;
}

void audio_ring_free(struct audio_ring *ring)
{
    free(ring->samples);
    ring->samples = NULL;
    ring->capacity = 0;
}

size_t audio_ring_readable(struct audio_ring *ring)
{
    size_t written = atomic_load_explicit(&ring->write_count, memory_order_acquire);
    size_t read = atomic_load_explicit(&ring->read_count, memory_order_relaxed);
    return written - read;
}

size_t audio_ring_writable(struct audio_ring *ring)
{
    size_t written = atomic_load_explicit(&ring->write_count, memory_order_relaxed);
    size_t read = atomic_load_explicit(&ring->read_count, memory_order_acquire);
    return ring->capacity - (written - read);
}

size_t audio_ring_write(struct audio_ring *ring, const float *stereo, size_t frames)
{
    size_t room = audio_ring_writable(ring);
    if (frames > room) {
        frames = room;
    }
    size_t written = atomic_load_explicit(&ring->write_count, memory_order_relaxed);
    size_t start = written & (ring->capacity - 1);
    size_t first = frames < ring->capacity - start ? frames : ring->capacity - start;
    memcpy(ring->samples + start * 2, stereo, first * 2 * sizeof *stereo);
    memcpy(ring->samples, stereo + first * 2, (frames - first) * 2 * sizeof *stereo);
    atomic_store_explicit(&ring->write_count, written + frames, memory_order_release);
    return frames;
}

size_t audio_ring_read(struct audio_ring *ring, float *stereo, size_t frames)
{
    size_t ready = audio_ring_readable(ring);
    if (frames > ready) {
        frames = ready;
    }
    size_t read = atomic_load_explicit(&ring->read_count, memory_order_relaxed);
    size_t start = read & (ring->capacity - 1);
    size_t first = frames < ring->capacity - start ? frames : ring->capacity - start;
    memcpy(stereo, ring->samples + start * 2, first * 2 * sizeof *stereo);
    memcpy(stereo + first * 2, ring->samples, (frames - first) * 2 * sizeof *stereo);
    atomic_store_explicit(&ring->read_count, read + frames, memory_order_release);
    return frames;
}
