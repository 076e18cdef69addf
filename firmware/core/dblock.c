/* SPDX-License-Identifier: EUPL-1.2 */
/* dblock: see dblock.h. */
#include "core/dblock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The pid holding a FLOCK on the file with this inode, from /proc/locks, or 0 when it
 * cannot be told (no /proc, another mount namespace).
 */
static long dblock_holder(const struct stat *st)
{
    FILE *locks = fopen("/proc/locks", "re");
    if (!locks) {
        return 0;
    }
    char line[256];
    long holder = 0;
    while (holder == 0 && fgets(line, sizeof line, locks)) {
        char kind[16];
        long pid;
        unsigned major, minor;
        unsigned long inode;
        /* "1: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF" */
        if (sscanf(line, "%*s %15s %*s %*s %ld %x:%x:%lu", kind, &pid, &major, &minor, &inode) ==
                5 &&
            strcmp(kind, "FLOCK") == 0 && inode == (unsigned long)st->st_ino) {
            holder = pid;
        }
    }
    fclose(locks);
    return holder;
}

int dblock_take(const char *db_path, char *err, size_t err_size)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s.lock", db_path) >= (int)sizeof path) {
        snprintf(err, err_size, "%s: path too long for its lock file", db_path);
        return -ENAMETOOLONG;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int error = errno;
        snprintf(err, err_size, "%s: cannot open the lock file: %s", path, strerror(error));
        return -error;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        return fd;
    }
    int error = errno;
    if (error == EWOULDBLOCK) {
        struct stat st;
        long holder = fstat(fd, &st) == 0 ? dblock_holder(&st) : 0;
        char who[48] = "another process";
        if (holder > 0) {
            snprintf(who, sizeof who, "process %ld", holder);
        }
        snprintf(err, err_size,
                 "%s: %s already runs a kiosk on this database (it holds %s); two kiosks on one "
                 "database lose check-ins: stop the other one (systemctl status oase) or give "
                 "this one its own --db",
                 db_path, who, path);
    } else {
        snprintf(err, err_size, "%s: cannot lock: %s", path, strerror(error));
    }
    close(fd);
    return -error;
}

void dblock_release(int fd)
{
    if (fd >= 0) {
        close(fd); /* closing the last descriptor drops the flock */
    }
}
