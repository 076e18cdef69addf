/* SPDX-License-Identifier: EUPL-1.2 */
/* perms: see perms.h. app_run -> perms_readable_by_others -> a warning in the journal. */
#include "core/perms.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True when every folder above the absolute path resolved lets others pass (o+x). */
static int folders_let_others_through(const char *resolved)
{
    char folder[PATH_MAX];
    if (snprintf(folder, sizeof folder, "%s", resolved) >= (int)sizeof folder) {
        return -ENAMETOOLONG;
    }
    for (char *slash = strrchr(folder, '/'); slash != NULL; slash = strrchr(folder, '/')) {
        if (slash == folder) {
            folder[1] = '\0'; /* the root itself */
        } else {
            *slash = '\0';
        }
        struct stat st;
        if (stat(folder, &st) != 0) {
            return -errno;
        }
        if (!(st.st_mode & S_IXOTH)) {
            return 0;
        }
        if (slash == folder) {
            break;
        }
    }
    return 1;
}

int perms_readable_by_others(const char *path, char *why, size_t why_size)
{
    if (why_size > 0) {
        why[0] = '\0';
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) {
            return 0;
        }
        int code = errno;
        snprintf(why, why_size, "%s: cannot look at its permissions: %s", path, strerror(code));
        return -code;
    }
    if (!(st.st_mode & S_IROTH)) {
        return 0;
    }
    char resolved[PATH_MAX];
    if (realpath(path, resolved) == NULL) {
        int code = errno;
        snprintf(why, why_size, "%s: cannot resolve its path: %s", path, strerror(code));
        return -code;
    }
    int through = folders_let_others_through(resolved);
    if (through <= 0) {
        if (through < 0) {
            snprintf(why, why_size, "%s: cannot look at its folders: %s", path, strerror(-through));
        }
        return through;
    }
    snprintf(why, why_size,
             "%s is readable by every user of this machine (mode %04o); "
             "chmod o-r %s",
             path, (unsigned)(st.st_mode & 07777), path);
    return 1;
}
