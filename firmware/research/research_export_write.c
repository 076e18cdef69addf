/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_write: the writing side of research_export (see research_export.h):
 * a published dataset as one CSV table (RFC 4180, a "table" column says which of the
 * tables a row belongs to, "about" rows say what was widened, left out or hidden) or as
 * JSON. Only rows research_kanon published are written; a suppressed week appears without
 * a number. Column meanings: docs/research.md "The export".
 */
#include "research/research_export.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"

/* Every column of the CSV, in order. Each table fills the ones it has. */
enum write_column {
    COLUMN_TABLE,
    COLUMN_SITE,
    COLUMN_PHASE,
    COLUMN_PERIOD_KIND,
    COLUMN_PERIOD,
    COLUMN_TIME_OF_DAY,
    COLUMN_FIRST_DAY,
    COLUMN_LAST_DAY,
    COLUMN_MOMENT,
    COLUMN_QUESTION,
    COLUMN_OUTCOME,
    COLUMN_ANSWER,
    COLUMN_SCENE,
    COLUMN_SOUND,
    COLUMN_QUEUE_BAND,
    COLUMN_WANTS_WORD,
    COLUMN_LAST_SCREEN,
    COLUMN_WAIT_BAND,
    COLUMN_KIND,
    COLUMN_N,
    COLUMN_NOTE,
    /* schema 3: appended, so the columns above keep their places */
    COLUMN_LIGHT_BAND,
    COLUMN_SERVICE,
    COLUMN_RESPONSE,
    COLUMN_STRESS_BAND,
    COLUMN_MESSAGE,
    COLUMN_WITHIN,
    COLUMN_ITEM,
    COLUMN_LANG,
    COLUMN_VERSION,
    COLUMN_TEXT,
    COLUMN_CONFIG_HASH,
    COLUMN_CLAIM_BAND, /* schema 5 */
    COLUMN_COUNT
};

static const char *const write_column_names[COLUMN_COUNT] = {
    "table",       "site",        "phase",      "period_kind", "period",      "time_of_day",
    "first_day",   "last_day",    "moment",     "question",    "outcome",     "answer",
    "scene",       "sound",       "queue_band", "wants_word",  "last_screen", "wait_band",
    "kind",        "n",           "note",       "light_band",  "service",     "response",
    "stress_band", "message",     "within",     "item",        "lang",        "version",
    "text",        "config_hash", "claim_band",
};

#define WRITE_FIELD_MAX 1024 /* a codebook text is one question or label */

/* One output row as texts; the period of pooled weeks may be long, so it is allocated. */
struct write_row {
    char fields[COLUMN_COUNT][WRITE_FIELD_MAX];
    char *pooled_period; /* overrides fields[COLUMN_PERIOD] when set */
};

static int write_column_of(const char *name)
{
    for (int c = 0; c < COLUMN_COUNT; c++) {
        if (name != NULL && strcmp(write_column_names[c], name) == 0) {
            return c;
        }
    }
    return -1;
}

static const char *write_level_name(enum research_level level)
{
    switch (level) {
    case RESEARCH_LEVEL_HOUR:
        return "hour";
    case RESEARCH_LEVEL_PART_OF_DAY:
        return "part_of_day";
    case RESEARCH_LEVEL_DAY:
        return "day";
    case RESEARCH_LEVEL_WEEK:
        return "week";
    case RESEARCH_LEVEL_POOLED_WEEKS:
        return "pooled_weeks";
    }
    return "";
}

static const char *write_note_name(enum research_note note)
{
    switch (note) {
    case RESEARCH_NOTE_CELL:
        return "";
    case RESEARCH_NOTE_RANGE:
        return "range";
    case RESEARCH_NOTE_REMAINDER:
        return "remainder";
    case RESEARCH_NOTE_SUPPRESSED:
        return "suppressed";
    }
    return "";
}

/* "2026-W03+2026-W07+..." for a pool; NULL when out of memory. */
static char *write_pool_period(const struct research_pool *pool)
{
    size_t size = pool->count * RESEARCH_WEEK_SIZE + 1;
    char *text = malloc(size);
    if (text == NULL) {
        return NULL;
    }
    size_t used = 0;
    text[0] = '\0';
    for (size_t w = 0; w < pool->count; w++) {
        char week[RESEARCH_WEEK_SIZE];
        research_week_label(pool->mondays[w], week);
        int length = snprintf(text + used, size - used, "%s%s", w > 0 ? "+" : "", week);
        if (length < 0 || (size_t)length >= size - used) {
            break; /* cannot happen: size counts a label and a '+' per week */
        }
        used += (size_t)length;
    }
    return text;
}

