/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * bench_report: how long the researchers' report takes for a large study: 10 sites x 2 years
 * of counts (oase-report in <= 2 s). The databases are made with the store's own
 * schema (store_open), then filled with counter rows in one transaction each, as years of
 * folded kiosk days would leave them (filling them through store_checkin would take hours of
 * fsyncs and measure the store, not the report). Then the same work as oase-report --out
 * report.pdf --json report.json is timed through the library: read and anonymise
 * (research_dataset_build), statistics (research_report_compute), PDF and JSON; and the CSV
 * export. Prints Markdown rows | figure | value | target |. Wall clock, median of 3.
 *
 *   bench_report [--quick] [--keep DIR]   --quick: 2 sites x 8 weeks, once
 *                                         --keep: make the databases in DIR and leave them
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_period.h"
#include "research/research_report.h"
#include "store/store.h"

#define SITES 10
#define WEEKS 104
#define QUICK_SITES 2
#define QUICK_WEEKS 8
#define RUNS 3

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A stress answer: a rough bell around centre on 0..10. */
static int draw_answer(uint64_t *seed, int centre)
{
    uint64_t r = next_random(seed);
    int sum = (int)(r & 3) + (int)((r >> 2) & 3) + (int)((r >> 4) & 3) - 4; /* -4..5 */
    int answer = centre + sum;
    return answer < 0 ? 0 : answer > 10 ? 10 : answer;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fprintf(stderr, "bench_report: %s: %s\n", sql, message);
        sqlite3_free(message);
        return -1;
    }
    return 0;
}

