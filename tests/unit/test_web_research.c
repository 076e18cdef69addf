/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * More HTTP tests of the researchers' download, GET /research/export, against the running
 * server on loopback (test_web.c has the token-versus-session, host-route, bad-argument and
 * off cases): the body equals what oase-export writes for the kiosk database in CSV and in
 * JSON for a stretch of dates (the same research_export_run call with --db, --site, --k,
 * --format, --from and --to), also while the kiosk keeps writing; a missing token is slowed
 * down like a wrong one; only GET is served. The body is streamed (chunked) in any block size
 * and stops at its byte cap with a message; a database that cannot be read is a 503. The
 * login delays run on a fake monotonic clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define HTTP_REPLY_MAX (4 * 1024 * 1024) /* whole exports */
#include "unit/http_client.h"
#include "core/clock.h"
#include "config/config.h"
#include "research/research_export.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_auth.h"
#include "web/web_research.h"
#include "unit/test_research_util.h"
#include "unit/test_research_kiosk.h"

#define PASSPHRASE "rustig blauw water"
#define TOKEN "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM" /* 256 bits, base64url */
#define TODAY "2026-06-01" /* a day after every counted week (the export itself uses today) */

static atomic_llong fake_monotonic_ms = 1000000;

static int64_t fake_monotonic(void *ctx)
{
    (void)ctx;
    return atomic_load(&fake_monotonic_ms);
}

struct fixture {
    char dir[64];
    char db_path[128];
    struct oase_config config;
    struct store *store;
    struct web_config web_config;
    struct web *web;
    int port;
};

/* Starts the server for fixture's web_config ([research] as the test set it). */
static void start_web(struct fixture *fixture)
{
    struct web_context ctx = {
        .store = fixture->store,
        .kiosk = {.site = fixture->config.site,
                  .ask_stress = fixture->config.ask_stress,
                  .services = fixture->config.services,
                  .service_count = fixture->config.service_count},
        .assets_dir = "assets",
        .db_path = fixture->db_path,
        .monotonic_ms = fake_monotonic,
    };
    char err[512] = "";
    for (int attempt = 0; attempt < 5 && fixture->web == NULL; attempt++) {
        fixture->web_config.port = free_port();
        fixture->web = web_open(&fixture->web_config, &ctx, err, sizeof err);
    }
    if (fixture->web == NULL) {
        fail_msg("web_open: %s", err);
    }
    fixture->port = web_port(fixture->web);
    web_poll(fixture->web, kiosk_at(TODAY, 9, 0));
}

static int setup(void **state)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    snprintf(fixture->dir, sizeof fixture->dir, "/tmp/oase-webres-XXXXXX");
    assert_non_null(mkdtemp(fixture->dir));
    snprintf(fixture->db_path, sizeof fixture->db_path, "%s/oase.db", fixture->dir);
    config_defaults(&fixture->config);
    assert_int_equal(phase_add(&fixture->config.phases, "baseline", "2026-01-05"), 0);
    assert_int_equal(phase_add(&fixture->config.phases, "after", "2026-03-02"), 0);

    /* Three weeks of a kiosk, written through the store as the kiosk writes them. */
    fixture->store = kiosk_open(fixture->db_path, &fixture->config.phases);
    assert_true(store_set_site(fixture->store, "Wijk Zuid") > 0);
    uint64_t seed = 0x4F415345;
    kiosk_weeks(fixture->store, "2026-02-23", "2026-03-15", KIOSK_DEFAULT, &seed);

    web_config_defaults(&fixture->web_config);
    snprintf(fixture->web_config.bind_address, sizeof fixture->web_config.bind_address,
             "127.0.0.1");
    assert_int_equal(web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE),
                                              WEB_HASH_ITERATIONS_MIN,
                                              fixture->web_config.passphrase_hash,
                                              sizeof fixture->web_config.passphrase_hash),
                     0);
    struct web_token_hash token_hash;
    assert_int_equal(web_auth_research_token_hash(TOKEN, strlen(TOKEN), &token_hash), 0);
    assert_int_equal(web_token_hash_format(&token_hash, fixture->web_config.research_token_hash,
                                           sizeof fixture->web_config.research_token_hash),
                     0);
    fixture->web_config.research_k = 4;
    snprintf(fixture->web_config.site, sizeof fixture->web_config.site, "Wijk Zuid");
    start_web(fixture);
    *state = fixture;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fixture = *state;
    web_close(fixture->web);
    store_close(fixture->store);
    DIR *dir = opendir(fixture->dir);
    if (dir != NULL) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                unlinkat(dirfd(dir), entry->d_name, 0);
            }
        }
        closedir(dir);
    }
    rmdir(fixture->dir);
    free(fixture);
    return 0;
}

