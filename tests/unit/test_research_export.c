/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for research_export: kiosk databases made with the store API on simulated days are
 * exported the way a researcher gets them. What the researcher relies on: every number is
 * at least k and none can be worked out below k, even across tables (a check-in is also an
 * arrival, a completed journey and a waiting-time count) and with adversarial data (one
 * lonely answer on a quiet evening); several sites merge under their names; foreign, damaged,
 * newer or locked files give clear messages; the database is never changed, also while the
 * kiosk writes; CSV fields are escaped; only whole, finished weeks are exported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/phase.h"
#include "research/research_export.h"
#include "research/research_period.h"
#include "store/store.h"
#include "unit/test_research_util.h"
#include "unit/store_fixture.h"
#include "unit/test_research_kiosk.h"
#include "test_numbers.h"

#define TODAY "2026-06-01" /* a Monday: every week before it is over */

struct fixture {
    char dir[64];
    char path[128];  /* the main database */
    char path2[128]; /* a second site */
    struct phase_list phases;
    uint64_t seed;
};

static int setup(void **state)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    store_fixture_make_dir(fixture->dir, sizeof fixture->dir, "/tmp/oase-research-XXXXXX");
    snprintf(fixture->path, sizeof fixture->path, "%s/oase.db", fixture->dir);
    snprintf(fixture->path2, sizeof fixture->path2, "%s/noord.db", fixture->dir);
    store_fixture_add_phases(&fixture->phases, 2);
    fixture->seed = 0x4F415345;
    *state = fixture;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fixture = *state;
    store_fixture_remove_dir(fixture->dir);
    free(fixture);
    return 0;
}

/* The default kiosk with per_hour visitors an hour. */
static struct kiosk_profile profile(int per_hour)
{
    struct kiosk_profile result = KIOSK_DEFAULT;
    result.per_hour = per_hour;
    return result;
}

static struct research_export_options options_for(const char *const *paths, size_t count)
{
    return (struct research_export_options){
        .db_paths = paths, .db_count = count, .today = TODAY, .busy_timeout_ms = 100};
}

static struct research_dataset *build(const struct research_export_options *options)
{
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(options, &dataset, err, sizeof err);
    if (rc != 0) {
        fail_msg("research_dataset_build: %d: %s", rc, err);
    }
    return dataset;
}

static char *export_text(const struct research_export_options *options, enum research_format format)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    char err[512] = "";
    int rc = research_export_run(options, format, out, err, sizeof err);
    fclose(out);
    if (rc != 0) {
        fail_msg("research_export_run: %d: %s", rc, err);
    }
    return text;
}

/* ---- reading CSV back (RFC 4180) ------------------------------------------------------- */

#define CSV_MAX_FIELDS 40
struct csv_record {
    char *fields[CSV_MAX_FIELDS];
    int count;
};

/* Parses text into records (allocated; free with csv_free). Fails the test on bad CSV. */
static struct csv_record *csv_parse(const char *text, size_t *record_count)
{
    size_t capacity = 64, count = 0;
    struct csv_record *records = calloc(capacity, sizeof records[0]);
    const char *c = text;
    while (*c != '\0') {
        if (count == capacity) {
            capacity *= 2;
            records = realloc(records, capacity * sizeof records[0]);
        }
        struct csv_record *record = &records[count++];
        memset(record, 0, sizeof *record);
        for (;;) {
            size_t length = 0, size = 64;
            char *field = malloc(size);
            if (*c == '"') {
                c++;
                for (;;) {
                    assert_true(*c != '\0'); /* an unterminated quote */
                    if (*c == '"' && c[1] == '"') {
                        c++;
                    } else if (*c == '"') {
                        c++;
                        break;
                    }
                    if (length + 2 > size) {
                        field = realloc(field, size *= 2);
                    }
                    field[length++] = *c++;
                }
            } else {
                while (*c != ',' && *c != '\r' && *c != '\n' && *c != '\0') {
                    if (length + 2 > size) {
                        field = realloc(field, size *= 2);
                    }
                    field[length++] = *c++;
                }
            }
            field[length] = '\0';
            assert_true(record->count < CSV_MAX_FIELDS);
            record->fields[record->count++] = field;
            if (*c == ',') {
                c++;
                continue;
            }
            assert_true(*c == '\r' && c[1] == '\n'); /* records end in CRLF */
            c += 2;
            break;
        }
    }
    *record_count = count;
    return records;
}

static void csv_free(struct csv_record *records, size_t count)
{
    for (size_t r = 0; r < count; r++) {
        for (int f = 0; f < records[r].count; f++) {
            free(records[r].fields[f]);
        }
    }
    free(records);
}

static int csv_column(const struct csv_record *header, const char *name)
{
    for (int f = 0; f < header->count; f++) {
        if (strcmp(header->fields[f], name) == 0) {
            return f;
        }
    }
    fail_msg("no column %s", name);
    return -1;
}

