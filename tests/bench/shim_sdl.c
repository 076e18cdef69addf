/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * shim_sdl: an LD_PRELOAD library for make bench. It wraps four SDL calls of the unchanged
 * oase binary (SDL_RenderPresent, SDL_WaitEventTimeout, SDL_WaitEvent, SDL_PollEvent) to see
 * from outside when frames are presented and when events reach the main loop. Nothing in
 * firmware/ knows about it; run.sh builds it with cc -shared (it has no main, so it is not a
 * bench_*.c program).
 *
 * What it can do, each switched on by an environment variable:
 *   OASE_SHIM_OUT=FILE        at exit, write what was seen as "key value" lines
 *   OASE_BENCH_T0_NS=NS       CLOCK_MONOTONIC instant the launcher started the process:
 *                             the first present is reported relative to it
 *   OASE_SHIM_TAPS=N          after the first frame, press N times on the screen from a
 *                             thread (SDL_PushEvent of a finger down, then a finger up
 *                             elsewhere so nothing is tapped), timing each press from the
 *                             push to the return of the first SDL_RenderPresent that began
 *                             after the main loop had taken the event; then ask SDL to quit
 *   OASE_SHIM_PRESS=X,Y[;X,Y] logical pixels to press (taken in turn); OASE_SHIM_RELEASE=X,Y
 *                             where the finger is lifted (a point with no widget)
 *   OASE_SHIM_QUIT_AFTER=K    push SDL_QUIT after the K-th present (callgrind frame counts)
 * Always: when the live loop first waits for events before any frame, it is sent the
 * SDL_WINDOWEVENT_EXPOSED a display would send a new window (see expose_once).
 *
 * The state below is file-level because an LD_PRELOAD library has no caller that could own
 * a struct: it lives exactly as long as the process it is loaded into.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>

#define SHIM_FINGER 0x0A5E /* finger id of the shim's presses, told apart from real ones */
#define SHIM_TOUCH 0x0A5E
#define SHIM_MAX_TAPS 100000
#define SHIM_MAX_POINTS 8
#define SHIM_WAIT_FRAME_MS 5000 /* a press without a frame this long is counted as missed */
#define SHIM_SETTLE_MS 500      /* after the first frame, before the first press */

enum press_state {
    PRESS_IDLE,
    PRESS_DOWN_PUSHED,    /* pushed, the main loop has not taken it yet */
    PRESS_DOWN_DELIVERED, /* the main loop took it: the next present must show it */
    PRESS_DOWN_SHOWN,
    PRESS_UP_PUSHED,
    PRESS_UP_DELIVERED,
    PRESS_UP_SHOWN,
};

struct shim_point {
    int x, y;
};

struct shim_state {
    void (*real_present)(SDL_Renderer *);
    int (*real_wait_timeout)(SDL_Event *, int);
    int (*real_wait)(SDL_Event *);
    int (*real_poll)(SDL_Event *);
    bool active; /* SDL was found: this process is the kiosk */

    atomic_llong presents;     /* SDL_RenderPresent calls */
    atomic_llong wait_calls;   /* SDL_WaitEventTimeout + SDL_WaitEvent: main loop turns */
    atomic_llong poll_calls;   /* SDL_PollEvent */
    atomic_llong first_ns;     /* return of the first present (CLOCK_MONOTONIC), 0 = none */
    atomic_llong first_wait;   /* wait_calls at the first present */
    atomic_int press;          /* enum press_state */
    atomic_llong pushed_ns;    /* when the current press was pushed */
    atomic_llong delivered_ns; /* when the main loop took it */

    long long t0_ns; /* OASE_BENCH_T0_NS, 0 when not given */
    long quit_after; /* OASE_SHIM_QUIT_AFTER, 0 = never */
    atomic_bool quit_pushed;
    atomic_bool exposed; /* the start-up SDL_WINDOWEVENT_EXPOSED was sent */

    int taps_wanted;
    struct shim_point press_points[SHIM_MAX_POINTS];
    int press_point_count;
    struct shim_point release_point;
    float *tap_ms;     /* push -> present of each press, SHIM_MAX_TAPS at most */
    float *deliver_ms; /* push -> the main loop took it */
    int taps_done;     /* written by the main thread (in SDL_RenderPresent) */
    int taps_missed;   /* written by the tap thread */
    pthread_t tap_thread;
    bool tap_thread_started;
};

static struct shim_state shim;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* "X,Y;X,Y": reads up to max points; returns how many. */
static int parse_points(const char *text, struct shim_point *out, int max)
{
    int count = 0;
    while (text && *text && count < max) {
        char *end;
        long x = strtol(text, &end, 10);
        if (*end != ',') {
            break;
        }
        long y = strtol(end + 1, &end, 10);
        out[count].x = (int)x;
        out[count].y = (int)y;
        count++;
        text = *end == ';' ? end + 1 : NULL;
    }
    return count;
}