/* Fills row with the texts of one published row of table. Returns 0 or -ENOMEM. */
static int write_fill_row(const struct research_dataset *dataset, enum research_table_id table,
                          const struct research_row *published, struct write_row *row)
{
    memset(row, 0, sizeof *row);
    const struct research_table *data = &dataset->tables[table];
    /* Only what research_kanon published reaches a file: no count between 0 and k. */
    assert(published->note == RESEARCH_NOTE_SUPPRESSED || published->n == 0 ||
           published->n >= dataset->k);
    const struct research_tuple *series = &data->series[published->series];
    snprintf(row->fields[COLUMN_TABLE], WRITE_FIELD_MAX, "%s", research_table_name(table));
    snprintf(row->fields[COLUMN_SITE], WRITE_FIELD_MAX, "%s",
             research_dataset_text(dataset, series->text[0]));
    snprintf(row->fields[COLUMN_PHASE], WRITE_FIELD_MAX, "%s",
             research_dataset_text(dataset, series->text[1]));
    for (int part = 2; part < 4; part++) {
        int column = write_column_of(research_table_series_column(table, part));
        if (column >= 0) {
            snprintf(row->fields[column], WRITE_FIELD_MAX, "%s",
                     research_dataset_text(dataset, series->text[part]));
        }
    }
    for (int part = 0; part < RESEARCH_TUPLE_PARTS; part++) {
        int column = write_column_of(research_table_key_column(table, part));
        if (column < 0) {
            continue;
        }
        bool context = table == RESEARCH_ANSWERS && part > 0;
        if (context && !dataset->with_context) {
            continue; /* not exported: the column stays empty */
        }
        research_row_key_text(dataset, table, published, part, row->fields[column],
                              WRITE_FIELD_MAX);
    }
    snprintf(row->fields[COLUMN_PERIOD_KIND], WRITE_FIELD_MAX, "%s",
             write_level_name(published->level));
    char date[RESEARCH_DATE_SIZE];
    research_day_format(published->first_day, date);
    snprintf(row->fields[COLUMN_FIRST_DAY], WRITE_FIELD_MAX, "%s", date);
    research_day_format(published->last_day, date);
    snprintf(row->fields[COLUMN_LAST_DAY], WRITE_FIELD_MAX, "%s", date);
    switch (published->level) {
    case RESEARCH_LEVEL_HOUR:
        snprintf(row->fields[COLUMN_PERIOD], WRITE_FIELD_MAX, "%s", row->fields[COLUMN_FIRST_DAY]);
        snprintf(row->fields[COLUMN_TIME_OF_DAY], WRITE_FIELD_MAX, "%02d:00-%02d:00",
                 published->time_of_day % 24, (published->time_of_day + 1) % 25);
        break;
    case RESEARCH_LEVEL_PART_OF_DAY:
        snprintf(row->fields[COLUMN_PERIOD], WRITE_FIELD_MAX, "%s", row->fields[COLUMN_FIRST_DAY]);
        snprintf(row->fields[COLUMN_TIME_OF_DAY], WRITE_FIELD_MAX, "%s",
                 research_part_name((enum research_part_of_day)published->time_of_day));
        break;
    case RESEARCH_LEVEL_DAY:
        snprintf(row->fields[COLUMN_PERIOD], WRITE_FIELD_MAX, "%s", row->fields[COLUMN_FIRST_DAY]);
        break;
    case RESEARCH_LEVEL_WEEK: {
        char week[RESEARCH_WEEK_SIZE];
        research_week_label(published->first_day, week);
        snprintf(row->fields[COLUMN_PERIOD], WRITE_FIELD_MAX, "%s", week);
        break;
    }
    case RESEARCH_LEVEL_POOLED_WEEKS:
        row->pooled_period = write_pool_period(&data->published.pools[published->pool]);
        if (row->pooled_period == NULL) {
            return -ENOMEM;
        }
        break;
    }
    if (published->note != RESEARCH_NOTE_SUPPRESSED) {
        snprintf(row->fields[COLUMN_N], WRITE_FIELD_MAX, "%lld", (long long)published->n);
    }
    snprintf(row->fields[COLUMN_NOTE], WRITE_FIELD_MAX, "%s", write_note_name(published->note));
    return 0;
}

