/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_commit: how long a check-in takes to be durably on disk, measured against the real
 * store API (firmware/store) as the kiosk uses it: the calling thread queues the check-in
 * with store_checkin() and watches store_committed_seq() until it covers the sequence
 * number; the store's own writer thread does the SQLite work (WAL, synchronous=FULL, one
 * transaction per check-in, automatic checkpoints included). Check-ins follow each other
 * as visitors do: the next one starts when the previous one is committed.
 *
 * The database goes into a fresh directory under $TMPDIR (run.sh points it at the build
 * directory's disk, where fsync means something; tmpfs would make the figure meaningless).
 * The row also says how long that disk takes to sync one 4 KB write by itself.
 * Wall-clock figures. Prints Markdown table rows for docs/benchmarks.md.
 *
 *   bench_commit [--quick]    --quick: one run of 20 check-ins, to see that it works
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/phase.h"
#include "store/store.h"

#define RUNS 3
#define CHECKINS 1000
#define QUICK_CHECKINS 20
#define POLL_US 20 /* the watcher's sleep between looks at store_committed_seq */

struct commit_run {
    double commit_p50_ms, commit_p99_ms, commit_max_ms; /* queue -> committed */
    double queue_p99_us;                                /* store_checkin() itself */
    int given_up;                                       /* store_failed_writes() */
};

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = us * 1000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The value below which a fraction p of the sorted samples lie (nearest rank). */
static double percentile(const double *sorted, int n, double p)
{
    if (n <= 0) {
        return 0;
    }
    int rank = (int)(p * n + 0.999999);
    rank = rank < 1 ? 1 : rank > n ? n : rank;
    return sorted[rank - 1];
}

static double median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof values[0], compare_doubles);
    return values[n / 2];
}

/* One run of count check-ins into a new database in dir. Returns 0 or -1 (reported). */
static int run_commits(const char *dir, int run, int count, struct commit_run *out)
{
    char path[4096], err[512];
    int n = snprintf(path, sizeof path, "%s/commit-%d.db", dir, run);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "bench_commit: directory name too long: %s\n", dir);
        return -1;
    }
    struct phase_list phases = {.count = 0};
    struct store *store = store_open(path, &phases, -1, err, sizeof err);
    if (store == NULL) {
        fprintf(stderr, "bench_commit: %s\n", err);
        return -1;
    }
    int64_t day_start;
    clock_parse_local("2026-03-02 09:00", &day_start);
    store_tick(store, day_start);
    store_flush(store);

    double *commit_ms = calloc((size_t)count, sizeof *commit_ms);
    double *queue_us = calloc((size_t)count, sizeof *queue_us);
    int status = -1;
    if (commit_ms == NULL || queue_us == NULL) {
        fprintf(stderr, "bench_commit: out of memory\n");
        goto out_free;
    }
    for (int i = 0; i < count; i++) {
        struct store_checkin checkin;
        memset(&checkin, 0, sizeof checkin);
        checkin.at_ms = day_start + (int64_t)i * 20000;
        checkin.name_number = store_next_name_number(store, checkin.at_ms);
        snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder %d",
                 checkin.name_number);
        snprintf(checkin.service, sizeof checkin.service, "%s", i % 3 ? "schuldhulp" : "werk");
        checkin.wants_word = i % 2;
        checkin.stress_asked = true;
        checkin.stress_answer = i % 12 - 1; /* -1 (skip) .. 10 */
        snprintf(checkin.context.scene, sizeof checkin.context.scene, "welcome");
        snprintf(checkin.context.queue_band, sizeof checkin.context.queue_band, "0-2");

        int64_t start = monotonic_ns();
        int64_t seq = store_checkin(store, &checkin);
        int64_t queued = monotonic_ns();
        if (seq < 0) {
            fprintf(stderr, "bench_commit: check-in %d refused: %s\n", i, strerror((int)-seq));
            goto out_free;
        }
        while (store_committed_seq(store) < seq) {
            sleep_us(POLL_US);
        }
        int64_t committed = monotonic_ns();
        queue_us[i] = (double)(queued - start) / 1e3;
        commit_ms[i] = (double)(committed - start) / 1e6;
    }
    qsort(commit_ms, (size_t)count, sizeof *commit_ms, compare_doubles);
    qsort(queue_us, (size_t)count, sizeof *queue_us, compare_doubles);
    out->commit_p50_ms = percentile(commit_ms, count, 0.50);
    out->commit_p99_ms = percentile(commit_ms, count, 0.99);
    out->commit_max_ms = commit_ms[count - 1];
    out->queue_p99_us = percentile(queue_us, count, 0.99);
    out->given_up = (int)store_failed_writes(store);
    status = 0;