/* Counter rows of one site: weekdays 9-17 and Saturday mornings, baseline then after. */
static int fill_site(const char *path, int site, int32_t first_monday, int weeks, int64_t *rows)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_report: cannot open %s\n", path);
        sqlite3_close(db);
        return -1;
    }
    static const char *const sql[] = {
        "INSERT INTO answer_counts(day, hour, phase, moment, question, answer, scene, sound, "
        "queue_band, n, light_band) VALUES (?1, ?2, ?3, ?4, 'stress', ?5, ?6, ?7, ?8, ?9, '') "
        "ON CONFLICT DO UPDATE SET n = n + excluded.n",
        "INSERT INTO journey_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7) "
        "ON CONFLICT DO UPDATE SET n = n + excluded.n",
        "INSERT INTO arrival_counts VALUES (?1, ?2, ?3, '', ?4, ?5) "
        "ON CONFLICT DO UPDATE SET n = n + excluded.n",
        "INSERT INTO wait_counts VALUES (?1, ?2, '', ?3, ?4, ?5) "
        "ON CONFLICT DO UPDATE SET n = n + excluded.n",
        "INSERT INTO incident_counts VALUES (?1, ?2, 'verbal', ?3) "
        "ON CONFLICT DO UPDATE SET n = n + excluded.n",
    };
    sqlite3_stmt *stmt[5] = {0};
    int rc = exec(db, "PRAGMA synchronous = OFF; BEGIN");
    for (int i = 0; i < 5 && rc == 0; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &stmt[i], NULL) != SQLITE_OK) {
            fprintf(stderr, "bench_report: %s: %s\n", sql[i], sqlite3_errmsg(db));
            rc = -1;
        }
    }
    char meta[96];
    snprintf(meta, sizeof meta, "INSERT INTO meta VALUES ('site', 'site-%02d')", site + 1);
    rc = rc == 0 ? exec(db, meta) : rc;
    static const char *const bands[] = {"0-5",   "5-10",  "10-15", "15-20",
                                        "20-30", "30-45", "45-60", "60+"};
    uint64_t seed = 0x4F415345u + (uint64_t)site;
    int per_hour_base = 2 + site % 4; /* small and larger sites */
    for (int32_t day = first_monday; rc == 0 && day < first_monday + 7 * weeks; day++) {
        int weekday = research_day_weekday(day);
        if (weekday == 6) {
            continue;
        }
        bool after = day - first_monday >= 7 * weeks / 2;
        const char *phase = after ? "after" : "baseline";
        char date[RESEARCH_DATE_SIZE];
        research_day_format(day, date);
        int last_hour = weekday == 5 ? 12 : 17;
        int collected[8] = {0}, no_show = 0, incidents = 0;
        for (int hour = 9; hour < last_hour; hour++) {
            int arrivals = per_hour_base + (int)(next_random(&seed) % 5);
            int words = 0;
            for (int a = 0; a < arrivals; a++) {
                uint64_t r = next_random(&seed);
                const char *scene = hour < 12 ? "morning" : "afternoon";
                const char *sound = r & 1 ? "sea" : "rain";
                const char *queue = arrivals > 5 ? "3-5" : "0-2";
                char answer[8];
                if (r % 100 < 18) {
                    snprintf(answer, sizeof answer, "skip");
                } else {
                    snprintf(answer, sizeof answer, "%d", draw_answer(&seed, after ? 4 : 5));
                }
                sqlite3_bind_text(stmt[0], 1, date, -1, SQLITE_STATIC);
                sqlite3_bind_int(stmt[0], 2, hour);
                sqlite3_bind_text(stmt[0], 3, phase, -1, SQLITE_STATIC);
                sqlite3_bind_text(stmt[0], 4, "arrival", -1, SQLITE_STATIC);
                sqlite3_bind_text(stmt[0], 5, answer, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(stmt[0], 6, scene, -1, SQLITE_STATIC);
                sqlite3_bind_text(stmt[0], 7, sound, -1, SQLITE_STATIC);
                sqlite3_bind_text(stmt[0], 8, queue, -1, SQLITE_STATIC);
                sqlite3_bind_int(stmt[0], 9, 1);
                rc = sqlite3_step(stmt[0]) == SQLITE_DONE ? 0 : -1;
                sqlite3_reset(stmt[0]);
                bool departs = (r >> 8) % 100 < 30;
                if (departs && rc == 0) {
                    snprintf(answer, sizeof answer, "%d", draw_answer(&seed, after ? 3 : 4));
                    sqlite3_bind_text(stmt[0], 4, "departure", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[0], 5, answer, -1, SQLITE_TRANSIENT);
                    sqlite3_bind_text(stmt[0], 6, "", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[0], 7, "", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[0], 8, "", -1, SQLITE_STATIC);
                    rc = sqlite3_step(stmt[0]) == SQLITE_DONE ? 0 : -1;
                    sqlite3_reset(stmt[0]);
                }
                for (int j = 0; j < (departs ? 2 : 1) && rc == 0; j++) {
                    sqlite3_bind_text(stmt[1], 1, date, -1, SQLITE_STATIC);
                    sqlite3_bind_int(stmt[1], 2, hour);
                    sqlite3_bind_text(stmt[1], 3, phase, -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 4, j ? "departure" : "arrival", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 5, "completed", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 6, "", -1, SQLITE_STATIC);
                    sqlite3_bind_int(stmt[1], 7, 1);
                    rc = sqlite3_step(stmt[1]) == SQLITE_DONE ? 0 : -1;
                    sqlite3_reset(stmt[1]);
                }
                if ((r >> 16) % 100 < 8 && rc == 0) { /* someone walked away from the screen */
                    sqlite3_bind_text(stmt[1], 1, date, -1, SQLITE_STATIC);
                    sqlite3_bind_int(stmt[1], 2, hour);
                    sqlite3_bind_text(stmt[1], 3, phase, -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 4, "arrival", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 5, "abandoned", -1, SQLITE_STATIC);
                    sqlite3_bind_text(stmt[1], 6, (r >> 24) & 1 ? "question" : "service", -1,
                                      SQLITE_STATIC);
                    sqlite3_bind_int(stmt[1], 7, 1);
                    rc = sqlite3_step(stmt[1]) == SQLITE_DONE ? 0 : -1;
                    sqlite3_reset(stmt[1]);
                }
                words += (r >> 32) % 100 < 10;
                if ((r >> 40) % 100 < 7) {
                    no_show++;
                } else {
                    int band = (int)((r >> 44) % (after ? 5 : 7));
                    collected[band]++;
                }
                incidents += (r >> 52) % 1000 < (after ? 4 : 9);
            }
            for (int word = 0; word <= 1 && rc == 0; word++) {
                int n = word ? words : arrivals - words;
                if (n == 0) {
                    continue;
                }
                sqlite3_bind_text(stmt[2], 1, date, -1, SQLITE_STATIC);
                sqlite3_bind_int(stmt[2], 2, hour);
                sqlite3_bind_text(stmt[2], 3, phase, -1, SQLITE_STATIC);
                sqlite3_bind_int(stmt[2], 4, word);
                sqlite3_bind_int(stmt[2], 5, n);
                rc = sqlite3_step(stmt[2]) == SQLITE_DONE ? 0 : -1;
                sqlite3_reset(stmt[2]);
            }
        }
        for (int band = 0; band <= 8 && rc == 0; band++) {
            int n = band < 8 ? collected[band] : no_show;
            if (n == 0) {
                continue;
            }
            sqlite3_bind_text(stmt[3], 1, date, -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt[3], 2, phase, -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt[3], 3, band < 8 ? "collected" : "no_show", -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt[3], 4, band < 8 ? bands[band] : "", -1, SQLITE_STATIC);
            sqlite3_bind_int(stmt[3], 5, n);
            rc = sqlite3_step(stmt[3]) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(stmt[3]);
        }
        if (incidents > 0 && rc == 0) {
            sqlite3_bind_text(stmt[4], 1, date, -1, SQLITE_STATIC);
            sqlite3_bind_text(stmt[4], 2, phase, -1, SQLITE_STATIC);
            sqlite3_bind_int(stmt[4], 3, incidents);
            rc = sqlite3_step(stmt[4]) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(stmt[4]);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "bench_report: filling %s: %s\n", path, sqlite3_errmsg(db));
    }
    for (int i = 0; i < 5; i++) {
        sqlite3_finalize(stmt[i]);
    }
    rc = rc == 0 ? exec(db, "COMMIT") : rc;
    sqlite3_stmt *count = NULL;
    if (rc == 0 &&
        sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM answer_counts) + (SELECT count(*) FROM "
                           "journey_counts) + (SELECT count(*) FROM arrival_counts) + (SELECT "
                           "count(*) FROM wait_counts) + (SELECT count(*) FROM incident_counts)",
                           -1, &count, NULL) == SQLITE_OK &&
        sqlite3_step(count) == SQLITE_ROW) {
        *rows += sqlite3_column_int64(count, 0);
    }
    sqlite3_finalize(count);
    sqlite3_close(db);
    return rc;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof values[0], compare_doubles);
    return values[n / 2];
}