/* ---- the attacker's base: every counter cell of the databases, numbered as exported ---- */

struct base_set {
    struct research_test_base *bases;
    size_t count, capacity;
};

static bool find_tuple(const struct research_dataset *dataset, const struct research_tuple *items,
                       size_t count, const char *const texts[RESEARCH_TUPLE_PARTS], uint32_t *id)
{
    for (size_t i = 0; i < count; i++) {
        bool same = true;
        for (int p = 0; p < RESEARCH_TUPLE_PARTS && same; p++) {
            same = strcmp(research_dataset_text(dataset, items[i].text[p]), texts[p]) == 0;
        }
        if (same) {
            *id = (uint32_t)i;
            return true;
        }
    }
    return false;
}

static int compare_bases(const void *a, const void *b)
{
    const struct research_test_base *x = a, *y = b;
    if (x->table != y->table) {
        return x->table < y->table ? -1 : 1;
    }
    const struct research_cell *p = &x->cell, *q = &y->cell;
    if (p->series != q->series) {
        return p->series < q->series ? -1 : 1;
    }
    if (p->day != q->day) {
        return p->day < q->day ? -1 : 1;
    }
    if (p->hour != q->hour) {
        return p->hour < q->hour ? -1 : 1;
    }
    return p->key < q->key ? -1 : p->key > q->key;
}

/*
 * Reads every counter row of path (as the researcher must never see them) and numbers it
 * like the dataset; rows outside the export are left out (no published row holds them).
 */
static void read_bases(const char *path, const char *site, const struct research_dataset *dataset,
                       struct base_set *set)
{
    static const char *const selects[RESEARCH_TABLE_COUNT] = {
        "SELECT day, hour, phase, moment, question, answer, scene, light_band, sound, "
        "queue_band, n FROM answer_counts",
        "SELECT day, hour, phase, wants_word, n FROM arrival_counts",
        "SELECT day, hour, phase, moment, outcome, last_screen, n FROM journey_counts",
        "SELECT day, -1, phase, outcome, wait_band, n FROM wait_counts",
        "SELECT day, -1, phase, kind, n FROM incident_counts",
    };
    static const int series_parts[RESEARCH_TABLE_COUNT] = {2, 0, 2, 0, 0};
    static const int key_parts[RESEARCH_TABLE_COUNT] = {5, 1, 1, 2, 1};
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        sqlite3_stmt *stmt = NULL;
        if (selects[t] == NULL ||
            sqlite3_prepare_v2(db, selects[t], -1, &stmt, NULL) != SQLITE_OK) {
            continue; /* no incident table; schema 3 tables: test_research_eval.c */
        }
        const struct research_table *table = &dataset->tables[t];
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            const char *series[RESEARCH_TUPLE_PARTS] = {
                site, (const char *)sqlite3_column_text(stmt, 2), "", "", "", ""};
            for (int p = 0; p < series_parts[t]; p++) {
                series[2 + p] = (const char *)sqlite3_column_text(stmt, 3 + p);
            }
            const char *key[RESEARCH_TUPLE_PARTS] = {"", "", "", "", "", ""};
            int used = t == RESEARCH_ANSWERS && !dataset->with_context ? 1 : key_parts[t];
            for (int p = 0; p < used; p++) {
                key[p] = (const char *)sqlite3_column_text(stmt, 3 + series_parts[t] + p);
            }
            struct research_test_base base = {.table = t};
            if (!find_tuple(dataset, table->series, table->series_count, series,
                            &base.cell.series) ||
                !find_tuple(dataset, table->keys, table->key_count, key, &base.cell.key)) {
                continue;
            }
            assert_int_equal(
                research_day_parse((const char *)sqlite3_column_text(stmt, 0), &base.cell.day), 0);
            if (base.cell.day < dataset->first_day || base.cell.day > dataset->last_day) {
                continue;
            }
            base.cell.hour = sqlite3_column_int(stmt, 1);
            base.cell.n = sqlite3_column_int64(stmt, 3 + series_parts[t] + key_parts[t]);
            if (set->count == set->capacity) {
                set->capacity = set->capacity ? set->capacity * 2 : 256;
                set->bases = realloc(set->bases, set->capacity * sizeof set->bases[0]);
            }
            set->bases[set->count++] = base;
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    /* context columns folded away: cells that became equal are one cell */
    qsort(set->bases, set->count, sizeof set->bases[0], compare_bases);
    size_t kept = 0;
    for (size_t i = 0; i < set->count; i++) {
        if (kept > 0 && compare_bases(&set->bases[kept - 1], &set->bases[i]) == 0) {
            set->bases[kept - 1].cell.n += set->bases[i].cell.n;
        } else {
            set->bases[kept++] = set->bases[i];
        }
    }
    set->count = kept;
}

