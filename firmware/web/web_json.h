/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * web_json: a bounded JSON writer for the host page's answers. Owns escaping: every string
 * goes out with quotes, backslashes and control characters escaped, and < > & ' as \u
 * escapes too, so no text from the config or the store can end a script or make markup;
 * bytes that are not UTF-8 become U+FFFD. Never grows past its limit: a document that would
 * is marked failed and the caller answers an error instead of half a document.
 */
#ifndef OASE_WEB_JSON_H
#define OASE_WEB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_JSON_DEPTH_MAX 8

struct web_json {
    char *data;      /* the document so far, NUL-terminated while not failed */
    size_t length;   /* bytes in data */
    size_t capacity; /* bytes allocated */
    size_t limit;    /* the most it may grow to */
    bool failed;     /* out of memory, past the limit or nested too deep: data is unusable */
    int depth;       /* open objects and arrays */
    bool has_member[WEB_JSON_DEPTH_MAX]; /* the container at each depth has a member already */
};

/* An empty writer that may grow to limit bytes. Allocation happens on the first write. */
void web_json_init(struct web_json *json, size_t limit);

/* Frees the buffer. */
void web_json_free(struct web_json *json);

/*
 * Writers. key is the member name inside an object, NULL inside an array or at the top.
 * A failed writer ignores every later call.
 */
void web_json_begin_object(struct web_json *json, const char *key);
void web_json_end_object(struct web_json *json);
void web_json_begin_array(struct web_json *json, const char *key);
void web_json_end_array(struct web_json *json);
void web_json_string(struct web_json *json, const char *key, const char *value); /* NULL: null */
void web_json_int(struct web_json *json, const char *key, long long value);
void web_json_fixed(struct web_json *json, const char *key, double value, int decimals);
void web_json_bool(struct web_json *json, const char *key, bool value);
void web_json_null(struct web_json *json, const char *key);

/* True when the document is complete (every container closed) and not failed. */
bool web_json_done(const struct web_json *json);

#endif
