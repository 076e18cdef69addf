/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * research_report_internal: the steps the files of the report's figures lend each other
 * (research_report.c, research_report_summary.c, research_report_json.c). Nothing else
 * includes this; the interface is research_report.h.
 */
#ifndef OASE_RESEARCH_REPORT_INTERNAL_H
#define OASE_RESEARCH_REPORT_INTERNAL_H

#include <stdbool.h>

#include "research/research_report.h"

/* research_report_summary.c */
void report_summarise(struct research_report *report, bool dutch);

#endif /* OASE_RESEARCH_REPORT_INTERNAL_H */