/* Is base b in table t with series parts 2 and 3 equal to part2 / part3 (NULL: any)? */
static bool base_in(const struct research_dataset *dataset, const struct research_test_base *b,
                    size_t t, const char *part2, const char *part3)
{
    if (b->table != t) {
        return false;
    }
    const struct research_tuple *series = &dataset->tables[t].series[b->cell.series];
    return (part2 == NULL || strcmp(research_dataset_text(dataset, series->text[2]), part2) == 0) &&
           (part3 == NULL || strcmp(research_dataset_text(dataset, series->text[3]), part3) == 0);
}

/*
 * What the attacker knows for free about one kiosk: per day and hour, completed arrival
 * journeys = arrivals; per day, waiting-time counts = arrivals. Since schema 4 answers are
 * written in batches of k as per-day cells and leftovers of a day are withheld, so no
 * relation ties an hour's (or even a day's) answers to its arrivals any more.
 */
static double *kiosk_relations(const struct research_dataset *dataset, const struct base_set *set,
                               size_t *relation_count)
{
    size_t capacity = 64, count = 0, width = set->count;
    double *relations = calloc(capacity * width, sizeof(double));
    for (size_t anchor = 0; anchor < set->count; anchor++) {
        const struct research_cell *cell = &set->bases[anchor].cell;
        if (!base_in(dataset, &set->bases[anchor], RESEARCH_JOURNEYS, NULL, "completed")) {
            continue;
        }
        if (base_in(dataset, &set->bases[anchor], RESEARCH_JOURNEYS, STORE_MOMENT_DEPARTURE,
                    NULL)) {
            continue;
        }
        for (int relation = 1; relation < 3; relation++) {
            if (count == capacity) {
                capacity *= 2;
                relations = realloc(relations, capacity * width * sizeof(double));
            }
            double *row = relations + count * width;
            memset(row, 0, width * sizeof(double));
            for (size_t b = 0; b < set->count; b++) {
                const struct research_test_base *base = &set->bases[b];
                bool same_hour = base->cell.day == cell->day && base->cell.hour == cell->hour;
                if (b == anchor) {
                    row[b] = relation == 2 ? 0 : -1;
                } else if (relation >= 1 && same_hour && base->table == RESEARCH_ARRIVALS) {
                    row[b] = relation == 1 ? 1 : -1;
                } else if (relation == 2 && base->table == RESEARCH_WAITS &&
                           base->cell.day == cell->day) {
                    row[b] = 1;
                }
            }
            if (relation == 2) { /* waits of the day = arrivals of every hour of that day */
                for (size_t b = 0; b < set->count; b++) {
                    if (set->bases[b].table == RESEARCH_ARRIVALS &&
                        set->bases[b].cell.day == cell->day) {
                        row[b] = -1;
                    }
                }
            }
            count++;
        }
    }
    *relation_count = count;
    return relations;
}

static void assert_attacker_learns_nothing_below_k(const char *path, const char *site,
                                                   const struct research_dataset *dataset)
{
    struct base_set set = {0};
    read_bases(path, site, dataset, &set);
    assert_true(set.count > 0);
    size_t relation_count = 0;
    double *relations = kiosk_relations(dataset, &set, &relation_count);
    assert_true(relation_count > 0);
    struct research_test_table tables[RESEARCH_TABLE_COUNT];
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        tables[t] = (struct research_test_table){
            .published = &dataset->tables[t].published,
            .keys = dataset->tables[t].key_order,
            .ladder = dataset->tables[t].ladder,
            .ladder_levels = RESEARCH_CONTEXT_LEVELS,
            .key_count = dataset->tables[t].key_count,
        };
    }
    /* arrivals of a week with hidden answers are one "any" key: it holds both wants_word */
    uint32_t *arrival_ladder = research_test_arrival_any_ladder(dataset);
    tables[RESEARCH_ARRIVALS].ladder = arrival_ladder;
    tables[RESEARCH_ARRIVALS].ladder_levels = 2;
    /* the five tables counted since schema 1-2; the schema 3 splits, which need their own
       relations, are attacked in test_research_eval.c (also on a database of this store) */
    int checked =
        research_test_assert_nothing_below_k(tables, RESEARCH_INCIDENTS + 1, set.bases, set.count,
                                             relations, relation_count, dataset->k);
    free(arrival_ladder);
    assert_true(checked > 10); /* there were small counts to protect */
    free(relations);
    free(set.bases);
}

