/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export: the build (see research_export.h). Reads every database
 * (research_export_read.c), numbers each table (research_export_number.c), runs
 * research_kanon per table, publishes the split tables from their parents' rows
 * (research_export_split.c) and keeps the window of whole weeks; the texts of a dataset
 * are interned (research_export_texts.c). Writing CSV and JSON is research_export_write.c.
 */
#include "research/research_export.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "research/research_period.h"
#include "research/research_export_internal.h"
#include "store/store.h"

const struct export_table_desc export_tables[RESEARCH_TABLE_COUNT] = {
    [RESEARCH_ANSWERS] = {"answers",
                          "answer_counts",
                          "SELECT day, hour, phase, moment, question, answer, scene, light_band, "
                          "sound, queue_band, n FROM answer_counts WHERE day >= ?1 AND day <= ?2",
                          2,
                          {"moment", "question"},
                          5,
                          {"answer", "scene", "light_band", "sound", "queue_band"},
                          4,
                          "SELECT day, hour, phase, moment, question, answer, scene, '', sound, "
                          "queue_band, n FROM answer_counts WHERE day >= ?1 AND day <= ?2",
                          0},
    [RESEARCH_ARRIVALS] = {"arrivals",
                           "arrival_counts",
                           "SELECT day, hour, phase, wants_word, n FROM arrival_counts "
                           "WHERE day >= ?1 AND day <= ?2",
                           0,
                           {NULL, NULL},
                           1,
                           {"wants_word", NULL, NULL, NULL, NULL},
                           0,
                           NULL,
                           -1},
    [RESEARCH_JOURNEYS] = {"journeys",
                           "journey_counts",
                           "SELECT day, hour, phase, moment, outcome, last_screen, n "
                           "FROM journey_counts WHERE day >= ?1 AND day <= ?2",
                           2,
                           {"moment", "outcome"},
                           1,
                           {"last_screen", NULL, NULL, NULL, NULL},
                           0,
                           NULL,
                           -1},
    [RESEARCH_WAITS] = {"waits",
                        "wait_counts",
                        "SELECT day, -1, phase, outcome, wait_band, n FROM wait_counts "
                        "WHERE day >= ?1 AND day <= ?2",
                        0,
                        {NULL, NULL},
                        2,
                        {"outcome", "wait_band", NULL, NULL, NULL},
                        0,
                        NULL,
                        1},
    [RESEARCH_INCIDENTS] = {"incidents",
                            "incident_counts",
                            "SELECT day, -1, phase, kind, n FROM incident_counts "
                            "WHERE day >= ?1 AND day <= ?2",
                            0,
                            {NULL, NULL},
                            1,
                            {"kind", NULL, NULL, NULL, NULL},
                            0,
                            NULL,
                            -1},
    [RESEARCH_RESPONSES] = {"responses",
                            "response_counts",
                            "SELECT day, hour, phase, moment, question, service, response, n "
                            "FROM response_counts WHERE day >= ?1 AND day <= ?2",
                            2,
                            {"moment", "question"},
                            2,
                            {"service", "response", NULL, NULL, NULL},
                            0,
                            NULL,
                            -1},
    [RESEARCH_STRESS_WAITS] = {"stress_waits",
                               "stress_wait_counts",
                               "SELECT day, -1, phase, stress_band, wait_band, n "
                               "FROM stress_wait_counts WHERE day >= ?1 AND day <= ?2",
                               0,
                               {NULL, NULL},
                               2,
                               {"stress_band", "wait_band", NULL, NULL, NULL},
                               0,
                               NULL,
                               -1},
    [RESEARCH_WAIT_MESSAGES] = {"wait_messages",
                                "wait_message_counts",
                                "SELECT day, -1, phase, message, outcome, wait_band, within, n "
                                "FROM wait_message_counts WHERE day >= ?1 AND day <= ?2",
                                0,
                                {NULL, NULL},
                                4,
                                {"message", "outcome", "wait_band", "within", NULL},
                                0,
                                NULL,
                                -1},
    [RESEARCH_CLAIMS] = {"claims",
                         "claim_counts",
                         "SELECT day, -1, phase, outcome, band, n FROM claim_counts "
                         "WHERE day >= ?1 AND day <= ?2",
                         0,
                         {NULL, NULL},
                         2,
                         {"outcome", "claim_band", NULL, NULL, NULL},
                         0,
                         NULL,
                         1},
};

