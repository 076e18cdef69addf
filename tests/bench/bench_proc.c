/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_proc: runs one command the way make bench measures a whole program from outside:
 * wall time from just before fork to its exit, the peak of the resident memory summed over
 * the process and all its descendants (sampled from /proc), and, with --window-ms, the CPU
 * time and the wake-ups of all their threads over a window while it idles, after which the
 * process group is stopped with SIGTERM. A tool for tests/bench/run.sh: it prints
 * "key value" lines, no table rows. With --sample-ms 0 it only waits (wall time within
 * 0.1 ms, maxrss from wait4), so timing a short process is not disturbed by /proc scans.
 *
 *   bench_proc [--settle-ms N] [--window-ms N] [--sample-ms N] [--timeout-ms N] [--pss]
 *              -- COMMAND [ARG...]
 *
 * The child gets OASE_BENCH_T0_NS (CLOCK_MONOTONIC before fork) for shim_sdl.so.
 * CPU time is the sum of every thread's /proc/PID/task/TID/schedstat run time (ns);
 * wake-ups are voluntary context switches (a thread went to sleep and was woken again).
 * A thread that ends inside the window takes its share with it; for the kiosk none does.
 * Exit status: 0 when measured (the command's own status is printed as "exit"), 2 on usage
 * or fork errors.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 512

struct options {
    long settle_ms;  /* before the CPU window opens */
    long window_ms;  /* 0: wait for the command to exit */
    long sample_ms;  /* memory sampling period; 0: no sampling (only wait4's maxrss) */
    long timeout_ms; /* the command is killed after this long (breakage, not a figure) */
    bool pss;        /* also sum proportional set sizes (smaps_rollup: slower) */
    char **command;
};

struct tree {
    pid_t pids[MAX_PROCS];
    int count;
};

struct usage {
    long long cpu_ns;         /* run time of every thread of the tree */
    long long voluntary;      /* voluntary context switches, every thread */
    long long main_voluntary; /* main threads (tid == pid) of the tree's processes */
    int threads;
};

static long long monotonic_ns(void)
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

/* Parent pid of pid from /proc/PID/stat, or -1 (gone). */
static pid_t parent_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')'); /* the command name may hold spaces */
    char state;
    int ppid;
    if (close_paren == NULL || sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2) {
        return -1;
    }
    return (pid_t)ppid;
}

/* root and every process descended from it. */
static void collect_tree(pid_t root, struct tree *tree)
{
    pid_t all[4096], parents[4096];
    int n = 0;
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        tree->count = 0;
        return;
    }
    for (struct dirent *d; (d = readdir(proc)) != NULL && n < 4096;) {
        char *end;
        long pid = strtol(d->d_name, &end, 10);
        if (*end != '\0' || pid <= 0) {
            continue;
        }
        all[n] = (pid_t)pid;
        parents[n] = parent_of((pid_t)pid);
        n++;
    }
    closedir(proc);
    tree->pids[0] = root;
    tree->count = 1;
    for (int i = 0; i < tree->count; i++) { /* breadth first over the parent links */
        for (int j = 0; j < n && tree->count < MAX_PROCS; j++) {
            if (parents[j] == tree->pids[i]) {
                tree->pids[tree->count++] = all[j];
            }
        }
    }
}

static long long read_kb_field(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    char line[256];
    long long value = 0;
    size_t key_len = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, key_len) == 0) {
            value = strtoll(line + key_len, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

static void sample_memory(const struct tree *tree, bool pss, long long *rss_kb, long long *pss_kb)
{
    *rss_kb = 0;
    *pss_kb = 0;
    long page_kb = sysconf(_SC_PAGESIZE) / 1024;
    for (int i = 0; i < tree->count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/statm", (int)tree->pids[i]);
        FILE *f = fopen(path, "r");
        long long size, resident;
        if (f != NULL && fscanf(f, "%lld %lld", &size, &resident) == 2) {
            *rss_kb += resident * page_kb;
        }
        if (f != NULL) {
            fclose(f);
        }
        if (pss) {
            snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)tree->pids[i]);
            *pss_kb += read_kb_field(path, "Pss:");
        }
    }
}

static void add_task_usage(pid_t pid, long tid, struct usage *u)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/task/%ld/schedstat", (int)pid, tid);
    FILE *f = fopen(path, "r");
    long long run_ns;
    if (f != NULL && fscanf(f, "%lld", &run_ns) == 1) {
        u->cpu_ns += run_ns;
    }
    if (f != NULL) {
        fclose(f);
    }
    snprintf(path, sizeof path, "/proc/%d/task/%ld/status", (int)pid, tid);
    long long voluntary = read_kb_field(path, "voluntary_ctxt_switches:");
    u->voluntary += voluntary;
    if (tid == (long)pid) {
        u->main_voluntary = voluntary;
    }
    u->threads++;
}