static void push_finger(Uint32 type, struct shim_point p)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.tfinger.timestamp = SDL_GetTicks();
    ev.tfinger.touchId = SHIM_TOUCH;
    ev.tfinger.fingerId = SHIM_FINGER;
    ev.tfinger.x = (float)p.x / 800.0f; /* the bench runs the 800x480 landscape screen */
    ev.tfinger.y = (float)p.y / 480.0f;
    ev.tfinger.pressure = 1.0f;
    SDL_PushEvent(&ev);
}

static void push_quit(void)
{
    bool expected = false;
    if (atomic_compare_exchange_strong(&shim.quit_pushed, &expected, true)) {
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_QUIT;
        SDL_PushEvent(&ev);
    }
}

/* Waits until the press reaches state; false after SHIM_WAIT_FRAME_MS. */
static bool wait_for_state(enum press_state state)
{
    long long deadline = now_ns() + SHIM_WAIT_FRAME_MS * 1000000LL;
    while (atomic_load(&shim.press) != (int)state) {
        if (now_ns() > deadline) {
            return false;
        }
        sleep_us(50);
    }
    return true;
}

static void *tap_main(void *arg)
{
    (void)arg;
    while (atomic_load(&shim.first_ns) == 0) {
        sleep_us(1000);
    }
    sleep_us(SHIM_SETTLE_MS * 1000L);
    unsigned random_state = 12345u;
    for (int i = 0; i < shim.taps_wanted; i++) {
        struct shim_point p = shim.press_points[i % shim.press_point_count];
        atomic_store(&shim.pushed_ns, now_ns());
        atomic_store(&shim.press, PRESS_DOWN_PUSHED);
        push_finger(SDL_FINGERDOWN, p);
        if (!wait_for_state(PRESS_DOWN_SHOWN)) {
            shim.taps_missed++;
            atomic_store(&shim.press, PRESS_IDLE);
            continue;
        }
        sleep_us(2000); /* a short press */
        atomic_store(&shim.press, PRESS_UP_PUSHED);
        push_finger(SDL_FINGERUP, shim.release_point);
        if (!wait_for_state(PRESS_UP_SHOWN)) {
            shim.taps_missed++;
        }
        atomic_store(&shim.press, PRESS_IDLE);
        /* 2..12 ms apart, so presses land at every phase of the loop's sleep */
        random_state = random_state * 1103515245u + 12345u;
        sleep_us(2000 + (long)((random_state >> 16) % 10000));
    }
    push_quit();
    return NULL;
}

static void note_event(const SDL_Event *ev)
{
    if ((ev->type != SDL_FINGERDOWN && ev->type != SDL_FINGERUP) ||
        ev->tfinger.fingerId != SHIM_FINGER) {
        return;
    }
    int expected = ev->type == SDL_FINGERDOWN ? PRESS_DOWN_PUSHED : PRESS_UP_PUSHED;
    int next = ev->type == SDL_FINGERDOWN ? PRESS_DOWN_DELIVERED : PRESS_UP_DELIVERED;
    if (atomic_compare_exchange_strong(&shim.press, &expected, next) &&
        next == PRESS_DOWN_DELIVERED) {
        atomic_store(&shim.delivered_ns, now_ns());
    }
}

__attribute__((constructor)) static void shim_start(void)
{
    /* Also loaded into processes without SDL (valgrind's launcher): then it stays idle. */
    shim.real_present = (void (*)(SDL_Renderer *))dlsym(RTLD_NEXT, "SDL_RenderPresent");
    shim.real_wait_timeout = (int (*)(SDL_Event *, int))dlsym(RTLD_NEXT, "SDL_WaitEventTimeout");
    shim.real_wait = (int (*)(SDL_Event *))dlsym(RTLD_NEXT, "SDL_WaitEvent");
    shim.real_poll = (int (*)(SDL_Event *))dlsym(RTLD_NEXT, "SDL_PollEvent");
    if (!shim.real_present || !shim.real_wait_timeout || !shim.real_wait || !shim.real_poll) {
        return;
    }
    shim.active = true;
    const char *t0 = getenv("OASE_BENCH_T0_NS");
    shim.t0_ns = t0 ? strtoll(t0, NULL, 10) : 0;
    const char *quit = getenv("OASE_SHIM_QUIT_AFTER");
    shim.quit_after = quit ? strtol(quit, NULL, 10) : 0;
    const char *taps = getenv("OASE_SHIM_TAPS");
    shim.taps_wanted = taps ? (int)strtol(taps, NULL, 10) : 0; /* not a number: no taps */
    if (shim.taps_wanted <= 0) {
        return;
    }
    shim.taps_wanted = shim.taps_wanted > SHIM_MAX_TAPS ? SHIM_MAX_TAPS : shim.taps_wanted;
    shim.press_point_count =
        parse_points(getenv("OASE_SHIM_PRESS"), shim.press_points, SHIM_MAX_POINTS);
    if (shim.press_point_count == 0 ||
        parse_points(getenv("OASE_SHIM_RELEASE"), &shim.release_point, 1) != 1) {
        fprintf(stderr, "shim_sdl: OASE_SHIM_TAPS needs OASE_SHIM_PRESS=X,Y[;X,Y] and "
                        "OASE_SHIM_RELEASE=X,Y\n");
        abort();
    }
    shim.tap_ms = calloc((size_t)shim.taps_wanted, sizeof *shim.tap_ms);
    shim.deliver_ms = calloc((size_t)shim.taps_wanted, sizeof *shim.deliver_ms);
    if (shim.tap_ms == NULL || shim.deliver_ms == NULL) {
        fprintf(stderr, "shim_sdl: out of memory for %d taps\n", shim.taps_wanted);
        abort();
    }
    shim.tap_thread_started = pthread_create(&shim.tap_thread, NULL, tap_main, NULL) == 0;
}