/* The room context kept at each level of the answers' ladder: scene, light, sound, queue. */
const bool export_context_kept[RESEARCH_CONTEXT_LEVELS][4] = {
    {true, true, true, true},    /* 0: everything */
    {true, true, true, false},   /* 1: without the queue band */
    {false, true, true, false},  /* 2: light band and sound */
    {false, true, false, false}, /* 3: light band */
    {false, false, false, false} /* 4: none */
};

static bool export_is_split(enum research_table_id table)
{
    return table == RESEARCH_RESPONSES || table == RESEARCH_STRESS_WAITS ||
           table == RESEARCH_WAIT_MESSAGES;
}

/* The store's waiting-time bands (store/store_vocab.h), in order, with their minutes. */
#define EXPORT_WAIT_BAND_ROW(low, high, name) {name, low, high},
static const struct {
    const char *band;
    int low, high; /* high -1: open-ended */
} export_wait_bands[] = {STORE_WAIT_BANDS(EXPORT_WAIT_BAND_ROW)};
#undef EXPORT_WAIT_BAND_ROW
#define EXPORT_WAIT_BANDS (sizeof export_wait_bands / sizeof export_wait_bands[0])

__attribute__((format(printf, 3, 4))) int export_fail(struct export_build *build, int rc,
                                                      const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(build->err, build->err_size, fmt, args);
    va_end(args);
    return rc;
}

__attribute__((format(printf, 2, 3))) void export_note(struct research_dataset *dataset,
                                                       const char *fmt, ...)
{
    if (dataset->note_count >= RESEARCH_NOTES) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(dataset->notes[dataset->note_count++], RESEARCH_NOTE_MAX, fmt, args);
    va_end(args);
}

/* The claim-to-mark bands of claim_counts, in order, with their minutes ("unclaimed" is
   not on the scale). */
static const struct {
    const char *band;
    int low, high; /* high -1: open-ended */
} export_claim_bands[] = {{"0-2", 0, 2}, {"2-5", 2, 5}, {"5-15", 5, 15}, {"15+", 15, -1}};
#define EXPORT_CLAIM_BANDS (sizeof export_claim_bands / sizeof export_claim_bands[0])

