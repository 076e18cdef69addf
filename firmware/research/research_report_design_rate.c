/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_design_rate: the units of the incidents rate ratio (see
 * research_report_design.c design_rate_ratio). Incidents cluster (a bad week, a staffing
 * gap), so one total per phase hides how much they vary; the export publishes them per day,
 * week or pool of quiet weeks, and the arrivals beside them. A unit is a week of one changed
 * site in one of the compared phases: its published incidents and arrivals. Where a pool of
 * quiet weeks (incidents or arrivals) spans several weeks, those weeks are one unit. A week
 * with arrivals and no incident row is a week without incidents (a week with 1..k-1 of them
 * is pooled or suppressed, and suppressed weeks refuse the test before this runs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "research/research_period.h"
#include "research/research_report_design.h"

struct rate_node {
    uint32_t site;  /* text number of the site name */
    int phase;      /* index in report->phases */
    int32_t monday; /* the week */
    size_t parent;  /* union-find: the weeks one pooled row joins */
    int64_t events;
    int64_t arrivals;
    int weeks; /* of a root: how many weeks it joins */
};

static int rate_compare_nodes(const void *a, const void *b)
{
    const struct rate_node *x = a, *y = b;
    if (x->site != y->site) {
        return x->site < y->site ? -1 : 1;
    }
    if (x->phase != y->phase) {
        return x->phase < y->phase ? -1 : 1;
    }
    return x->monday < y->monday ? -1 : x->monday > y->monday;
}

static size_t rate_root(struct rate_node *nodes, size_t i)
{
    while (nodes[i].parent != i) {
        nodes[i].parent = nodes[nodes[i].parent].parent;
        i = nodes[i].parent;
    }
    return i;
}

/* The site of a row counts when it is a changed site with an incident table. */
static bool rate_site_counts(const struct research_dataset *dataset,
                             const struct research_report *report, const char *site)
{
    if (evaluation_is_control(&report->evaluation, site)) {
        return false;
    }
    for (size_t s = 0; s < dataset->site_count; s++) {
        if (strcmp(dataset->sites[s].name, site) == 0) {
            return dataset->sites[s].has_incidents;
        }
    }
    return false;
}

static int rate_phase(const struct research_report *report, const char *name)
{
    for (int side = 0; side < 2; side++) {
        int p = side ? report->compare_b : report->compare_a;
        if (strcmp(report->phases[p].name, name) == 0) {
            return p;
        }
    }
    return -1;
}

/*
 * Calls visit(row, phase, monday of each week the row covers) for every published arrivals
 * and incidents row of the compared phases at a changed site with an incident table. Returns
 * the first non-zero visit result, else 0.
 */
typedef int (*rate_visit)(void *context, enum research_table_id table,
                          const struct research_row *row, int phase, int32_t monday, bool first);

static int rate_walk(const struct research_dataset *dataset, const struct research_report *report,
                     rate_visit visit, void *context)
{
    static const enum research_table_id tables[] = {RESEARCH_ARRIVALS, RESEARCH_INCIDENTS};
    for (size_t t = 0; t < 2; t++) {
        const struct research_table *table = &dataset->tables[tables[t]];
        for (size_t r = 0; r < table->published.row_count; r++) {
            const struct research_row *row = &table->published.rows[r];
            if (row->note == RESEARCH_NOTE_SUPPRESSED) {
                continue;
            }
            const struct research_tuple *series = &table->series[row->series];
            int phase = rate_phase(report, research_dataset_text(dataset, series->text[1]));
            if (phase < 0 || !rate_site_counts(dataset, report,
                                               research_dataset_text(dataset, series->text[0]))) {
                continue;
            }
            const struct research_pool *pool =
                row->level == RESEARCH_LEVEL_POOLED_WEEKS && row->pool >= 0
                    ? &table->published.pools[row->pool]
                    : NULL;
            size_t weeks = pool != NULL ? pool->count : 1;
            for (size_t w = 0; w < weeks; w++) {
                int32_t monday =
                    pool != NULL ? pool->mondays[w] : research_week_monday(row->first_day);
                int rc = visit(context, tables[t], row, phase, monday, w == 0);
                if (rc != 0) {
                    return rc;
                }
            }
        }
    }
    return 0;
}

struct rate_build {
    const struct research_dataset *dataset;
    struct rate_node *nodes;
    size_t count, capacity;
    size_t first; /* the node of the current row's first week */
};

static uint32_t rate_row_site(const struct research_dataset *dataset, enum research_table_id table,
                              const struct research_row *row)
{
    return dataset->tables[table].series[row->series].text[0];
}

static int rate_collect(void *context, enum research_table_id table, const struct research_row *row,
                        int phase, int32_t monday, bool first)
{
    (void)first;
    struct rate_build *build = context;
    struct rate_node key = {
        .site = rate_row_site(build->dataset, table, row), .phase = phase, .monday = monday};
    if (build->count > 0 && rate_compare_nodes(&build->nodes[build->count - 1], &key) == 0) {
        return 0; /* the hours and days of one week follow each other */
    }
    if (build->count == build->capacity) {
        size_t bigger_capacity = build->capacity ? build->capacity * 2 : 256;
        struct rate_node *bigger = realloc(build->nodes, bigger_capacity * sizeof bigger[0]);
        if (bigger == NULL) {
            return -ENOMEM;
        }
        build->nodes = bigger;
        build->capacity = bigger_capacity;
    }
    build->nodes[build->count++] = key;
    return 0;
}

static int rate_add(void *context, enum research_table_id table, const struct research_row *row,
                    int phase, int32_t monday, bool first)
{
    struct rate_build *build = context;
    struct rate_node key = {
        .site = rate_row_site(build->dataset, table, row), .phase = phase, .monday = monday};
    struct rate_node *found =
        bsearch(&key, build->nodes, build->count, sizeof key, rate_compare_nodes);
    if (found == NULL) {
        return -EINVAL; /* every week was collected in the first walk */
    }
    size_t node = (size_t)(found - build->nodes);
    if (first) {
        build->first = node;
        *(table == RESEARCH_INCIDENTS ? &found->events : &found->arrivals) += row->n;
        return 0;
    }
    size_t a = rate_root(build->nodes, build->first), b = rate_root(build->nodes, node);
    if (a != b) {
        build->nodes[b].parent = a;
    }
    return 0;
}

int design_incident_units(const struct research_dataset *dataset,
                          const struct research_report *report, struct design_rate_units *units)
{
    *units = (struct design_rate_units){0};
    struct rate_build build = {.dataset = dataset};
    int rc = rate_walk(dataset, report, rate_collect, &build);
    if (rc != 0) {
        goto out;
    }
    if (build.count > 0) {
        qsort(build.nodes, build.count, sizeof build.nodes[0], rate_compare_nodes);
    }
    size_t unique = 0;
    for (size_t i = 0; i < build.count; i++) {
        if (unique == 0 || rate_compare_nodes(&build.nodes[unique - 1], &build.nodes[i]) != 0) {
            build.nodes[unique] = build.nodes[i];
            build.nodes[unique].parent = unique;
            unique++;
        }
    }
    build.count = unique;
    rc = rate_walk(dataset, report, rate_add, &build);
    if (rc != 0) {
        goto out;
    }
    for (size_t i = 0; i < build.count; i++) { /* sums into each unit's root */
        size_t root = rate_root(build.nodes, i);
        build.nodes[root].weeks++;
        if (root != i) {
            build.nodes[root].events += build.nodes[i].events;
            build.nodes[root].arrivals += build.nodes[i].arrivals;
        }
    }
    size_t roots = 0;
    for (size_t i = 0; i < build.count; i++) {
        roots += build.nodes[i].parent == i;
    }
    units->events = malloc((roots ? roots : 1) * sizeof units->events[0]);
    units->exposure = malloc((roots ? roots : 1) * sizeof units->exposure[0]);
    units->group = malloc((roots ? roots : 1) * sizeof units->group[0]);
    units->monday = malloc((roots ? roots : 1) * sizeof units->monday[0]);
    if (units->events == NULL || units->exposure == NULL || units->group == NULL ||
        units->monday == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < build.count; i++) {
        const struct rate_node *node = &build.nodes[i];
        if (node->parent != i) {
            continue;
        }
        if (node->arrivals == 0) {
            units->left_out += node->events; /* no published arrivals: no exposure */
            continue;
        }
        size_t u = units->count++;
        units->events[u] = node->events;
        units->exposure[u] = (double)node->arrivals / 100.0;
        units->group[u] = node->phase == report->compare_b;
        units->monday[u] = node->monday;
        units->pooled += node->weeks > 1;
    }
out:
    free(build.nodes);
    if (rc != 0) {
        design_incident_units_free(units);
    }
    return rc;
}

void design_incident_units_free(struct design_rate_units *units)
{
    free(units->events);
    free(units->exposure);
    free(units->group);
    free(units->monday);
    *units = (struct design_rate_units){0};
}
