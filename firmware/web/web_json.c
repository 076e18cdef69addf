/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_json: see web_json.h. web_api -> here -> the body of an HTTP answer.
 */
#include "web/web_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

void web_json_init(struct web_json *json, size_t limit)
{
    memset(json, 0, sizeof *json);
    json->limit = limit;
}

void web_json_free(struct web_json *json)
{
    free(json->data);
    json->data = NULL;
    json->length = json->capacity = 0;
}

static void web_json_append(struct web_json *json, const char *bytes, size_t count)
{
    if (json->failed) {
        return;
    }
    if (buf_reserve((void **)&json->data, &json->capacity, json->length + count + 1, 1,
                    json->limit) != 0) {
        json->failed = true; /* past the limit, or out of memory */
        return;
    }
    memcpy(json->data + json->length, bytes, count);
    json->length += count;
    json->data[json->length] = '\0';
}

static void web_json_text(struct web_json *json, const char *text)
{
    web_json_append(json, text, strlen(text));
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t web_json_utf8_length(const unsigned char *s)
{
    size_t length;
    return utf8_decode(s, 4, &length) == UTF8_INVALID ? 0 : length; /* stops at the NUL */
}

static void web_json_quoted(struct web_json *json, const char *value)
{
    web_json_append(json, "\"", 1);
    const unsigned char *s = (const unsigned char *)value;
    while (*s && !json->failed) {
        char escape[8];
        if (*s == '"' || *s == '\\') {
            escape[0] = '\\';
            escape[1] = (char)*s;
            web_json_append(json, escape, 2);
            s++;
        } else if (*s < 0x20 || *s == '<' || *s == '>' || *s == '&' || *s == '\'') {
            snprintf(escape, sizeof escape, "\\u%04x", *s);
            web_json_append(json, escape, 6);
            s++;
        } else if (*s < 0x80) {
            web_json_append(json, (const char *)s, 1);
            s++;
        } else {
            size_t length = web_json_utf8_length(s);
            if (length == 0) {
                web_json_text(json, "\\ufffd");
                s++;
            } else if (length == 3 && s[0] == 0xE2 && s[1] == 0x80 &&
                       (s[2] == 0xA8 || s[2] == 0xA9)) {
                web_json_text(json, s[2] == 0xA8 ? "\\u2028" : "\\u2029"); /* JS line ends */
                s += 3;
            } else {
                web_json_append(json, (const char *)s, length);
                s += length;
            }
        }
    }
    web_json_append(json, "\"", 1);
}

/* The comma and the key before a value. */
static void web_json_member(struct web_json *json, const char *key)
{
    if (json->failed) {
        return;
    }
    if (json->depth > 0) {
        if (json->has_member[json->depth - 1]) {
            web_json_append(json, ",", 1);
        }
        json->has_member[json->depth - 1] = true;
    } else if (json->length > 0) {
        json->failed = true; /* a second value at the top */
        return;
    }
    if (key != NULL) {
        web_json_quoted(json, key);
        web_json_append(json, ":", 1);
    }
}

static void web_json_open(struct web_json *json, const char *key, const char *bracket)
{
    web_json_member(json, key);
    if (json->depth >= WEB_JSON_DEPTH_MAX) {
        json->failed = true;
    }
    web_json_text(json, bracket);
    if (!json->failed) {
        json->has_member[json->depth++] = false;
    }
}

static void web_json_close(struct web_json *json, const char *bracket)
{
    if (json->depth <= 0) {
        json->failed = true;
        return;
    }
    json->depth--;
    web_json_text(json, bracket);
}

void web_json_begin_object(struct web_json *json, const char *key)
{
    web_json_open(json, key, "{");
}

void web_json_end_object(struct web_json *json)
{
    web_json_close(json, "}");
}

void web_json_begin_array(struct web_json *json, const char *key)
{
    web_json_open(json, key, "[");
}

void web_json_end_array(struct web_json *json)
{
    web_json_close(json, "]");
}

void web_json_string(struct web_json *json, const char *key, const char *value)
{
    web_json_member(json, key);
    if (value == NULL) {
        web_json_text(json, "null");
    } else {
        web_json_quoted(json, value);
    }
}

void web_json_int(struct web_json *json, const char *key, long long value)
{
    char number[24];
    snprintf(number, sizeof number, "%lld", value);
    web_json_member(json, key);
    web_json_text(json, number);
}

void web_json_fixed(struct web_json *json, const char *key, double value, int decimals)
{
    web_json_member(json, key);
    if (!isfinite(value)) {
        web_json_text(json, "null");
        return;
    }
    /* Integer arithmetic: printf's decimal point follows the locale, JSON's never does. */
    decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    long long scale = 1;
    for (int i = 0; i < decimals; i++) {
        scale *= 10;
    }
    if (fabs(value) * (double)scale > 9e15) {
        web_json_text(json, "null");
        return;
    }
    long long scaled = llround(value * (double)scale);
    unsigned long long magnitude =
        scaled < 0 ? 0ull - (unsigned long long)scaled : (unsigned long long)scaled;
    char number[48];
    if (decimals == 0) {
        snprintf(number, sizeof number, "%s%llu", scaled < 0 ? "-" : "", magnitude);
    } else {
        snprintf(number, sizeof number, "%s%llu.%0*llu", scaled < 0 ? "-" : "",
                 magnitude / (unsigned long long)scale, decimals,
                 magnitude % (unsigned long long)scale);
    }
    web_json_text(json, number);
}

void web_json_bool(struct web_json *json, const char *key, bool value)
{
    web_json_member(json, key);
    web_json_text(json, value ? "true" : "false");
}

void web_json_null(struct web_json *json, const char *key)
{
    web_json_member(json, key);
    web_json_text(json, "null");
}

bool web_json_done(const struct web_json *json)
{
    return !json->failed && json->depth == 0 && json->length > 0;
}
