/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * audio_speech: see audio_speech.h. Main loop -> audio_speech_say() -> posix_spawn
 * espeak-ng -> worker thread reads its WAV -> track -> audio callback (audio_mixer.c).
 */
#include "audio/audio_speech.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"

extern char **environ;

#define SPEECH_WAV_HEADER 44    /* espeak-ng --stdout writes a plain 44-byte header */
#define SPEECH_POLL_MS 50       /* the worker looks at its cancel flag this often */
#define SPEECH_WORDS_MINUTE 150 /* a calm pace (espeak-ng's default is 175) */

struct audio_speech {
    struct audio_speech_options options;
    char program[256]; /* the program found, "" = none */
    bool available;
    bool start_failed_logged;
    struct audio_speech_feed feed;

    /* the utterance being made (main thread starts it, the worker fills it) */
    pthread_t worker;
    bool worker_running; /* a worker thread was started and not joined */
    _Atomic bool cancel; /* main -> worker: stop reading */
    pid_t child;         /* espeak-ng, 0 = none to reap */
    int out_fd;          /* its stdout, -1 = none */
    int track;           /* the track the worker writes */
};

static bool executable(const char *path)
{
    return access(path, X_OK) == 0;
}

/* Finds name in PATH (or takes it as it is when it holds a slash) into out. */
static bool find_program(const char *name, char *out, size_t size)
{
    if (strchr(name, '/')) {
        snprintf(out, size, "%s", name);
        return executable(out);
    }
    const char *path = getenv("PATH");
    if (!path || !*path) {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        int n = snprintf(out, size, "%.*s/%s", (int)len, path, name);
        if (n > 0 && (size_t)n < size && len > 0 && executable(out)) {
            return true;
        }
        path += len + (end ? 1 : 0);
    }
    out[0] = '\0';
    return false;
}

static uint32_t db_to_mdb(double db)
{
    return (uint32_t)lround(fabs(db) * 1000.0);
}

struct audio_speech *audio_speech_open(const struct audio_speech_options *options)
{
    struct audio_speech *speech = calloc(1, sizeof *speech);
    if (!speech) {
        return NULL;
    }
    speech->options = *options;
    speech->out_fd = -1;
    speech->track = -1;
    atomic_init(&speech->cancel, false);
    struct audio_speech_feed *feed = &speech->feed;
    atomic_init(&feed->play, -1);
    atomic_init(&feed->serial, 0);
    atomic_init(&feed->reading, -1);
    atomic_init(&feed->done_serial, 0);
    atomic_init(&feed->gain_mdb, db_to_mdb(options->speech_db));
    atomic_init(&feed->duck_mdb, db_to_mdb(options->duck_db));
    atomic_init(&feed->heard, 0);
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        atomic_init(&feed->tracks[t].ready, 0);
        atomic_init(&feed->tracks[t].complete, true);
    }
    if (!options->program || !*options->program) {
        log_msg(LOG_INFO, "speech: off ([audio] speech_program = none): the speak control is "
                          "hidden");
        return speech;
    }
    const char *name = options->program;
    if (!find_program(name, speech->program, sizeof speech->program)) {
        log_msg(LOG_WARN,
                "speech: %s not found: the screens cannot be read aloud (the speak control is "
                "hidden); apt-get install espeak-ng",
                name);
        return speech;
    }
    size_t samples = (size_t)AUDIO_SPEECH_RATE * AUDIO_SPEECH_SECONDS;
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        feed->tracks[t].pcm = malloc(samples * sizeof(int16_t));
        if (!feed->tracks[t].pcm) {
            audio_speech_close(speech);
            return NULL;
        }
        feed->tracks[t].capacity = samples;
    }
    speech->available = true;
    return speech;
}

struct audio_speech_feed *audio_speech_feed(struct audio_speech *speech)
{
    return &speech->feed;
}

bool audio_speech_available(const struct audio_speech *speech)
{
    return speech && speech->available;
}

/* Checks the header espeak-ng writes: RIFF/WAVE, PCM, mono, 16-bit, 22050 Hz. */
static bool header_ok(const unsigned char *h)
{
    unsigned rate = h[24] | h[25] << 8 | (unsigned)h[26] << 16 | (unsigned)h[27] << 24;
    return memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WAVE", 4) == 0 && h[20] == 1 && h[22] == 1 &&
           h[34] == 16 && rate == AUDIO_SPEECH_RATE;
}