/* ---- a small HTTP client ---- */

static void request(const struct fixture *fixture, const char *method, const char *path,
                    const char *headers, const char *body, struct reply *reply)
{
    request_from(fixture->port, "127.0.0.1", method, path, headers, body, reply);
}

/* GET path with "Authorization: Bearer token" (token NULL: no header). Returns the status. */
static int get_with_token(const struct fixture *fixture, const char *path, const char *token,
                          struct reply *reply)
{
    char headers[512] = "";
    if (token != NULL) {
        snprintf(headers, sizeof headers, "Authorization: Bearer %s\r\n", token);
    }
    request(fixture, "GET", path, headers, NULL, reply);
    return reply->status;
}

/* What `oase-export --db DB --site SITE --k K --format F [--from] [--to]` writes. */
static char *cli_export(const struct fixture *fixture, enum research_format format,
                        const char *from, const char *to)
{
    const char *paths[] = {fixture->db_path};
    struct research_export_options options = {
        .db_paths = paths,
        .db_count = 1,
        .site = fixture->web_config.site,
        .from = from,
        .to = to,
        .k = fixture->web_config.research_k,
        .site_k = fixture->web_config.research_k,
    };
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    char err[512] = "";
    int rc = research_export_run(&options, format, out, err, sizeof err);
    fclose(out);
    if (rc != 0) {
        fail_msg("research_export_run: %s", err);
    }
    return text;
}

/* ---- tests ---- */

static void test_the_token_downloads_what_oase_export_writes(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    char value[256];

    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", TOKEN, &reply), 200);
    char *expected = cli_export(fixture, RESEARCH_FORMAT_CSV, NULL, NULL);
    assert_true(strlen(expected) > 200);
    assert_non_null(strstr(expected, "Wijk Zuid")); /* named by [research] site */
    assert_int_equal(reply.body_length, strlen(expected));
    assert_memory_equal(reply.body, expected, reply.body_length);
    assert_true(reply.chunked); /* streamed as the client reads, never held whole */
    assert_true(reply.complete);
    header_value(&reply, "Content-Type", value, sizeof value);
    assert_string_equal(value, "text/csv; charset=utf-8");
    header_value(&reply, "Cache-Control", value, sizeof value);
    assert_string_equal(value, "no-store");
    header_value(&reply, "Content-Disposition", value, sizeof value);
    assert_string_equal(value, "attachment; filename=\"oase-Wijk_Zuid-start-now.csv\"");
    free(expected);
    reply_free(&reply);

    /* JSON of a stretch of dates (widened to whole weeks, as the CLI says in its notes). */
    assert_int_equal(get_with_token(fixture,
                                    "/research/export?from=2026-03-04&format=json&to=2026-03-10",
                                    TOKEN, &reply),
                     200);
    expected = cli_export(fixture, RESEARCH_FORMAT_JSON, "2026-03-04", "2026-03-10");
    assert_non_null(strstr(expected, "widened"));
    assert_string_equal(reply.body, expected);
    header_value(&reply, "Content-Type", value, sizeof value);
    assert_string_equal(value, "application/json; charset=utf-8");
    header_value(&reply, "Content-Disposition", value, sizeof value);
    assert_string_equal(value,
                        "attachment; filename=\"oase-Wijk_Zuid-2026-03-04-2026-03-10.json\"");
    free(expected);
    reply_free(&reply);
}

/* The token is checked by its SHA-256 alone: a wrong, short or missing token is 401 with no
   data, and nothing makes the right one wait (no pause, no hashing slot). */