/* The lonely visitor: one check-in on a quiet Wednesday evening, answer 10, a long wait. */
static void lonely_visitor(struct store *store)
{
    kiosk_visit(store, kiosk_at("2026-02-18", 20, 10), 10, 50, "calm");
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_no_exported_number_reveals_a_count_below_k_across_tables(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-02-16", "2026-02-17", profile(3), &fixture->seed);
    lonely_visitor(store);
    kiosk_weeks(store, "2026-02-18", "2026-03-08", profile(3), &fixture->seed);
    store_close(store);

    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    struct research_dataset *dataset = build(&options);
    int32_t monday = 0;
    assert_int_equal(research_day_parse("2026-02-16", &monday), 0);
    assert_int_equal(dataset->first_day, monday);
    assert_attacker_learns_nothing_below_k(fixture->path, "oase", dataset);
    research_dataset_free(dataset);

    options.with_context = true; /* the room context is a finer split: same guarantee */
    dataset = build(&options);
    assert_attacker_learns_nothing_below_k(fixture->path, "oase", dataset);
    research_dataset_free(dataset);
}

/*
 * A randomised room: the weeks of its experiment days publish their stress answers day by day
 * (ranges that keep the cut, skips per week). Played against every other table with what the
 * attacker knows for free, no count below k comes out.
 */
static void test_a_randomised_rooms_days_reveal_nothing_below_k_across_tables(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    struct kiosk_profile busy = {9, 0, 11, 15, 4, 12, 0, 0};
    kiosk_weeks(store, "2026-02-16", "2026-03-01", busy, &fixture->seed);
    store_close(store);
    kiosk_experiment_days(fixture->path, "2026-02-16", 12);

    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    for (int context = 0; context < 2; context++) {
        options.with_context = context == 1;
        struct research_dataset *dataset = build(&options);
        size_t day_rows = 0;
        const struct research_kanon_result *answers = &dataset->tables[RESEARCH_ANSWERS].published;
        for (size_t r = 0; r < answers->row_count; r++) {
            day_rows += answers->rows[r].level == RESEARCH_LEVEL_DAY &&
                        answers->rows[r].note != RESEARCH_NOTE_SUPPRESSED;
        }
        assert_true(day_rows >= 20); /* the experiment's days, one by one */
        assert_attacker_learns_nothing_below_k(fixture->path, "oase", dataset);
        research_dataset_free(dataset);
    }
}

static void test_the_lonely_answer_is_not_in_the_export_and_cannot_be_subtracted_out(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-02-16", "2026-02-17", profile(3), &fixture->seed);
    lonely_visitor(store);
    kiosk_weeks(store, "2026-02-18", "2026-02-22", profile(3), &fixture->seed);
    store_close(store);

    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    char *csv = export_text(&options, RESEARCH_FORMAT_CSV);
    size_t count = 0;
    struct csv_record *records = csv_parse(csv, &count);
    int table = csv_column(&records[0], "table"), answer = csv_column(&records[0], "answer");
    int moment = csv_column(&records[0], "moment"), n = csv_column(&records[0], "n");
    int time = csv_column(&records[0], "time_of_day"),
        kind = csv_column(&records[0], "period_kind");
    int64_t arrival_answers = 0, completed = 0, arrivals = 0;
    for (size_t r = 1; r < count; r++) {
        const struct csv_record *record = &records[r];
        assert_int_equal(record->count, records[0].count);
        if (strcmp(record->fields[table], "about") == 0 || record->fields[n][0] == '\0') {
            continue;
        }
        assert_true(test_number(record->fields[n]) >= RESEARCH_K_DEFAULT);
        assert_true(strcmp(record->fields[time], "20:00-21:00") != 0); /* the lonely hour */
        assert_true(strcmp(record->fields[time], "evening") != 0);
        assert_true(strcmp(record->fields[answer], "10") != 0); /* only inside a range */
        if (strcmp(record->fields[table], "answers") == 0 &&
            strcmp(record->fields[moment], "arrival") == 0) {
            assert_string_equal(record->fields[kind], "week"); /* the lonely day spoils finer */
            arrival_answers += test_number(record->fields[n]);
        } else if (strcmp(record->fields[table], "journeys") == 0 &&
                   strcmp(record->fields[moment], "arrival") == 0 &&
                   strcmp(record->fields[csv_column(&records[0], "outcome")], "completed") == 0) {
            completed += test_number(record->fields[n]);
        } else if (strcmp(record->fields[table], "arrivals") == 0) {
            arrivals += test_number(record->fields[n]);
        }
    }
    /* Answers leave the kiosk in batches of k; what is left of a day is withheld, never
     * written: other tables count every arrival, the answers at most as many. */
    assert_true(arrival_answers > 0);
    assert_true(arrival_answers <= completed);
    assert_int_equal(arrivals, completed);
    csv_free(records, count);
    free(csv);
}

static void test_two_site_databases_merge_under_their_site_names(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-02-23", "2026-03-08", profile(2), &fixture->seed);
    store_close(store);
    store = kiosk_open(fixture->path2, &fixture->phases);
    kiosk_weeks(store, "2026-02-23", "2026-03-08", profile(3), &fixture->seed);
    store_close(store);
    kiosk_sql(fixture->path, "INSERT INTO meta(key, value) VALUES ('site', 'Zuid')");

    const char *both[] = {fixture->path, fixture->path2};
    struct research_export_options options = options_for(both, 2);
    struct research_dataset *merged = build(&options);
    assert_int_equal(merged->site_count, 2);
    assert_string_equal(merged->sites[0].name, "Zuid");
    assert_string_equal(merged->sites[0].named_by, "meta table");
    assert_string_equal(merged->sites[1].name, "noord"); /* noord.db */
    assert_string_equal(merged->sites[1].named_by, "file name");

    /* Each site's published arrivals are what that database alone publishes. */
    for (int s = 0; s < 2; s++) {
        const char *one[] = {both[s]};
        struct research_export_options single = options_for(one, 1);
        struct research_dataset *alone = build(&single);
        int64_t in_merged = 0, in_alone = 0;
        const struct research_table *table = &merged->tables[RESEARCH_ARRIVALS];
        for (size_t r = 0; r < table->published.row_count; r++) {
            const struct research_row *row = &table->published.rows[r];
            const char *site = research_dataset_text(merged, table->series[row->series].text[0]);
            in_merged += strcmp(site, merged->sites[s].name) == 0 ? row->n : 0;
        }
        table = &alone->tables[RESEARCH_ARRIVALS];
        for (size_t r = 0; r < table->published.row_count; r++) {
            in_alone += table->published.rows[r].n;
        }
        assert_true(in_alone > 0);
        assert_int_equal(in_merged, in_alone);
        research_dataset_free(alone);
    }
    research_dataset_free(merged);

    /* --site names a single database; with two it is refused */
    options.site = "Oost";
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "--site"));
    /* the same file twice would count everything twice */
    const char *twice[] = {fixture->path, fixture->path};
    options = options_for(twice, 2);
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "same file"));
}