/* Reads the child's WAV into the track until its end, a cancel, or a full track. */
static void read_utterance(struct audio_speech *speech)
{
    struct audio_speech_track *track = &speech->feed.tracks[speech->track];
    unsigned char buf[4096];
    unsigned char header[SPEECH_WAV_HEADER];
    size_t header_got = 0, written = 0;
    bool have_odd = false;
    unsigned char odd = 0;
    struct pollfd pfd = {.fd = speech->out_fd, .events = POLLIN};
    while (!atomic_load_explicit(&speech->cancel, memory_order_acquire)) {
        int ready = poll(&pfd, 1, SPEECH_POLL_MS);
        if (ready < 0 && errno != EINTR) {
            break;
        }
        if (ready <= 0) {
            continue;
        }
        ssize_t n = read(speech->out_fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            break; /* end of the utterance */
        }
        size_t at = 0;
        while (header_got < SPEECH_WAV_HEADER && at < (size_t)n) {
            header[header_got++] = buf[at++];
        }
        if (header_got < SPEECH_WAV_HEADER) {
            continue;
        }
        if (at > 0 && header_got == SPEECH_WAV_HEADER && !header_ok(header)) {
            log_msg(LOG_WARN, "speech: %s wrote no 22050 Hz mono 16-bit WAV: nothing is said",
                    speech->program);
            break;
        }
        for (; at < (size_t)n && written < track->capacity; at++) {
            if (!have_odd) {
                odd = buf[at];
                have_odd = true;
                continue;
            }
            track->pcm[written++] = (int16_t)(uint16_t)(odd | buf[at] << 8);
            have_odd = false;
        }
        atomic_store_explicit(&track->ready, written, memory_order_release);
        if (written >= track->capacity) {
            break; /* the rest is cut: AUDIO_SPEECH_SECONDS is plenty for one screen */
        }
    }
    atomic_store_explicit(&track->complete, true, memory_order_release);
}

static void *speech_worker(void *arg)
{
    read_utterance(arg);
    return NULL;
}

/* Ends the utterance being made: cancel, kill and reap the child, join the worker. */
static void finish_child(struct audio_speech *speech, bool kill_child)
{
    atomic_store_explicit(&speech->cancel, true, memory_order_release);
    if (speech->child > 0 && kill_child) {
        kill(speech->child, SIGKILL); /* not yet reaped: the pid is still ours */
    }
    if (speech->worker_running) {
        pthread_join(speech->worker, NULL);
        speech->worker_running = false;
    }
    if (speech->child > 0) {
        while (waitpid(speech->child, NULL, 0) < 0 && errno == EINTR) {
        }
        speech->child = 0;
    }
    if (speech->out_fd >= 0) {
        close(speech->out_fd);
        speech->out_fd = -1;
    }
}

static void publish(struct audio_speech *speech, int track)
{
    atomic_store_explicit(&speech->feed.play, track, memory_order_seq_cst);
    atomic_fetch_add_explicit(&speech->feed.serial, 1, memory_order_seq_cst);
}

void audio_speech_stop(struct audio_speech *speech)
{
    if (!speech || !speech->available) {
        return;
    }
    finish_child(speech, true);
    publish(speech, -1);
}

static bool voice_ok(const char *voice)
{
    size_t len = strlen(voice);
    if (len == 0 || len >= AUDIO_SPEECH_VOICE_MAX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!((voice[i] >= 'a' && voice[i] <= 'z') || voice[i] == '-')) {
            return false;
        }
    }
    return true;
}

/* A track that is neither the one published for playing nor the one the mixer reads. */
static int free_track(struct audio_speech *speech)
{
    int play = atomic_load_explicit(&speech->feed.play, memory_order_seq_cst);
    int reading = atomic_load_explicit(&speech->feed.reading, memory_order_seq_cst);
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        if (t != play && t != reading) {
            return t;
        }
    }
    return 0; /* cannot happen with three tracks */
}

