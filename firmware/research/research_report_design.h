/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_design (internal): what the files of the report's evaluation share
 * (research_report_design*.c): the points of one test and the steps one file lends another.
 * Nothing else includes this; the interface is research_report.h.
 */
#ifndef OASE_RESEARCH_REPORT_DESIGN_H
#define OASE_RESEARCH_REPORT_DESIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "research/research_report.h"

enum design_kind { KIND_WELCH, KIND_DID, KIND_ITS_LEVEL, KIND_ITS_SLOPE, KIND_BY_SITE };

/* The points of one test: a value interval per point, a group (or after) and a time. */
struct design_points {
    enum design_kind kind;
    size_t count;
    double *t, *low, *high;
    int *group; /* Welch: 0 before, 1 after; DiD: 0..3; ITS: 0 before, 1 after;
                   by site: 2 x site + after */
    double t0;
    double alpha;
    int lags;
};

/* research_report_design_estimate.c */
int design_estimate(const struct design_points *points, struct research_report_test *test);

/* research_report_design_rate.c: the units of the incidents rate ratio */
struct design_rate_units {
    int64_t *events;  /* published incidents of the unit */
    double *exposure; /* its published arrivals / 100 */
    int *group;       /* 0: phase A, 1: phase B */
    int32_t *monday;  /* its (first) week */
    size_t count;
    size_t pooled;    /* units of several weeks (a pool of quiet weeks) */
    int64_t left_out; /* incidents of weeks without published arrivals: not in a unit */
};

/*
 * A unit per week of each changed site (control sites and sites without an incident table
 * left out) in the compared phases, weeks joined where a pooled row spans them. Returns 0,
 * or -ENOMEM (units then empty). Free with design_incident_units_free.
 */
int design_incident_units(const struct research_dataset *dataset,
                          const struct research_report *report, struct design_rate_units *units);
void design_incident_units_free(struct design_rate_units *units);

/* research_report_design_verdict.c */
void design_verdict(struct research_report *report, bool dutch);

/* research_report_design.c */
__attribute__((format(printf, 2, 3))) void design_warn(struct research_report_test *test,
                                                       const char *fmt, ...);
__attribute__((format(printf, 2, 3))) void design_refuse(struct research_report_test *test,
                                                         const char *fmt, ...);

#endif /* OASE_RESEARCH_REPORT_DESIGN_H */
