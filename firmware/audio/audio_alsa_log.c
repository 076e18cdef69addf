/* SPDX-License-Identifier: EUPL-1.2 */
/* audio_alsa_log: see audio_alsa_log.h. */
#include "audio/audio_alsa_log.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "core/log.h"
#include "core/ratelog.h"

/* As alsa/error.h declares it (the headers are not needed for this one type). */
typedef void (*alsa_error_handler)(const char *file, int line, const char *function, int err,
                                   const char *fmt, ...);
typedef int (*alsa_set_handler)(alsa_error_handler handler);

static struct ratelog alsa_lines = RATELOG_INIT;

__attribute__((format(printf, 5, 6))) static void
alsa_line(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
    (void)err;
    char key[RATELOG_KEY_MAX];
    snprintf(key, sizeof key, "%s:%d", file ? file : "?", line);
    long long held = 0;
    if (!ratelog_pass(&alsa_lines, key, ratelog_now_ms(), &held)) {
        return;
    }
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    if (held > 0) {
        log_msg(LOG_INFO, "sound (ALSA %s:%d %s): %s (%lld times more since the last report)",
                file ? file : "?", line, function ? function : "", message, held);
    } else {
        log_msg(LOG_INFO, "sound (ALSA %s:%d %s): %s (reported once a day)", file ? file : "?",
                line, function ? function : "", message);
    }
}

static void alsa_quiet_once(void)
{
    void *library = dlopen("libasound.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        return; /* no ALSA here: nothing prints */
    }
    alsa_set_handler set = (alsa_set_handler)dlsym(library, "snd_lib_error_set_handler");
    if (set == NULL) {
        dlclose(library);
        return;
    }
    set(alsa_line); /* the library stays loaded for the process's life: the handler with it */
}

void audio_alsa_log_quiet(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, alsa_quiet_once);
}
