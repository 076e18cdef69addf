/* SPDX-License-Identifier: EUPL-1.2 */
/* log: see log.h. stderr is line-buffered under systemd's journal, so one fprintf per line. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static int log_quiet;

void log_set_quiet(int quiet)
{
    log_quiet = quiet;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level == LOG_INFO && log_quiet) {
        return;
    }
    static const char *const prefix[] = {"oase: ", "oase: warning: ", "oase: error: "};
    char line[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    fprintf(stderr, "%s%s\n", prefix[level], line);
}
