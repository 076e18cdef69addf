/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_playlist: see audio_playlist.h. Music folder -> audio_wav -> audio_resample ->
 * loudness gain -> crossfade -> ring -> mixer (audio callback).
 *
 * The loader works in chunks of PLAYLIST_CHUNK frames. For the file playing ("current") it
 * knows from the header exactly how many output frames there will be, so it plans the
 * crossfade before it gets there: when the current file reaches its last
 * min(crossfade, half its length) frames, the next file (opened and measured ahead) is
 * mixed in over X = min(that, half the next file's length) frames, cos/sin weighted. With
 * no next file the current one fades out over the same span instead.
 */
#include "audio/audio_playlist.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "audio/audio_mixer.h"
#include "audio/audio_resample.h"
#include "audio/audio_wav.h"
#include "core/log.h"

#define PLAYLIST_CHUNK 1024          /* frames rendered and written at a time */
#define PLAYLIST_MEASURE_SLICE 65536 /* frames measured per loader step */
#define PLAYLIST_HEAD_FADE_S 0.01    /* a file that starts alone fades in this fast */
#define PLAYLIST_MAX_BOOST_DB 40.0
#define PLAYLIST_IDLE_MS 50     /* loader sleep when the ring is full */
#define PLAYLIST_RETRY_MS 60000 /* rescan an unplayable folder this often */
#define PLAYLIST_NAME_MAX AUDIO_PLAYLIST_NAME_MAX

struct playlist_file {
    char name[PLAYLIST_NAME_MAX];
    int64_t size, mtime; /* identity: a changed file is tried again */
    bool bad;            /* refused (logged once) */
    bool measured;       /* gain holds the loudness gain */
    float gain;
};

struct playlist_track {
    bool open;
    int file; /* index into files */
    char name[PLAYLIST_NAME_MAX];
    struct audio_wav wav;
    struct audio_resampler rs;
    float gain; /* loudness gain once final */
    bool gain_final;
    int64_t total, done;      /* output frames: all, and rendered */
    bool head_fade;           /* started alone: fade in */
    bool failed;              /* a read failed: it ends early */
    double sum_squares, peak; /* loudness measurement so far */
    int64_t measured;         /* frames measured */
};

struct audio_playlist {
    struct audio_playlist_options options;
    char dir[AUDIO_PATH_MAX];
    struct audio_ring *ring;
    uint64_t prng;
    int64_t crossfade_frames;
    int64_t head_frames;

    struct playlist_file *files;
    int file_count;
    int order[AUDIO_PLAYLIST_MAX_FILES];
    int order_pos;
    char last_name[PLAYLIST_NAME_MAX]; /* played last, "" = none */
    int64_t rescan_after_ms;           /* nothing playable: look again after this */

    struct playlist_track tracks[2];
    struct playlist_track *cur, *next; /* next: opened ahead, may be closed */
    bool planned;                      /* the end of cur is planned: */
    int64_t cross_start, cross_len;    /* its crossfade (or fade-out) span */

    float buf_a[2 * PLAYLIST_CHUNK], buf_b[2 * PLAYLIST_CHUNK];
    float decode[2 * AUDIO_WAV_BLOCK_FRAMES];

    atomic_bool wanted;
    atomic_bool exhausted; /* nothing playable in the folder */
    bool thread_started;
    pthread_t thread;
    pthread_mutex_t lock; /* guards stop and the status below; never taken by the callback */
    pthread_cond_t wake;
    bool stop;
    int status_files, status_skipped;
    char status_track[PLAYLIST_NAME_MAX];
    char status_error[AUDIO_PLAYLIST_ERROR_MAX];
    bool empty_reported; /* "nothing playable" logged since the last playable file */
};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t prng_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Records a problem for the host page and logs it. */
static void report(struct audio_playlist *pl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(struct audio_playlist *pl, const char *fmt, ...)
{
    char message[AUDIO_PLAYLIST_ERROR_MAX];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    if (n < 0) {
        return;
    }
    log_msg(LOG_WARN, "%s", message);
    pthread_mutex_lock(&pl->lock);
    memcpy(pl->status_error, message, sizeof message);
    pthread_mutex_unlock(&pl->lock);
}

static void set_status_track(struct audio_playlist *pl, const char *name)
{
    pthread_mutex_lock(&pl->lock);
    snprintf(pl->status_track, sizeof pl->status_track, "%s", name);
    pthread_mutex_unlock(&pl->lock);
}

/* ---- the folder --------------------------------------------------------------------- */

static bool has_wav_extension(const char *name)
{
    size_t len = strlen(name);
    return len > 4 && strcasecmp(name + len - 4, ".wav") == 0;
}

static int file_order(const void *a, const void *b)
{
    return strcmp(((const struct playlist_file *)a)->name, ((const struct playlist_file *)b)->name);
}

/* Re-reads the folder, keeping what is known about unchanged files; then a new order. */
static void rescan(struct audio_playlist *pl)
{
    struct playlist_file *found = calloc(AUDIO_PLAYLIST_MAX_FILES, sizeof *found);
    if (found == NULL) {
        return; /* keep the old list */
    }
    int count = 0;
    DIR *dir = opendir(pl->dir);
    if (dir == NULL) {
        if (!pl->empty_reported) {
            report(pl, "music: folder %s cannot be read: %s; check music_dir in [audio]", pl->dir,
                   strerror(errno));
            pl->empty_reported = true;
        }
    } else {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL && count < AUDIO_PLAYLIST_MAX_FILES) {
            if (entry->d_name[0] == '.' || strlen(entry->d_name) >= PLAYLIST_NAME_MAX) {
                continue;
            }
            char path[AUDIO_PATH_MAX + PLAYLIST_NAME_MAX + 1];
            int n = snprintf(path, sizeof path, "%s/%s", pl->dir, entry->d_name);
            struct stat st;
            if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
                continue;
            }
            struct playlist_file *file = &found[count++];
            memcpy(file->name, entry->d_name, strlen(entry->d_name) + 1);
            file->size = (int64_t)st.st_size;
            file->mtime = (int64_t)st.st_mtime;
        }
        closedir(dir);
    }
    qsort(found, (size_t)count, sizeof *found, file_order); /* readdir order is arbitrary */
    int wav_count = 0;
    for (int i = 0; i < count; i++) {
        struct playlist_file *file = &found[i];
        bool known = false;
        for (int j = 0; j < pl->file_count; j++) {
            const struct playlist_file *old = &pl->files[j];
            bool same_name = strcmp(old->name, file->name) == 0;
            bool wav = has_wav_extension(file->name);
            /* A .wav is known while unchanged; any other file is never played: by name. */
            if (same_name && (!wav || (old->size == file->size && old->mtime == file->mtime))) {
                *file = *old;
                known = true;
                break;
            }
        }
        if (!known && !has_wav_extension(file->name)) {
            file->bad = true;
            report(pl, "music: %s/%s: skipped: only .wav files are played", pl->dir, file->name);
            pthread_mutex_lock(&pl->lock);
            pl->status_skipped++;
            pthread_mutex_unlock(&pl->lock);
        }
        wav_count += has_wav_extension(file->name);
    }
    free(pl->files);
    pl->files = found;
    pl->file_count = count;
    pthread_mutex_lock(&pl->lock);
    pl->status_files = wav_count;
    pthread_mutex_unlock(&pl->lock);

    for (int i = 0; i < count; i++) { /* Fisher-Yates */
        pl->order[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
        int j = (int)(prng_next(&pl->prng) % (uint64_t)(i + 1));
        int tmp = pl->order[i];
        pl->order[i] = pl->order[j];
        pl->order[j] = tmp;
    }
    if (count > 1 && strcmp(pl->files[pl->order[0]].name, pl->last_name) == 0) {
        int tmp = pl->order[0]; /* never the same file twice in a row */
        pl->order[0] = pl->order[1];
        pl->order[1] = tmp;
    }
    pl->order_pos = 0;
}

/* ---- one file ----------------------------------------------------------------------- */

static void track_close(struct playlist_track *track)
{
    if (track->open) {
        audio_wav_close(&track->wav);
        audio_resample_free(&track->rs);
    }
    track->open = false;
}

/* The gain that brings the measured loudness to unit RMS within the peak rule. */
static float loudness_gain(const struct audio_playlist *pl, const struct playlist_track *track)
{
    if (track->measured == 0 || track->sum_squares <= 0.0 || track->peak <= 0.0) {
        return 1.0f;
    }
    double rms_db = 10.0 * log10(track->sum_squares / (2.0 * (double)track->measured));
    double peak_db = 20.0 * log10(track->peak);
    double knee_db = 20.0 * log10(AUDIO_LIMIT_KNEE);
    double gain_db = -rms_db;
    if (gain_db > knee_db - pl->options.cap_db - peak_db) {
        gain_db = knee_db - pl->options.cap_db - peak_db;
    }
    if (gain_db > PLAYLIST_MAX_BOOST_DB) {
        gain_db = PLAYLIST_MAX_BOOST_DB;
    }
    return (float)pow(10.0, gain_db / 20.0);
}

/* Measures up to frames more frames; at the end (or on a read error) rewinds. */
static void track_measure(struct audio_playlist *pl, struct playlist_track *track, int64_t frames)
{
    struct playlist_file *file = &pl->files[track->file];
    if (track->gain_final || track->measured >= track->wav.frames) {
        return;
    }
    while (frames > 0 && track->measured < track->wav.frames) {
        int want = frames < AUDIO_WAV_BLOCK_FRAMES ? (int)frames : AUDIO_WAV_BLOCK_FRAMES;
        int got = audio_wav_read(&track->wav, pl->decode, want);
        if (got <= 0) {
            break;
        }
        for (int i = 0; i < 2 * got; i++) {
            double x = pl->decode[i];
            track->sum_squares += x * x;
            if (fabs(x) > track->peak) {
                track->peak = fabs(x);
            }
        }
        track->measured += got;
        frames -= got;
    }
    bool complete = track->measured >= track->wav.frames;
    if (complete || track->wav.failed) {
        track->gain = loudness_gain(pl, track);
        track->gain_final = true;
        if (complete) {
            file->measured = true;
            file->gain = track->gain;
        }
        audio_wav_rewind(&track->wav);
    }
}

/* Fixes the gain now, from what has been measured (at least one slice). */
static void track_finish_gain(struct audio_playlist *pl, struct playlist_track *track)
{
    if (track->gain_final) {
        return;
    }
    if (track->measured == 0) {
        track_measure(pl, track, PLAYLIST_MEASURE_SLICE);
    }
    if (!track->gain_final) {
        track->gain = loudness_gain(pl, track);
        track->gain_final = true;
        audio_wav_rewind(&track->wav);
    }
}

/* Opens files[index] into track. Returns 0, or -1 when it is not playable (logged, marked). */
static int track_open(struct audio_playlist *pl, struct playlist_track *track, int index)
{
    struct playlist_file *file = &pl->files[index];
    char path[AUDIO_PATH_MAX + PLAYLIST_NAME_MAX + 1];
    char why[256];
    memset(track, 0, sizeof *track);
    track->file = index;
    int n = snprintf(path, sizeof path, "%s/%s", pl->dir, file->name);
    int rc = n < 0 || (size_t)n >= sizeof path ? -ENAMETOOLONG : 0;
    if (rc == 0) {
        rc = audio_wav_open(&track->wav, path, why, sizeof why);
    } else {
        snprintf(why, sizeof why, "path too long");
    }
    if (rc == 0) {
        rc = audio_resample_init(&track->rs, track->wav.sample_rate, pl->options.sample_rate);
        if (rc != 0) {
            snprintf(why, sizeof why, "out of memory for the sample-rate converter");
            audio_wav_close(&track->wav);
        }
    }
    if (rc != 0) {
        file->bad = true;
        report(pl, "music: %s: skipped: %s", path, why);
        pthread_mutex_lock(&pl->lock);
        pl->status_skipped++;
        pthread_mutex_unlock(&pl->lock);
        return -1;
    }
    snprintf(track->name, sizeof track->name, "%s", file->name);
    track->open = true;
    track->total = audio_resample_output_frames(track->wav.frames, track->wav.sample_rate,
                                                pl->options.sample_rate);
    if (file->measured) {
        track->gain = file->gain;
        track->gain_final = true;
    }
    return 0;
}

/*
 * Opens the next playable file of the order into track, rescanning the folder at the end
 * of a round. Returns 0, or -1 when no file is playable (said once, and again only after
 * a playable file was found in between); the folder is then looked at again after
 * PLAYLIST_RETRY_MS.
 */
static int open_next_file(struct audio_playlist *pl, struct playlist_track *track)
{
    if (atomic_load(&pl->exhausted) && monotonic_ms() < pl->rescan_after_ms) {
        return -1;
    }
    int scans = 0;
    for (;;) {
        if (pl->order_pos >= pl->file_count) {
            if (scans == 2) {
                break; /* two full rounds found nothing playable */
            }
            rescan(pl);
            scans++;
            if (pl->file_count == 0) {
                break;
            }
        }
        int index = pl->order[pl->order_pos++];
        if (pl->files[index].bad) {
            continue;
        }
        if (track_open(pl, track, index) == 0) {
            pl->empty_reported = false;
            atomic_store(&pl->exhausted, false);
            return 0;
        }
    }
    if (!pl->empty_reported) {
        report(pl,
               "music: no playable .wav file in %s; the music stays silent until one is "
               "added",
               pl->dir);
        pl->empty_reported = true;
    }
    pl->rescan_after_ms = monotonic_ms() + PLAYLIST_RETRY_MS;
    atomic_store(&pl->exhausted, true);
    return -1;
}

/*
 * Renders up to frames output frames of track (gain applied) into out. Returns how many;
 * fewer than asked only at the track's end, or when a read failed (track->failed).
 */
static int track_render(struct audio_playlist *pl, struct playlist_track *track, float *out,
                        int frames)
{
    int done = 0;
    while (done < frames) {
        int got = audio_resample_pull(&track->rs, out + 2 * done, frames - done);
        done += got;
        if (done == frames || audio_resample_finished(&track->rs)) {
            break;
        }
        if (got > 0) {
            continue;
        }
        if (track->wav.frames_read >= track->wav.frames) {
            audio_resample_end(&track->rs); /* its tail can now come out */
            continue;
        }
        int space = audio_resample_space(&track->rs);
        if (space <= 0) {
            break; /* cannot happen: a full history always yields output */
        }
        int want = space < AUDIO_WAV_BLOCK_FRAMES ? space : AUDIO_WAV_BLOCK_FRAMES;
        int read = audio_wav_read(&track->wav, pl->decode, want);
        if (read > 0) {
            audio_resample_push(&track->rs, pl->decode, read);
        }
        if (read < 0 || track->wav.failed) {
            if (!track->failed) {
                report(pl,
                       "music: %s/%s: read error after %lld of %lld frames (file changed "
                       "or disk problem); skipped to the next file",
                       pl->dir, track->name, (long long)track->wav.frames_read,
                       (long long)track->wav.frames);
            }
            track->failed = true;
            break;
        }
    }
    for (int i = 0; i < 2 * done; i++) {
        out[i] *= track->gain;
    }
    int64_t head = pl->head_frames;
    if (track->head_fade && track->done < head) {
        for (int i = 0; i < done && track->done + i < head; i++) {
            float g = (float)(track->done + i + 1) / (float)head;
            out[2 * i] *= g;
            out[2 * i + 1] *= g;
        }
    }
    track->done += done;
    return done;
}

/* ---- filling the ring --------------------------------------------------------------- */

/* Makes sure the next file is open with its gain fixed (complete: measured to the end). */
static void prepare_next(struct audio_playlist *pl, bool complete)
{
    if (!pl->next->open) {
        if (open_next_file(pl, pl->next) != 0) {
            return;
        }
    }
    if (complete) {
        track_measure(pl, pl->next, INT64_MAX);
    }
    track_finish_gain(pl, pl->next);
}

/* Makes the next file current, or opens one; returns false when nothing is playable. */
static bool start_current(struct audio_playlist *pl)
{
    if (pl->cur->open) {
        return true;
    }
    if (!pl->next->open && open_next_file(pl, pl->next) != 0) {
        return false;
    }
    track_measure(pl, pl->next, INT64_MAX); /* nothing plays yet: measure it all now */
    track_finish_gain(pl, pl->next);
    struct playlist_track *t = pl->cur;
    pl->cur = pl->next;
    pl->next = t;
    pl->cur->head_fade = pl->cur->done == 0;
    pl->planned = false;
    snprintf(pl->last_name, sizeof pl->last_name, "%s", pl->cur->name);
    set_status_track(pl, pl->cur->name);
    return true;
}

/* Fades out the first frames frames of buf (the end of a file that broke off). */
static void fade_out(float *buf, int frames)
{
    for (int i = 0; i < frames; i++) {
        float g = 1.0f - (float)(i + 1) / (float)frames;
        buf[2 * i] *= g;
        buf[2 * i + 1] *= g;
    }
}

/* The current file has been fully written: the next one (if any) carries on. */
static void finish_current(struct audio_playlist *pl)
{
    track_close(pl->cur);
    pl->planned = false;
    if (pl->next->open && pl->next->done > 0) {
        struct playlist_track *t = pl->cur;
        pl->cur = pl->next;
        pl->next = t;
        snprintf(pl->last_name, sizeof pl->last_name, "%s", pl->cur->name);
        set_status_track(pl, pl->cur->name);
    } else {
        set_status_track(pl, "");
    }
}

/*
 * Writes one chunk into the ring when there is room. Returns true when it wrote something,
 * false when the ring is full or nothing is playable. complete_next: measure the next
 * file to its end when it is needed (offline), instead of ahead in slices.
 */
static bool fill_chunk(struct audio_playlist *pl, bool complete_next)
{
    if (audio_ring_writable(pl->ring) < PLAYLIST_CHUNK || !start_current(pl)) {
        return false;
    }
    struct playlist_track *cur = pl->cur;
    int64_t longest = pl->crossfade_frames < cur->total / 2 ? pl->crossfade_frames : cur->total / 2;
    if (!pl->planned && cur->done >= cur->total - longest) {
        prepare_next(pl, complete_next);
        int64_t span = longest;
        if (pl->next->open && pl->next->total / 2 < span) {
            span = pl->next->total / 2;
        }
        pl->cross_len = span;
        pl->cross_start = cur->total - span;
        pl->planned = true;
    }
    int64_t boundary = pl->planned ? pl->cross_start : cur->total - longest;
    float *a = pl->buf_a;
    int n = PLAYLIST_CHUNK;
    if (cur->done < boundary) {
        /* Before the end span: this file alone. */
        if (boundary - cur->done < n) {
            n = (int)(boundary - cur->done);
        }
        int got = track_render(pl, cur, a, n);
        if (got < n) { /* broke off (read error): fade what we have, then the next file */
            fade_out(a, got);
            audio_ring_write(pl->ring, a, (size_t)got);
            track_close(cur);
            pl->planned = false;
            return true;
        }
    } else {
        /* The end span: crossfade into the next file, or fade out without one. */
        int64_t into = cur->done - pl->cross_start;
        if (pl->cross_len - into < n) {
            n = (int)(pl->cross_len - into);
        }
        int got = n > 0 ? track_render(pl, cur, a, n) : 0;
        if (got < n) {
            fade_out(a, got);
            memset(a + 2 * got, 0, sizeof *a * 2 * (size_t)(n - got));
        }
        cur->done = pl->cross_start + into + n;
        bool mix = pl->next->open;
        if (mix) {
            int next_got = track_render(pl, pl->next, pl->buf_b, n);
            memset(pl->buf_b + 2 * next_got, 0, sizeof *a * 2 * (size_t)(n - next_got));
        }
        for (int i = 0; i < n; i++) {
            double p = (double)(into + i + 1) / (double)pl->cross_len;
            float wa = (float)cos(p * M_PI / 2), wb = mix ? (float)sin(p * M_PI / 2) : 0.0f;
            a[2 * i] = a[2 * i] * wa + (mix ? pl->buf_b[2 * i] * wb : 0.0f);
            a[2 * i + 1] = a[2 * i + 1] * wa + (mix ? pl->buf_b[2 * i + 1] * wb : 0.0f);
        }
    }
    audio_ring_write(pl->ring, a, (size_t)n);
    if (cur->done >= cur->total) {
        finish_current(pl);
    }
    return true;
}

/* ---- thread and public API ---------------------------------------------------------- */

/* One unit of background work besides filling: measure the next file ahead. */
static bool prepare_ahead(struct audio_playlist *pl)
{
    if (!pl->cur->open) {
        return false;
    }
    if (!pl->next->open) {
        if (pl->planned) {
            return false; /* the end is already planned without one */
        }
        return open_next_file(pl, pl->next) == 0;
    }
    if (pl->next->gain_final) {
        return false;
    }
    track_measure(pl, pl->next, PLAYLIST_MEASURE_SLICE);
    return true;
}

static void *loader_main(void *arg)
{
    struct audio_playlist *pl = arg;
    pthread_mutex_lock(&pl->lock);
    while (!pl->stop) {
        pthread_mutex_unlock(&pl->lock);
        bool busy = false;
        int64_t wait_ms = PLAYLIST_IDLE_MS;
        if (atomic_load(&pl->wanted)) {
            busy = fill_chunk(pl, false) || prepare_ahead(pl);
            if (!busy && atomic_load(&pl->exhausted)) {
                wait_ms = 1000; /* open_next_file() itself waits PLAYLIST_RETRY_MS */
            }
        } else {
            wait_ms = 1000;
        }
        pthread_mutex_lock(&pl->lock);
        if (!busy && !pl->stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += wait_ms / 1000;
            until.tv_nsec += (wait_ms % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&pl->wake, &pl->lock, &until);
        }
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

struct audio_playlist *audio_playlist_open(const struct audio_playlist_options *options,
                                           struct audio_ring *ring)
{
    struct audio_playlist *pl = calloc(1, sizeof *pl);
    if (pl == NULL) {
        return NULL;
    }
    pl->options = *options;
    snprintf(pl->dir, sizeof pl->dir, "%s", options->dir != NULL ? options->dir : "");
    pl->options.dir = pl->dir;
    pl->ring = ring;
    pl->prng = ((uint64_t)options->seed << 1) ^ 0x9e3779b97f4a7c15ULL;
    pl->crossfade_frames = (int64_t)(options->crossfade_seconds * options->sample_rate);
    pl->head_frames = (int64_t)(PLAYLIST_HEAD_FADE_S * options->sample_rate) + 1;
    pl->cur = &pl->tracks[0];
    pl->next = &pl->tracks[1];
    atomic_init(&pl->wanted, false);
    atomic_init(&pl->exhausted, false);
    if (pthread_mutex_init(&pl->lock, NULL) != 0) {
        goto out_free;
    }
    if (pthread_cond_init(&pl->wake, NULL) != 0) {
        goto out_mutex;
    }
    if (options->threaded) {
        if (pthread_create(&pl->thread, NULL, loader_main, pl) != 0) {
            goto out_cond;
        }
        pl->thread_started = true;
    }
    return pl;

out_cond:
    pthread_cond_destroy(&pl->wake);
out_mutex:
    pthread_mutex_destroy(&pl->lock);
out_free:
    free(pl);
    return NULL;
}

void audio_playlist_set_wanted(struct audio_playlist *pl, bool wanted)
{
    atomic_store(&pl->wanted, wanted);
    pthread_mutex_lock(&pl->lock);
    pthread_cond_signal(&pl->wake);
    pthread_mutex_unlock(&pl->lock);
}

bool audio_playlist_pump(struct audio_playlist *pl)
{
    if (pl->options.threaded || !atomic_load(&pl->wanted)) {
        return !atomic_load(&pl->exhausted);
    }
    while (fill_chunk(pl, true)) {
    }
    return !atomic_load(&pl->exhausted) || audio_ring_readable(pl->ring) > 0;
}

bool audio_playlist_ready(struct audio_playlist *pl, size_t min_frames)
{
    return audio_ring_readable(pl->ring) >= min_frames || atomic_load(&pl->exhausted);
}

void audio_playlist_status(struct audio_playlist *pl, struct audio_playlist_status *out)
{
    pthread_mutex_lock(&pl->lock);
    out->files = pl->status_files;
    out->skipped = pl->status_skipped;
    memcpy(out->track, pl->status_track, sizeof out->track);
    memcpy(out->last_error, pl->status_error, sizeof out->last_error);
    pthread_mutex_unlock(&pl->lock);
}

void audio_playlist_close(struct audio_playlist *pl)
{
    if (pl == NULL) {
        return;
    }
    if (pl->thread_started) {
        pthread_mutex_lock(&pl->lock);
        pl->stop = true;
        pthread_cond_signal(&pl->wake);
        pthread_mutex_unlock(&pl->lock);
        pthread_join(pl->thread, NULL);
    }
    track_close(&pl->tracks[0]);
    track_close(&pl->tracks[1]);
    free(pl->files);
    pthread_cond_destroy(&pl->wake);
    pthread_mutex_destroy(&pl->lock);
    free(pl);
}
