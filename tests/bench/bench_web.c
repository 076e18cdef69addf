/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_web: the host page under load and under attack, on loopback, against the
 * real web module (firmware/web) with the kiosk's default passphrase hash (PBKDF2, 600 000
 * iterations). Three phases of equal length:
 *   quiet   - a stand-in for the visitor loop only: 2 ms of CPU work every 20 ms, at the
 *             process's priority, its wall time measured (what contention does to a frame);
 *   desks   - the same, with 20 desks each asking /api/state every second (with ETag);
 *   attack  - the same, plus 5 addresses holding 16 idle connections each and 70 addresses
 *             guessing passphrases without pause; meanwhile the host logs in 5 times from
 *             fresh addresses.
 * Prints Markdown table rows for docs/benchmarks.md: the stand-in's p50/p99 per phase, the
 * desks' poll p50/p99 and share answered, the host's login times (also without the attack:
 * what one hash costs on the machine as loaded now). Wall-clock figures.
 *
 *   bench_web [--quick]    --quick: 3 s phases, to see that it works
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "core/log.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_auth.h"

#define PASSPHRASE "rustig blauw water"
#define DESKS 20
#define GUESSERS 70
#define IDLE_ADDRESSES 5
#define IDLE_EACH 16
#define SAMPLES_MAX 100000

static int64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *values, int count, double p)
{
    if (count == 0) {
        return 0;
    }
    qsort(values, (size_t)count, sizeof *values, compare_double);
    int index = (int)(p * (count - 1) + 0.5);
    return values[index];
}

/* One HTTP/1.1 request from source_ip; the status (-1 when refused or closed), the body's
   ETag copied into etag when etag_size > 0. */
static int http(int port, const char *source_ip, const char *request, char *etag, size_t etag_size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    struct timeval guard = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    struct sockaddr_in source = {.sin_family = AF_INET};
    inet_pton(AF_INET, source_ip, &source.sin_addr);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    if (bind(fd, (struct sockaddr *)&source, sizeof source) == 0 &&
        connect(fd, (struct sockaddr *)&address, sizeof address) == 0 &&
        send(fd, request, strlen(request), MSG_NOSIGNAL) == (ssize_t)strlen(request)) {
        static _Thread_local char raw[262144];
        size_t got = 0;
        ssize_t n;
        while (got < sizeof raw - 1 && (n = recv(fd, raw + got, sizeof raw - 1 - got, 0)) > 0) {
            got += (size_t)n;
        }
        raw[got] = '\0';
        if (sscanf(raw, "HTTP/1.%*d %d", &status) != 1) {
            status = -1;
        }
        const char *tag = strstr(raw, "ETag: ");
        if (etag_size > 0 && tag != NULL) {
            snprintf(etag, etag_size, "%.*s", (int)strcspn(tag + 6, "\r\n"), tag + 6);
        }
    }
    close(fd);
    return status;
}

struct bench {
    int port;
    atomic_bool stop;
    atomic_bool attack;
    char cookies[DESKS][64];
    /* desks' poll latencies in the current phase */
    pthread_mutex_t lock;
    double polls[SAMPLES_MAX];
    int poll_count;
    int poll_failed;
    atomic_int guesses;
};