static const char *write_row_field(const struct write_row *row, int column)
{
    return column == COLUMN_PERIOD && row->pooled_period ? row->pooled_period : row->fields[column];
}

/* RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled), else as is. */
static void write_csv_field(FILE *out, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"') {
            fputc('"', out);
        }
        fputc(*c, out);
    }
    fputc('"', out);
}

static void write_csv_record(FILE *out, const char *const fields[COLUMN_COUNT])
{
    for (int c = 0; c < COLUMN_COUNT; c++) {
        if (c > 0) {
            fputc(',', out);
        }
        write_csv_field(out, fields[c] ? fields[c] : "");
    }
    fputs("\r\n", out);
}

/* An "about" row: what the export covers, per site, and every note. */
static void write_csv_about(FILE *out, const char *site, const char *first, const char *last,
                            const char *n, const char *note)
{
    const char *fields[COLUMN_COUNT] = {0};
    fields[COLUMN_TABLE] = "about";
    fields[COLUMN_SITE] = site;
    fields[COLUMN_FIRST_DAY] = first;
    fields[COLUMN_LAST_DAY] = last;
    fields[COLUMN_N] = n;
    fields[COLUMN_NOTE] = note;
    write_csv_record(out, fields);
}

/* Counts of what happened to a table, for people reading the export. */
struct write_tally {
    size_t by_level[RESEARCH_LEVEL_POOLED_WEEKS + 1];
    size_t ranges, remainders, suppressed;
    size_t by_context[RESEARCH_CONTEXT_LEVELS]; /* answers with context: rows per level */
    size_t unsplit;                             /* split tables: parent rows not split */
};

static void write_tally_table(const struct research_dataset *dataset, enum research_table_id id,
                              struct write_tally *tally)
{
    const struct research_table *table = &dataset->tables[id];
    memset(tally, 0, sizeof *tally);
    tally->unsplit = table->unsplit;
    for (size_t i = 0; i < table->published.row_count; i++) {
        const struct research_row *row = &table->published.rows[i];
        if (row->note == RESEARCH_NOTE_SUPPRESSED) {
            tally->suppressed++;
            continue;
        }
        tally->by_level[row->level]++;
        tally->ranges += row->note == RESEARCH_NOTE_RANGE;
        tally->remainders += row->note == RESEARCH_NOTE_REMAINDER;
        int level = id == RESEARCH_ANSWERS ? research_row_context_level(dataset, row) : -1;
        if (level >= 0) {
            tally->by_context[level]++;
        }
    }
}

static void write_tally_text(const struct research_dataset *dataset, enum research_table_id id,
                             const struct write_tally *tally, char *buf, size_t size)
{
    int used = snprintf(
        buf, size,
        "rows by hour %zu, part of day %zu, day %zu, week %zu, pooled weeks %zu; ranges %zu, "
        "remainders %zu; %s %zu",
        tally->by_level[RESEARCH_LEVEL_HOUR], tally->by_level[RESEARCH_LEVEL_PART_OF_DAY],
        tally->by_level[RESEARCH_LEVEL_DAY], tally->by_level[RESEARCH_LEVEL_WEEK],
        tally->by_level[RESEARCH_LEVEL_POOLED_WEEKS], tally->ranges, tally->remainders,
        dataset->tables[id].parent >= 0
            ? "rows not split (a part below k, hidden answers or room context)"
            : "weeks suppressed",
        dataset->tables[id].parent >= 0 ? tally->unsplit : tally->suppressed);
    if (id == RESEARCH_ARRIVALS && used > 0 && (size_t)used < size) {
        int more = snprintf(buf + used, size - (size_t)used,
                            "; weeks with hidden answers shown as totals (wants_word = any) %zu",
                            dataset->tables[id].unsplit);
        used = more < 0 ? -1 : used + more;
    }
    if (id == RESEARCH_ANSWERS && dataset->with_context && used > 0 && (size_t)used < size) {
        snprintf(buf + used, size - (size_t)used,
                 "; room context kept: all four %zu rows, without queue band %zu, light band and "
                 "sound %zu, light band %zu, none %zu",
                 tally->by_context[0], tally->by_context[1], tally->by_context[2],
                 tally->by_context[3], tally->by_context[4]);
    }
}