static void test_site_name_the_kiosk_writes_names_the_export_and_site_option_overrides(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    assert_int_equal(store_set_site(store, ""), -EINVAL);
    assert_true(store_set_site(store, "Wijkteam Noord") > 0);
    kiosk_weeks(store, "2026-02-23", "2026-03-01", profile(2), &fixture->seed);
    store_close(store);
    /* Opened again under a new name (the config changed): the new name counts. */
    store = kiosk_open(fixture->path, &fixture->phases);
    assert_true(store_set_site(store, "Wijkteam Zuid") > 0);
    store_close(store);

    const char *one[] = {fixture->path};
    struct research_export_options options = options_for(one, 1);
    struct research_dataset *dataset = build(&options);
    assert_string_equal(dataset->sites[0].name, "Wijkteam Zuid");
    assert_string_equal(dataset->sites[0].named_by, "meta table");
    research_dataset_free(dataset);
    options.site = "Oost";
    dataset = build(&options);
    assert_string_equal(dataset->sites[0].name, "Oost");
    assert_string_equal(dataset->sites[0].named_by, "--site");
    research_dataset_free(dataset);
}

static void test_foreign_damaged_newer_and_missing_files_are_refused_clearly(void **state)
{
    struct fixture *fixture = *state;
    char other[160];
    snprintf(other, sizeof other, "%s/photos.db", fixture->dir);
    kiosk_sql(other, "CREATE TABLE photos(name TEXT)");
    const char *paths[] = {other};
    struct research_export_options options = options_for(paths, 1);
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EPROTO);
    assert_non_null(strstr(err, "not an Oase database"));
    assert_non_null(strstr(err, other));
    assert_null(dataset);

    char text[160];
    snprintf(text, sizeof text, "%s/notes.db", fixture->dir);
    FILE *file = fopen(text, "w");
    assert_non_null(file);
    fputs("these are not the counters you are looking for, padded out to a page or so\n", file);
    for (int i = 0; i < 100; i++) {
        fputs("................................................................\n", file);
    }
    fclose(file);
    paths[0] = text;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EPROTO);
    assert_non_null(strstr(err, "not an SQLite database, or damaged"));

    /* A kiosk database with a damaged page: the root page of answer_counts overwritten, as
     * a failing SD card might leave it. */
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-03", profile(1), &fixture->seed);
    store_close(store);
    sqlite3 *schema = NULL;
    sqlite3_stmt *root = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->path, &schema, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(schema,
                                        "SELECT rootpage FROM sqlite_master WHERE name = "
                                        "'answer_counts'",
                                        -1, &root, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(root), SQLITE_ROW);
    long root_page = (long)sqlite3_column_int64(root, 0);
    sqlite3_finalize(root);
    sqlite3_close(schema);
    FILE *damaged = fopen(fixture->path, "r+b");
    assert_non_null(damaged);
    /* The whole root page: since schema 4 the answer cells are per day, a small table whose
     * cells sit at the end of the page. */
    assert_int_equal(fseek(damaged, (root_page - 1) * 4096, SEEK_SET), 0);
    for (int i = 0; i < 4096; i++) {
        fputc(0xA5, damaged);
    }
    fclose(damaged);
    paths[0] = fixture->path;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EPROTO);
    assert_non_null(strstr(err, "damaged"));
    static const char *const companions[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
        char name[160];
        snprintf(name, sizeof name, "%s%s", fixture->path, companions[i]);
        unlink(name);
    }

    store = kiosk_open(fixture->path, &fixture->phases);
    store_close(store);
    kiosk_sql(fixture->path, "PRAGMA user_version = 99");
    paths[0] = fixture->path;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EPROTO);
    assert_non_null(strstr(err, "newer"));

    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.db", fixture->dir);
    paths[0] = missing;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, missing));
    assert_int_equal(access(missing, F_OK), -1); /* and nothing was created */
}