/* Starts espeak-ng with its stdin and stdout on pipes. Returns 0 or -errno. */
static int spawn_voice(struct audio_speech *speech, const char *voice, const char *text)
{
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) {
        return -errno;
    }
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        int rc = -errno;
        close(in_pipe[0]);
        close(in_pipe[1]);
        return rc;
    }
    char rate[8];
    snprintf(rate, sizeof rate, "%d", SPEECH_WORDS_MINUTE);
    char voice_arg[AUDIO_SPEECH_VOICE_MAX];
    snprintf(voice_arg, sizeof voice_arg, "%s", voice);
    char *argv[] = {speech->program, "-m", "-b", "1",        "-v",
                    voice_arg,       "-s", rate, "--stdout", NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, speech->program, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        return -rc;
    }
    /* The text (at most AUDIO_SPEECH_TEXT_MAX) fits the pipe's buffer: this never waits.
     * A child that died early gives EPIPE; its SIGPIPE is held back and taken here, so the
     * kiosk lives on (the track stays empty). */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    size_t len = strnlen(text, AUDIO_SPEECH_TEXT_MAX), done = 0;
    bool broken = false;
    while (done < len + 1) {
        const char *from = done < len ? text + done : "\n";
        ssize_t n = write(in_pipe[1], from, done < len ? len - done : 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            broken = n < 0 && errno == EPIPE;
            break;
        }
        done += (size_t)n;
    }
    if (broken) {
        struct timespec none = {0, 0};
        sigtimedwait(&pipe_set, NULL, &none);
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    close(in_pipe[1]);
    speech->child = pid;
    speech->out_fd = out_pipe[0];
    return 0;
}

int audio_speech_say(struct audio_speech *speech, const char *voice, const char *text)
{
    if (!speech || !speech->available) {
        return -ENOENT;
    }
    if (!text || !*text || !voice || !voice_ok(voice)) {
        return -EINVAL;
    }
    finish_child(speech, true);
    int track = free_track(speech);
    struct audio_speech_track *t = &speech->feed.tracks[track];
    atomic_store_explicit(&t->ready, 0, memory_order_release);
    atomic_store_explicit(&t->complete, false, memory_order_release);
    atomic_store_explicit(&speech->cancel, false, memory_order_release);
    speech->track = track;
    int rc = spawn_voice(speech, voice, text);
    if (rc != 0) {
        atomic_store_explicit(&t->complete, true, memory_order_release);
        publish(speech, -1);
        if (!speech->start_failed_logged) {
            log_msg(LOG_WARN, "speech: %s cannot be started (%s): nothing is said", speech->program,
                    strerror(-rc));
            speech->start_failed_logged = true;
        }
        return rc;
    }
    publish(speech, track);
    if (speech->options.synchronous) {
        read_utterance(speech);
        finish_child(speech, false);
        return 0;
    }
    if (pthread_create(&speech->worker, NULL, speech_worker, speech) != 0) {
        read_utterance(speech); /* no thread: make it here (espeak-ng is fast) */
        finish_child(speech, false);
        return 0;
    }
    speech->worker_running = true;
    return 0;
}

bool audio_speech_speaking(struct audio_speech *speech)
{
    if (!speech || !speech->available) {
        return false;
    }
    int play = atomic_load_explicit(&speech->feed.play, memory_order_acquire);
    uint32_t serial = atomic_load_explicit(&speech->feed.serial, memory_order_acquire);
    return play >= 0 &&
           atomic_load_explicit(&speech->feed.done_serial, memory_order_acquire) != serial;
}

void audio_speech_close(struct audio_speech *speech)
{
    if (!speech) {
        return;
    }
    finish_child(speech, true);
    for (int t = 0; t < AUDIO_SPEECH_TRACKS; t++) {
        free(speech->feed.tracks[t].pcm);
    }
    free(speech);
}

const char *audio_speech_voice(const char *language_code)
{
    static const char *const voices[][2] = {
        {"nl", "nl"}, {"en", "en-gb"}, {"ar", "ar"}, {"tr", "tr"}, {"pl", "pl"}, {"uk", "uk"},
    };
    for (size_t i = 0; i < sizeof voices / sizeof voices[0]; i++) {
        if (language_code && strcmp(language_code, voices[i][0]) == 0) {
            return voices[i][1];
        }
    }
    return NULL;
}