/* The codebook section: the exact wordings and the configuration per phase (schema 3). */
static void write_csv_codebook(const struct research_dataset *dataset, FILE *out)
{
    char first[RESEARCH_DATE_SIZE], last[RESEARCH_DATE_SIZE], version[16];
    for (size_t i = 0; i < dataset->codebook_count; i++) {
        const struct research_codebook_entry *entry = &dataset->codebook[i];
        const char *fields[COLUMN_COUNT] = {0};
        research_day_format(entry->first_day, first);
        research_day_format(entry->last_day, last);
        snprintf(version, sizeof version, "%d", entry->version);
        fields[COLUMN_TABLE] = "codebook";
        fields[COLUMN_SITE] = research_dataset_text(dataset, entry->site);
        fields[COLUMN_FIRST_DAY] = first;
        fields[COLUMN_LAST_DAY] = last;
        fields[COLUMN_ITEM] = research_dataset_text(dataset, entry->item);
        fields[COLUMN_LANG] = research_dataset_text(dataset, entry->lang);
        fields[COLUMN_VERSION] = version;
        fields[COLUMN_TEXT] = research_dataset_text(dataset, entry->text);
        write_csv_record(out, fields);
    }
    for (size_t i = 0; i < dataset->phase_config_count; i++) {
        const struct research_phase_config *config = &dataset->phase_configs[i];
        const char *fields[COLUMN_COUNT] = {0};
        research_day_format(config->first_day, first);
        research_day_format(config->last_day, last);
        fields[COLUMN_TABLE] = "phase_configs";
        fields[COLUMN_SITE] = research_dataset_text(dataset, config->site);
        fields[COLUMN_PHASE] = research_dataset_text(dataset, config->phase);
        fields[COLUMN_FIRST_DAY] = first;
        fields[COLUMN_LAST_DAY] = last;
        fields[COLUMN_CONFIG_HASH] = research_dataset_text(dataset, config->hash);
        write_csv_record(out, fields);
    }
}

/*
 * The allocation of a randomised room: one record per site and day, in the columns the CSV
 * already has (its header stays as it was): item = the experiment, kind = the condition, n =
 * the host's overrides that day, note = "block=B slot=S seed=N" (its place in the allocation).
 */
static void write_csv_experiment(const struct research_dataset *dataset, FILE *out)
{
    for (size_t i = 0; i < dataset->experiment_day_count; i++) {
        const struct research_experiment_day *day = &dataset->experiment_days[i];
        char date[RESEARCH_DATE_SIZE], place[80], overrides[16];
        const char *fields[COLUMN_COUNT] = {0};
        research_day_format(day->day, date);
        snprintf(place, sizeof place, "block=%d slot=%d seed=%s", day->block, day->slot, day->seed);
        snprintf(overrides, sizeof overrides, "%d", day->overrides);
        fields[COLUMN_TABLE] = "experiment_days";
        fields[COLUMN_SITE] = research_dataset_text(dataset, day->site);
        fields[COLUMN_PERIOD_KIND] = "day";
        fields[COLUMN_PERIOD] = date;
        fields[COLUMN_FIRST_DAY] = date;
        fields[COLUMN_LAST_DAY] = date;
        fields[COLUMN_CONFIG_HASH] = day->config_hash;
        fields[COLUMN_ITEM] = day->experiment;
        fields[COLUMN_KIND] = day->condition;
        fields[COLUMN_N] = overrides;
        fields[COLUMN_NOTE] = place;
        write_csv_record(out, fields);
    }
}

