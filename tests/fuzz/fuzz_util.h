/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_util: what the libFuzzer targets in tests/fuzz/ share: a private temp folder made
 * once per process (removed at exit) and writing one input into a file there, for the
 * modules whose only entry reads a file by path.
 */
#ifndef OASE_FUZZ_UTIL_H
#define OASE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static char fuzz_dir[64];

static inline void fuzz_remove_dir(void)
{
    char command[128];
    if (fuzz_dir[0] != '\0' &&
        snprintf(command, sizeof command, "rm -rf '%s'", fuzz_dir) < (int)sizeof command) {
        (void)system(command);
    }
}

/* The folder, made on first use (in /dev/shm when there is one: no disk writes per input). */
static inline const char *fuzz_temp_dir(void)
{
    if (fuzz_dir[0] == '\0') {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/oase-fuzz-XXXXXX", base);
        if (mkdtemp(fuzz_dir) == NULL) {
            perror("mkdtemp");
            abort();
        }
        atexit(fuzz_remove_dir);
        log_set_quiet(1);
    }
    return fuzz_dir;
}

/* Writes size bytes into <temp dir>/name and returns its path (static buffer). */
static inline const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_temp_dir(), name);
    FILE *file = fopen(path, "wb");
    if (file == NULL || (size > 0 && fwrite(data, 1, size, file) != size) || fclose(file) != 0) {
        perror(path);
        abort();
    }
    return path;
}

#endif
