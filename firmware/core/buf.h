/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * buf: the one growable buffer, with a hard cap (as curl's dynbuf: growth has a ceiling, so
 * bad or huge input cannot eat the kiosk's memory). An array of elements at *items with
 * *capacity of them allocated grows by doubling (from 16) to hold what is asked, never past
 * max_bytes. The caller owns the array and frees it with free().
 */
#ifndef OASE_BUF_H
#define OASE_BUF_H

#include <stddef.h>

/*
 * Makes room for need elements of size bytes at *items. Returns 0; -E2BIG when need
 * elements would take more than max_bytes; -ENOMEM when the memory is not there. On failure
 * *items and *capacity are unchanged (the array keeps what it held).
 */
int buf_reserve(void **items, size_t *capacity, size_t need, size_t size, size_t max_bytes);

#endif