static int write_csv(const struct research_dataset *dataset, FILE *out)
{
    const char *header[COLUMN_COUNT];
    for (int c = 0; c < COLUMN_COUNT; c++) {
        header[c] = write_column_names[c];
    }
    write_csv_record(out, header);

    char first[RESEARCH_DATE_SIZE] = "", last[RESEARCH_DATE_SIZE] = "", k[16], note[512];
    if (dataset->first_day <= dataset->last_day) {
        research_day_format(dataset->first_day, first);
        research_day_format(dataset->last_day, last);
    }
    snprintf(k, sizeof k, "%d", dataset->k);
    snprintf(note, sizeof note,
             "k = %d: every n is at least k; the blocks are those of the site's k %d, the same in "
             "every export, so no sum or difference of rows of this and other exports gives a "
             "hidden count below %d; whole published blocks inside the window; answers %s room "
             "context; see docs/research.md",
             dataset->k, dataset->site_k, dataset->site_k,
             dataset->with_context ? "with" : "without");
    write_csv_about(out, "", first, last, k, note);
    for (size_t s = 0; s < dataset->site_count; s++) {
        const struct research_site *site = &dataset->sites[s];
        snprintf(note, sizeof note, "source %s (site name from the %s), schema %d, %s%s",
                 site->source, site->named_by, site->schema_version,
                 site->has_incidents ? "incidents counted" : "no incident table",
                 site->schema_version < RESEARCH_SCHEMA_V3
                     ? "; light band, responses, stress x wait, waiting messages and codebook: "
                       "not recorded in this database"
                     : "");
        write_csv_about(out, site->name, first, last, "", note);
    }
    for (size_t i = 0; i < dataset->note_count; i++) {
        write_csv_about(out, "", first, last, "", dataset->notes[i]);
    }
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct write_tally tally;
        write_tally_table(dataset, (enum research_table_id)t, &tally);
        char text[400];
        write_tally_text(dataset, (enum research_table_id)t, &tally, text, sizeof text);
        snprintf(note, sizeof note, "%s: %s", research_table_name((enum research_table_id)t), text);
        write_csv_about(out, "", first, last, "", note);
    }

    struct write_row *row = malloc(sizeof *row);
    if (row == NULL) {
        return -ENOMEM;
    }
    int rc = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == 0; t++) {
        const struct research_kanon_result *published = &dataset->tables[t].published;
        for (size_t i = 0; i < published->row_count && rc == 0; i++) {
            rc = write_fill_row(dataset, (enum research_table_id)t, &published->rows[i], row);
            if (rc == 0) {
                const char *fields[COLUMN_COUNT];
                for (int c = 0; c < COLUMN_COUNT; c++) {
                    fields[c] = write_row_field(row, c);
                }
                write_csv_record(out, fields);
            }
            free(row->pooled_period);
        }
    }
    free(row);
    if (rc == 0) {
        write_csv_codebook(dataset, out);
        write_csv_experiment(dataset, out);
    }
    return rc;
}

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 as is. */
static void write_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') {
            fputc('\\', out);
            fputc(*c, out);
        } else if (*c == '\n') {
            fputs("\\n", out);
        } else if (*c == '\r') {
            fputs("\\r", out);
        } else if (*c == '\t') {
            fputs("\\t", out);
        } else if (*c < 0x20) {
            fprintf(out, "\\u%04x", *c);
        } else {
            fputc(*c, out);
        }
    }
    fputc('"', out);
}

static void write_json_member(FILE *out, const char *name, const char *value, bool *first)
{
    fputs(*first ? "" : ", ", out);
    *first = false;
    write_json_string(out, name);
    fputs(": ", out);
    write_json_string(out, value);
}

static int write_json_row(FILE *out, const struct research_dataset *dataset,
                          enum research_table_id table, const struct research_row *published,
                          struct write_row *row)
{
    int rc = write_fill_row(dataset, table, published, row);
    if (rc != 0) {
        return rc;
    }
    fputs("{", out);
    bool first = true;
    for (int c = COLUMN_SITE; c < COLUMN_COUNT; c++) {
        if (c == COLUMN_N || c == COLUMN_NOTE) {
            continue;
        }
        const char *value = write_row_field(row, c);
        bool column_of_table = c <= COLUMN_LAST_DAY;
        for (int part = 2; part < 4 && !column_of_table; part++) {
            column_of_table = write_column_of(research_table_series_column(table, part)) == c;
        }
        for (int part = 0; part < RESEARCH_TUPLE_PARTS && !column_of_table; part++) {
            column_of_table = write_column_of(research_table_key_column(table, part)) == c &&
                              (table != RESEARCH_ANSWERS || part == 0 || dataset->with_context);
        }
        if (column_of_table && (value[0] != '\0' || c > COLUMN_LAST_DAY)) {
            write_json_member(out, write_column_names[c], value, &first);
        }
    }
    if (published->level == RESEARCH_LEVEL_POOLED_WEEKS) {
        const struct research_pool *pool = &dataset->tables[table].published.pools[published->pool];
        fputs(", \"weeks\": [", out);
        for (size_t w = 0; w < pool->count; w++) {
            char week[RESEARCH_WEEK_SIZE];
            research_week_label(pool->mondays[w], week);
            fputs(w > 0 ? ", " : "", out);
            write_json_string(out, week);
        }
        fputs("]", out);
    }
    if (published->note == RESEARCH_NOTE_SUPPRESSED) {
        fputs(", \"n\": null", out);
    } else {
        fprintf(out, ", \"n\": %lld", (long long)published->n);
    }
    if (published->note != RESEARCH_NOTE_CELL) {
        fputs(", ", out);
        write_json_string(out, "note");
        fputs(": ", out);
        write_json_string(out, write_note_name(published->note));
    }
    fputs("}", out);
    free(row->pooled_period);
    row->pooled_period = NULL;
    return 0;
}

