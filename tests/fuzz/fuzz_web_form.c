/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_web_form: the parsers the host page runs on untrusted request parts, called
 * directly (fast): form bodies (web_form_get, as /api/login, /api/arrival, /api/incident
 * and /api/room use it), numbers and statuses (web_api_parse_int, web_api_parse_status),
 * the session cookie and CSRF header (web_auth_session, web_auth_token_equal), a stored
 * passphrase hash (web_hash_parse) and the JSON writer's escaping of any text. The first
 * byte picks the size of the output buffer, the rest is the request part.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_api.h"
#include "web/web_auth.h"
#include "web/web_hash.h"
#include "web/web_json.h"

static struct web_auth *fuzz_auth;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct web_hash hash = {.iterations = WEB_HASH_ITERATIONS_MIN};
    fuzz_auth = web_auth_open(&hash);
    return fuzz_auth == NULL;
}

static void fuzz_form(const char *body, size_t length, size_t out_size)
{
    static const char *const names[] = {"passphrase", "number", "status",    "kind",
                                        "scene",      "source", "volume_db", ""};
    char out[300];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        memset(out, 'X', sizeof out);
        int rc = web_form_get(body, length, names[i], out, out_size);
        if (rc != 1 && rc != 0 && rc != -EINVAL) {
            abort();
        }
        if (memchr(out, '\0', out_size) == NULL || out[out_size] != 'X') {
            abort(); /* unterminated, or written past out_size */
        }
        if (rc == 0 && out[0] != '\0') {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    size_t out_size = 1 + data[0] % 257;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    size_t length = size - 1;

    fuzz_form(text, length, out_size);

    long number = 7;
    if (web_api_parse_int(text, 1, 100000, &number) == 0 && (number < 1 || number > 100000)) {
        abort();
    }
    enum store_arrival_status status;
    if (web_api_parse_status(text, &status) == 0 &&
        strcmp(web_api_status_name(status), text) != 0 &&
        !(status == ARRIVAL_NO_SHOW && strcmp(text, "no_show") == 0)) {
        abort();
    }
    char csrf[WEB_AUTH_TOKEN_SIZE];
    if (web_auth_session(fuzz_auth, text, 1000, csrf)) {
        abort(); /* no session was ever made: no text may be one */
    }
    if (web_auth_token_equal("0123456789abcdef0123456789abcdef", text) !=
        (strcmp(text, "0123456789abcdef0123456789abcdef") == 0)) {
        abort();
    }
    struct web_hash hash;
    char why[256];
    (void)web_hash_parse(text, &hash, why, sizeof why);

    struct web_json json;
    web_json_init(&json, 1 << 20);
    web_json_begin_object(&json, NULL);
    web_json_string(&json, text, text);
    web_json_end_object(&json);
    if (!web_json_done(&json) || strpbrk(json.data, "<>&'") != NULL) {
        abort();
    }
    for (size_t i = 0; i < json.length; i++) {
        if ((unsigned char)json.data[i] < 0x20) {
            abort(); /* a raw control character in JSON */
        }
    }
    web_json_free(&json);
    free(text);
    return 0;
}