/* One timed report: the phases of oase-report --out PDF --json FILE. */
static int time_report(const struct research_export_options *options, const char *dir,
                       double phase_ms[5])
{
    char err[1024] = "", pdf[512], json[512];
    snprintf(pdf, sizeof pdf, "%s/report.pdf", dir);
    snprintf(json, sizeof json, "%s/report.json", dir);
    int64_t start = monotonic_ns();
    struct research_dataset *dataset = NULL;
    if (research_dataset_build(options, &dataset, err, sizeof err) != 0) {
        fprintf(stderr, "bench_report: %s\n", err);
        return -1;
    }
    int64_t built = monotonic_ns();
    struct research_report *report = NULL;
    int rc = research_report_compute(dataset, NULL, NULL, &report, err, sizeof err);
    int64_t computed = monotonic_ns();
    rc = rc == 0 ? research_report_render(report, pdf, err, sizeof err) : rc;
    int64_t rendered = monotonic_ns();
    FILE *out = rc == 0 ? fopen(json, "w") : NULL;
    rc = out != NULL ? research_report_write_json(report, out) : -1;
    if (out != NULL) {
        fclose(out);
    }
    int64_t done = monotonic_ns();
    if (rc != 0) {
        fprintf(stderr, "bench_report: report: %s\n", err[0] ? err : "cannot write JSON");
    }
    research_report_free(report);
    research_dataset_free(dataset);
    phase_ms[0] = (double)(done - start) / 1e6;
    phase_ms[1] = (double)(built - start) / 1e6;
    phase_ms[2] = (double)(computed - built) / 1e6;
    phase_ms[3] = (double)(rendered - computed) / 1e6;
    phase_ms[4] = (double)(done - rendered) / 1e6;
    return rc;
}

static double time_export(const struct research_export_options *options, const char *dir)
{
    char path[512], err[1024] = "";
    snprintf(path, sizeof path, "%s/export.csv", dir);
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        return -1;
    }
    int64_t start = monotonic_ns();
    int rc = research_export_run(options, RESEARCH_FORMAT_CSV, out, err, sizeof err);
    int64_t done = monotonic_ns();
    fclose(out);
    if (rc != 0) {
        fprintf(stderr, "bench_report: export: %s\n", err);
        return -1;
    }
    return (double)(done - start) / 1e6;
}

