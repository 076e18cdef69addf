/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * log: messages for people (the technician reading journalctl, a developer at a
 * terminal). One line each, naming the thing, the place and the fix. Thread-safe.
 */
#ifndef OASE_LOG_H
#define OASE_LOG_H

enum log_level { LOG_INFO, LOG_WARN, LOG_ERROR };

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Silences LOG_INFO (tests); warnings and errors always go to stderr. */
void log_set_quiet(int quiet);

#endif
