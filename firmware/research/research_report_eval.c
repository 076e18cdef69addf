/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_eval: the schema 3 sections of the report: stress band x
 * waiting-time band per phase with Kendall's tau-b, what each waiting message was followed
 * by, response-rate denominators, and the codebook with its warnings when a wording or the
 * configuration changed within a phase. Like research_report.c it reads only published rows
 * of a dataset: a merged range is never split, a split the export did not show is counted
 * as "not split", and nothing is spread or estimated.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"
#include "research/research_report.h"

static int eval_phase_index(const struct research_report *report, const char *name)
{
    for (size_t p = 0; p < report->phase_count; p++) {
        if (strcmp(report->phases[p].name, name) == 0) {
            return (int)p;
        }
    }
    return -1;
}

static const char *eval_series(const struct research_dataset *dataset, enum research_table_id table,
                               const struct research_row *row, int part)
{
    return research_dataset_text(dataset, dataset->tables[table].series[row->series].text[part]);
}

static const char *eval_key(const struct research_dataset *dataset, enum research_table_id table,
                            const struct research_row *row, int part)
{
    return research_dataset_text(dataset, dataset->tables[table].keys[row->key].text[part]);
}

/* "0-3" .. "0-10" and "none" as first and last stress band (3 = none). Returns 0 or -1. */
static int eval_stress_bands(const char *label, int *first, int *last)
{
    static const struct {
        const char *label;
        int first, last;
    } bands[] = {{STORE_STRESS_BAND_LOW, 0, 0},
                 {STORE_STRESS_BAND_MID, 1, 1},
                 {STORE_STRESS_BAND_HIGH, 2, 2},
                 {"0-6", 0, 1},
                 {"4-10", 1, 2},
                 {"0-10", 0, 2},
                 {"none", 3, 3}};
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
        if (strcmp(bands[i].label, label) == 0) {
            *first = bands[i].first;
            *last = bands[i].last;
            return 0;
        }
    }
    return -1;
}

/* Groups of bands 0..count-1 between the cuts still standing: first[g]..last[g]. */
static int eval_groups(const bool *cut, int count, int *first, int *last)
{
    int groups = 0;
    first[0] = 0;
    for (int band = 0; band < count; band++) {
        if (band == count - 1 || cut[band]) {
            last[groups++] = band;
            if (band + 1 < count) {
                first[groups] = band + 1;
            }
        }
    }
    return groups;
}

static int eval_group_of(const int *first, const int *last, int groups, int band)
{
    for (int g = 0; g < groups; g++) {
        if (band >= first[g] && band <= last[g]) {
            return g;
        }
    }
    return 0;
}

/* The finest common bands of a phase's published stress x wait rows, and tau-b on them. */
static void eval_crosstab(struct research_report_crosstab *table)
{
    bool stress_cut[2] = {true, true};
    bool wait_cut[RESEARCH_REPORT_WAIT_BANDS - 1];
    for (int i = 0; i < RESEARCH_REPORT_WAIT_BANDS - 1; i++) {
        wait_cut[i] = true;
    }
    for (int s1 = 0; s1 < RESEARCH_REPORT_STRESS_BANDS; s1++) {
        for (int s2 = s1; s2 < RESEARCH_REPORT_STRESS_BANDS; s2++) {
            const struct research_report_wait_bands *bands = &table->published[s1][s2];
            if (bands->total == 0) {
                continue;
            }
            for (int b = s1; b < s2 && s2 < 3; b++) {
                stress_cut[b] = false; /* a merged stress range: its bands stay together */
            }
            for (int w1 = 0; w1 < RESEARCH_REPORT_WAIT_BANDS; w1++) {
                for (int w2 = w1 + 1; w2 < RESEARCH_REPORT_WAIT_BANDS; w2++) {
                    for (int b = w1; b < w2 && bands->bands[w1][w2] > 0; b++) {
                        wait_cut[b] = false;
                    }
                }
            }
        }
    }
    table->stress_groups = eval_groups(stress_cut, 3, table->stress_first, table->stress_last);
    table->wait_groups =
        eval_groups(wait_cut, RESEARCH_REPORT_WAIT_BANDS, table->wait_first, table->wait_last);
    memset(table->n, 0, sizeof table->n);
    table->with_stress = 0;
    for (int s1 = 0; s1 < RESEARCH_REPORT_STRESS_BANDS; s1++) {
        for (int s2 = s1; s2 < RESEARCH_REPORT_STRESS_BANDS; s2++) {
            int row = s1 == 3 ? 3
                              : eval_group_of(table->stress_first, table->stress_last,
                                              table->stress_groups, s1);
            for (int w1 = 0; w1 < RESEARCH_REPORT_WAIT_BANDS; w1++) {
                for (int w2 = w1; w2 < RESEARCH_REPORT_WAIT_BANDS; w2++) {
                    int64_t n = table->published[s1][s2].bands[w1][w2];
                    int column =
                        eval_group_of(table->wait_first, table->wait_last, table->wait_groups, w1);
                    table->n[row][column] += n;
                    table->with_stress += row < 3 ? n : 0;
                }
            }
        }
    }
    int64_t cells[3 * RESEARCH_REPORT_WAIT_BANDS];
    for (int r = 0; r < table->stress_groups; r++) {
        for (int c = 0; c < table->wait_groups; c++) {
            cells[r * table->wait_groups + c] = table->n[r][c];
        }
    }
    table->tau_b = research_stats_kendall_tau_b(cells, (size_t)table->stress_groups,
                                                (size_t)table->wait_groups);
}