int export_claim_band_index(const char *band)
{
    for (size_t i = 0; i < EXPORT_CLAIM_BANDS; i++) {
        if (strcmp(export_claim_bands[i].band, band) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int export_wait_band_index(const char *band)
{
    for (size_t i = 0; i < EXPORT_WAIT_BANDS; i++) {
        if (strcmp(export_wait_bands[i].band, band) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Numbers, then publishes every table; split tables last, from their parents' rows. */
static int export_publish(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    uint32_t any = 0;
    int rc = export_context_keys(build, &any);
    if (rc != 0) {
        return export_fail(build, rc, "out of memory");
    }
    size_t text_count = dataset->texts->count;
    int32_t *phase_first_day = malloc((text_count + 1) * sizeof phase_first_day[0]);
    if (phase_first_day == NULL) {
        return export_fail(build, -ENOMEM, "out of memory");
    }
    for (size_t i = 0; i <= text_count; i++) {
        phase_first_day[i] = INT32_MAX;
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        const struct export_table_cells *table = &build->tables[t];
        for (size_t i = 0; i < table->count; i++) {
            uint32_t phase = table->series.items[table->cells[i].series].text[1];
            if (table->cells[i].day < phase_first_day[phase]) {
                phase_first_day[phase] = table->cells[i].day;
            }
        }
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == 0; t++) {
        dataset->tables[t].parent = -1;
        if (export_is_split((enum research_table_id)t)) {
            continue;
        }
        if (t == RESEARCH_ARRIVALS) { /* the answers (table 0) are published by now */
            rc = export_arrivals_unsplit(build);
        }
        rc = rc ? rc : export_number_table(build, (enum research_table_id)t, phase_first_day);
        struct research_table *target = &dataset->tables[t];
        if (rc == 0 && t == RESEARCH_ANSWERS) {
            rc = export_context_ladder(build, any);
            rc = rc ? rc : export_publish_answers(build);
        } else if (rc == 0) {
            struct export_table_cells *table = &build->tables[t];
            rc = research_kanon_run(table->cells, table->count, target->key_order,
                                    target->key_count, dataset->k, &target->published);
        }
        if (rc != 0) {
            rc = export_fail(build, rc, "%s: cannot publish the counts: %s", export_tables[t].name,
                             strerror(-rc));
        }
    }
    free(phase_first_day);
    if (rc == 0) {
        rc = export_split_stress(build);
        rc = rc ? rc : export_split_messages(build);
        struct research_kanon_result parts = {0};
        rc = rc ? rc : export_split_context(build, &parts);
        rc = rc ? rc : export_split_responses(build);
        if (rc == 0 && dataset->with_context) { /* the parts replace the rows they split */
            struct research_kanon_result *answers = &dataset->tables[RESEARCH_ANSWERS].published;
            free(answers->rows);
            answers->rows = parts.rows;
            answers->row_count = parts.row_count;
        } else {
            free(parts.rows);
        }
        if (rc != 0) {
            rc = export_fail(build, rc, "cannot split the counts: %s", strerror(-rc));
        }
    }
    return rc;
}

/*
 * One database per site, one k for all: two databases with the same site_id are
 * copies of one kiosk, two with the same site name would be added up, and an export of one
 * alone next to the two together would give away the other's small counts. The sites' k
 * becomes the k every block is published with; *k (0: that k) below it is refused.
 */
static int export_check_sites(struct export_build *build, int *k)
{
    struct research_dataset *dataset = build->dataset;
    for (size_t i = 0; i < dataset->site_count; i++) {
        const struct research_site *a = &dataset->sites[i];
        for (size_t j = i + 1; j < dataset->site_count; j++) {
            const struct research_site *b = &dataset->sites[j];
            if (a->site_id[0] != '\0' && strcmp(a->site_id, b->site_id) == 0) {
                return export_fail(build, -EINVAL,
                                   "%s and %s have the same site_id %s: they are copies of one "
                                   "kiosk's database; export the newest alone",
                                   a->source, b->source, a->site_id);
            }
            if (strcmp(a->name, b->name) == 0) {
                return export_fail(
                    build, -EINVAL,
                    "%s and %s both name the site \"%s\": one database per site (adding two "
                    "up next to an export of one alone would give away the other's small "
                    "counts); export them one by one, or give the kiosks different site names",
                    a->source, b->source, a->name);
            }
            if (a->k != b->k) {
                return export_fail(build, -EINVAL,
                                   "%s has k %d and %s has k %d: sites are merged only with the "
                                   "same k; export them one by one",
                                   a->source, a->k, b->source, b->k);
            }
        }
    }
    int site_k = dataset->site_count > 0 ? dataset->sites[0].k : RESEARCH_K_DEFAULT;
    if (*k == 0 || (*k < site_k && build->options->k_at_least)) {
        *k = site_k;
    }
    if (*k < site_k) {
        return export_fail(build, -EINVAL,
                           "k = %d is below the site's k %d (%s): accepted: %d or more (a smaller "
                           "k next to the site's would give away counts below it)",
                           *k, site_k, dataset->site_count > 0 ? dataset->sites[0].source : "",
                           site_k);
    }
    dataset->k = site_k;
    dataset->site_k = site_k;
    return 0;
}

/* Is the published row's period wholly inside first..last? */
static bool export_row_inside(const struct research_kanon_result *out,
                              const struct research_row *row, int32_t first, int32_t last)
{
    if (row->level != RESEARCH_LEVEL_POOLED_WEEKS) {
        return row->first_day >= first && row->last_day <= last;
    }
    const struct research_pool *pool = &out->pools[row->pool];
    return pool->count > 0 && pool->mondays[0] >= first &&
           pool->mondays[pool->count - 1] + 6 <= last;
}

/* Arrivals: the weeks inside the window shown only as totals (key "any"). */
static void export_count_arrival_totals(struct research_dataset *dataset)
{
    struct research_table *arrivals = &dataset->tables[RESEARCH_ARRIVALS];
    size_t weeks = 0;
    uint32_t last_series = UINT32_MAX;
    int32_t last_monday = INT32_MIN;
    for (size_t r = 0; r < arrivals->published.row_count; r++) {
        const struct research_row *row = &arrivals->published.rows[r];
        if (row->note == RESEARCH_NOTE_SUPPRESSED || row->note == RESEARCH_NOTE_REMAINDER ||
            row->level == RESEARCH_LEVEL_POOLED_WEEKS || row->key >= arrivals->key_count ||
            strcmp(research_dataset_text(dataset, arrivals->keys[row->key].text[0]),
                   RESEARCH_ANY) != 0) {
            continue;
        }
        int32_t monday = research_week_monday(row->first_day);
        if (row->series != last_series || monday != last_monday) {
            weeks++;
            last_series = row->series;
            last_monday = monday;
        }
    }
    arrivals->unsplit = weeks;
}

/*
 * Windows snap inward: of the blocks published from the whole history, only those wholly
 * inside the window are shown. A pool of quiet weeks that reaches outside is left
 * out, and a note says so.
 */
int export_keep_window(struct export_build *build)
{
    struct research_dataset *dataset = build->dataset;
    size_t outside_pools = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct research_kanon_result *out = &dataset->tables[t].published;
        const struct research_kanon_result *periods =
            dataset->tables[t].parent >= 0 ? &dataset->tables[dataset->tables[t].parent].published
                                           : out;
        size_t kept = 0;
        for (size_t r = 0; r < out->row_count; r++) {
            const struct research_row *row = &out->rows[r];
            if (export_row_inside(periods, row, dataset->first_day, dataset->last_day)) {
                out->rows[kept++] = *row;
                continue;
            }
            if (row->level == RESEARCH_LEVEL_POOLED_WEEKS && t == RESEARCH_ANSWERS &&
                (r == 0 || out->rows[r - 1].pool != row->pool)) {
                const struct research_pool *pool = &periods->pools[row->pool];
                outside_pools += pool->mondays[0] <= dataset->last_day &&
                                 pool->mondays[pool->count - 1] + 6 >= dataset->first_day;
            }
        }
        out->row_count = kept;
        if (dataset->tables[t].parent >= 0) { /* rows not split: those inside the window */
            size_t unsplit = 0;
            for (size_t r = 0; r < kept; r++) {
                unsplit += out->rows[r].note == RESEARCH_NOTE_SUPPRESSED;
            }
            dataset->tables[t].unsplit = unsplit;
        }
    }
    export_count_arrival_totals(dataset);
    if (outside_pools > 0) {
        export_note(dataset,
                    "answers: %zu pooled block(s) of quiet weeks reach outside --from/--to and are "
                    "left out: a window shows only whole published blocks (it snaps inward); "
                    "widen the window to see them",
                    outside_pools);
    }
    return 0;
}

/*
 * A k above the sites' k only hides: every row below it is shown suppressed (no number).
 * The blocks themselves are those of the sites' k, so exports with other k add nothing
 * (docs/research.md, Sequences).
 */
static void export_raise_k(struct research_dataset *dataset, int k)
{
    size_t hidden = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT && k > dataset->site_k; t++) {
        struct research_kanon_result *out = &dataset->tables[t].published;
        for (size_t r = 0; r < out->row_count; r++) {
            if (out->rows[r].note != RESEARCH_NOTE_SUPPRESSED && out->rows[r].n < k) {
                out->rows[r].note = RESEARCH_NOTE_SUPPRESSED;
                out->rows[r].n = 0;
                hidden++;
            }
        }
    }
    if (hidden > 0) {
        export_note(dataset,
                    "k = %d is above the site's k %d: %zu published rows below %d are shown "
                    "without their number",
                    k, dataset->site_k, hidden, k);
    }
    dataset->k = k;
}

static void export_free_build(struct export_build *build)
{
    free(build->answer_number);
    free(build->context_split);
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct export_table_cells *table = &build->tables[t];
        free(table->cells);
        free(table->series.items);
        free(table->series.slots);
        free(table->keys.items);
        free(table->keys.slots);
    }
}

int research_dataset_build(const struct research_export_options *options,
                           struct research_dataset **out, char *err, size_t err_size)
{
    *out = NULL;
    struct export_build build = {
        .options = options, .unfolded_first = INT32_MAX, .err = err, .err_size = err_size};
    int k = options->k;
    if (k != 0 && k < RESEARCH_K_MIN) {
        return export_fail(&build, -EINVAL,
                           "k = %d: must be at least %d (default %d): smaller groups could "
                           "identify a visitor",
                           k, RESEARCH_K_MIN, RESEARCH_K_DEFAULT);
    }
    if (options->db_count == 0 || options->db_paths == NULL) {
        return export_fail(&build, -EINVAL, "no database given: name one or more with --db PATH");
    }
    if (options->site != NULL && options->site[0] != '\0' && options->db_count > 1) {
        return export_fail(&build, -EINVAL,
                           "--site %s names one database, but %zu were given: leave --site out "
                           "(each file's meta table or file name names its site)",
                           options->site, options->db_count);
    }
    int32_t from_day = 0, to_day = 0;
    bool from_given = false, to_given = false;
    int rc = export_option_day(&build, "--from", options->from, &from_day, &from_given);
    if (rc == 0) {
        rc = export_option_day(&build, "--to", options->to, &to_day, &to_given);
    }
    if (rc != 0) {
        return rc;
    }
    if (from_given && to_given && from_day > to_day) {
        return export_fail(&build, -EINVAL, "--from %s is after --to %s: give from <= to",
                           options->from, options->to);
    }
    rc = export_check_distinct(&build);
    if (rc != 0) {
        return rc;
    }

    struct research_dataset *dataset = calloc(1, sizeof *dataset);
    if (dataset != NULL) {
        dataset->texts = calloc(1, sizeof *dataset->texts);
        dataset->sites = calloc(options->db_count, sizeof dataset->sites[0]);
    }
    if (dataset == NULL || dataset->texts == NULL || dataset->sites == NULL) {
        research_dataset_free(dataset);
        return export_fail(&build, -ENOMEM, "out of memory");
    }
    dataset->with_context = options->with_context;
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        dataset->tables[t].parent = -1;
    }
    build.dataset = dataset;
    uint32_t empty = 0;
    rc = texts_intern(dataset->texts, "", 0, &empty); /* text 0 is "" */

    /* The whole history, whatever the window: blocks never depend on the request. */
    const char *from_text = "0000-00-00", *to_text = "9999-99-99";
    for (size_t i = 0; i < options->db_count && rc == 0; i++) {
        rc = export_read_database(&build, options->db_paths[i], &dataset->sites[i], from_text,
                                  to_text);
        dataset->site_count = rc == 0 ? i + 1 : i;
    }
    if (rc == 0) {
        rc = export_check_sites(&build, &k);
    }
    if (rc == 0) {
        rc = export_settle_range(&build, from_day, from_given, to_day, to_given);
    }
    if (rc == 0) {
        rc = export_publish(&build);
    }
    if (rc == 0) {
        rc = export_keep_window(&build);
        /* the allocation of days up to the last finished one chose the daily form; shown:
           the window's */
        research_export_keep_experiment(dataset, dataset->first_day, dataset->last_day);
    }
    if (rc == 0) {
        export_raise_k(dataset, k);
    }
    export_free_build(&build);
    if (rc != 0) {
        research_dataset_free(dataset);
        return rc;
    }
    *out = dataset;
    return 0;
}

void research_dataset_free(struct research_dataset *dataset)
{
    if (dataset == NULL) {
        return;
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct research_table *table = &dataset->tables[t];
        free(table->series);
        free(table->keys);
        free(table->key_order);
        free(table->ladder);
        research_kanon_free(&table->published);
    }
    free(dataset->codebook);
    free(dataset->phase_configs);
    free(dataset->experiment_days);
    free(dataset->sites);
    texts_free(dataset->texts);
    free(dataset);
}

const char *research_dataset_text(const struct research_dataset *dataset, uint32_t id)
{
    if (dataset == NULL || dataset->texts == NULL || id >= dataset->texts->count) {
        return "";
    }
    return dataset->texts->items[id];
}

const char *research_table_name(enum research_table_id table)
{
    return table < RESEARCH_TABLE_COUNT ? export_tables[table].name : "";
}

const char *research_table_series_column(enum research_table_id table, int part)
{
    if (table >= RESEARCH_TABLE_COUNT || part < 2 ||
        part - 2 >= export_tables[table].series_parts) {
        return NULL;
    }
    return export_tables[table].series_columns[part - 2];
}

const char *research_table_key_column(enum research_table_id table, int part)
{
    if (table >= RESEARCH_TABLE_COUNT || part < 0 || part >= export_tables[table].key_parts) {
        return NULL;
    }
    return export_tables[table].key_columns[part];
}

int research_wait_band_minutes(const char *first_band, const char *last_band, int *low, int *high)
{
    int first = export_wait_band_index(first_band), last = export_wait_band_index(last_band);
    if (first < 0 || last < 0 || last < first) {
        return -EINVAL;
    }
    *low = export_wait_bands[first].low;
    *high = export_wait_bands[last].high;
    return 0;
}

void research_row_key_text(const struct research_dataset *dataset, enum research_table_id table,
                           const struct research_row *row, int part, char *buf, size_t size)
{
    buf[0] = '\0';
    const struct research_table *data = &dataset->tables[table];
    if (research_table_key_column(table, part) == NULL) {
        return;
    }
    if (data->parent >= 0) { /* a split: its keys hold the labels as written */
        snprintf(buf, size, "%s", research_dataset_text(dataset, data->keys[row->key].text[part]));
        return;
    }
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
        return;
    }
    if (row->note == RESEARCH_NOTE_REMAINDER) {
        snprintf(buf, size, "*");
        return;
    }
    const struct research_tuple *first = &data->keys[row->key];
    const struct research_tuple *last = &data->keys[row->key_last];
    const char *text = research_dataset_text(dataset, first->text[part]);
    if (row->note != RESEARCH_NOTE_RANGE || first->text[part] == last->text[part]) {
        snprintf(buf, size, "%s", text);
        return;
    }
    const char *last_text = research_dataset_text(dataset, last->text[part]);
    int low = 0, high = 0;
    int first_claim = export_claim_band_index(text),
        last_claim = export_claim_band_index(last_text);
    if (table == RESEARCH_CLAIMS && first_claim >= 0 && last_claim >= first_claim) {
        low = export_claim_bands[first_claim].low;
        high = export_claim_bands[last_claim].high;
    }
    if ((table == RESEARCH_CLAIMS && first_claim >= 0 && last_claim >= first_claim) ||
        (table == RESEARCH_WAITS &&
         research_wait_band_minutes(text, last_text, &low, &high) == 0)) {
        if (high < 0) {
            snprintf(buf, size, "%d+", low);
        } else {
            snprintf(buf, size, "%d-%d", low, high);
        }
        return;
    }
    snprintf(buf, size, "%s-%s", text, last_text);
}

int research_row_context_level(const struct research_dataset *dataset,
                               const struct research_row *row)
{
    const struct research_table *answers = &dataset->tables[RESEARCH_ANSWERS];
    if (answers->ladder == NULL || row->note == RESEARCH_NOTE_REMAINDER ||
        row->note == RESEARCH_NOTE_SUPPRESSED || row->key >= answers->key_count) {
        return -1;
    }
    const struct research_tuple *key = &answers->keys[row->key];
    for (int level = 0; level < RESEARCH_CONTEXT_LEVELS; level++) { /* which dimensions are kept */
        bool same = true;
        for (int dimension = 0; dimension < 4; dimension++) {
            bool any =
                strcmp(research_dataset_text(dataset, key->text[1 + dimension]), RESEARCH_ANY) == 0;
            same = same && export_context_kept[level][dimension] == !any;
        }
        if (same) {
            return level;
        }
    }
    return -1;
}

const char *research_context_level_name(int level)
{
    static const char *const names[RESEARCH_CONTEXT_LEVELS] = {
        "scene, light band, sound and queue band", "scene, light band and sound",
        "light band and sound", "light band", "no room context"};
    return level >= 0 && level < RESEARCH_CONTEXT_LEVELS ? names[level] : "";
}

const char *research_wait_band_name(int index)
{
    return index >= 0 && index < (int)EXPORT_WAIT_BANDS ? export_wait_bands[index].band : "";
}

int research_row_wait_bands(const struct research_dataset *dataset, enum research_table_id table,
                            const struct research_row *row, int *first, int *last)
{
    const struct research_table *data = &dataset->tables[table];
    if (row->note == RESEARCH_NOTE_REMAINDER || row->key >= data->key_count ||
        row->key_last >= data->key_count) {
        return -EINVAL;
    }
    const struct research_tuple *low = &data->keys[row->key], *high = &data->keys[row->key_last];
    int from = -1, to = -1;
    if (table == RESEARCH_WAITS && row->note != RESEARCH_NOTE_SUPPRESSED &&
        strcmp(research_dataset_text(dataset, low->text[0]), STORE_OUTCOME_COLLECTED) == 0) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[1]));
        to = export_wait_band_index(research_dataset_text(dataset, high->text[1]));
    } else if (table == RESEARCH_STRESS_WAITS) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[2]));
        to = export_wait_band_index(research_dataset_text(dataset, low->text[3]));
    } else if (table == RESEARCH_WAIT_MESSAGES) {
        from = export_wait_band_index(research_dataset_text(dataset, low->text[4]));
        to = export_wait_band_index(research_dataset_text(dataset, low->text[5]));
    }
    if (from < 0 || to < from) {
        return -EINVAL;
    }
    *first = from;
    *last = to;
    return 0;
}

int research_format_parse(const char *text, enum research_format *format)
{
    if (text != NULL && strcmp(text, "csv") == 0) {
        *format = RESEARCH_FORMAT_CSV;
        return 0;
    }
    if (text != NULL && strcmp(text, "json") == 0) {
        *format = RESEARCH_FORMAT_JSON;
        return 0;
    }
    return -EINVAL;
}

int research_export_run(const struct research_export_options *options, enum research_format format,
                        FILE *out, char *err, size_t err_size)
{
    struct research_dataset *dataset = NULL;
    int rc = research_dataset_build(options, &dataset, err, err_size);
    if (rc != 0) {
        return rc;
    }
    rc = research_export_write(dataset, format, out);
    if (rc != 0) {
        snprintf(err, err_size, "cannot write the export: %s", strerror(-rc));
    }
    research_dataset_free(dataset);
    return rc;
}