static void test_bad_options_are_refused_with_the_accepted_values(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    store_close(store);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    options.k = 2;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "at least 3"));
    options.k = 3;
    options.from = "2026-02-30";
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "YYYY-MM-DD"));
    options.from = "2026-03-09";
    options.to = "2026-03-01";
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "after"));
    enum research_format format;
    assert_int_equal(research_format_parse("xml", &format), -EINVAL);
    assert_int_equal(research_format_parse("json", &format), 0);
    assert_int_equal(format, RESEARCH_FORMAT_JSON);
}

static void test_export_leaves_the_database_byte_identical(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-08", profile(2), &fixture->seed);
    store_close(store);
    chmod(fixture->path, 0400); /* as a researcher's copy might be: read-only */
    size_t before_size = 0, after_size = 0;
    char *before = read_bytes(fixture->path, &before_size);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    free(export_text(&options, RESEARCH_FORMAT_CSV));
    free(export_text(&options, RESEARCH_FORMAT_JSON));
    char *after = read_bytes(fixture->path, &after_size);
    assert_int_equal(before_size, after_size);
    assert_memory_equal(before, after, before_size);
    char companion[160];
    snprintf(companion, sizeof companion, "%s-journal", fixture->path);
    assert_int_equal(access(companion, F_OK), -1);
    free(before);
    free(after);
    chmod(fixture->path, 0600);
}

/*
 * Desks' claim counts are the host's behaviour, held per day with cells of n = 1 (one claim
 * time of one marked visitor). They are published like the waits: per day or coarser, cells
 * below k merged into claim-band ranges or suppressed, never a count between 0 and k, and
 * never by hour or room context, whatever the export's format or context option. Fails on a
 * build that writes claim_counts as they are stored.
 */
#define CLAIM_ANSWER_COLUMNS 7
static const char *const claim_answer_columns[CLAIM_ANSWER_COLUMNS] = {
    "moment", "question", "answer", "scene", "light_band", "sound", "queue_band"};

static size_t claims_check_csv(const char *csv)
{
    size_t count = 0, claims = 0;
    struct csv_record *records = csv_parse(csv, &count);
    int table = csv_column(&records[0], "table"), n = csv_column(&records[0], "n");
    int band = csv_column(&records[0], "claim_band"), time = csv_column(&records[0], "time_of_day");
    int note = csv_column(&records[0], "note");
    for (size_t r = 1; r < count; r++) {
        const struct csv_record *record = &records[r];
        if (strcmp(record->fields[table], "claims") != 0) {
            assert_string_equal(record->fields[band], "");
            continue;
        }
        claims++;
        if (strcmp(record->fields[note], "suppressed") != 0) {
            assert_true(test_number(record->fields[n]) >= RESEARCH_K_DEFAULT);
        } else {
            assert_string_equal(record->fields[n], "");
        }
        assert_string_equal(record->fields[time], "");
        for (int c = 0; c < CLAIM_ANSWER_COLUMNS; c++) {
            assert_string_equal(record->fields[csv_column(&records[0], claim_answer_columns[c])],
                                "");
        }
    }
    csv_free(records, count);
    return claims;
}

static size_t claims_check_json(const char *json)
{
    size_t claims = 0;
    for (const char *at = strstr(json, "\"claim_band\""); at != NULL;
         at = strstr(at + 1, "\"claim_band\"")) {
        const char *open = at, *close = strchr(at, '}');
        while (open > json && *open != '{') {
            open--;
        }
        assert_non_null(close);
        char object[1024];
        snprintf(object, sizeof object, "%.*s", (int)(close - open + 1), open);
        const char *n = strstr(object, "\"n\": ");
        assert_non_null(n);
        if (strncmp(n + 5, "null", 4) != 0) {
            assert_true(strtoll(n + 5, NULL, 10) >= RESEARCH_K_DEFAULT);
        }
        assert_null(strstr(object, "\"time_of_day\""));
        for (int c = 0; c < CLAIM_ANSWER_COLUMNS; c++) {
            char key[40];
            snprintf(key, sizeof key, "\"%s\"", claim_answer_columns[c]);
            assert_null(strstr(object, key));
        }
        claims++;
    }
    return claims;
}