static void eval_add_bands(struct research_report_wait_bands *bands, int first, int last, int64_t n)
{
    bands->bands[first][last] += n;
    bands->total += n;
}

static void eval_stress_row(const struct research_dataset *dataset, const struct research_row *row,
                            struct research_report_phase *phase)
{
    struct research_report_crosstab *table = &phase->stress_wait;
    int first = 0, last = 0, s1 = 0, s2 = 0;
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
        table->unsplit_rows++;
        return;
    }
    if (eval_stress_bands(eval_key(dataset, RESEARCH_STRESS_WAITS, row, 0), &s1, &s2) != 0 ||
        research_row_wait_bands(dataset, RESEARCH_STRESS_WAITS, row, &first, &last) != 0) {
        return;
    }
    if (s1 != s2) { /* merged stress bands would merge the whole phase's table: left out */
        table->merged_stress += row->n;
        return;
    }
    eval_add_bands(&table->published[s1][s2], first, last, row->n);
}

static int eval_index(const char *text, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        if (strcmp(text, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static void eval_message_row(const struct research_dataset *dataset, const struct research_row *row,
                             struct research_report_phase *phase)
{
    static const char *const messages[] = {STORE_WAIT_MESSAGE_RANGE, STORE_WAIT_MESSAGE_HOST_KNOWS,
                                           "none"};
    static const char *const outcomes[] = {STORE_OUTCOME_COLLECTED, STORE_OUTCOME_NO_SHOW,
                                           STORE_OUTCOME_NOT_MARKED, STORE_OUTCOME_LEFT};
    static const char *const within[] = {STORE_WITHIN_BELOW, STORE_WITHIN_WITHIN,
                                         STORE_WITHIN_ABOVE, RESEARCH_ANY};
    int o = eval_index(eval_key(dataset, RESEARCH_WAIT_MESSAGES, row, 1), outcomes, 4);
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
        phase->messages_unsplit++;
        for (int i = 0; i < 4; i++) { /* an outcome it cannot tell: every outcome */
            phase->outcome_unsplit[i] = phase->outcome_unsplit[i] || o < 0 || o == i;
        }
        return;
    }
    int m = eval_index(eval_key(dataset, RESEARCH_WAIT_MESSAGES, row, 0), messages, 3);
    if (m < 0 || o < 0) {
        return;
    }
    struct research_report_message *message = &phase->messages[m];
    message->shown += row->n;
    message->outcome[o] += row->n;
    int first = 0, last = 0;
    if (o == 0 &&
        research_row_wait_bands(dataset, RESEARCH_WAIT_MESSAGES, row, &first, &last) == 0) {
        eval_add_bands(&message->waits, first, last, row->n);
    }
    int w = eval_index(eval_key(dataset, RESEARCH_WAIT_MESSAGES, row, 3), within, 4);
    if (o == 0 && m == 0 && w >= 0) {
        message->within[w] += row->n;
    }
}

static void eval_response_row(const struct research_dataset *dataset,
                              const struct research_row *row, struct research_report_phase *phase)
{
    struct research_report_responses *responses = &phase->responses;
    if (strcmp(eval_series(dataset, RESEARCH_RESPONSES, row, 2), STORE_MOMENT_ARRIVAL) != 0 ||
        strcmp(eval_series(dataset, RESEARCH_RESPONSES, row, 3), STORE_QUESTION_STRESS) != 0) {
        return;
    }
    if (row->note == RESEARCH_NOTE_SUPPRESSED) {
        responses->unsplit++;
        return;
    }
    const char *service = eval_key(dataset, RESEARCH_RESPONSES, row, 0);
    const char *response = eval_key(dataset, RESEARCH_RESPONSES, row, 1);
    int status = strcmp(response, STORE_RESPONSE_ANSWERED) == 0  ? 0
                 : strcmp(response, STORE_RESPONSE_SKIPPED) == 0 ? 1
                                                                 : -1;
    if (status < 0) {
        responses->not_asked += strcmp(response, STORE_RESPONSE_NOT_ASKED) == 0 ? row->n : 0;
        return;
    }
    *(status == 0 ? &responses->answered : &responses->skipped) += row->n;
    if (row->level == RESEARCH_LEVEL_HOUR) {
        responses->by_part[research_part_of_hour(row->time_of_day)][status] += row->n;
    } else if (row->level == RESEARCH_LEVEL_PART_OF_DAY) {
        responses->by_part[row->time_of_day & 3][status] += row->n;
    } else {
        responses->coarser[status] += row->n;
    }
    size_t s = 0;
    while (s < responses->service_count && strcmp(responses->services[s], service) != 0) {
        s++;
    }
    if (s == responses->service_count && s < RESEARCH_REPORT_SERVICES) {
        snprintf(responses->services[s], sizeof responses->services[s], "%s", service);
        responses->service_count++;
    }
    if (s == RESEARCH_REPORT_SERVICES) {
        s = RESEARCH_REPORT_SERVICES - 1; /* more services than the table shows: the last row */
    }
    responses->by_service[s][status] += row->n;
}

/* The phase a site was in on day: its phase_configs, else the report's phase spans. */
static const char *eval_phase_on(const struct research_dataset *dataset,
                                 const struct research_report *report, uint32_t site, int32_t day)
{
    for (size_t i = 0; i < dataset->phase_config_count; i++) {
        const struct research_phase_config *config = &dataset->phase_configs[i];
        if (config->site == site && config->first_day <= day && day <= config->last_day) {
            return research_dataset_text(dataset, config->phase);
        }
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        if (report->phases[p].first_day <= day && day <= report->phases[p].last_day) {
            return report->phases[p].name;
        }
    }
    return "";
}

__attribute__((format(printf, 2, 3))) static void eval_warn(struct research_report *report,
                                                            const char *fmt, ...)
{
    char text[RESEARCH_NOTE_MAX];
    va_list args;
    va_start(args, fmt);
    int length = vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    if (length >= (int)sizeof text) { /* cut: never inside a UTF-8 character (cairo refuses) */
        size_t end = sizeof text - 1, continuation = 0;
        while (end > 0 && ((unsigned char)text[end - 1] & 0xC0) == 0x80) {
            end--;
            continuation++;
        }
        unsigned char lead = end > 0 ? (unsigned char)text[end - 1] : 0;
        size_t expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        text[continuation == expected ? sizeof text - 1 : end - (lead >= 0xC0 ? 1 : 0)] = '\0';
    }
    for (size_t i = 0; i < report->warning_count; i++) {
        if (strcmp(report->warnings[i], text) == 0) {
            return; /* the same change in another language */
        }
    }
    if (report->warning_count < RESEARCH_REPORT_WARNINGS) {
        snprintf(report->warnings[report->warning_count++], RESEARCH_NOTE_MAX, "%s", text);
    }
}

/* Warnings: a wording or a configuration that changed on a day inside one phase. */
static void eval_warnings(const struct research_dataset *dataset, struct research_report *report)
{
    char day[RESEARCH_DATE_SIZE];
    for (size_t i = 1; i < dataset->codebook_count; i++) {
        const struct research_codebook_entry *before = &dataset->codebook[i - 1];
        const struct research_codebook_entry *after = &dataset->codebook[i];
        if (before->site != after->site || before->item != after->item ||
            before->lang != after->lang || after->first_day <= report->first_day) {
            continue;
        }
        const char *phase = eval_phase_on(dataset, report, after->site, after->first_day);
        const char *previous = eval_phase_on(dataset, report, after->site, before->last_day);
        if (phase[0] == '\0' || strcmp(phase, previous) != 0) {
            continue; /* changed together with the phase: that is the design */
        }
        research_day_format(after->first_day, day);
        eval_warn(report,
                  "the measure changed on %s: the wording of %s changed within phase %s at site "
                  "%s: results before and after may not be comparable",
                  day, research_dataset_text(dataset, after->item), phase,
                  research_dataset_text(dataset, after->site));
    }
    for (size_t i = 0; i < dataset->phase_config_count; i++) {
        const struct research_phase_config *later = &dataset->phase_configs[i];
        for (size_t j = 0; j < dataset->phase_config_count; j++) {
            const struct research_phase_config *earlier = &dataset->phase_configs[j];
            if (j == i || earlier->site != later->site || earlier->phase != later->phase ||
                earlier->first_day >= later->first_day || later->first_day <= report->first_day) {
                continue;
            }
            research_day_format(later->first_day, day);
            eval_warn(report,
                      "the measure changed on %s: the configuration (config hash) changed within "
                      "phase %s at site %s: results before and after may not be comparable",
                      day, research_dataset_text(dataset, later->phase),
                      research_dataset_text(dataset, later->site));
            break;
        }
    }
}

static int eval_codebook(const struct research_dataset *dataset, struct research_report *report)
{
    size_t count = dataset->codebook_count + dataset->phase_config_count;
    report->codebook = calloc(count ? count : 1, sizeof report->codebook[0]);
    if (report->codebook == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        struct research_report_wording *wording = &report->codebook[report->codebook_count];
        const char *text = NULL;
        if (i < dataset->codebook_count) {
            const struct research_codebook_entry *entry = &dataset->codebook[i];
            snprintf(wording->site, sizeof wording->site, "%s",
                     research_dataset_text(dataset, entry->site));
            snprintf(wording->item, sizeof wording->item, "%s",
                     research_dataset_text(dataset, entry->item));
            snprintf(wording->lang, sizeof wording->lang, "%s",
                     research_dataset_text(dataset, entry->lang));
            wording->version = entry->version;
            wording->first_day = entry->first_day;
            wording->last_day = entry->last_day;
            text = research_dataset_text(dataset, entry->text);
        } else {
            const struct research_phase_config *config =
                &dataset->phase_configs[i - dataset->codebook_count];
            snprintf(wording->site, sizeof wording->site, "%s",
                     research_dataset_text(dataset, config->site));
            snprintf(wording->item, sizeof wording->item, "%s",
                     research_dataset_text(dataset, config->phase));
            wording->first_day = config->first_day;
            wording->last_day = config->last_day;
            text = research_dataset_text(dataset, config->hash);
        }
        wording->text = strdup(text);
        if (wording->text == NULL) {
            return -ENOMEM;
        }
        report->codebook_count++;
    }
    return 0;
}

int research_report_compute_eval(const struct research_dataset *dataset,
                                 struct research_report *report)
{
    for (size_t s = 0; s < dataset->site_count; s++) {
        report->schema3 = report->schema3 || dataset->sites[s].schema_version >= RESEARCH_SCHEMA_V3;
        report->claims_table = report->claims_table || dataset->sites[s].has_table[RESEARCH_CLAIMS];
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        report->phases[p].stress_wait.recorded = report->schema3;
        report->phases[p].messages_recorded = report->schema3;
        report->phases[p].responses.recorded = report->schema3;
    }
    static const enum research_table_id tables[] = {RESEARCH_STRESS_WAITS, RESEARCH_WAIT_MESSAGES,
                                                    RESEARCH_RESPONSES};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct research_kanon_result *rows = &dataset->tables[tables[t]].published;
        for (size_t r = 0; r < rows->row_count; r++) {
            const struct research_row *row = &rows->rows[r];
            int p = eval_phase_index(report, eval_series(dataset, tables[t], row, 1));
            if (p < 0) {
                continue;
            }
            if (tables[t] == RESEARCH_STRESS_WAITS) {
                eval_stress_row(dataset, row, &report->phases[p]);
            } else if (tables[t] == RESEARCH_WAIT_MESSAGES) {
                eval_message_row(dataset, row, &report->phases[p]);
            } else {
                eval_response_row(dataset, row, &report->phases[p]);
            }
        }
    }
    for (size_t p = 0; p < report->phase_count; p++) {
        struct research_report_phase *phase = &report->phases[p];
        eval_crosstab(&phase->stress_wait);
        struct research_report_responses *responses = &phase->responses;
        int64_t checkins = phase->completed[RESEARCH_AT_ARRIVAL];
        int64_t answered = phase->stress[RESEARCH_AT_ARRIVAL].summary.n; /* all published */
        responses->rate_checkins = phase->response_rate_completed;
        responses->rate_started = checkins + phase->abandoned > 0
                                      ? (double)answered / (double)(checkins + phase->abandoned)
                                      : NAN;
        double rate = phase->response_rate_completed;
        if (isfinite(rate) && rate < RESEARCH_REPORT_CAUTION_RATE) {
            report->self_selection = true;
        }
    }
    if (report->compare_a >= 0) {
        const struct research_report_phase *a = &report->phases[report->compare_a];
        const struct research_report_phase *b = &report->phases[report->compare_b];
        double rate_a = a->response_rate_completed, rate_b = b->response_rate_completed;
        if (isfinite(rate_a) && isfinite(rate_b) &&
            fabs(rate_a - rate_b) >= RESEARCH_REPORT_CAUTION_SPREAD - 1e-9) {
            report->self_selection = true;
        }
    }
    eval_warnings(dataset, report);
    return eval_codebook(dataset, report);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void eval_json_band_label(FILE *out, int first, int last)
{
    char label[32];
    if (first == last) {
        snprintf(label, sizeof label, "%s", research_wait_band_name(first));
    } else {
        int low = 0, high = 0;
        research_wait_band_minutes(research_wait_band_name(first), research_wait_band_name(last),
                                   &low, &high);
        if (high < 0) {
            snprintf(label, sizeof label, "%d+", low);
        } else {
            snprintf(label, sizeof label, "%d-%d", low, high);
        }
    }
    research_report_json_string(out, label);
}

static void eval_json_bands(FILE *out, const struct research_report_wait_bands *bands)
{
    fputs("{", out);
    bool first_member = true;
    for (int w1 = 0; w1 < RESEARCH_REPORT_WAIT_BANDS; w1++) {
        for (int w2 = w1; w2 < RESEARCH_REPORT_WAIT_BANDS; w2++) {
            if (bands->bands[w1][w2] > 0) {
                fputs(first_member ? "" : ", ", out);
                first_member = false;
                eval_json_band_label(out, w1, w2);
                fprintf(out, ": %lld", (long long)bands->bands[w1][w2]);
            }
        }
    }
    fputs("}", out);
}

void research_report_write_eval_json(const struct research_report *report, FILE *out)
{
    static const char *const stress_labels[] = {STORE_STRESS_BAND_LOW, STORE_STRESS_BAND_MID,
                                                STORE_STRESS_BAND_HIGH};
    static const char *const message_names[] = {STORE_WAIT_MESSAGE_RANGE,
                                                STORE_WAIT_MESSAGE_HOST_KNOWS, "none"};
    static const char *const parts[] = {"night", "morning", "afternoon", "evening"};
    fprintf(out, ",\n  \"schema_3\": %s,\n  \"evaluation\": [", report->schema3 ? "true" : "false");
    for (size_t p = 0; p < report->phase_count; p++) {
        const struct research_report_phase *phase = &report->phases[p];
        const struct research_report_crosstab *table = &phase->stress_wait;
        fputs(p ? ",\n    {\"phase\": " : "\n    {\"phase\": ", out);
        research_report_json_string(out, phase->name);
        fputs(", \"stress_x_wait\": {\"stress_bands\": [", out);
        for (int g = 0; g < table->stress_groups; g++) {
            char label[16];
            snprintf(label, sizeof label, "%.*s-%s",
                     (int)strcspn(stress_labels[table->stress_first[g]], "-"),
                     stress_labels[table->stress_first[g]],
                     strchr(stress_labels[table->stress_last[g]], '-') + 1);
            fputs(g ? ", " : "", out);
            research_report_json_string(out, label);
        }
        fputs("], \"wait_bands\": [", out);
        for (int g = 0; g < table->wait_groups; g++) {
            fputs(g ? ", " : "", out);
            eval_json_band_label(out, table->wait_first[g], table->wait_last[g]);
        }
        fputs("], \"counts\": [", out);
        for (int r = 0; r < table->stress_groups; r++) {
            fputs(r ? ", [" : "[", out);
            for (int c = 0; c < table->wait_groups; c++) {
                fprintf(out, "%s%lld", c ? ", " : "", (long long)table->n[r][c]);
            }
            fputs("]", out);
        }
        fputs("], \"no_stress_answer\": [", out);
        for (int c = 0; c < table->wait_groups; c++) {
            fprintf(out, "%s%lld", c ? ", " : "", (long long)table->n[3][c]);
        }
        fprintf(out,
                "], \"with_stress\": %lld, \"rows_not_split\": %lld, \"merged_stress_left_out\": "
                "%lld, \"kendall_tau_b\": ",
                (long long)table->with_stress, (long long)table->unsplit_rows,
                (long long)table->merged_stress);
        research_report_json_number(out, table->tau_b);
        fputs("},\n     \"wait_messages\": {", out);
        for (int m = 0; m < RESEARCH_REPORT_MESSAGES; m++) {
            const struct research_report_message *message = &phase->messages[m];
            fprintf(out,
                    "%s\"%s\": {\"shown\": %lld, \"collected\": %lld, \"no_show\": %lld, "
                    "\"not_marked\": %lld, \"left\": %lld, \"below\": %lld, \"within\": %lld, "
                    "\"above\": %lld, "
                    "\"within_not_split\": %lld, \"waits\": ",
                    m ? ", " : "", message_names[m], (long long)message->shown,
                    (long long)message->outcome[0], (long long)message->outcome[1],
                    (long long)message->outcome[2], (long long)message->outcome[3],
                    (long long)message->within[0], (long long)message->within[1],
                    (long long)message->within[2], (long long)message->within[3]);
            eval_json_bands(out, &message->waits);
            fputs("}", out);
        }
        fprintf(out, ", \"rows_not_split\": %lld},\n     \"responses\": ",
                (long long)phase->messages_unsplit);
        const struct research_report_responses *responses = &phase->responses;
        if (!responses->recorded) {
            fputs("null}", out);
            continue;
        }
        fprintf(out,
                "{\"answered\": %lld, \"skipped\": %lld, \"not_asked\": %lld, "
                "\"completed_checkins\": %lld, \"abandoned_checkins\": %lld, "
                "\"rate_of_checkins\": ",
                (long long)responses->answered, (long long)responses->skipped,
                (long long)responses->not_asked, (long long)phase->completed[RESEARCH_AT_ARRIVAL],
                (long long)phase->abandoned);
        research_report_json_number(out, responses->rate_checkins);
        fputs(", \"rate_of_started\": ", out);
        research_report_json_number(out, responses->rate_started);
        fputs(", \"by_part_of_day\": {", out);
        for (int part = 0; part < 4; part++) {
            fprintf(out, "%s\"%s\": [%lld, %lld]", part ? ", " : "", parts[part],
                    (long long)responses->by_part[part][0], (long long)responses->by_part[part][1]);
        }
        fprintf(out, ", \"coarser\": [%lld, %lld]}, \"by_service\": {",
                (long long)responses->coarser[0], (long long)responses->coarser[1]);
        for (size_t s = 0; s < responses->service_count; s++) {
            fputs(s ? ", " : "", out);
            research_report_json_string(out, responses->services[s]);
            fprintf(out, ": [%lld, %lld]", (long long)responses->by_service[s][0],
                    (long long)responses->by_service[s][1]);
        }
        fprintf(out, "}, \"periods_not_split\": %lld}}", (long long)responses->unsplit);
    }
    fprintf(out, "\n  ],\n  \"self_selection_caution\": %s,\n  \"warnings\": [",
            report->self_selection ? "true" : "false");
    for (size_t i = 0; i < report->warning_count; i++) {
        fputs(i ? ", " : "", out);
        research_report_json_string(out, report->warnings[i]);
    }
    fputs("],\n  \"codebook\": [", out);
    for (size_t i = 0; i < report->codebook_count; i++) {
        const struct research_report_wording *wording = &report->codebook[i];
        char first[RESEARCH_DATE_SIZE], last[RESEARCH_DATE_SIZE];
        research_day_format(wording->first_day, first);
        research_day_format(wording->last_day, last);
        fputs(i ? ",\n    {\"site\": " : "\n    {\"site\": ", out);
        research_report_json_string(out, wording->site);
        if (wording->version > 0) {
            fputs(", \"item\": ", out);
            research_report_json_string(out, wording->item);
            fputs(", \"lang\": ", out);
            research_report_json_string(out, wording->lang);
            fprintf(out, ", \"version\": %d, \"text\": ", wording->version);
        } else {
            fputs(", \"phase\": ", out);
            research_report_json_string(out, wording->item);
            fputs(", \"config_hash\": ", out);
        }
        research_report_json_string(out, wording->text);
        fprintf(out, ", \"first_day\": \"%s\", \"last_day\": \"%s\"}", first, last);
    }
    fputs(report->codebook_count ? "\n  ]" : "]", out);
}