static void test_missing_wrong_or_short_token_is_refused_and_the_right_one_never_waits(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    char value[128];

    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", NULL, &reply), 401);
    header_value(&reply, "WWW-Authenticate", value, sizeof value);
    assert_non_null(strstr(value, "Bearer"));
    assert_null(strstr(reply.body, "table,site")); /* no data */
    reply_free(&reply);

    char wrong[] = TOKEN;
    wrong[sizeof wrong - 2] = wrong[sizeof wrong - 2] == 'M' ? 'N' : 'M'; /* the last character */
    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", wrong, &reply), 401);
    assert_null(strstr(reply.body, "Wijk"));
    reply_free(&reply);
    char shorter[] = TOKEN;
    shorter[sizeof shorter - 2] = '\0'; /* 42 characters: fewer than 256 bits */
    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", shorter, &reply), 401);
    reply_free(&reply);
    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", TOKEN "A", &reply),
                     401);
    reply_free(&reply);

    /* Straight after the wrong ones, on the same clock: served. */
    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", TOKEN, &reply), 200);
    reply_free(&reply);

    /* Another scheme or a bare token is no token. */
    char headers[256];
    snprintf(headers, sizeof headers, "Authorization: Basic %s\r\n", TOKEN);
    request(fixture, "GET", "/research/export", headers, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    snprintf(headers, sizeof headers, "authorization: bearer %s\r\n", TOKEN);
    request(fixture, "GET", "/research/export?format=csv", headers, NULL, &reply);
    assert_int_equal(reply.status, 200); /* the scheme in any case */
    reply_free(&reply);
}

static void test_only_get_is_allowed(void **state)
{
    struct fixture *fixture = *state;
    const char *methods[] = {"POST", "PUT", "DELETE", "HEAD"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        char headers[256];
        snprintf(headers, sizeof headers, "Authorization: Bearer %s\r\n", TOKEN);
        struct reply reply;
        request(fixture, methods[i], "/research/export?format=csv", headers,
                strcmp(methods[i], "POST") == 0 ? "format=csv" : NULL, &reply);
        assert_int_equal(reply.status, 405);
        char allow[32];
        header_value(&reply, "Allow", allow, sizeof allow);
        assert_string_equal(allow, "GET");
        reply_free(&reply);
    }
}

static void test_without_a_token_hash_the_export_is_off(void **state)
{
    struct fixture *fixture = *state;
    web_close(fixture->web);
    fixture->web = NULL;
    fixture->web_config.research_token_hash[0] = '\0';
    start_web(fixture);
    struct reply reply;
    assert_int_equal(get_with_token(fixture, "/research/export?format=csv", TOKEN, &reply), 404);
    reply_free(&reply);
    assert_int_equal(get_with_token(fixture, "/research/export", NULL, &reply), 404);
    reply_free(&reply);
    request(fixture, "HEAD", "/research/export?format=csv", NULL, NULL, &reply);
    assert_int_equal(reply.status, 404); /* off for every method, not "method not allowed" */
    reply_free(&reply);
}

/* Check-ins through the store, as the kiosk's visitors make them, until told to stop. */
struct writer {
    struct store *store;
    atomic_bool stop;
    int written;
};

static void *keep_checking_in(void *arg)
{
    struct writer *writer = arg;
    int64_t at_ms = kiosk_at(TODAY, 9, 0);
    while (!atomic_load(&writer->stop)) {
        struct store_checkin checkin = {
            .at_ms = at_ms,
            .name_number = store_next_name_number(writer->store, at_ms),
            .stress_asked = true,
            .stress_answer = writer->written % 11,
        };
        snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "Vlinder");
        if (store_checkin(writer->store, &checkin) > 0) {
            writer->written++;
        }
        store_flush(writer->store);
    }
    return NULL;
}

static void test_the_export_reads_while_the_kiosk_writes(void **state)
{
    struct fixture *fixture = *state;
    /* A first visitor today: the export now runs up to yesterday's week (weeks without
     * visitors included), and stays so while today's visitors keep coming. */
    kiosk_visit(fixture->store, kiosk_at(TODAY, 8, 30), 5, 10, "calm");
    store_flush(fixture->store);
    char *expected = cli_export(fixture, RESEARCH_FORMAT_CSV, NULL, NULL);
    assert_non_null(strstr(expected, "2026-05-31"));
    struct writer writer = {.store = fixture->store};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, keep_checking_in, &writer), 0);
    for (int i = 0; i < 5; i++) {
        struct reply reply;
        assert_int_equal(get_with_token(fixture, "/research/export?format=csv", TOKEN, &reply),
                         200);
        assert_string_equal(reply.body, expected); /* today's week is not over: not exported */
        reply_free(&reply);
    }
    atomic_store(&writer.stop, true);
    pthread_join(thread, NULL);
    assert_true(writer.written > 0);
    free(expected);
}