static int write_json(const struct research_dataset *dataset, FILE *out)
{
    char first[RESEARCH_DATE_SIZE] = "", last[RESEARCH_DATE_SIZE] = "";
    if (dataset->first_day <= dataset->last_day) {
        research_day_format(dataset->first_day, first);
        research_day_format(dataset->last_day, last);
    }
    fprintf(out,
            "{\n  \"format\": \"oase-research-export\",\n  \"version\": 2,\n  \"k\": %d,\n"
            "  \"site_k\": %d,\n",
            dataset->k, dataset->site_k);
    fprintf(out,
            "  \"with_context\": %s,\n  \"first_day\": ", dataset->with_context ? "true" : "false");
    write_json_string(out, first);
    fputs(",\n  \"last_day\": ", out);
    write_json_string(out, last);
    fputs(",\n  \"sites\": [", out);
    for (size_t s = 0; s < dataset->site_count; s++) {
        const struct research_site *site = &dataset->sites[s];
        fputs(s > 0 ? ",\n    {" : "\n    {", out);
        bool member = true;
        write_json_member(out, "site", site->name, &member);
        write_json_member(out, "source", site->source, &member);
        write_json_member(out, "named_by", site->named_by, &member);
        fprintf(out, ", \"schema_version\": %d, \"incidents_table\": %s, \"schema_3_tables\": %s}",
                site->schema_version, site->has_incidents ? "true" : "false",
                site->schema_version >= RESEARCH_SCHEMA_V3 ? "true" : "false");
    }
    fputs("\n  ],\n  \"notes\": [", out);
    for (size_t i = 0; i < dataset->note_count; i++) {
        fputs(i > 0 ? ",\n    " : "\n    ", out);
        write_json_string(out, dataset->notes[i]);
    }
    fputs("\n  ],\n  \"summary\": {", out);
    for (int t = 0; t < RESEARCH_TABLE_COUNT; t++) {
        struct write_tally tally;
        write_tally_table(dataset, (enum research_table_id)t, &tally);
        fprintf(out,
                "%s\n    \"%s\": {\"hour\": %zu, \"part_of_day\": %zu, \"day\": %zu, \"week\": "
                "%zu, \"pooled_weeks\": %zu, \"ranges\": %zu, \"remainders\": %zu, "
                "\"suppressed_weeks\": %zu",
                t > 0 ? "," : "", research_table_name((enum research_table_id)t),
                tally.by_level[RESEARCH_LEVEL_HOUR], tally.by_level[RESEARCH_LEVEL_PART_OF_DAY],
                tally.by_level[RESEARCH_LEVEL_DAY], tally.by_level[RESEARCH_LEVEL_WEEK],
                tally.by_level[RESEARCH_LEVEL_POOLED_WEEKS], tally.ranges, tally.remainders,
                dataset->tables[t].parent >= 0 ? 0 : tally.suppressed);
        if (dataset->tables[t].parent >= 0) {
            fprintf(out, ", \"rows_not_split\": %zu", tally.unsplit);
        }
        if (t == RESEARCH_ARRIVALS) {
            fprintf(out, ", \"weeks_as_totals\": %zu", tally.unsplit);
        }
        if (t == RESEARCH_ANSWERS && dataset->with_context) {
            fputs(", \"room_context_rows\": {", out);
            for (int level = 0; level < RESEARCH_CONTEXT_LEVELS; level++) {
                fputs(level ? ", " : "", out);
                write_json_string(out, research_context_level_name(level));
                fprintf(out, ": %zu", tally.by_context[level]);
            }
            fputs("}", out);
        }
        fputs("}", out);
    }
    fputs("\n  },\n  \"tables\": {", out);
    struct write_row *row = malloc(sizeof *row);
    if (row == NULL) {
        return -ENOMEM;
    }
    int rc = 0;
    for (int t = 0; t < RESEARCH_TABLE_COUNT && rc == 0; t++) {
        fprintf(out, "%s\n    \"%s\": [", t > 0 ? "," : "",
                research_table_name((enum research_table_id)t));
        const struct research_kanon_result *published = &dataset->tables[t].published;
        for (size_t i = 0; i < published->row_count && rc == 0; i++) {
            fputs(i > 0 ? ",\n      " : "\n      ", out);
            rc = write_json_row(out, dataset, (enum research_table_id)t, &published->rows[i], row);
        }
        fputs(published->row_count > 0 ? "\n    ]" : "]", out);
    }
    fputs("\n  },\n  \"codebook\": [", out);
    char day[RESEARCH_DATE_SIZE];
    for (size_t i = 0; i < dataset->codebook_count; i++) {
        const struct research_codebook_entry *entry = &dataset->codebook[i];
        fputs(i > 0 ? ",\n    {" : "\n    {", out);
        bool member = true;
        write_json_member(out, "site", research_dataset_text(dataset, entry->site), &member);
        write_json_member(out, "item", research_dataset_text(dataset, entry->item), &member);
        write_json_member(out, "lang", research_dataset_text(dataset, entry->lang), &member);
        fprintf(out, ", \"version\": %d", entry->version);
        write_json_member(out, "text", research_dataset_text(dataset, entry->text), &member);
        research_day_format(entry->first_day, day);
        write_json_member(out, "first_day", day, &member);
        research_day_format(entry->last_day, day);
        write_json_member(out, "last_day", day, &member);
        fputs("}", out);
    }
    fputs(dataset->codebook_count ? "\n  ],\n  \"phase_configs\": [" : "],\n  \"phase_configs\": [",
          out);
    for (size_t i = 0; i < dataset->phase_config_count; i++) {
        const struct research_phase_config *config = &dataset->phase_configs[i];
        fputs(i > 0 ? ",\n    {" : "\n    {", out);
        bool member = true;
        write_json_member(out, "site", research_dataset_text(dataset, config->site), &member);
        write_json_member(out, "phase", research_dataset_text(dataset, config->phase), &member);
        write_json_member(out, "config_hash", research_dataset_text(dataset, config->hash),
                          &member);
        research_day_format(config->first_day, day);
        write_json_member(out, "first_day", day, &member);
        research_day_format(config->last_day, day);
        write_json_member(out, "last_day", day, &member);
        fputs("}", out);
    }
    fputs(dataset->phase_config_count ? "\n  ],\n  \"experiment_days\": ["
                                      : "],\n  \"experiment_days\": [",
          out);
    for (size_t i = 0; i < dataset->experiment_day_count; i++) {
        const struct research_experiment_day *entry = &dataset->experiment_days[i];
        fputs(i > 0 ? ",\n    {" : "\n    {", out);
        bool member = true;
        write_json_member(out, "site", research_dataset_text(dataset, entry->site), &member);
        research_day_format(entry->day, day);
        write_json_member(out, "day", day, &member);
        write_json_member(out, "experiment", entry->experiment, &member);
        write_json_member(out, "condition", entry->condition, &member);
        fprintf(out, ", \"block\": %d, \"slot\": %d", entry->block, entry->slot);
        write_json_member(out, "seed", entry->seed, &member);
        write_json_member(out, "config_hash", entry->config_hash, &member);
        fprintf(out, ", \"overrides\": %d}", entry->overrides);
    }
    fputs(dataset->experiment_day_count ? "\n  ]\n}\n" : "]\n}\n", out);
    free(row);
    return rc;
}

int research_export_write(const struct research_dataset *dataset, enum research_format format,
                          FILE *out)
{
    int rc = format == RESEARCH_FORMAT_JSON ? write_json(dataset, out) : write_csv(dataset, out);
    if (rc != 0) {
        return rc;
    }
    if (fflush(out) != 0 || ferror(out)) {
        return -EIO;
    }
    return 0;
}
