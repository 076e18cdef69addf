/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_experiment: the allocation table of a randomised room in the export. One row
 * per day and site (condition, block, slot, seed, config hash, overrides): about the room,
 * never about a person, so it is published as it is, without k. Store (experiment_days) ->
 * here -> research_export_write (CSV / JSON) and research_report_randomised (the analysis).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "experiment/experiment_alloc.h"
#include "research/research_export.h"
#include "research/research_period.h"

static void experiment_copy(char *out, size_t size, sqlite3_stmt *stmt, int column)
{
    const char *text = (const char *)sqlite3_column_text(stmt, column);
    snprintf(out, size, "%s", text != NULL ? text : "");
}

int research_export_read_experiment(struct sqlite3 *db, const char *path, uint32_t site_text,
                                    struct research_dataset *dataset, char *err, size_t err_size)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT day, experiment, condition, block, slot, seed, "
                                "config_hash, overrides FROM experiment_days ORDER BY day",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "%s: reading experiment_days: %s", path, sqlite3_errmsg(db));
        return -EIO;
    }
    int result = 0;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct research_experiment_day row = {.site = site_text};
        const char *day = (const char *)sqlite3_column_text(stmt, 0);
        row.block = sqlite3_column_int(stmt, 3);
        row.slot = sqlite3_column_int(stmt, 4);
        row.overrides = sqlite3_column_int(stmt, 7);
        if (day == NULL || research_day_parse(day, &row.day) != 0 || row.block < 0 ||
            row.block >= EXPERIMENT_DAYS_MAX || row.slot < 0 ||
            row.slot >= EXPERIMENT_CONDITIONS_MAX || row.overrides < 0) {
            snprintf(err, err_size,
                     "%s: experiment_days has a row that is no day of an allocation (day %s, "
                     "block %d, slot %d): the database is damaged; copy it and ask for help",
                     path, day != NULL ? day : "NULL", row.block, row.slot);
            result = -EPROTO;
            break;
        }
        experiment_copy(row.experiment, sizeof row.experiment, stmt, 1);
        experiment_copy(row.condition, sizeof row.condition, stmt, 2);
        experiment_copy(row.seed, sizeof row.seed, stmt, 5);
        experiment_copy(row.config_hash, sizeof row.config_hash, stmt, 6);
        struct research_experiment_day *grown =
            realloc(dataset->experiment_days,
                    (dataset->experiment_day_count + 1) * sizeof dataset->experiment_days[0]);
        if (grown == NULL) {
            snprintf(err, err_size, "out of memory reading %s", path);
            result = -ENOMEM;
            break;
        }
        dataset->experiment_days = grown;
        dataset->experiment_days[dataset->experiment_day_count++] = row;
    }
    if (result == 0 && rc != SQLITE_DONE) {
        snprintf(err, err_size, "%s: reading experiment_days: %s", path, sqlite3_errmsg(db));
        result = -EIO;
    }
    sqlite3_finalize(stmt);
    return result;
}

void research_export_keep_experiment(struct research_dataset *dataset, int32_t first, int32_t last)
{
    size_t kept = 0;
    for (size_t i = 0; i < dataset->experiment_day_count; i++) {
        if (dataset->experiment_days[i].day >= first && dataset->experiment_days[i].day <= last) {
            dataset->experiment_days[kept++] = dataset->experiment_days[i];
        }
    }
    dataset->experiment_day_count = kept;
}