static void sample_usage(const struct tree *tree, struct usage *u)
{
    memset(u, 0, sizeof *u);
    for (int i = 0; i < tree->count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", (int)tree->pids[i]);
        DIR *tasks = opendir(path);
        if (tasks == NULL) {
            continue;
        }
        for (struct dirent *d; (d = readdir(tasks)) != NULL;) {
            char *end;
            long tid = strtol(d->d_name, &end, 10);
            if (*end == '\0' && tid > 0) {
                add_task_usage(tree->pids[i], tid, u);
            }
        }
        closedir(tasks);
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){.sample_ms = 10, .timeout_ms = 120000};
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        long *target = strcmp(argv[i], "--settle-ms") == 0    ? &o->settle_ms
                       : strcmp(argv[i], "--window-ms") == 0  ? &o->window_ms
                       : strcmp(argv[i], "--sample-ms") == 0  ? &o->sample_ms
                       : strcmp(argv[i], "--timeout-ms") == 0 ? &o->timeout_ms
                                                              : NULL;
        if (strcmp(argv[i], "--pss") == 0) {
            o->pss = true;
        } else if (target != NULL && i + 1 < argc) {
            char *end;
            *target = strtol(argv[++i], &end, 10);
            if (*end != '\0' || *target < 0) {
                fprintf(stderr, "bench_proc: %s %s: accepted: a whole number >= 0\n", argv[i - 1],
                        argv[i]);
                return -1;
            }
        } else {
            fprintf(stderr, "bench_proc: unknown option %s\n", argv[i]);
            return -1;
        }
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: bench_proc [--settle-ms N] [--window-ms N] [--sample-ms N] "
                        "[--timeout-ms N] [--pss] -- COMMAND [ARG...]\n");
        return -1;
    }
    o->command = argv + i + 1;
    return 0;
}

/* Stops the command's process group and everything still descended from it. */
static void stop_tree(pid_t child, int sig)
{
    struct tree tree;
    collect_tree(child, &tree);
    kill(-child, sig);
    for (int i = 0; i < tree.count; i++) {
        kill(tree.pids[i], sig);
    }
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o) != 0) {
        return 2;
    }
    long long t0 = monotonic_ns();
    char t0_text[32];
    snprintf(t0_text, sizeof t0_text, "%lld", t0);
    setenv("OASE_BENCH_T0_NS", t0_text, 1);
    pid_t child = fork();
    if (child < 0) {
        perror("bench_proc: fork");
        return 2;
    }
    if (child == 0) {
        setpgid(0, 0); /* its own group: stopped as a whole, our shell untouched */
        execvp(o.command[0], o.command);
        fprintf(stderr, "bench_proc: cannot run %s: %s\n", o.command[0], strerror(errno));
        _exit(127);
    }
    setpgid(child, child);

    long long peak_rss = 0, peak_pss = 0, end_ns = 0;
    int max_procs = 0, status = 0;
    bool exited = false, timed_out = false, window_open = false, window_done = false;
    struct usage before = {0}, after = {0};
    long long window_start = 0, window_end = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (!exited) {
        struct tree tree;
        if (o.sample_ms > 0 || o.window_ms > 0) {
            collect_tree(child, &tree);
        }
        if (o.sample_ms > 0) {
            long long rss, pss;
            sample_memory(&tree, o.pss, &rss, &pss);
            peak_rss = rss > peak_rss ? rss : peak_rss;
            peak_pss = pss > peak_pss ? pss : peak_pss;
            max_procs = tree.count > max_procs ? tree.count : max_procs;
        }
        long long now = monotonic_ns();
        if (o.window_ms > 0 && !window_open && now - t0 >= o.settle_ms * 1000000LL) {
            sample_usage(&tree, &before);
            window_start = monotonic_ns();
            window_open = true;
        } else if (window_open && !window_done && now - window_start >= o.window_ms * 1000000LL) {
            sample_usage(&tree, &after);
            window_end = monotonic_ns();
            window_done = true;
            stop_tree(child, SIGTERM);
        }
        if (!timed_out && now - t0 >= o.timeout_ms * 1000000LL) {
            timed_out = true;
            stop_tree(child, SIGKILL);
        }
        pid_t got = wait4(child, &status, WNOHANG, &ru);
        if (got == child) {
            end_ns = monotonic_ns();
            exited = true;
            break;
        }
        /* sample at the set period, but notice an exit within 0.1 ms */
        for (long slept = 0; slept < (o.sample_ms > 0 ? o.sample_ms : 1) * 10; slept++) {
            sleep_us(100);
            got = wait4(child, &status, WNOHANG, &ru);
            if (got == child) {
                end_ns = monotonic_ns();
                exited = true;
                break;
            }
        }
    }
    kill(-child, SIGKILL); /* helpers a browser may leave behind in its group */

    printf("exit %d\n", timed_out             ? -2
                        : WIFEXITED(status)   ? WEXITSTATUS(status)
                        : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                              : -1);
    printf("timed_out %d\n", timed_out ? 1 : 0);
    printf("wall_ms %.3f\n", (double)(end_ns - t0) / 1e6);
    printf("maxrss_kb %ld\n", ru.ru_maxrss);
    if (o.sample_ms > 0) {
        printf("peak_rss_kb %lld\n", peak_rss);
        printf("max_procs %d\n", max_procs);
    }
    if (o.sample_ms > 0 && o.pss) {
        printf("peak_pss_kb %lld\n", peak_pss);
    }
    if (window_done) {
        double seconds = (double)(window_end - window_start) / 1e9;
        printf("window_s %.3f\n", seconds);
        printf("cpu_pct %.4f\n", 100.0 * (double)(after.cpu_ns - before.cpu_ns) / 1e9 / seconds);
        printf("wakeups_per_s %.2f\n", (double)(after.voluntary - before.voluntary) / seconds);
        printf("main_wakeups_per_s %.2f\n",
               (double)(after.main_voluntary - before.main_voluntary) / seconds);
        printf("threads %d\n", after.threads);
    }
    return 0;
}
