/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_internal: the steps the files of the report's figures lend each other
 * (research_report.c, research_report_summary.c, research_report_json.c and the verdict in
 * research_report_design_verdict.c). Nothing else includes this; the interface is
 * research_report.h.
 */
#ifndef OASE_RESEARCH_REPORT_INTERNAL_H
#define OASE_RESEARCH_REPORT_INTERNAL_H

#include <stdbool.h>

#include "research/research_report.h"

/* A text being written into a fixed buffer (a summary, a verdict): it stops at size. */
struct report_text {
    char *buf;
    size_t size, used;
};

/* research_report_summary.c */
/* Appends to text as printf would; what does not fit is cut (research_report_text_append). */
__attribute__((format(printf, 2, 3))) void report_say(struct report_text *text, const char *fmt,
                                                      ...);
void report_summarise(struct research_report *report, bool dutch);

#endif /* OASE_RESEARCH_REPORT_INTERNAL_H */