/* Reads a whole stream into a malloc'd text; *end is the last read's result (0 or -1). */
static char *read_stream(struct web_research_stream *stream, size_t block, size_t *length,
                         ssize_t *end)
{
    size_t size = 0;
    char *text = NULL;
    *length = 0;
    for (;;) {
        if (*length + block + 1 > size) {
            size = (*length + block + 1) * 2;
            text = realloc(text, size);
            assert_non_null(text);
        }
        ssize_t n = web_research_stream_read(stream, text + *length, block);
        if (n <= 0) {
            *end = n;
            break;
        }
        assert_true((size_t)n <= block);
        *length += (size_t)n;
    }
    text[*length] = '\0';
    return text;
}

static void test_the_streamed_export_is_what_oase_export_writes_in_any_block_size(void **state)
{
    struct fixture *fixture = *state;
    char *expected = cli_export(fixture, RESEARCH_FORMAT_JSON, NULL, NULL);
    size_t expected_length = strlen(expected);
    struct web_research_query query = {.keys = {"format"}, .values = {"json"}, .count = 1};
    static const size_t blocks[] = {1, 7, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        struct web_research_reply reply;
        web_research_export(&fixture->web_config, fixture->db_path, &query, expected_length,
                            &reply);
        assert_int_equal(reply.status, 200);
        assert_null(reply.body);
        assert_non_null(reply.stream);
        size_t length = 0;
        ssize_t end = -2;
        char *body = read_stream(reply.stream, blocks[i], &length, &end);
        assert_int_equal(end, 0); /* exactly at the cap is still complete */
        assert_int_equal(length, expected_length);
        assert_memory_equal(body, expected, length);
        bool complete = false;
        assert_int_equal(web_research_stream_sent(reply.stream, &complete), expected_length);
        assert_true(complete);
        web_research_stream_close(reply.stream);
        free(body);
    }
    free(expected);
}

static void test_an_export_past_the_cap_ends_with_a_message_and_is_incomplete(void **state)
{
    struct fixture *fixture = *state;
    char *expected = cli_export(fixture, RESEARCH_FORMAT_CSV, NULL, NULL);
    assert_true(strlen(expected) > 2000);
    struct web_research_query query = {.keys = {"format"}, .values = {"csv"}, .count = 1};
    struct web_research_reply reply;
    web_research_export(&fixture->web_config, fixture->db_path, &query, 1000, &reply);
    assert_int_equal(reply.status, 200);
    size_t length = 0;
    ssize_t end = 0;
    char *body = read_stream(reply.stream, 300, &length, &end);
    assert_int_equal(end, -1); /* libmicrohttpd: END_WITH_ERROR, no final chunk */
    assert_memory_equal(body, expected, 1000);
    assert_string_equal(body + 1000, "\noase: export stopped: larger than the kiosk's cap of "
                                     "1000 bytes; ask for fewer weeks (from=, to=) or run "
                                     "oase-export on the kiosk\n");
    bool complete = true;
    assert_int_equal(web_research_stream_sent(reply.stream, &complete), 1000);
    assert_false(complete);
    assert_int_equal(web_research_stream_read(reply.stream, body, 10), -1); /* stays ended */
    web_research_stream_close(reply.stream);
    free(body);

    /* A client that goes away half way: closing stops the export's thread. */
    web_research_export(&fixture->web_config, fixture->db_path, &query, 1 << 20, &reply);
    assert_int_equal(reply.status, 200);
    char block[16];
    assert_int_equal(web_research_stream_read(reply.stream, block, sizeof block), 16);
    web_research_stream_close(reply.stream);
    free(expected);
}

static void test_a_database_that_cannot_be_read_is_a_503_with_its_reason(void **state)
{
    struct fixture *fixture = *state;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nothing-here.db", fixture->dir);
    struct web_research_query query = {.keys = {"format"}, .values = {"csv"}, .count = 1};
    struct web_research_reply reply;
    web_research_export(&fixture->web_config, missing, &query, WEB_RESEARCH_BODY_MAX, &reply);
    assert_int_equal(reply.status, 503);
    assert_null(reply.stream);
    assert_non_null(reply.body);
    assert_non_null(memmem(reply.body, reply.size, "nothing-here.db", 15));
    free(reply.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_token_downloads_what_oase_export_writes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_missing_wrong_or_short_token_is_refused_and_the_right_one_never_waits, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_only_get_is_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_a_token_hash_the_export_is_off, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_export_reads_while_the_kiosk_writes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_the_streamed_export_is_what_oase_export_writes_in_any_block_size, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_an_export_past_the_cap_ends_with_a_message_and_is_incomplete, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_database_that_cannot_be_read_is_a_503_with_its_reason, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
