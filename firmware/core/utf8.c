/* SPDX-License-Identifier: EUPL-1.2 */
/* utf8: see utf8.h. */
#include "core/utf8.h"

uint32_t utf8_decode(const unsigned char *s, size_t available, size_t *length)
{
    unsigned char lead = s[0];
    size_t need;
    uint32_t code, minimum;
    *length = 1;
    if (lead < 0x80) {
        return lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        need = 2, code = lead & 0x1Fu, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 3, code = lead & 0x0Fu, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 4, code = lead & 0x07u, minimum = 0x10000;
    } else {
        return UTF8_INVALID; /* a continuation byte, 0xC0/0xC1 (overlong) or 0xF5.. */
    }
    if (need > available) {
        return UTF8_INVALID;
    }
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return UTF8_INVALID; /* also stops at a NUL */
        }
        code = (code << 6) | (s[i] & 0x3Fu);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return UTF8_INVALID;
    }
    *length = need;
    return code;
}

bool utf8_valid(const char *text, size_t length)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < length) {
        size_t used;
        uint32_t code = utf8_decode(s + i, length - i, &used);
        if (code == UTF8_INVALID || code == 0) {
            return false;
        }
        i += used;
    }
    return true;
}