static int login(struct bench *bench, const char *source_ip, char *cookie, size_t size)
{
    char request[512];
    snprintf(request, sizeof request,
             "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n"
             "passphrase=rustig+blauw+water",
             bench->port, strlen("passphrase=rustig+blauw+water"));
    /* The Set-Cookie line is all a desk needs; read it with the same raw client. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in source = {.sin_family = AF_INET};
    inet_pton(AF_INET, source_ip, &source.sin_addr);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)bench->port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    char raw[4096];
    size_t got = 0;
    if (bind(fd, (struct sockaddr *)&source, sizeof source) == 0 &&
        connect(fd, (struct sockaddr *)&address, sizeof address) == 0 &&
        send(fd, request, strlen(request), MSG_NOSIGNAL) > 0) {
        ssize_t n;
        while (got < sizeof raw - 1 && (n = recv(fd, raw + got, sizeof raw - 1 - got, 0)) > 0) {
            got += (size_t)n;
        }
    }
    close(fd);
    raw[got] = '\0';
    if (sscanf(raw, "HTTP/1.%*d %d", &status) == 1 && status == 200 && cookie != NULL) {
        const char *set = strstr(raw, "oase_session=");
        snprintf(cookie, size, "%.45s", set ? set : "");
    }
    return status;
}

struct desk_arg {
    struct bench *bench;
    int index;
};

static void *desk_loop(void *arg)
{
    struct desk_arg *desk_arg = arg;
    struct bench *bench = desk_arg->bench;
    char etag[64] = "";
    char source_ip[32];
    snprintf(source_ip, sizeof source_ip, "127.0.1.%d", desk_arg->index + 1);
    usleep((useconds_t)(desk_arg->index * 50000)); /* desks are not in step */
    while (!atomic_load(&bench->stop)) {
        char request[512];
        snprintf(request, sizeof request,
                 "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                 "Cookie: %s\r\n%s%s%s\r\n",
                 bench->port, bench->cookies[desk_arg->index], etag[0] ? "If-None-Match: " : "",
                 etag, etag[0] ? "\r\n" : "");
        int64_t start = now_us();
        int status = http(bench->port, source_ip, request, etag, sizeof etag);
        double took_ms = (double)(now_us() - start) / 1000.0;
        pthread_mutex_lock(&bench->lock);
        if ((status == 200 || status == 304) && bench->poll_count < SAMPLES_MAX) {
            bench->polls[bench->poll_count++] = took_ms;
        } else if (status != 200 && status != 304) {
            bench->poll_failed++;
        }
        pthread_mutex_unlock(&bench->lock);
        usleep(1000000);
    }
    return NULL;
}