__attribute__((destructor)) static void shim_stop(void)
{
    const char *path = getenv("OASE_SHIM_OUT");
    FILE *out = path && shim.active ? fopen(path, "w") : NULL;
    if (out == NULL) {
        return;
    }
    long long first = atomic_load(&shim.first_ns), end = now_ns();
    fprintf(out, "presents %lld\n", atomic_load(&shim.presents));
    fprintf(out, "wait_calls %lld\n", atomic_load(&shim.wait_calls));
    fprintf(out, "poll_calls %lld\n", atomic_load(&shim.poll_calls));
    if (first != 0 && shim.t0_ns != 0) {
        fprintf(out, "first_frame_ms %.3f\n", (double)(first - shim.t0_ns) / 1e6);
    }
    if (first != 0 && end > first) {
        double seconds = (double)(end - first) / 1e9;
        fprintf(out, "seconds_after_first_frame %.3f\n", seconds);
        fprintf(out, "loop_turns_per_s %.2f\n",
                (double)(atomic_load(&shim.wait_calls) - atomic_load(&shim.first_wait)) / seconds);
        fprintf(out, "presents_per_s %.2f\n", (double)(atomic_load(&shim.presents) - 1) / seconds);
    }
    if (shim.taps_wanted > 0) {
        fprintf(out, "taps %d\ntaps_missed %d\n", shim.taps_done, shim.taps_missed);
        for (int i = 0; i < shim.taps_done; i++) {
            fprintf(out, "tap %.3f %.3f\n", (double)shim.tap_ms[i], (double)shim.deliver_ms[i]);
        }
    }
    fclose(out);
}

void SDL_RenderPresent(SDL_Renderer *renderer)
{
    /* A press taken by the main loop before this frame began is shown by this frame. */
    int state_at_start = atomic_load(&shim.press);
    shim.real_present(renderer);
    long long t = now_ns();
    long long count = atomic_fetch_add(&shim.presents, 1) + 1;
    if (count == 1) {
        atomic_store(&shim.first_wait, atomic_load(&shim.wait_calls));
        atomic_store(&shim.first_ns, t);
    }
    if (state_at_start == PRESS_DOWN_DELIVERED) {
        int i = shim.taps_done;
        if (i < shim.taps_wanted) {
            shim.tap_ms[i] = (float)((double)(t - atomic_load(&shim.pushed_ns)) / 1e6);
            shim.deliver_ms[i] =
                (float)((double)(atomic_load(&shim.delivered_ns) - atomic_load(&shim.pushed_ns)) /
                        1e6);
            shim.taps_done = i + 1;
        }
        atomic_store(&shim.press, PRESS_DOWN_SHOWN);
    } else if (state_at_start == PRESS_UP_DELIVERED) {
        atomic_store(&shim.press, PRESS_UP_SHOWN);
    }
    if (shim.quit_after > 0 && count >= shim.quit_after) {
        push_quit();
    }
}

/*
 * A display tells a new window it is exposed, and the kiosk draws its first frame for that
 * event; the headless surface has no window, so the first live frame would wait for the
 * next minute of the clock. The shim sends the event a real display would send.
 */
static void expose_once(void)
{
    bool expected = false;
    if (atomic_load(&shim.presents) == 0 &&
        atomic_compare_exchange_strong(&shim.exposed, &expected, true)) {
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_WINDOWEVENT;
        ev.window.event = SDL_WINDOWEVENT_EXPOSED;
        SDL_PushEvent(&ev);
    }
}

int SDL_WaitEventTimeout(SDL_Event *event, int timeout)
{
    atomic_fetch_add(&shim.wait_calls, 1);
    expose_once();
    int got = shim.real_wait_timeout(event, timeout);
    if (got && event) {
        note_event(event);
    }
    return got;
}

int SDL_WaitEvent(SDL_Event *event)
{
    atomic_fetch_add(&shim.wait_calls, 1);
    expose_once();
    int got = shim.real_wait(event);
    if (got && event) {
        note_event(event);
    }
    return got;
}

int SDL_PollEvent(SDL_Event *event)
{
    atomic_fetch_add(&shim.poll_calls, 1);
    int got = shim.real_poll(event);
    if (got && event) {
        note_event(event);
    }
    return got;
}