static void test_no_claim_cell_below_k_reaches_any_export(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-15", profile(2), &fixture->seed);
    store_close(store);
    /* Every day: 3 fetched unclaimed, 1 claimed 0-2 minutes before the mark; one lone
       no-show claimed 15+ minutes before and one lone 5-15 (the cells that single out). */
    for (int day = 2; day <= 15; day++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "INSERT INTO claim_counts(day, phase, outcome, band, n) VALUES "
                 "('2026-03-%02d', 'after', 'collected', 'unclaimed', 3), "
                 "('2026-03-%02d', 'after', 'collected', '0-2', 1)",
                 day, day);
        exec_sql(fixture->path, sql);
    }
    exec_sql(fixture->path, "INSERT INTO claim_counts(day, phase, outcome, band, n) VALUES "
                            "('2026-03-04', 'after', 'no_show', '15+', 1), "
                            "('2026-03-11', 'after', 'collected', '5-15', 1)");
    const char *paths[] = {fixture->path};
    for (int context = 0; context < 2; context++) {
        struct research_export_options options = options_for(paths, 1);
        options.with_context = context == 1;
        char *csv = export_text(&options, RESEARCH_FORMAT_CSV);
        char *json = export_text(&options, RESEARCH_FORMAT_JSON);
        size_t csv_claims = claims_check_csv(csv);
        assert_true(csv_claims > 0); /* claims are usable: the k-safe rows are there */
        assert_int_equal(claims_check_json(json), csv_claims);
        free(csv);
        free(json);
    }
    struct research_export_options options = options_for(paths, 1);
    struct research_dataset *dataset = build(&options);
    const struct research_table *claims = &dataset->tables[RESEARCH_CLAIMS];
    int64_t unclaimed = 0;
    for (size_t r = 0; r < claims->published.row_count; r++) {
        const struct research_row *row = &claims->published.rows[r];
        assert_true(row->level == RESEARCH_LEVEL_DAY || row->level == RESEARCH_LEVEL_WEEK ||
                    row->level == RESEARCH_LEVEL_POOLED_WEEKS);
        assert_true(row->note == RESEARCH_NOTE_SUPPRESSED || row->n == 0 ||
                    row->n >= RESEARCH_K_DEFAULT);
        char band[32];
        research_row_key_text(dataset, RESEARCH_CLAIMS, row, 1, band, sizeof band);
        if (strcmp(band, "unclaimed") == 0 && row->note != RESEARCH_NOTE_SUPPRESSED) {
            unclaimed += row->n;
        }
    }
    assert_int_equal(unclaimed, 14 * 3); /* 3 a day, below k: published per week */
    research_dataset_free(dataset);
}

static void test_export_reads_while_the_kiosk_is_writing(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-08", profile(2), &fixture->seed);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    struct research_dataset *first = build(&options); /* the store's writer is running */
    kiosk_weeks(store, "2026-03-09", "2026-03-15", profile(2),
                &fixture->seed); /* and keeps writing */
    struct research_dataset *second = build(&options);
    int64_t first_total = 0, second_total = 0;
    const struct research_kanon_result *rows = &first->tables[RESEARCH_ARRIVALS].published;
    for (size_t r = 0; r < rows->row_count; r++) {
        first_total += rows->rows[r].n;
    }
    rows = &second->tables[RESEARCH_ARRIVALS].published;
    for (size_t r = 0; r < rows->row_count; r++) {
        second_total += rows->rows[r].n;
    }
    assert_int_equal(first_total, 5 * 4 * 2); /* 5 days, 4 hours, 2 visitors an hour */
    assert_int_equal(second_total, 2 * first_total);
    assert_true(store_checkin(store, &(struct store_checkin){.at_ms = kiosk_at("2026-03-16", 9, 0),
                                                             .name_number = 1}) > 0);
    store_flush(store);
    assert_int_equal(store_failed_writes(store), 0); /* the reader never got in its way */
    store_close(store);
    research_dataset_free(first);
    research_dataset_free(second);
}

