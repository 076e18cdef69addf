/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * phase: the evaluation phases from the config (a name and a start date each) and which
 * phase is in force on a given day. Every count the store writes carries that name.
 */
#ifndef OASE_PHASE_H
#define OASE_PHASE_H

#define PHASE_MAX 8
#define PHASE_NAME_MAX 32
#define PHASE_NONE "unphased" /* days before the first configured phase */

struct phase {
    char name[PHASE_NAME_MAX]; /* e.g. "baseline"; letters, digits, '-' and '_' */
    char start[11];            /* first day, "YYYY-MM-DD" */
};

struct phase_list {
    struct phase items[PHASE_MAX]; /* sorted by start date, ascending */
    int count;
};

/*
 * Adds a phase, keeping the list sorted. Returns 0, -ENOSPC when PHASE_MAX phases exist,
 * -EEXIST when the name or the start date is already used; the list is unchanged on error.
 */
int phase_add(struct phase_list *list, const char *name, const char *start_date);

/* The phase in force on date "YYYY-MM-DD": the last one starting on or before it. */
const char *phase_for_date(const struct phase_list *list, const char *date);

#endif
