/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * utf8: the one UTF-8 decoder. Strict (RFC 3629): no overlong forms, no UTF-16 surrogates,
 * nothing above U+10FFFF. Looks at no byte past the first one that breaks a sequence, so a
 * NUL-terminated text is never read past its NUL. No allocation, no state.
 */
#ifndef OASE_UTF8_H
#define OASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_INVALID ((uint32_t)0xFFFFFFFFu) /* not a code point: what a bad sequence gives */
#define UTF8_REPLACEMENT ((uint32_t)0xFFFDu) /* U+FFFD, what a reader shows for one */

/*
 * Decodes the sequence at s, of which available bytes may be read (at least 1). Returns its
 * code point with *length its bytes (1..4); a NUL byte is code point 0 of length 1. A
 * malformed or cut sequence returns UTF8_INVALID with *length 1 (the next byte is looked at
 * on its own).
 */
uint32_t utf8_decode(const unsigned char *s, size_t available, size_t *length);

/* True when the length bytes of text are well-formed UTF-8 without a NUL byte. */
bool utf8_valid(const char *text, size_t length);

#endif
