/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * perms: tells whether a file that holds secrets (the config: staff PIN, passphrase hash)
 * or visitor data (the database) can be read by every user of the machine. Only looks:
 * it never changes a mode (packaging and store_open() do that).
 */
#ifndef OASE_PERMS_H
#define OASE_PERMS_H

#include <stddef.h>

/*
 * Returns 1 when path exists and any user may read it: the file is readable by "others"
 * and every folder above it lets others through. why then names the file, its mode and
 * the fix. Returns 0 when it is private or does not exist, -errno when it cannot be
 * looked at (why says so).
 */
int perms_readable_by_others(const char *path, char *why, size_t why_size);

#endif
