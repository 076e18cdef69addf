/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_export_internal: what the files of research_export share and nothing outside
 * them may use: the description of each store table, the build being assembled, and the
 * helpers one step of the build lends another. Reading (research_export_read.c), interned
 * texts (research_export_texts.c), numbering (research_export_number.c), split tables
 * (research_export_split.c) and the build itself (research_export.c).
 */
#ifndef OASE_RESEARCH_EXPORT_INTERNAL_H
#define OASE_RESEARCH_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "research/research_export.h"

/* How each store table becomes an exported table. */
struct export_table_desc {
    const char *name;
    const char *source; /* the store's table */
    const char *select; /* day, hour (or -1), phase, series parts, key parts, n */
    int series_parts;   /* series columns after site and phase (0..2) */
    const char *series_columns[2];
    int key_parts; /* 1..5 */
    const char *key_columns[5];
    int context_parts;     /* trailing key parts exported only with_context */
    const char *select_v2; /* schemas before 3, when the columns differ; NULL: select */
    int position_part;     /* the key part that can lie on an ordered scale; -1: none */
};

struct research_texts {
    char **items;
    size_t count, capacity;
    uint32_t *slots; /* open addressing: item number + 1, 0 = empty */
    size_t slot_capacity;
};

/* ---- numbered tuples (series and keys of one table) -------------------------------------- */

struct export_tuples {
    struct research_tuple *items;
    size_t count, capacity;
    uint32_t *slots;
    size_t slot_capacity;
};
/* ---- the build ------------------------------------------------------------------------- */

/* The last text read from one result column, so repeated values are not hashed again. */
struct export_column_cache {
    char text[64];
    int length; /* -1: nothing cached */
    uint32_t id;
};

struct export_table_cells {
    struct research_cell *cells;
    size_t count, capacity;
    struct export_tuples series, keys;
};

struct export_build {
    const struct research_export_options *options;
    struct research_dataset *dataset;
    struct export_table_cells tables[RESEARCH_TABLE_COUNT];
    size_t total_cells;
    int32_t unfolded_first;  /* the earliest day that still has arrival rows; INT32_MAX: none */
    uint32_t *answer_number; /* interned answers key -> its number; answer_numbered of them */
    size_t answer_numbered;
    bool *context_split; /* per published answers row: split by room context */
    char *err;
    size_t err_size;
};

/* research_export_texts.c */
int export_grow(void **buffer, size_t *capacity, size_t need, size_t size);
int texts_intern(struct research_texts *texts, const char *text, size_t length, uint32_t *id);
void texts_free(struct research_texts *texts);
int tuples_intern(struct export_tuples *tuples, const struct research_tuple *tuple, uint32_t *id);

/* research_export_read.c */
int export_read_database(struct export_build *build, const char *path, struct research_site *site,
                         const char *from_text, const char *to_text);
int export_option_day(struct export_build *build, const char *option, const char *text,
                      int32_t *day, bool *given);
int export_check_distinct(struct export_build *build);
int export_settle_range(struct export_build *build, int32_t from_day, bool from_given,
                        int32_t to_day, bool to_given);

/* research_export_number.c */
int export_number_table(struct export_build *build, enum research_table_id table,
                        const int32_t *phase_first_day);
int export_context_keys(struct export_build *build, uint32_t *any);
int export_context_ladder(struct export_build *build, uint32_t any);

/* research_export_split.c */
int export_split_stress(struct export_build *build);
int export_split_messages(struct export_build *build);
int export_split_responses(struct export_build *build);
int export_arrivals_unsplit(struct export_build *build);
int export_publish_answers(struct export_build *build);
int export_split_context(struct export_build *build, struct research_kanon_result *parts);

/* research_export.c */
extern const struct export_table_desc export_tables[RESEARCH_TABLE_COUNT];
extern const bool export_context_kept[RESEARCH_CONTEXT_LEVELS][4];
__attribute__((format(printf, 3, 4))) int export_fail(struct export_build *build, int rc,
                                                      const char *fmt, ...);
__attribute__((format(printf, 2, 3))) void export_note(struct research_dataset *dataset,
                                                       const char *fmt, ...);
int export_wait_band_index(const char *band);
int export_claim_band_index(const char *band); /* 0..3 on the claim scale; -1: unclaimed */
int export_keep_window(struct export_build *build);

#endif /* OASE_RESEARCH_EXPORT_INTERNAL_H */