static void test_a_locked_database_is_reported_not_waited_for_forever(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-03", profile(1), &fixture->seed);
    store_close(store);
    sqlite3 *holder = NULL;
    assert_int_equal(sqlite3_open_v2(fixture->path, &holder, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder,
                                  "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                  "DELETE FROM name_counter;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    char err[512] = "";
    struct research_dataset *dataset = NULL;
    assert_int_equal(research_dataset_build(&options, &dataset, err, sizeof err), -EBUSY);
    assert_non_null(strstr(err, "locked"));
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
}

static void test_csv_fields_with_commas_quotes_and_line_breaks_are_quoted(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-08", profile(2), &fixture->seed);
    store_close(store);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    const char *awkward = "Zuid, \"hal B\"\nbegane grond";
    options.site = awkward;
    char *csv = export_text(&options, RESEARCH_FORMAT_CSV);
    assert_non_null(strstr(csv, "\"Zuid, \"\"hal B\"\"\nbegane grond\""));
    size_t count = 0;
    struct csv_record *records = csv_parse(csv, &count);
    int site = csv_column(&records[0], "site"), table = csv_column(&records[0], "table");
    int data_rows = 0;
    for (size_t r = 1; r < count; r++) {
        assert_int_equal(records[r].count, records[0].count);
        if (strcmp(records[r].fields[table], "arrivals") == 0) {
            assert_string_equal(records[r].fields[site], awkward);
            data_rows++;
        }
    }
    assert_true(data_rows > 0);
    csv_free(records, count);
    free(csv);

    char *json = export_text(&options, RESEARCH_FORMAT_JSON);
    assert_non_null(strstr(json, "\"Zuid, \\\"hal B\\\"\\nbegane grond\""));
    free(json);
}

static void test_only_whole_weeks_that_are_over_are_exported(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-18", profile(2), &fixture->seed);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    options.today = "2026-03-19"; /* a Thursday: its week is still going on */
    options.from = "2026-03-04";  /* a Wednesday: widened to Monday */
    struct research_dataset *dataset = build(&options);
    char first[RESEARCH_DATE_SIZE], last[RESEARCH_DATE_SIZE];
    research_day_format(dataset->first_day, first);
    research_day_format(dataset->last_day, last);
    assert_string_equal(first, "2026-03-02");
    assert_string_equal(last, "2026-03-15");
    assert_true(dataset->note_count >= 2);
    assert_non_null(strstr(dataset->notes[0], "widened to Monday 2026-03-02"));
    assert_non_null(strstr(dataset->notes[1], "2026-03-16 on are left out"));
    research_dataset_free(dataset);

    /* A day whose arrivals are not yet folded keeps its week out, whatever today is. */
    kiosk_visit(store, kiosk_at("2026-03-24", 10, 0), 5, 10, "calm");
    store_flush(store);
    options.today = "2026-06-01";
    dataset = build(&options);
    research_day_format(dataset->last_day, last);
    assert_string_equal(last, "2026-03-22");
    assert_non_null(strstr(dataset->notes[dataset->note_count - 1], "not yet counted"));
    research_dataset_free(dataset);
    store_close(store);
}

static void test_incidents_are_exported_when_the_table_exists(void **state)
{
    struct fixture *fixture = *state;
    struct store *store = kiosk_open(fixture->path, &fixture->phases);
    kiosk_weeks(store, "2026-03-02", "2026-03-08", profile(2), &fixture->seed);
    for (int i = 0; i < 6; i++) {
        assert_true(store_incident(store, kiosk_at("2026-03-03", 10, i), "verbal") > 0);
    }
    store_flush(store);
    store_close(store);
    const char *paths[] = {fixture->path};
    struct research_export_options options = options_for(paths, 1);
    struct research_dataset *dataset = build(&options);
    assert_true(dataset->sites[0].has_incidents);
    const struct research_kanon_result *rows = &dataset->tables[RESEARCH_INCIDENTS].published;
    assert_int_equal(rows->row_count, 1);
    assert_int_equal(rows->rows[0].n, 6);
    assert_int_equal(rows->rows[0].level, RESEARCH_LEVEL_DAY);
    research_dataset_free(dataset);

    /* A database from before incidents were counted (schema 1) exports everything else. */
    kiosk_sql(fixture->path, "DROP TABLE incident_counts; PRAGMA user_version = 1");
    dataset = build(&options);
    assert_false(dataset->sites[0].has_incidents);
    assert_int_equal(dataset->tables[RESEARCH_INCIDENTS].published.row_count, 0);
    assert_true(dataset->tables[RESEARCH_ARRIVALS].published.row_count > 0);
    char *csv = export_text(&options, RESEARCH_FORMAT_CSV);
    assert_non_null(strstr(csv, "no incident table"));
    free(csv);
    research_dataset_free(dataset);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_no_exported_number_reveals_a_count_below_k_across_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_randomised_rooms_days_reveal_nothing_below_k_across_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_the_lonely_answer_is_not_in_the_export_and_cannot_be_subtracted_out, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_two_site_databases_merge_under_their_site_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_site_name_the_kiosk_writes_names_the_export_and_site_option_overrides, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_foreign_damaged_newer_and_missing_files_are_refused_clearly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_options_are_refused_with_the_accepted_values,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_leaves_the_database_byte_identical, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_export_reads_while_the_kiosk_is_writing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_claim_cell_below_k_reaches_any_export, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_locked_database_is_reported_not_waited_for_forever,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_csv_fields_with_commas_quotes_and_line_breaks_are_quoted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_whole_weeks_that_are_over_are_exported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incidents_are_exported_when_the_table_exists, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