static void *guesser(void *arg)
{
    struct desk_arg *guess = arg;
    struct bench *bench = guess->bench;
    char source_ip[32];
    snprintf(source_ip, sizeof source_ip, "127.0.2.%d", guess->index + 1);
    char request[512];
    snprintf(request, sizeof request,
             "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\n"
             "passphrase=fout+fout",
             bench->port);
    /* An attacker's own CPU is elsewhere; here its threads share the kiosk's cores, so they
       run at the lowest priority to weigh little more than the packets they send. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
    while (!atomic_load(&bench->stop)) {
        if (!atomic_load(&bench->attack)) {
            usleep(20000);
            continue;
        }
        http(bench->port, source_ip, request, NULL, 0);
        atomic_fetch_add(&bench->guesses, 1);
    }
    return NULL;
}

/* The visitor loop's stand-in: 2 ms of CPU work every 20 ms; returns the samples' count. */
static int frames(double *samples, int max, double seconds)
{
    int count = 0;
    int64_t end = now_us() + (int64_t)(seconds * 1e6);
    volatile uint64_t sink = 0;
    /* Calibrate: iterations that take 2 ms on this machine when it is otherwise idle. */
    static uint64_t work = 0;
    if (work == 0) {
        int64_t start = now_us();
        uint64_t i = 0;
        while (now_us() - start < 2000) {
            for (int j = 0; j < 1000; j++) {
                sink += (uint64_t)j * 2654435761u;
            }
            i += 1000;
        }
        work = i;
    }
    while (now_us() < end && count < max) {
        int64_t start = now_us();
        for (uint64_t i = 0; i < work; i++) {
            sink += i * 2654435761u;
        }
        samples[count++] = (double)(now_us() - start) / 1000.0;
        usleep(18000);
    }
    return count;
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    double phase_s = quick ? 2 : 10;
    log_set_quiet(true);
    char dir[] = "/tmp/oase-bench-web-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char db_path[128];
    snprintf(db_path, sizeof db_path, "%s/oase.db", dir);
    static struct oase_config config;
    config_defaults(&config);
    phase_add(&config.phases, "baseline", "2026-01-05");
    char err[512] = "";
    struct store *store = store_open(db_path, &config.phases, 17 * 60, err, sizeof err);
    if (store == NULL) {
        fprintf(stderr, "bench_web: store_open: %s\n", err);
        return 1;
    }
    struct web_config cfg;
    web_config_defaults(&cfg);
    snprintf(cfg.bind_address, sizeof cfg.bind_address, "127.0.0.1");
    cfg.port = 0;
    if (web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), WEB_HASH_ITERATIONS_DEFAULT,
                                 cfg.passphrase_hash, sizeof cfg.passphrase_hash) != 0) {
        fprintf(stderr, "bench_web: cannot hash the passphrase\n");
        return 1;
    }
    struct web_context ctx = {.store = store,
                              .kiosk = {.site = config.site,
                                        .ask_stress = config.ask_stress,
                                        .services = config.services,
                                        .service_count = config.service_count},
                              .assets_dir = "assets"};
    struct web *web = NULL;
    for (int attempt = 0; attempt < 5 && web == NULL; attempt++) {
        cfg.port = 20000 + (int)(now_us() % 20000);
        web = web_open(&cfg, &ctx, err, sizeof err);
    }
    if (web == NULL) {
        fprintf(stderr, "bench_web: web_open: %s\n", err);
        return 1;
    }
    static struct bench bench;
    bench.port = web_port(web);
    pthread_mutex_init(&bench.lock, NULL);
    for (int i = 0; i < DESKS; i++) {
        char source_ip[32];
        snprintf(source_ip, sizeof source_ip, "127.0.1.%d", i + 1);
        if (login(&bench, source_ip, bench.cookies[i], sizeof bench.cookies[i]) != 200) {
            fprintf(stderr, "bench_web: desk %d cannot log in\n", i);
            return 1;
        }
    }

    static double samples[3][SAMPLES_MAX];
    int counts[3];
    double poll_p50[3] = {0}, poll_p99[3] = {0};
    int poll_ok[3] = {0}, poll_failed[3] = {0};
    counts[0] = frames(samples[0], SAMPLES_MAX, phase_s); /* quiet */

    pthread_t desks[DESKS], guessers[GUESSERS];
    struct desk_arg desk_args[DESKS], guess_args[GUESSERS];
    for (int i = 0; i < DESKS; i++) {
        desk_args[i] = (struct desk_arg){.bench = &bench, .index = i};
        pthread_create(&desks[i], NULL, desk_loop, &desk_args[i]);
    }
    for (int i = 0; i < GUESSERS; i++) {
        guess_args[i] = (struct desk_arg){.bench = &bench, .index = i};
        pthread_create(&guessers[i], NULL, guesser, &guess_args[i]);
    }
    sleep(1);
    for (int phase = 1; phase <= 2; phase++) {
        int idle[IDLE_ADDRESSES * IDLE_EACH];
        int idle_count = 0;
        double host_ms[10];
        int host_ok[2] = {0, 0};
        if (phase == 2) {
            for (int a = 0; a < IDLE_ADDRESSES; a++) {
                for (int i = 0; i < IDLE_EACH; i++) {
                    int fd = socket(AF_INET, SOCK_STREAM, 0);
                    struct sockaddr_in source = {.sin_family = AF_INET};
                    char source_ip[32];
                    snprintf(source_ip, sizeof source_ip, "127.0.3.%d", a + 1);
                    inet_pton(AF_INET, source_ip, &source.sin_addr);
                    struct sockaddr_in address = {.sin_family = AF_INET,
                                                  .sin_port = htons((uint16_t)bench.port)};
                    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                    if (bind(fd, (struct sockaddr *)&source, sizeof source) == 0 &&
                        connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
                        send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL);
                    }
                    idle[idle_count++] = fd;
                }
            }
            atomic_store(&bench.attack, true);
            sleep(1);
        }
        pthread_mutex_lock(&bench.lock);
        bench.poll_count = 0;
        bench.poll_failed = 0;
        pthread_mutex_unlock(&bench.lock);
        counts[phase] = frames(samples[phase], SAMPLES_MAX, phase_s);
        if (phase == 1) {
            /* The same logins without an attack: what one hash costs on this machine now. */
            double slowest = 0;
            int ok = 0;
            for (int i = 0; i < 5; i++) {
                char source_ip[32];
                snprintf(source_ip, sizeof source_ip, "127.0.5.%d", i + 1);
                int64_t start = now_us();
                ok += login(&bench, source_ip, NULL, 0) == 200;
                double took = (double)(now_us() - start) / 1000.0;
                slowest = took > slowest ? took : slowest;
            }
            printf("| host page, no attack (20 desks polling): the host logs in at a new address "
                   "| %d of 5, slowest %.0f ms | one PBKDF2 600 000 iterations at the hash's "
                   "priority on this machine now |\n",
                   ok, slowest);
        }
        if (phase == 2) {
            /* The host logs in again: at a desk that logged in before (its address is known)
               and at a new one. */
            for (int i = 0; i < 10; i++) {
                char source_ip[32];
                snprintf(source_ip, sizeof source_ip, i < 5 ? "127.0.1.%d" : "127.0.4.%d", i + 1);
                int64_t start = now_us();
                host_ok[i / 5] += login(&bench, source_ip, NULL, 0) == 200;
                host_ms[i] = (double)(now_us() - start) / 1000.0;
            }
        }
        pthread_mutex_lock(&bench.lock);
        poll_ok[phase] = bench.poll_count;
        poll_failed[phase] = bench.poll_failed;
        poll_p50[phase] = percentile(bench.polls, bench.poll_count, 0.50);
        poll_p99[phase] = percentile(bench.polls, bench.poll_count, 0.99);
        pthread_mutex_unlock(&bench.lock);
        if (phase == 2) {
            atomic_store(&bench.attack, false);
            for (int i = 0; i < idle_count; i++) {
                close(idle[i]);
            }
            for (int fresh = 0; fresh < 2; fresh++) {
                double slowest = 0;
                for (int i = 5 * fresh; i < 5 * fresh + 5; i++) {
                    slowest = host_ms[i] > slowest ? host_ms[i] : slowest;
                }
                printf("| host page under attack: the host logs in at %s | %d of 5, slowest "
                       "%.0f ms | 5 addresses x %d idle connections and %d addresses guessing "
                       "(%d connection attempts); PBKDF2 600 000 iterations |\n",
                       fresh ? "a new address" : "a desk that logged in before", host_ok[fresh],
                       slowest, IDLE_EACH, GUESSERS, atomic_load(&bench.guesses));
            }
        }
    }
    atomic_store(&bench.stop, true);
    for (int i = 0; i < DESKS; i++) {
        pthread_join(desks[i], NULL);
    }
    for (int i = 0; i < GUESSERS; i++) {
        pthread_join(guessers[i], NULL);
    }
    static const char *const names[3] = {"quiet", "20 desks polling",
                                         "20 desks + idle sockets + 70 guessing addresses"};
    for (int phase = 0; phase < 3; phase++) {
        int count = counts[phase];
        double p50 = percentile(samples[phase], count, 0.50);
        double p99 = percentile(samples[phase], count, 0.99);
        printf("| visitor-loop stand-in (2 ms CPU every 20 ms), %s: p50 / p99 | %.2f / %.2f ms "
               "| %d frames |\n",
               names[phase], p50, p99, count);
        if (phase > 0) {
            printf("| a desk's /api/state (ETag), %s: p50 / p99 | %.1f / %.1f ms | %d answered, "
                   "%d refused or failed |\n",
                   names[phase], poll_p50[phase], poll_p99[phase], poll_ok[phase],
                   poll_failed[phase]);
        }
    }
    web_close(web);
    store_close(store);
    char command[256];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    if (system(command) != 0) {
        fprintf(stderr, "bench_web: could not remove %s\n", dir);
    }
    return 0;
}