int main(int argc, char **argv)
{
    bool quick = false;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_report [--quick] [--keep DIR]\n");
            return 2;
        }
    }
    log_set_quiet(1);
    int sites = quick ? QUICK_SITES : SITES, weeks = quick ? QUICK_WEEKS : WEEKS;
    char dir[256];
    if (keep != NULL) {
        snprintf(dir, sizeof dir, "%s", keep);
        mkdir(dir, 0700);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/bench-report-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL) {
            fprintf(stderr, "bench_report: mkdtemp %s: %s\n", dir, strerror(errno));
            return 1;
        }
    }
    /* The last whole week before today, going back the study's length. */
    struct phase_list phases = {0};
    int32_t today = 0;
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    char today_text[RESEARCH_DATE_SIZE];
    strftime(today_text, sizeof today_text, "%Y-%m-%d", &local);
    research_day_parse(today_text, &today);
    int32_t first_monday = research_week_monday(today) - 7 * weeks;
    char paths[SITES][512];
    const char *path_list[SITES];
    int64_t rows = 0;
    int64_t fill_start = monotonic_ns();
    for (int s = 0; s < sites; s++) {
        snprintf(paths[s], sizeof paths[s], "%s/site-%02d.db", dir, s + 1);
        path_list[s] = paths[s];
        unlink(paths[s]);
        char err[512] = "";
        struct store *store = store_open(paths[s], &phases, -1, err, sizeof err);
        if (store == NULL) {
            fprintf(stderr, "bench_report: %s\n", err);
            return 1;
        }
        store_close(store);
        if (fill_site(paths[s], s, first_monday, weeks, &rows) != 0) {
            return 1;
        }
    }
    double fill_s = (double)(monotonic_ns() - fill_start) / 1e9;
    struct research_export_options options = {
        .db_paths = path_list, .db_count = (size_t)sites, .today = today_text};
    int runs = quick ? 1 : RUNS;
    double total[RUNS] = {0}, build[RUNS] = {0}, compute[RUNS] = {0}, render[RUNS] = {0};
    double json[RUNS] = {0}, export_ms[RUNS] = {0};
    for (int r = 0; r < runs; r++) {
        double phase_ms[5];
        if (time_report(&options, dir, phase_ms) != 0) {
            return 1;
        }
        total[r] = phase_ms[0];
        build[r] = phase_ms[1];
        compute[r] = phase_ms[2];
        render[r] = phase_ms[3];
        json[r] = phase_ms[4];
        export_ms[r] = time_export(&options, dir);
        if (export_ms[r] < 0) {
            return 1;
        }
    }
    printf("| oase-report work for %d sites x %d weeks (%lld counter rows): read read-only, "
           "anonymise (k = %d), statistics, PDF and JSON | %.0f ms | <= 2000 ms; read + k rule "
           "%.0f ms, statistics and bootstrap %.0f ms, PDF %.0f ms, JSON %.0f ms; median of %d; "
           "databases made in %.1f s; wall clock |\n",
           sites, weeks, (long long)rows, RESEARCH_K_DEFAULT, median(total, runs),
           median(build, runs), median(compute, runs), median(render, runs), median(json, runs),
           runs, fill_s);
    printf("| oase-export CSV of the same databases | %.0f ms | no target; median of %d; wall "
           "clock |\n",
           median(export_ms, runs), runs);
    if (keep == NULL) {
        for (int s = 0; s < sites; s++) {
            static const char *const suffixes[] = {"", "-wal", "-shm"};
            for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
                char name[600];
                snprintf(name, sizeof name, "%s%s", paths[s], suffixes[i]);
                unlink(name); /* the readers' -wal and -shm too */
            }
        }
        char path[600];
        static const char *const outputs[] = {"report.pdf", "report.json", "export.csv"};
        for (size_t o = 0; o < sizeof outputs / sizeof outputs[0]; o++) {
            snprintf(path, sizeof path, "%s/%s", dir, outputs[o]);
            unlink(path);
        }
        rmdir(dir);
    }
    return 0;
}