out_free:
    free(queue_us);
    free(commit_ms);
    store_close(store);
    return status;
}

/*
 * What one durable write costs on this disk by itself (4 KB pwrite + fdatasync, median of
 * count), so the check-in figure can be read against the disk: an SD card takes
 * milliseconds where a virtual disk may answer in microseconds. Returns ms, or -1.
 */
static double disk_sync_ms(const char *dir, int count)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/sync-probe", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        return -1;
    }
    double *ms = calloc((size_t)count, sizeof *ms);
    char block[4096];
    memset(block, 0x5A, sizeof block);
    double result = -1;
    if (ms == NULL) {
        goto out_close;
    }
    for (int i = 0; i < count; i++) {
        int64_t start = monotonic_ns();
        if (pwrite(fd, block, sizeof block, (off_t)(i % 16) * (off_t)sizeof block) !=
                (ssize_t)sizeof block ||
            fdatasync(fd) != 0) {
            goto out_free;
        }
        ms[i] = (double)(monotonic_ns() - start) / 1e6;
    }
    result = median(ms, count);
out_free:
    free(ms);
out_close:
    close(fd);
    unlink(path);
    return result;
}

static void remove_run_files(const char *dir, int runs)
{
    static const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (int r = 0; r < runs; r++) {
        for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0]; s++) {
            char path[4096];
            int n = snprintf(path, sizeof path, "%s/commit-%d.db%s", dir, r, suffixes[s]);
            if (n > 0 && (size_t)n < sizeof path) {
                unlink(path);
            }
        }
    }
    rmdir(dir);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && !quick) {
        fprintf(stderr, "usage: bench_commit [--quick]\n");
        return 2;
    }
    log_set_quiet(1);
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    int n = snprintf(dir, sizeof dir, "%s/oase-commit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (n < 0 || (size_t)n >= sizeof dir || mkdtemp(dir) == NULL) {
        fprintf(stderr, "bench_commit: cannot make a directory under %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return 1;
    }
    int runs = quick ? 1 : RUNS, count = quick ? QUICK_CHECKINS : CHECKINS;
    double p50[RUNS], p99[RUNS], max[RUNS], queue_p99[RUNS];
    int given_up = 0, status = 0;
    for (int r = 0; r < runs; r++) {
        struct commit_run run;
        if (run_commits(dir, r, count, &run) != 0) {
            status = 1;
            break;
        }
        p50[r] = run.commit_p50_ms;
        p99[r] = run.commit_p99_ms;
        max[r] = run.commit_max_ms;
        queue_p99[r] = run.queue_p99_us;
        given_up += run.given_up;
    }
    double sync_ms = status == 0 ? disk_sync_ms(dir, quick ? 10 : 200) : -1;
    remove_run_files(dir, runs);
    if (status != 0) {
        return status;
    }
    if (given_up > 0) {
        fprintf(stderr, "bench_commit: %d check-ins were given up by the store\n", given_up);
        return 1;
    }
    printf("| check-in durably committed, p99 of %d (store_checkin -> store_committed_seq) "
           "| %.2f ms | <= 10 ms; p50 %.2f ms, max %.2f ms; writer thread, WAL, "
           "synchronous=FULL; this disk syncs a 4 KB write in %.2f ms (p50); median of %d "
           "run%s; wall clock |\n",
           count, median(p99, runs), median(p50, runs), median(max, runs), sync_ms, runs,
           runs > 1 ? "s" : "");
    printf("| store_checkin() on the calling (frame) thread, p99 | %.1f us | queues only; "
           "never waits for the disk; median of %d run%s; wall clock |\n",
           median(queue_p99, runs), runs, runs > 1 ? "s" : "");
    return 0;
}
