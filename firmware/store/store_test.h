/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * store_test: the store's hook for tests, kept out of store.h so the kiosk cannot reach it.
 * Defined in store.c (it needs the writer); only tests/ includes this header.
 */
#ifndef OASE_STORE_TEST_H
#define OASE_STORE_TEST_H

#include <stddef.h>

#include "store/store.h"

/*
 * Runs sql on the writer's connection between two writes, e.g. "PRAGMA max_page_count = 1"
 * (the disk is full) or "PRAGMA query_only = 1" (read-only). Returns 0 or -EIO with
 * SQLite's message in err. Never used by the kiosk.
 */
int store_debug_exec(struct store *store, const char *sql, char *err, size_t err_size);

#endif
