/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * dblock: one kiosk per database. Takes an exclusive flock(2) on "<db>.lock" beside the
 * database for as long as the kiosk runs, so a second oase on the same file (a second unit,
 * a technician's test run) refuses to start instead of writing beside the first (two
 * writers gave duplicate friendly names and lost check-ins). The lock file is created once
 * (mode 0600) and never written; the kernel drops the lock when the process ends, however it
 * ends. The read-only tools (oase-export, oase-report) do not take it.
 */
#ifndef OASE_DBLOCK_H
#define OASE_DBLOCK_H

#include <stddef.h>

/*
 * Locks db_path's lock file. Returns the open descriptor (>= 0) to keep, or a negative errno
 * with a message in err: -EWOULDBLOCK when another process holds it (its pid named when
 * /proc/locks tells), -errno when the file cannot be made or opened (the directory missing
 * or read-only: the store reports that too). Nothing is locked on failure.
 */
int dblock_take(const char *db_path, char *err, size_t err_size);

/* Lets the lock go (closes fd); a negative fd is ignored. */
void dblock_release(int fd);

#endif
