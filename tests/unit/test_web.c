/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * HTTP tests of the host page against the running server on loopback (127.0.0.1, a free
 * port): what needs a login, the session cookie, the slowed-down wrong passphrase, CSRF,
 * the host's taps and what they count, the light request through the main loop, hostile
 * requests (oversized, malformed, path traversal) and escaping. The test plays the kiosk's
 * main loop (web_poll) and its clock; the login delays run on a fake monotonic clock, so
 * nothing here depends on how fast the machine is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "unit/http_client.h"
#include "core/clock.h"
#include "config/config.h"
#include "core/log.h"
#include "i18n/lang.h"
#include "lights/lights.h"
#include "store/store.h"
#include "audio/audio.h"
#include "web/web.h"
#include "web/web_auth.h"
#include "web/web_deadline.h"
#include "research/research_export.h"
#include "test_numbers.h"

#define PASSPHRASE "rustig blauw water"
#define RESEARCH_TOKEN "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY" /* 256 bits */

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
    struct lights *lights;
    struct audio *audio;
    struct lang_set *langs;
    struct web_config web_config;
    struct web *web;
    int port;
    atomic_int wakes; /* the wake hook was called (from a web thread) */
};

static int64_t at(const char *local_time)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_local(local_time, &ms), 0);
    return ms;
}

static void count_wake(void *ctx)
{
    struct fixture *fixture = ctx;
    fixture->wakes++;
}

static void make_context(struct fixture *fixture, struct web_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->store = fixture->store;
    ctx->lights = fixture->lights;
    ctx->audio = fixture->audio;
    ctx->kiosk = (struct web_kiosk){.site = fixture->config.site,
                                    .ask_stress = fixture->config.ask_stress,
                                    .services = fixture->config.services,
                                    .service_count = fixture->config.service_count};
    ctx->langs = fixture->langs;
    ctx->assets_dir = "assets";
    ctx->db_path = fixture->db_path;
    ctx->wake = count_wake;
    ctx->wake_ctx = fixture;
    ctx->monotonic_ms = fake_monotonic;
}

/* Starts the web server of the fixture on a free port. */
static void open_web(struct fixture *fixture)
{
    char err[512] = "";
    struct web_context ctx;
    make_context(fixture, &ctx);
    fixture->web = NULL;
    for (int attempt = 0; attempt < 5 && fixture->web == NULL; attempt++) {
        fixture->web_config.port = free_port(); /* another process may take it meanwhile */
        fixture->web = web_open(&fixture->web_config, &ctx, err, sizeof err);
    }
    if (fixture->web == NULL) {
        fail_msg("web_open: %s", err);
    }
    fixture->port = web_port(fixture->web);
}

static int setup_with_iterations(void **state, bool research, unsigned iterations)
{
    struct fixture *fixture = calloc(1, sizeof *fixture);
    assert_non_null(fixture);
    snprintf(fixture->dir, sizeof fixture->dir, "/tmp/oase-web-XXXXXX");
    assert_non_null(mkdtemp(fixture->dir));
    snprintf(fixture->db_path, sizeof fixture->db_path, "%s/oase.db", fixture->dir);

    config_defaults(&fixture->config);
    assert_int_equal(phase_add(&fixture->config.phases, "baseline", "2026-01-05"), 0);
    assert_int_equal(phase_add(&fixture->config.phases, "after", "2026-03-02"), 0);
    /* A service whose label is markup: it must reach the page as text. */
    fixture->config.service_count = 2;
    snprintf(fixture->config.services[0].id, sizeof fixture->config.services[0].id, "schuldhulp");
    snprintf(fixture->config.services[0].label, sizeof fixture->config.services[0].label,
             "Schuldhulp");
    snprintf(fixture->config.services[1].id, sizeof fixture->config.services[1].id, "markup");
    snprintf(fixture->config.services[1].label, sizeof fixture->config.services[1].label,
             "<img src=x onerror=alert(1)>Post & \"brieven\"");

    char err[512] = "";
    fixture->store =
        store_open(fixture->db_path, &fixture->config.phases, 17 * 60, err, sizeof err);
    if (fixture->store == NULL) {
        fail_msg("store_open: %s", err);
    }
    struct lights_config lights_config;
    lights_config_defaults(&lights_config);
    fixture->lights = lights_open(&lights_config, at("2026-03-02 09:00"));
    assert_non_null(fixture->lights);
    struct audio_config audio_config;
    audio_config_defaults(&audio_config);
    fixture->audio = audio_open_offline(&audio_config, at("2026-03-02 09:00"), 48000);
    assert_non_null(fixture->audio);
    const char *codes[] = {"nl", "en"};
    int problems = 0;
    fixture->langs = lang_open("assets/lang", codes, 2, NULL, NULL, &problems, err, sizeof err);
    assert_non_null(fixture->langs);

    web_config_defaults(&fixture->web_config);
    snprintf(fixture->web_config.bind_address, sizeof fixture->web_config.bind_address,
             "127.0.0.1");
    assert_int_equal(web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), iterations,
                                              fixture->web_config.passphrase_hash,
                                              sizeof fixture->web_config.passphrase_hash),
                     0);
    if (research) {
        struct web_token_hash token_hash;
        assert_int_equal(
            web_auth_research_token_hash(RESEARCH_TOKEN, strlen(RESEARCH_TOKEN), &token_hash), 0);
        assert_int_equal(web_token_hash_format(&token_hash, fixture->web_config.research_token_hash,
                                               sizeof fixture->web_config.research_token_hash),
                         0);
        snprintf(fixture->web_config.site, sizeof fixture->web_config.site, "zuid");
    }
    open_web(fixture);
    assert_int_equal(fixture->port, fixture->web_config.port);
    web_poll(fixture->web, at("2026-03-02 09:00"));
    *state = fixture;
    return 0;
}

static int setup_with(void **state, bool research)
{
    return setup_with_iterations(state, research, WEB_HASH_ITERATIONS_MIN);
}

static int setup(void **state)
{
    return setup_with(state, false);
}

/* The host's passphrase hashed slowly enough (about 20 ms a check on a desktop, more on a
   loaded machine) that 70 first tries form a queue longer than a second. */
static int setup_slow_hash(void **state)
{
    return setup_with_iterations(state, false, 200000);
}

/* The same, with a researcher token in [research] and the site named "zuid". */
static int setup_research(void **state)
{
    return setup_with(state, true);
}

static int teardown(void **state)
{
    struct fixture *fixture = *state;
    web_close(fixture->web);
    audio_close(fixture->audio);
    lights_close(fixture->lights);
    store_close(fixture->store);
    lang_close(fixture->langs);
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

static long long json_int(const struct reply *reply, const char *section, const char *key)
{
    const char *from = reply->body;
    if (section != NULL) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\":", section);
        from = strstr(from, quoted);
        if (from == NULL) {
            fail_msg("no %s in %s", section, reply->body);
        }
    }
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\":", key);
    const char *at_key = strstr(from, quoted);
    if (at_key == NULL) {
        fail_msg("no %s in %s", key, reply->body);
    }
    return strtoll(at_key + strlen(quoted), NULL, 10);
}

struct login {
    char cookie_header[128]; /* "Cookie: oase_session=...\r\n" */
    char session_id[WEB_AUTH_TOKEN_SIZE];
    char csrf[WEB_AUTH_TOKEN_SIZE];
};

static int login_from(struct fixture *fixture, const char *source_ip, const char *passphrase,
                      struct login *login, struct reply *reply)
{
    char body[128];
    snprintf(body, sizeof body, "passphrase=%s", passphrase);
    for (char *c = body; *c; c++) {
        *c = *c == ' ' ? '+' : *c;
    }
    request_from(fixture->port, source_ip, "POST", "/api/login", NULL, body, reply);
    memset(login, 0, sizeof *login);
    if (reply->status != 200) {
        return reply->status;
    }
    char cookie[256];
    header_value(reply, "Set-Cookie", cookie, sizeof cookie);
    assert_int_equal(strncmp(cookie, "oase_session=", 13), 0);
    snprintf(login->session_id, sizeof login->session_id, "%.32s", cookie + 13);
    snprintf(login->cookie_header, sizeof login->cookie_header, "Cookie: oase_session=%s\r\n",
             login->session_id);
    struct reply session;
    request(fixture, "GET", "/api/session", login->cookie_header, NULL, &session);
    assert_int_equal(session.status, 200);
    const char *csrf = strstr(session.body, "\"csrf\":\"");
    assert_non_null(csrf);
    snprintf(login->csrf, sizeof login->csrf, "%.32s", csrf + 8);
    reply_free(&session);
    return 200;
}

static void log_in(struct fixture *fixture, struct login *login)
{
    struct reply reply;
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, login, &reply), 200);
    reply_free(&reply);
}

/* A POST as the page sends it: session cookie and CSRF token. */
static void post(struct fixture *fixture, const struct login *login, const char *path,
                 const char *body, struct reply *reply)
{
    char headers[256];
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", login->cookie_header, login->csrf);
    request(fixture, "POST", path, headers, body, reply);
}

static int check_in(struct fixture *fixture, const char *local_time, const char *name,
                    const char *service, int answer, bool wants_word)
{
    int64_t ms = at(local_time);
    struct store_checkin checkin = {
        .at_ms = ms,
        .name_number = store_next_name_number(fixture->store, ms),
        .wants_word = wants_word,
        .stress_asked = true,
        .stress_answer = answer,
    };
    snprintf(checkin.friendly_name, sizeof checkin.friendly_name, "%s", name);
    snprintf(checkin.service, sizeof checkin.service, "%s", service);
    assert_true(store_checkin(fixture->store, &checkin) > 0);
    return checkin.name_number;
}

/* The usual start: Vlinder 1 checked in at 09:05 for schuldhulp (stress 4) and a desk logged
   in. Returns Vlinder 1's name number. */
static int one_visitor_and_a_desk(struct fixture *fixture, struct login *login)
{
    int number = check_in(fixture, "2026-03-02 09:05", "Vlinder 1", "schuldhulp", 4, false);
    log_in(fixture, login);
    return number;
}

static enum store_arrival_status status_of(struct fixture *fixture, int number)
{
    struct store_arrival arrivals[16];
    int count = store_arrivals(fixture->store, arrivals, 16);
    for (int i = 0; i < count; i++) {
        if (arrivals[i].name_number == number) {
            return arrivals[i].status;
        }
    }
    fail_msg("arrival %d not found", number);
    return ARRIVAL_WAITING;
}

static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    long long value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

/* ---- login ---- */

static void test_only_login_page_and_health_work_without_a_session(void **state)
{
    struct fixture *fixture = *state;
    int number = check_in(fixture, "2026-03-02 09:05", "Vlinder 1", "schuldhulp", 4, false);
    struct reply reply;

    request(fixture, "GET", "/api/state", NULL, NULL, &reply);
    assert_int_equal(reply.status, 401);
    assert_null(strstr(reply.body, "Vlinder"));
    reply_free(&reply);

    request(fixture, "GET", "/", NULL, NULL, &reply);
    assert_int_equal(reply.status, 303);
    char location[64];
    header_value(&reply, "Location", location, sizeof location);
    assert_string_equal(location, "/login");
    reply_free(&reply);

    request(fixture, "GET", "/app.js", NULL, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    request(fixture, "GET", "/api/session", NULL, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    /* A made-up session id of the right shape is no session. */
    request(fixture, "GET", "/api/state",
            "Cookie: oase_session=0123456789abcdef0123456789abcdef\r\n", NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    request(fixture, "POST", "/api/arrival", NULL, "number=1&status=collected", &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);
    assert_int_equal(status_of(fixture, number), ARRIVAL_WAITING);

    request(fixture, "GET", "/login", NULL, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "<form"));
    char policy[512];
    header_value(&reply, "Content-Security-Policy", policy, sizeof policy);
    assert_non_null(strstr(policy, "script-src 'self'"));
    reply_free(&reply);

    request(fixture, "GET", "/style.css", NULL, NULL, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);

    request(fixture, "GET", "/health", NULL, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "\"ok\":true"));
    reply_free(&reply);
}

static void test_login_gives_a_strict_http_only_random_session(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    struct login first, second;
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &first, &reply), 200);
    char cookie[256];
    header_value(&reply, "Set-Cookie", cookie, sizeof cookie);
    assert_non_null(strstr(cookie, "HttpOnly"));
    assert_non_null(strstr(cookie, "SameSite=Strict"));
    assert_non_null(strstr(cookie, "Path=/"));
    assert_int_equal(strspn(first.session_id, "0123456789abcdef"), 32);
    reply_free(&reply);
    log_in(fixture, &second);
    assert_string_not_equal(first.session_id, second.session_id);
    assert_string_not_equal(first.csrf, second.csrf);
    assert_string_not_equal(first.csrf, first.session_id);

    request(fixture, "GET", "/api/state", first.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    request(fixture, "GET", "/", first.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "app.js"));
    reply_free(&reply);

    /* Logging out ends that session only. */
    post(fixture, &first, "/api/logout", "", &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", first.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", second.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
}

static void test_wrong_passphrase_is_refused_and_slowed_down(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    struct login login;
    char retry[16];

    assert_int_equal(login_from(fixture, "127.0.0.1", "rustig+groen+water", &login, &reply), 401);
    header_value(&reply, "Retry-After", retry, sizeof retry);
    assert_string_equal(retry, "1");
    header_value(&reply, "Set-Cookie", retry, sizeof retry);
    assert_string_equal(retry, "");
    reply_free(&reply);

    /* Within the pause even the right passphrase is not checked. */
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &login, &reply), 429);
    reply_free(&reply);
    /* Another address is not held up. */
    assert_int_equal(login_from(fixture, "127.0.0.2", PASSPHRASE, &login, &reply), 200);
    reply_free(&reply);

    atomic_fetch_add(&fake_monotonic_ms, 1000);
    assert_int_equal(login_from(fixture, "127.0.0.1", "nog+steeds+fout", &login, &reply), 401);
    header_value(&reply, "Retry-After", retry, sizeof retry);
    assert_string_equal(retry, "2"); /* each failure doubles the pause */
    reply_free(&reply);
    atomic_fetch_add(&fake_monotonic_ms, 1000);
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &login, &reply), 429);
    header_value(&reply, "Retry-After", retry, sizeof retry);
    assert_string_equal(retry, "1");
    reply_free(&reply);

    atomic_fetch_add(&fake_monotonic_ms, 1000);
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &login, &reply), 200);
    reply_free(&reply);
}

/* ---- CSRF ---- */

static void test_change_without_the_csrf_token_is_refused(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    int number = one_visitor_and_a_desk(fixture, &login);
    struct reply reply;

    request(fixture, "POST", "/api/arrival", login.cookie_header, "number=1&status=collected",
            &reply);
    assert_int_equal(reply.status, 403);
    reply_free(&reply);

    char headers[256];
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", login.cookie_header,
             login.session_id); /* the session id is not the token */
    request(fixture, "POST", "/api/arrival", headers, "number=1&status=collected", &reply);
    assert_int_equal(reply.status, 403);
    reply_free(&reply);

    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nOrigin: http://evil.example\r\n",
             login.cookie_header, login.csrf);
    request(fixture, "POST", "/api/arrival", headers, "number=1&status=collected", &reply);
    assert_int_equal(reply.status, 403);
    reply_free(&reply);

    request(fixture, "POST", "/api/incident", login.cookie_header, "kind=verbal", &reply);
    assert_int_equal(reply.status, 403);
    reply_free(&reply);
    assert_int_equal(status_of(fixture, number), ARRIVAL_WAITING);
    struct store_today today;
    store_today(fixture->store, at("2026-03-02 09:10"), &today);
    assert_int_equal(today.incidents[STORE_INCIDENT_VERBAL], 0);

    /* The page's own request, with the token and its own origin, goes through. */
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nOrigin: http://127.0.0.1:%d\r\n",
             login.cookie_header, login.csrf, fixture->port);
    request(fixture, "POST", "/api/arrival", headers, "number=1&status=collected", &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    assert_int_equal(status_of(fixture, number), ARRIVAL_COLLECTED);
}

/* ---- the host's taps ---- */

static void test_collected_no_show_and_undo_change_the_counts(void **state)
{
    struct fixture *fixture = *state;
    int first = check_in(fixture, "2026-03-02 09:00", "Vlinder 1", "schuldhulp", 3, false);
    int second = check_in(fixture, "2026-03-02 09:05", "Reiger 2", "schuldhulp", -1, true);
    int third = check_in(fixture, "2026-03-02 09:10", "Eekhoorn 3", "markup", 6, false);
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    char body[64];

    web_poll(fixture->web, at("2026-03-02 09:12"));
    snprintf(body, sizeof body, "number=%d&status=collected", first);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    snprintf(body, sizeof body, "number=%d&status=no_show", second);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    snprintf(body, sizeof body, "number=%d&status=collected", third);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);

    /* A mistaken tap, undone. */
    web_poll(fixture->web, at("2026-03-02 09:13"));
    snprintf(body, sizeof body, "number=%d&status=waiting", third);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    /* A second tap on "collected" keeps the first time. */
    web_poll(fixture->web, at("2026-03-02 09:30"));
    snprintf(body, sizeof body, "number=%d&status=collected", first);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);

    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_int_equal(json_int(&reply, "today", "checkins"), 3);
    assert_int_equal(json_int(&reply, "today", "waiting"), 1);
    assert_int_equal(json_int(&reply, "today", "collected"), 1);
    assert_int_equal(json_int(&reply, "today", "no_shows"), 1);
    assert_int_equal(json_int(&reply, "today", "median_wait_minutes"), 12);
    /* Three answers, fewer than k: nothing written, so no rate that one answer could move. */
    assert_non_null(strstr(reply.body, "\"response_percent\":null"));
    reply_free(&reply);
    assert_int_equal(status_of(fixture, third), ARRIVAL_WAITING);

    snprintf(body, sizeof body, "number=%d&status=collected", 99);
    post(fixture, &login, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 404);
    reply_free(&reply);

    /* What the evaluation keeps after closing time. */
    assert_true(store_fold(fixture->store, at("2026-03-02 17:30")) > 0);
    store_flush(fixture->store);
    assert_int_equal(query_int(fixture->db_path, "SELECT sum(n) FROM wait_counts WHERE outcome = "
                                                 "'collected' AND wait_band = '10-15'"),
                     1);
    assert_int_equal(
        query_int(fixture->db_path, "SELECT sum(n) FROM wait_counts WHERE outcome = 'no_show'"), 1);
    /* The one still waiting at closing stays on the host's list until midnight. */
    assert_int_equal(query_int(fixture->db_path, "SELECT count(*) FROM arrivals"), 1);
    assert_true(store_fold(fixture->store, at("2026-03-03 00:00")) > 0);
    store_flush(fixture->store);
    assert_int_equal(
        query_int(fixture->db_path, "SELECT sum(n) FROM wait_counts WHERE outcome = 'not_marked'"),
        1);
}

static void test_incident_is_counted_per_day_and_phase(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    web_poll(fixture->web, at("2026-03-02 11:20"));

    post(fixture, &login, "/api/incident", "kind=verbal", &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    post(fixture, &login, "/api/incident", "kind=shouting", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);
    post(fixture, &login, "/api/incident", "kind=", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);

    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(json_int(&reply, "incidents", "verbal"), 1);
    assert_int_equal(json_int(&reply, "incidents", "physical"), 0);
    reply_free(&reply);
    store_flush(fixture->store);
    assert_int_equal(query_int(fixture->db_path, "SELECT n FROM incident_counts WHERE day = "
                                                 "'2026-03-02' AND phase = 'after' AND kind = "
                                                 "'verbal'"),
                     1);
    assert_int_equal(query_int(fixture->db_path, "SELECT sum(n) FROM incident_counts"), 1);
}

/* The kiosk restarts (power, update): the store and the web server start again. */
static void restart_kiosk(struct fixture *fixture)
{
    web_close(fixture->web);
    store_close(fixture->store);
    char err[512] = "";
    fixture->store =
        store_open(fixture->db_path, &fixture->config.phases, 17 * 60, err, sizeof err);
    if (fixture->store == NULL) {
        fail_msg("store_open: %s", err);
    }
    open_web(fixture);
}

/* The averaging attack: 5 answers showed 5.0; after a restart the sixth showed 5.7, so the
 * sixth answer was 9. The host's figures must read the same after a restart. */
static void test_stress_mean_is_the_same_after_a_restart(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    const int answers[] = {2, 4, 6, 8, 5};
    for (int i = 0; i < 5; i++) {
        check_in(fixture, "2026-03-02 09:00", "Vlinder", "", answers[i], false);
    }
    store_tick(fixture->store, at("2026-03-02 09:01"));
    web_poll(fixture->web, at("2026-03-02 09:05"));
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"stress_mean\":5.0"));
    reply_free(&reply);

    check_in(fixture, "2026-03-02 09:10", "Vlinder", "", 9, false);
    store_tick(fixture->store, at("2026-03-02 09:11"));
    restart_kiosk(fixture);
    store_tick(fixture->store, at("2026-03-02 09:20"));
    web_poll(fixture->web, at("2026-03-02 09:20"));
    log_in(fixture, &login);
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"stress_mean\":5.0"));
    assert_int_equal(json_int(&reply, "today", "stress_mean_answers"), 5);
    assert_int_equal(json_int(&reply, "today", "stress_answers"), 5);
    reply_free(&reply);
}

static void test_stress_mean_moves_only_with_a_written_batch(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    const int answers[] = {2, 4, 6, 8};
    for (int i = 0; i < 4; i++) {
        check_in(fixture, "2026-03-02 09:00", "Vlinder", "", answers[i], false);
    }
    store_tick(fixture->store, at("2026-03-02 09:01"));
    web_poll(fixture->web, at("2026-03-02 09:30"));
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"stress_mean\":null"));
    assert_int_equal(json_int(&reply, "today", "stress_answers"), 0); /* nobody's answer shows */
    reply_free(&reply);

    check_in(fixture, "2026-03-02 09:40", "Vlinder", "", 5, false);
    store_tick(fixture->store, at("2026-03-02 09:41")); /* five pending: one batch */
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"stress_mean\":5.0"));
    assert_int_equal(json_int(&reply, "today", "stress_mean_answers"), 5);
    assert_int_equal(json_int(&reply, "today", "response_percent"), 100);
    reply_free(&reply);

    /* A skip and one more answer move nothing: they wait in the pool for k - 2 others. */
    check_in(fixture, "2026-03-02 09:50", "Vlinder", "", 10, false);
    check_in(fixture, "2026-03-02 09:51", "Vlinder", "", -1, false);
    store_tick(fixture->store, at("2026-03-02 09:52"));
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"stress_mean\":5.0"));
    assert_int_equal(json_int(&reply, "today", "stress_answers"), 5);
    assert_int_equal(json_int(&reply, "today", "response_percent"), 100);
    reply_free(&reply);
}

/* ---- the room: through the main loop ---- */

static void test_scene_request_waits_for_the_main_loop(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    int wakes = fixture->wakes;

    post(fixture, &login, "/api/room", "scene=quiet", &reply);
    assert_int_equal(reply.status, 202);
    reply_free(&reply);
    assert_int_equal(fixture->wakes, wakes + 1);
    struct lights_status status;
    lights_status(fixture->lights, &status);
    assert_false(status.override_active); /* the web thread never touched the lights */

    web_poll(fixture->web, at("2026-03-02 09:01"));
    lights_status(fixture->lights, &status);
    assert_true(status.override_active);
    assert_string_equal(status.scene, "quiet");
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"scene\":\"quiet\""));
    assert_non_null(strstr(reply.body, "\"override\":true"));
    reply_free(&reply);

    post(fixture, &login, "/api/room", "scene=disco", &reply);
    assert_int_equal(reply.status, 404);
    reply_free(&reply);
    post(fixture, &login, "/api/room", "scene=quiet&schedule=1", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);

    post(fixture, &login, "/api/room", "schedule=1", &reply);
    assert_int_equal(reply.status, 202);
    reply_free(&reply);
    web_poll(fixture->web, at("2026-03-02 09:02"));
    lights_status(fixture->lights, &status);
    assert_false(status.override_active);
}

static void test_sound_request_waits_for_the_main_loop(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    struct audio_status sound;

    post(fixture, &login, "/api/room", "source=rain", &reply);
    assert_int_equal(reply.status, 202);
    reply_free(&reply);
    audio_status(fixture->audio, &sound);
    assert_string_not_equal(sound.requested, "rain"); /* the web thread never touched it */
    web_poll(fixture->web, at("2026-03-02 09:01"));
    audio_status(fixture->audio, &sound);
    assert_string_equal(sound.requested, "rain");

    post(fixture, &login, "/api/room", "volume_db=-30", &reply);
    assert_int_equal(reply.status, 202);
    reply_free(&reply);
    web_poll(fixture->web, at("2026-03-02 09:02"));
    audio_status(fixture->audio, &sound);
    assert_true(sound.override_active);
    assert_true(sound.target_db > -30.5 && sound.target_db < -29.5);

    post(fixture, &login, "/api/room", "sound_schedule=1", &reply);
    assert_int_equal(reply.status, 202);
    reply_free(&reply);
    web_poll(fixture->web, at("2026-03-02 09:03"));
    audio_status(fixture->audio, &sound);
    assert_false(sound.override_active);

    /* Unknown sources, levels out of range and two changes at once are refused. */
    post(fixture, &login, "/api/room", "source=disco", &reply);
    assert_int_equal(reply.status, 404);
    reply_free(&reply);
    post(fixture, &login, "/api/room", "volume_db=12", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);
    post(fixture, &login, "/api/room", "volume_db=-20x", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);
    post(fixture, &login, "/api/room", "source=sea&volume_db=-30", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);
}

/* ---- hostile requests ---- */

static void expect_4xx_raw(struct fixture *fixture, const char *bytes, size_t length)
{
    struct reply reply;
    send_raw_from(fixture->port, "127.0.0.1", bytes, length, &reply);
    if (reply.status < 400 || reply.status > 499) {
        fail_msg("expected a 4xx answer, got %d for %.60s", reply.status, bytes);
    }
    reply_free(&reply);
}

static void test_oversized_and_malformed_requests_get_4xx_and_no_crash(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    one_visitor_and_a_desk(fixture, &login);
    char *big = malloc(64 * 1024);
    assert_non_null(big);

    /* A body announced far over the limit: refused before it is read. */
    int length = snprintf(big, 64 * 1024,
                          "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                          "application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\n"
                          "passphrase=");
    expect_4xx_raw(fixture, big, (size_t)length);

    /* A body over the limit in chunks (no length announced). */
    length = snprintf(big, 64 * 1024,
                      "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
    for (int chunk = 0; chunk < 6; chunk++) {
        length += snprintf(big + length, 64 * 1024 - (size_t)length, "400\r\n");
        memset(big + length, 'a', 0x400);
        length += 0x400;
        length += snprintf(big + length, 64 * 1024 - (size_t)length, "\r\n");
    }
    length += snprintf(big + length, 64 * 1024 - (size_t)length, "0\r\n\r\n");
    expect_4xx_raw(fixture, big, (size_t)length);

    /* Headers far larger than any browser sends. */
    length = snprintf(big, 64 * 1024, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: ");
    memset(big + length, 'j', 48 * 1024);
    length += 48 * 1024;
    length += snprintf(big + length, 64 * 1024 - (size_t)length, "\r\n\r\n");
    expect_4xx_raw(fixture, big, (size_t)length);
    free(big);

    static const char garbage[] = "\x01\x02\x03 NONSENSE\r\n\r\n";
    expect_4xx_raw(fixture, garbage, sizeof garbage - 1);
    static const char no_version[] = "GET /\r\n\r\n";
    expect_4xx_raw(fixture, no_version, sizeof no_version - 1);

    static const char *const bad_bodies[] = {
        "number=%zz&status=collected",
        "number=1&status=%4",
        "number=abc&status=collected",
        "number=-1&status=collected",
        "number=1&status=gone",
        "number=1",
        "status=collected",
        "number=99999999999999999999&status=collected",
    };
    for (size_t i = 0; i < sizeof bad_bodies / sizeof bad_bodies[0]; i++) {
        struct reply reply;
        post(fixture, &login, "/api/arrival", bad_bodies[i], &reply);
        if (reply.status != 400) {
            fail_msg("%s: expected 400, got %d", bad_bodies[i], reply.status);
        }
        reply_free(&reply);
    }
    assert_int_equal(status_of(fixture, 1), ARRIVAL_WAITING);

    struct reply reply;
    char headers[256];
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: application/json\r\n",
             login.cookie_header, login.csrf);
    static const char json_request_fmt[] =
        "POST /api/arrival HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
        "close\r\n%sContent-Length: 2\r\n\r\n{}";
    char bytes[512];
    length = snprintf(bytes, sizeof bytes, json_request_fmt, headers);
    send_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, &reply);
    assert_int_equal(reply.status, 415);
    reply_free(&reply);

    request(fixture, "DELETE", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 405);
    reply_free(&reply);

    /* Still serving. */
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
}

static void test_paths_outside_the_page_are_refused(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    static const char *const paths[] = {
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/web/app.js",
        "/assets/web/index.html",
        "//etc/passwd",
        "/index.html/../../README.md",
        "/app.js%00.html",
        "/lang/nl.lang",
        "/api/../../etc/passwd",
        "/login/..",
        "/oase.db",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct reply reply;
        request(fixture, "GET", paths[i], login.cookie_header, NULL, &reply);
        if (reply.status < 400 || reply.status > 499) {
            fail_msg("%s: expected a 4xx answer, got %d", paths[i], reply.status);
        }
        assert_null(strstr(reply.body, "root:"));
        assert_null(strstr(reply.body, "SQLite format"));
        reply_free(&reply);
    }
}

/* Incidents counted today, read from the server's own answer and the database. */
static long long incidents_counted(struct fixture *fixture, const struct login *login)
{
    struct reply reply;
    request(fixture, "GET", "/api/state", login->cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    long long shown = json_int(&reply, "incidents", "verbal");
    reply_free(&reply);
    store_flush(fixture->store);
    long long stored =
        query_int(fixture->db_path, "SELECT coalesce(sum(n), 0) FROM incident_counts");
    assert_int_equal(shown, stored);
    return stored;
}

static void test_other_methods_get_405_with_allow_and_change_nothing(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    int number = one_visitor_and_a_desk(fixture, &login);
    web_poll(fixture->web, at("2026-03-02 09:10"));
    long long incidents = incidents_counted(fixture, &login);
    char headers[256];
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", login.cookie_header, login.csrf);

    static const char *const methods[] = {"PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"};
    static const char *const paths[] = {"/api/arrival", "/api/incident", "/", "/api/state"};
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
            struct reply reply;
            request(fixture, methods[m], paths[p], headers, "number=1&status=collected", &reply);
            if (reply.status != 405) {
                fail_msg("%s %s: expected 405, got %d", methods[m], paths[p], reply.status);
            }
            char allow[64];
            header_value(&reply, "Allow", allow, sizeof allow);
            assert_string_equal(allow, "GET, HEAD, POST");
            assert_string_equal(reply.body, "{\"error\":\"method\"}");
            assert_null(strstr(reply.body, "Vlinder")); /* TRACE echoes nothing back */
            reply_free(&reply);
        }
    }
    /* CONNECT names a host, not a path: refused before any route is looked at. */
    static const char connect_request[] = "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n"
                                          "Connection: close\r\n\r\n";
    expect_4xx_raw(fixture, connect_request, sizeof connect_request - 1);

    assert_int_equal(status_of(fixture, number), ARRIVAL_WAITING);
    assert_int_equal(incidents_counted(fixture, &login), incidents);
}

static void test_absolute_and_encoded_paths_reach_no_file(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    static const char *const paths[] = {
        "/etc/passwd",
        "http://127.0.0.1/../../etc/passwd",
        "http://evil.example/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/.%2e/.%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/login%00",
        "/%00/../etc/passwd",
        "/app.js/",
        "/\\..\\..\\etc\\passwd",
        "/assets/lang/../../oase.db",
        "/proc/self/environ",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct reply reply;
        request(fixture, "GET", paths[i], login.cookie_header, NULL, &reply);
        if (reply.status < 400 || reply.status > 499) {
            fail_msg("%s: expected a 4xx answer, got %d", paths[i], reply.status);
        }
        assert_null(strstr(reply.body, "root:"));
        assert_null(strstr(reply.body, "SQLite format"));
        assert_null(strstr(reply.body, "PATH="));
        reply_free(&reply);
    }
    /* A raw NUL inside the request line: libmicrohttpd ends the path there, so the most it
     * can reach is the public login page, never the file named after the NUL. */
    static const char nul_path[] = "GET /login\0/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\n\r\n";
    struct reply reply;
    send_raw_from(fixture->port, "127.0.0.1", nul_path, sizeof nul_path - 1, &reply);
    assert_true(reply.status == 200 || (reply.status >= 400 && reply.status <= 499));
    assert_null(strstr(reply.body, "root:"));
    if (reply.status == 200) {
        assert_non_null(strstr(reply.body, "<form"));
    }
    reply_free(&reply);
}

static void test_expired_foreign_or_forged_session_changes_nothing(void **state)
{
    struct fixture *fixture = *state;
    int number = check_in(fixture, "2026-03-02 09:05", "Vlinder 1", "schuldhulp", 4, false);
    struct login first, second;
    log_in(fixture, &first);
    log_in(fixture, &second);
    web_poll(fixture->web, at("2026-03-02 09:10"));
    long long incidents = incidents_counted(fixture, &first);
    struct reply reply;
    char headers[1024];

    /* One session's cookie with the other session's CSRF token. */
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", first.cookie_header, second.csrf);
    request(fixture, "POST", "/api/incident", headers, "kind=verbal", &reply);
    assert_int_equal(reply.status, 403);
    assert_string_equal(reply.body, "{\"error\":\"csrf\"}");
    reply_free(&reply);

    /* Forged cookies: wrong length, not hex, the CSRF token as the id, two cookies. */
    char forged[5][160];
    snprintf(forged[0], sizeof forged[0], "Cookie: oase_session=0123\r\n");
    snprintf(forged[1], sizeof forged[1],
             "Cookie: oase_session=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n");
    snprintf(forged[2], sizeof forged[2], "Cookie: oase_session=\r\n");
    snprintf(forged[3], sizeof forged[3], "Cookie: oase_session=%s\r\n", first.csrf);
    snprintf(forged[4], sizeof forged[4], "Cookie: other=1; oase_session=%.31sX\r\n",
             first.session_id);
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        const char *cookie = forged[i];
        snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", cookie, first.csrf);
        request(fixture, "POST", "/api/arrival", headers, "number=1&status=collected", &reply);
        if (reply.status != 401) {
            fail_msg("%s: expected 401, got %d", cookie, reply.status);
        }
        assert_string_equal(reply.body, "{\"error\":\"login\"}");
        reply_free(&reply);
    }

    /* A day later every session has ended: the page asks for a login again. */
    atomic_fetch_add(&fake_monotonic_ms, WEB_AUTH_LIFETIME_MS + 1000);
    snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\n", second.cookie_header, second.csrf);
    request(fixture, "POST", "/api/arrival", headers, "number=1&status=collected", &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", second.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 401);
    assert_null(strstr(reply.body, "Vlinder"));
    reply_free(&reply);

    struct login again;
    log_in(fixture, &again);
    assert_int_equal(status_of(fixture, number), ARRIVAL_WAITING);
    assert_int_equal(incidents_counted(fixture, &again), incidents);
}

struct guesser {
    struct fixture *fixture;
    int status;
};

static void *guess_once(void *arg)
{
    struct guesser *guesser = arg;
    struct reply reply;
    struct login login;
    guesser->status =
        login_from(guesser->fixture, "127.0.0.9", "geraden+wachtwoord", &login, &reply);
    reply_free(&reply);
    return NULL;
}

static void test_login_guessing_checks_one_passphrase_per_pause(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    struct login login;

    /* Twelve guesses at once from one address: one is checked, the others wait. (Twelve, not
       the per-client connection limit of 16, so a connection the server is still closing
       cannot make one of them refused instead of answered.) */
    struct guesser guessers[12];
    pthread_t threads[12];
    for (int i = 0; i < 12; i++) {
        guessers[i] = (struct guesser){.fixture = fixture};
        assert_int_equal(pthread_create(&threads[i], NULL, guess_once, &guessers[i]), 0);
    }
    int wrong = 0, waiting = 0;
    for (int i = 0; i < 12; i++) {
        pthread_join(threads[i], NULL);
        wrong += guessers[i].status == 401;
        waiting += guessers[i].status == 429;
    }
    assert_int_equal(wrong, 1);
    assert_int_equal(waiting, 11);

    /* Then forty in a row: none checked, each told how long to wait, no session given. */
    for (int i = 0; i < 40; i++) {
        assert_int_equal(login_from(fixture, "127.0.0.9", "nog+een+gok", &login, &reply), 429);
        char retry[16];
        header_value(&reply, "Retry-After", retry, sizeof retry);
        assert_string_equal(retry, "1");
        assert_non_null(strstr(reply.body, "\"error\":\"wait\""));
        header_value(&reply, "Set-Cookie", retry, sizeof retry);
        assert_string_equal(retry, "");
        reply_free(&reply);
    }
    /* The pauses double with each checked guess: 1, 2, 4, 8 s ... */
    int64_t pause_s = 1;
    for (int guess = 0; guess < 5; guess++) {
        atomic_fetch_add(&fake_monotonic_ms, pause_s * 1000);
        assert_int_equal(login_from(fixture, "127.0.0.9", "weer+fout", &login, &reply), 401);
        char retry[16];
        header_value(&reply, "Retry-After", retry, sizeof retry);
        pause_s *= 2;
        assert_int_equal(test_number(retry), pause_s);
        reply_free(&reply);
    }
    /* Meanwhile the host at another desk logs in as usual. */
    assert_int_equal(login_from(fixture, "127.0.0.10", PASSPHRASE, &login, &reply), 200);
    reply_free(&reply);
}

/* ---- availability and strict HTTP ---- */

/* Like send_raw_from, but a refused or closed connection gives -1 instead of failing. */
static int probe_raw_from(int port, const char *source_ip, const char *bytes, size_t length,
                          char *body, size_t body_size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval guard = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    struct sockaddr_in source = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, source_ip, &source.sin_addr), 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&source, sizeof source), 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0 &&
        send(fd, bytes, length, MSG_NOSIGNAL) == (ssize_t)length) {
        char raw[65536];
        size_t got = 0;
        ssize_t n;
        while (got < sizeof raw - 1 && (n = recv(fd, raw + got, sizeof raw - 1 - got, 0)) > 0) {
            got += (size_t)n;
        }
        raw[got] = '\0';
        if (sscanf(raw, "HTTP/1.%*d %d", &status) != 1) {
            status = -1;
        }
        const char *start = strstr(raw, "\r\n\r\n");
        if (body != NULL) {
            snprintf(body, body_size, "%s", start ? start + 4 : "");
        }
    }
    close(fd);
    return status;
}

static int64_t wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* A GET as a desk sends it, from source_ip; the status or -1, and how long it took. */
static int timed_get(const struct fixture *fixture, const char *source_ip, const char *path,
                     const char *headers, int64_t *took_ms)
{
    char bytes[1024];
    int length = snprintf(bytes, sizeof bytes,
                          "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s\r\n",
                          path, fixture->port, headers ? headers : "");
    int64_t start = wall_ms();
    int status = probe_raw_from(fixture->port, source_ip, bytes, (size_t)length, NULL, 0);
    *took_ms = wall_ms() - start;
    return status;
}

static void test_idle_sockets_from_five_addresses_leave_the_page_up(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    /* Five addresses each open as many idle connections as they are let: 5 x 16. */
    enum { ATTACKERS = 5, EACH = 16 };
    int sockets[ATTACKERS * EACH];
    for (int a = 0; a < ATTACKERS; a++) {
        char source_ip[32];
        snprintf(source_ip, sizeof source_ip, "127.0.3.%d", a + 1);
        for (int i = 0; i < EACH; i++) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            assert_true(fd >= 0);
            struct sockaddr_in source = {.sin_family = AF_INET};
            inet_pton(AF_INET, source_ip, &source.sin_addr);
            assert_int_equal(bind(fd, (struct sockaddr *)&source, sizeof source), 0);
            struct sockaddr_in address = {.sin_family = AF_INET,
                                          .sin_port = htons((uint16_t)fixture->port)};
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
            send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL); /* and never more */
            sockets[a * EACH + i] = fd;
        }
    }
    usleep(200 * 1000); /* the server has accepted them all */
    int served = 0;
    int64_t slowest = 0;
    for (int probe = 0; probe < 10; probe++) {
        int64_t took = 0;
        served += timed_get(fixture, "127.0.0.1", "/api/state", login.cookie_header, &took) == 200;
        slowest = took > slowest ? took : slowest;
        served += timed_get(fixture, "127.0.4.1", "/login", NULL, &took) == 200;
        slowest = took > slowest ? took : slowest;
    }
    for (int i = 0; i < ATTACKERS * EACH; i++) {
        close(sockets[i]);
    }
    if (served != 20 || slowest > 1000) {
        fail_msg("with 5 x %d idle sockets: %d of 20 probes served, slowest %lld ms", EACH, served,
                 (long long)slowest);
    }
}

/* A socket from source_ip connected to the fixture's server. */
static int connect_from(const struct fixture *fixture, const char *source_ip)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in source = {.sin_family = AF_INET};
    inet_pton(AF_INET, source_ip, &source.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&source, sizeof source), 0);
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)fixture->port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
    return fd;
}

/* Slowloris: a request dripped one byte a second never falls silent for the idle timeout
   (15 s), so before the whole-request deadline it held its connection for ever (on the old
   server still open after 16.5 s). Now it is closed at WEB_DEADLINE_REQUEST_MS, and a desk is
   served all along. */
static void test_request_dripped_byte_by_byte_is_closed_at_its_deadline(void **state)
{
    struct fixture *fixture = *state;
    struct login desk;
    log_in(fixture, &desk);
    int fd = connect_from(fixture, "127.0.7.1");
    char head[128];
    int length = snprintf(head, sizeof head,
                          "GET /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Drip: ", fixture->port);
    assert_true(send(fd, head, (size_t)length, MSG_NOSIGNAL) == length);
    int64_t start = wall_ms();
    int64_t closed_after = -1;
    int desk_ok = 0, desk_tries = 0;
    while (closed_after < 0 && wall_ms() - start < 16500) {
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        if (poll(&ready, 1, 1000) > 0) {
            char byte;
            ssize_t got = recv(fd, &byte, 1, MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                closed_after = wall_ms() - start;
                break;
            }
        }
        if (send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
            closed_after = wall_ms() - start;
            break;
        }
        int64_t took = 0;
        desk_tries++;
        desk_ok +=
            timed_get(fixture, "127.0.0.1", "/api/state", desk.cookie_header, &took) == 200 &&
            took < 1000;
    }
    close(fd);
    if (closed_after < 0) {
        fail_msg("a request dripped one byte a second is still open after %lld ms",
                 (long long)(wall_ms() - start));
    }
    assert_true(closed_after >= WEB_DEADLINE_REQUEST_MS - 500);
    assert_true(closed_after <= WEB_DEADLINE_REQUEST_MS + 2000);
    assert_int_equal(desk_ok, desk_tries); /* the desk was served within a second each time */
}

struct flood {
    struct fixture *fixture;
    atomic_int *stop;
    int index;
    int tries;
};

static void *flood_guesses(void *arg)
{
    struct flood *flood = arg;
    char source_ip[32];
    snprintf(source_ip, sizeof source_ip, "127.0.5.%d", flood->index + 1);
    char bytes[512];
    int length = snprintf(bytes, sizeof bytes,
                          "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                          "Content-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: 20\r\n\r\npassphrase=fout+fout",
                          flood->fixture->port);
    /* An attacker's CPU is elsewhere: these threads weigh little beside the kiosk's. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
    while (!atomic_load(flood->stop)) {
        probe_raw_from(flood->fixture->port, source_ip, bytes, (size_t)length, NULL, 0);
        flood->tries++;
    }
    return NULL;
}

/* The flood: 70 addresses guess without pause (their pauses never end on the test's
   clock); a logged-in desk and the host logging in from new addresses are both served within
   a second. Each flooder's first try is hashed once; with the slow hash of this fixture they
   queue for more than a second, and before the ordered queue (web_auth.h) the host's first
   try waited behind a random share of them (4 of 5 in, the slowest 5 s in bench_web). */
static void test_flood_of_guesses_from_70_addresses_keeps_desk_and_host_served(void **state)
{
    struct fixture *fixture = *state;
    struct login desk;
    log_in(fixture, &desk);
    enum { ADDRESSES = 70 };
    atomic_int stop = 0;
    struct flood floods[ADDRESSES];
    pthread_t threads[ADDRESSES];
    for (int i = 0; i < ADDRESSES; i++) {
        floods[i] = (struct flood){.fixture = fixture, .stop = &stop, .index = i};
        assert_int_equal(pthread_create(&threads[i], NULL, flood_guesses, &floods[i]), 0);
    }
    usleep(300 * 1000);
    int desk_ok = 0, host_ok = 0;
    int64_t slowest = 0;
    for (int round = 0; round < 5; round++) {
        int64_t took = 0;
        desk_ok += timed_get(fixture, "127.0.0.1", "/api/state", desk.cookie_header, &took) == 200;
        slowest = took > slowest ? took : slowest;
        char source_ip[32];
        snprintf(source_ip, sizeof source_ip, "127.0.6.%d", round + 1);
        struct reply reply;
        struct login host;
        int64_t start = wall_ms();
        host_ok += login_from(fixture, source_ip, PASSPHRASE, &host, &reply) == 200;
        took = wall_ms() - start;
        slowest = took > slowest ? took : slowest;
        reply_free(&reply);
        usleep(100 * 1000);
    }
    atomic_store(&stop, 1);
    int tries = 0;
    for (int i = 0; i < ADDRESSES; i++) {
        pthread_join(threads[i], NULL);
        tries += floods[i].tries;
    }
    if (desk_ok != 5 || host_ok != 5 || slowest > 1000) {
        fail_msg("under %d guesses from %d addresses: desk %d/5, host %d/5, slowest %lld ms", tries,
                 ADDRESSES, desk_ok, host_ok, (long long)slowest);
    }
}

static void test_ambiguous_framing_and_folded_headers_are_refused(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    int number = one_visitor_and_a_desk(fixture, &login);
    char body[32];
    snprintf(body, sizeof body, "number=%d&status=collected", number);
    char cl[48];
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", strlen(body));
    const char *framings[][3] = {
        /* Content-Length and Transfer-Encoding: which one ends the body? */
        {cl, "Transfer-Encoding: chunked\r\n", ""},
        {"Transfer-Encoding: chunked\r\n", cl, ""},
        /* two lengths, equal or not */
        {cl, cl, ""},
        {cl, "Content-Length: 5\r\n", ""},
        /* a folded Transfer-Encoding (obsolete line folding, RFC 7230 3.2.4), with a length */
        {"Transfer-Encoding:\r\n", " chunked\r\n", cl},
        /* chunked alone: the page never sends it */
        {"Transfer-Encoding: chunked\r\n", "", ""},
    };
    for (size_t i = 0; i < sizeof framings / sizeof framings[0]; i++) {
        char bytes[1024];
        int length = snprintf(bytes, sizeof bytes,
                              "POST /api/arrival HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: "
                              "close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                              "%sX-CSRF-Token: %s\r\n%s%s%s\r\n%s",
                              fixture->port, login.cookie_header, login.csrf, framings[i][0],
                              framings[i][1], framings[i][2], body);
        assert_true(length > 0 && (size_t)length < sizeof bytes);
        int status = probe_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, NULL, 0);
        if (status != 400) {
            fail_msg("framing %zu: expected 400, got %d", i, status);
        }
        assert_int_equal(status_of(fixture, number), ARRIVAL_WAITING);
    }
}

static void test_host_header_outside_the_list_is_refused(void **state)
{
    struct fixture *fixture = *state;
    const char *refused[] = {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", ""};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char bytes[256];
        int length =
            snprintf(bytes, sizeof bytes,
                     "GET /login HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", refused[i]);
        char body[256];
        int status =
            probe_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, body, sizeof body);
        if (status != 421 && status != 400) {
            fail_msg("Host %s: expected 421, got %d", refused[i], status);
        }
        /* and a DNS-rebound page cannot log in either */
        length = snprintf(bytes, sizeof bytes,
                          "POST /api/login HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
                          "Content-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: 29\r\n\r\npassphrase=rustig+blauw+water",
                          refused[i]);
        status = probe_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, NULL, 0);
        if (status != 421 && status != 400) {
            fail_msg("login with Host %s: expected 421, got %d", refused[i], status);
        }
    }
    const char *accepted[] = {"127.0.0.1", "localhost", "[::1]", "192.168.1.40"};
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        char bytes[256];
        int length = snprintf(bytes, sizeof bytes,
                              "GET /login HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n",
                              accepted[i], fixture->port);
        int status = probe_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, NULL, 0);
        if (status != 200) {
            fail_msg("Host %s: expected 200, got %d", accepted[i], status);
        }
    }
}

static void test_state_carries_an_etag_and_an_unchanged_state_is_304(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    one_visitor_and_a_desk(fixture, &login);
    /* The state holds the disk's free space, which other programs on this machine change:
       an unchanged state is asked for up to five times. */
    struct reply reply;
    char etag[64];
    char headers[256];
    int not_modified = 0;
    for (int attempt = 0; attempt < 5 && not_modified == 0; attempt++) {
        request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
        assert_int_equal(reply.status, 200);
        header_value(&reply, "ETag", etag, sizeof etag);
        assert_true(strlen(etag) > 2 && etag[0] == '"');
        assert_non_null(strstr(reply.body, "\"help_requests\":0"));
        reply_free(&reply);
        snprintf(headers, sizeof headers, "%sIf-None-Match: %s\r\n", login.cookie_header, etag);
        request(fixture, "GET", "/api/state", headers, NULL, &reply);
        if (reply.status == 304) {
            not_modified = 1;
            assert_int_equal(reply.body_length, 0);
        } else {
            assert_int_equal(reply.status, 200);
        }
        reply_free(&reply);
    }
    assert_int_equal(not_modified, 1);

    /* A new arrival changes the tag. */
    check_in(fixture, "2026-03-02 09:06", "Vlinder 2", "schuldhulp", 4, false);
    request(fixture, "GET", "/api/state", headers, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "Vlinder 2"));
    reply_free(&reply);
    /* Without a session, no tag helps. */
    snprintf(headers, sizeof headers, "If-None-Match: %s\r\n", etag);
    request(fixture, "GET", "/api/state", headers, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);
}

static void test_claim_is_shown_to_other_desks_and_ends_with_the_status(void **state)
{
    struct fixture *fixture = *state;
    struct login mine, other;
    log_in(fixture, &mine);
    log_in(fixture, &other);
    int number = check_in(fixture, "2026-03-02 09:05", "Vlinder 1", "schuldhulp", 4, false);
    char body[64];
    snprintf(body, sizeof body, "number=%d&claim=1", number);
    struct reply reply;
    post(fixture, &mine, "/api/claim", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", other.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"claimed\":true"));
    assert_non_null(strstr(reply.body, "\"claimed_by_me\":false"));
    assert_non_null(strstr(reply.body, "\"claimed_at\":\""));
    reply_free(&reply);
    request(fixture, "GET", "/api/state", mine.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"claimed_by_me\":true"));
    reply_free(&reply);
    /* Another desk cannot take it over, only see it. */
    post(fixture, &other, "/api/claim", body, &reply);
    assert_int_equal(reply.status, 409);
    reply_free(&reply);
    /* Collected: the claim ends, and the done list gets the time of marking. */
    snprintf(body, sizeof body, "number=%d&status=collected", number);
    post(fixture, &other, "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", mine.cookie_header, NULL, &reply);
    assert_non_null(strstr(reply.body, "\"claimed\":false"));
    assert_non_null(strstr(reply.body, "\"marked_ms\":"));
    reply_free(&reply);
    /* Nothing about a claim reaches the database before the fold (then only counts). */
    assert_int_equal(store_flush(fixture->store), 0);
    assert_int_equal(query_int(fixture->db_path, "SELECT count(*) FROM claim_counts"), 0);
}

static void post_status(struct fixture *fixture, const struct login *login, int number,
                        const char *what)
{
    char body[64];
    snprintf(body, sizeof body, "number=%d&%s", number, what);
    struct reply reply;
    post(fixture, login, strstr(what, "claim=") ? "/api/claim" : "/api/arrival", body, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
}

/* The claim lives in memory; the evaluation gets, at the fold, only how many marked visitors
   per day and phase had been claimed first and how long before (a band), never a row per
   visitor and never a time. An undone mark forgets its claim. */
static void test_claims_reach_the_evaluation_only_as_counts_at_the_fold(void **state)
{
    struct fixture *fixture = *state;
    struct login desk;
    log_in(fixture, &desk);
    int first = check_in(fixture, "2026-03-02 09:05", "Vlinder 1", "schuldhulp", 4, false);
    int second = check_in(fixture, "2026-03-02 09:06", "Vlinder 2", "schuldhulp", 5, false);
    int third = check_in(fixture, "2026-03-02 09:07", "Vlinder 3", "schuldhulp", 6, false);
    web_poll(fixture->web, at("2026-03-02 09:10"));
    post_status(fixture, &desk, first, "claim=1");
    post_status(fixture, &desk, third, "claim=1");
    web_poll(fixture->web, at("2026-03-02 09:13"));
    post_status(fixture, &desk, first, "status=collected");  /* claimed 3 minutes before */
    post_status(fixture, &desk, second, "status=collected"); /* never claimed */
    post_status(fixture, &desk, third, "status=collected");  /* claimed, then undone: */
    post_status(fixture, &desk, third, "status=waiting");
    post_status(fixture, &desk, third, "status=no_show"); /* the undo ended the claim */
    assert_int_equal(store_flush(fixture->store), 0);
    assert_int_equal(query_int(fixture->db_path, "SELECT count(*) FROM claim_counts"), 0);

    assert_true(store_fold(fixture->store, at("2026-03-02 17:30")) > 0);
    assert_int_equal(store_flush(fixture->store), 0);
    assert_int_equal(query_int(fixture->db_path, "SELECT n FROM claim_counts WHERE day = "
                                                 "'2026-03-02' AND phase = 'after' AND outcome = "
                                                 "'collected' AND band = '2-5'"),
                     1);
    assert_int_equal(query_int(fixture->db_path, "SELECT n FROM claim_counts WHERE outcome = "
                                                 "'collected' AND band = 'unclaimed'"),
                     1);
    assert_int_equal(query_int(fixture->db_path, "SELECT n FROM claim_counts WHERE outcome = "
                                                 "'no_show' AND band = 'unclaimed'"),
                     1);
    assert_int_equal(query_int(fixture->db_path, "SELECT sum(n) FROM claim_counts"), 3);
    /* Counts only: day, phase, outcome, band and n; no number, name or time. */
    assert_int_equal(query_int(fixture->db_path, "SELECT count(*) FROM pragma_table_info("
                                                 "'claim_counts')"),
                     5);
    assert_int_equal(query_int(fixture->db_path, "SELECT count(*) FROM pragma_table_info("
                                                 "'claim_counts') WHERE name NOT IN ('day', "
                                                 "'phase', 'outcome', 'band', 'n')"),
                     0);
}

static void test_help_request_from_the_kiosk_shows_until_a_desk_has_seen_it(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(json_int(&reply, NULL, "help_requests"), 0);
    reply_free(&reply);
    web_help_request(fixture->web); /* the kiosk's help button, twice */
    web_help_request(fixture->web);
    web_help_request(NULL);
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(json_int(&reply, NULL, "help_requests"), 2);
    reply_free(&reply);
    post(fixture, &login, "/api/help", "seen=0", &reply);
    assert_int_equal(reply.status, 400);
    reply_free(&reply);
    post(fixture, &login, "/api/help", "seen=1", &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(json_int(&reply, NULL, "help_requests"), 0);
    reply_free(&reply);
    /* Without the CSRF token nothing is cleared. */
    web_help_request(fixture->web);
    request(fixture, "POST", "/api/help", login.cookie_header, "seen=1", &reply);
    assert_int_equal(reply.status, 403);
    reply_free(&reply);
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(json_int(&reply, NULL, "help_requests"), 1);
    reply_free(&reply);
}

static void test_sessions_full_refuses_the_new_login_and_keeps_the_desks(void **state)
{
    struct fixture *fixture = *state;
    static struct login desks[WEB_AUTH_SESSIONS_MAX];
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        struct reply reply;
        assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &desks[i], &reply), 200);
        reply_free(&reply);
    }
    struct reply reply;
    struct login extra;
    assert_int_equal(login_from(fixture, "127.0.0.1", PASSPHRASE, &extra, &reply), 503);
    assert_non_null(strstr(reply.body, "\"error\":\"sessions_full\""));
    reply_free(&reply);
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i += 7) {
        request(fixture, "GET", "/api/state", desks[i].cookie_header, NULL, &reply);
        assert_int_equal(reply.status, 200);
        reply_free(&reply);
    }
}

/* ---- TLS: 1.2 and 1.3 only, AEAD suites only, HSTS ---- */

/* A TLS client with the GnuTLS priority string; 1 = handshake done (cipher in *aead, the
   answer to GET /health in head), 0 = refused. */
static int tls_try(int port, const char *priority, bool *aead, char *head, size_t head_size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval guard = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof address), 0);
    gnutls_certificate_credentials_t credentials;
    assert_int_equal(gnutls_certificate_allocate_credentials(&credentials), 0);
    gnutls_session_t session;
    assert_int_equal(gnutls_init(&session, GNUTLS_CLIENT), 0);
    const char *where = NULL;
    if (gnutls_priority_set_direct(session, priority, &where) != 0) {
        fail_msg("client priority %s rejected at %s", priority, where ? where : "?");
    }
    gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials);
    gnutls_transport_set_int(session, fd);
    int rc;
    do {
        rc = gnutls_handshake(session);
    } while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
    int result = 0;
    if (rc == 0) {
        result = 1;
        gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session);
        *aead = cipher == GNUTLS_CIPHER_AES_128_GCM || cipher == GNUTLS_CIPHER_AES_256_GCM ||
                cipher == GNUTLS_CIPHER_CHACHA20_POLY1305;
        char request[128];
        int length = snprintf(
            request, sizeof request,
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", port);
        assert_int_equal(gnutls_record_send(session, request, (size_t)length), length);
        size_t got = 0;
        ssize_t n;
        while (got < head_size - 1 &&
               (n = gnutls_record_recv(session, head + got, head_size - 1 - got)) > 0) {
            got += (size_t)n;
        }
        head[got] = '\0';
        gnutls_bye(session, GNUTLS_SHUT_WR);
    }
    gnutls_deinit(session);
    gnutls_certificate_free_credentials(credentials);
    close(fd);
    return result;
}

static void test_tls_takes_only_1_2_and_1_3_with_aead_suites_and_sends_hsts(void **state)
{
    struct fixture *fixture = *state;
    char cert[192], key[192], command[768];
    snprintf(cert, sizeof cert, "%s/cert.pem", fixture->dir);
    snprintf(key, sizeof key, "%s/key.pem", fixture->dir);
    snprintf(command, sizeof command,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=oase.test -keyout %s "
             "-out %s >/dev/null 2>&1",
             key, cert);
    if (system(command) != 0) {
        skip(); /* no openssl: nothing to make a certificate with */
    }
    struct web_config cfg = fixture->web_config;
    snprintf(cfg.tls_cert, sizeof cfg.tls_cert, "%s", cert);
    snprintf(cfg.tls_key, sizeof cfg.tls_key, "%s", key);
    struct web_context ctx;
    make_context(fixture, &ctx);
    char err[512] = "";
    struct web *web = NULL;
    for (int attempt = 0; attempt < 5 && web == NULL; attempt++) {
        cfg.port = free_port();
        web = web_open(&cfg, &ctx, err, sizeof err);
    }
    if (web == NULL) {
        fail_msg("web_open with TLS: %s", err);
    }
    bool aead = false;
    char head[4096];
    /* Old versions and CBC suites: refused. */
    assert_int_equal(
        tls_try(cfg.port, "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0:%VERIFY_ALLOW_X509_V1_CA_CRT",
                &aead, head, sizeof head),
        0);
    assert_int_equal(tls_try(cfg.port,
                             "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:"
                             "+CAMELLIA-128-CBC:-MAC-ALL:+SHA1:+SHA256:+SHA384",
                             &aead, head, sizeof head),
                     0);
    /* 1.2 and 1.3: an AEAD suite, and HSTS on the answer. */
    assert_int_equal(tls_try(cfg.port, "NORMAL:-VERS-ALL:+VERS-TLS1.2", &aead, head, sizeof head),
                     1);
    assert_true(aead);
    assert_non_null(strstr(head, "Strict-Transport-Security: max-age="));
    assert_int_equal(tls_try(cfg.port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", &aead, head, sizeof head),
                     1);
    assert_true(aead);
    web_close(web);
}

/* ---- a reverse proxy in front: its origin, its X-Forwarded-For ---- */

static int proxy_login(int port, const char *source_ip, const char *origin, const char *forwarded,
                       const char *passphrase)
{
    char bytes[1024];
    int length =
        snprintf(bytes, sizeof bytes,
                 "POST /api/login HTTP/1.1\r\nHost: oase.example.org\r\nConnection: close\r\n"
                 "Origin: %s\r\n%s%s%sContent-Type: application/x-www-form-urlencoded\r\n"
                 "Content-Length: %zu\r\n\r\npassphrase=%s",
                 origin, forwarded ? "X-Forwarded-For: " : "", forwarded ? forwarded : "",
                 forwarded ? "\r\n" : "", strlen("passphrase=") + strlen(passphrase), passphrase);
    assert_true(length > 0 && (size_t)length < sizeof bytes);
    return probe_raw_from(port, source_ip, bytes, (size_t)length, NULL, 0);
}

static void test_reverse_proxy_origin_and_forwarded_client_are_taken(void **state)
{
    struct fixture *fixture = *state;
    struct web_config cfg = fixture->web_config;
    snprintf(cfg.public_origin, sizeof cfg.public_origin, "https://oase.example.org");
    snprintf(cfg.trusted_proxy, sizeof cfg.trusted_proxy, "127.0.0.1");
    struct web_context ctx;
    make_context(fixture, &ctx);
    char err[512] = "";
    struct web *web = NULL;
    for (int attempt = 0; attempt < 5 && web == NULL; attempt++) {
        cfg.port = free_port();
        web = web_open(&cfg, &ctx, err, sizeof err);
    }
    if (web == NULL) {
        fail_msg("web_open behind a proxy: %s", err);
    }
    /* The proxy's origin and host are the page's: a login through it works. */
    assert_int_equal(proxy_login(cfg.port, "127.0.0.1", "https://oase.example.org", "198.51.100.1",
                                 "rustig+blauw+water"),
                     200);
    assert_int_equal(proxy_login(cfg.port, "127.0.0.1", "https://evil.example", "198.51.100.1",
                                 "rustig+blauw+water"),
                     403);
    /* Each client behind the proxy has its own pause (the proxy's last entry names it). */
    assert_int_equal(proxy_login(cfg.port, "127.0.0.1", "https://oase.example.org",
                                 "203.0.113.9, 198.51.100.7", "fout+fout"),
                     401);
    assert_int_equal(
        proxy_login(cfg.port, "127.0.0.1", "https://oase.example.org", "198.51.100.7", "fout+fout"),
        429);
    assert_int_equal(
        proxy_login(cfg.port, "127.0.0.1", "https://oase.example.org", "198.51.100.8", "fout+fout"),
        401);
    /* Anyone else's X-Forwarded-For is ignored: the pause is their own address's. */
    assert_int_equal(proxy_login(cfg.port, "127.0.0.2", "https://oase.example.org", "198.51.100.20",
                                 "fout+fout"),
                     401);
    assert_int_equal(proxy_login(cfg.port, "127.0.0.2", "https://oase.example.org", "198.51.100.21",
                                 "fout+fout"),
                     429);
    web_close(web);
}

static void test_oversized_change_is_refused_and_counts_nothing(void **state)
{
    struct fixture *fixture = *state;
    struct login login;
    log_in(fixture, &login);
    web_poll(fixture->web, at("2026-03-02 09:10"));
    long long incidents = incidents_counted(fixture, &login);

    /* kind=verbal followed by padding: one byte over the 4096-byte body limit. */
    static char body[4097 + 1];
    memset(body, 'x', sizeof body - 1);
    memcpy(body, "kind=verbal&pad=", 16);
    body[sizeof body - 1] = '\0';
    char *bytes = malloc(8192);
    assert_non_null(bytes);
    int length = snprintf(bytes, 8192,
                          "POST /api/incident HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "%sX-CSRF-Token: %s\r\nContent-Type: application/x-www-form-urlencoded"
                          "\r\nContent-Length: %zu\r\n\r\n%s",
                          login.cookie_header, login.csrf, strlen(body), body);
    assert_true(length > 0 && length < 8192);
    struct reply reply;
    send_raw_from(fixture->port, "127.0.0.1", bytes, (size_t)length, &reply);
    assert_int_equal(reply.status, 413);
    assert_string_equal(reply.body, "{\"error\":\"too_large\"}");
    reply_free(&reply);

    /* A thousand small headers: refused as a whole, not half read. */
    length = snprintf(bytes, 8192, "POST /api/incident HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    char *big = realloc(bytes, 64 * 1024);
    assert_non_null(big);
    bytes = big;
    for (int i = 0; i < 1000; i++) {
        length += snprintf(bytes + length, 64 * 1024 - (size_t)length, "X-H%d: %d\r\n", i, i);
    }
    length += snprintf(bytes + length, 64 * 1024 - (size_t)length,
                       "%sX-CSRF-Token: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 11\r\n\r\nkind=verbal",
                       login.cookie_header, login.csrf);
    expect_4xx_raw(fixture, bytes, (size_t)length);
    free(bytes);

    assert_int_equal(incidents_counted(fixture, &login), incidents);
    post(fixture, &login, "/api/incident", "kind=verbal", &reply); /* and it still works */
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
    assert_int_equal(incidents_counted(fixture, &login), incidents + 1);
}

/* ---- escaping ---- */

static void test_markup_in_names_and_services_reaches_the_page_as_text(void **state)
{
    struct fixture *fixture = *state;
    check_in(fixture, "2026-03-02 09:05", "<script>alert('x')</script>", "markup", 4, true);
    struct login login;
    log_in(fixture, &login);
    struct reply reply;
    request(fixture, "GET", "/api/state", login.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 200);
    char type[64];
    header_value(&reply, "Content-Type", type, sizeof type);
    assert_non_null(strstr(type, "application/json"));
    assert_null(strstr(reply.body, "<script"));
    assert_null(strstr(reply.body, "</script"));
    assert_null(strstr(reply.body, "<img"));
    assert_non_null(strstr(reply.body, "\\u003cscript\\u003ealert(\\u0027x\\u0027)"));
    assert_non_null(strstr(reply.body, "\\u003cimg src=x onerror=alert(1)\\u003ePost \\u0026 "
                                       "\\\"brieven\\\""));
    reply_free(&reply);

    /* The page builds its DOM with textContent only. */
    static const char *const scripts[] = {"assets/web/app.js", "assets/web/login.js"};
    static const char *const sinks[] = {"innerHTML",      "outerHTML", "insertAdjacentHTML",
                                        "document.write", "eval(",     "new Function"};
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        FILE *file = fopen(scripts[i], "r");
        assert_non_null(file);
        static char text[256 * 1024];
        size_t length = fread(text, 1, sizeof text - 1, file);
        fclose(file);
        text[length] = '\0';
        assert_non_null(strstr(text, "textContent"));
        for (size_t j = 0; j < sizeof sinks / sizeof sinks[0]; j++) {
            if (strstr(text, sinks[j]) != NULL) {
                fail_msg("%s uses %s", scripts[i], sinks[j]);
            }
        }
    }
}

/* ---- starting ---- */

static void test_web_is_off_at_port_0_and_says_why_it_cannot_start(void **state)
{
    struct fixture *fixture = *state;
    struct web_context ctx;
    make_context(fixture, &ctx);
    struct web_config cfg = fixture->web_config;
    char err[512];

    cfg.port = 0;
    assert_null(web_open(&cfg, &ctx, err, sizeof err));
    assert_string_equal(err, "");

    cfg.port = fixture->port; /* in use by the fixture's server */
    assert_null(web_open(&cfg, &ctx, err, sizeof err));
    assert_non_null(strstr(err, "web.port"));

    cfg.port = free_port();
    cfg.passphrase_hash[0] = '\0';
    assert_null(web_open(&cfg, &ctx, err, sizeof err));
    assert_non_null(strstr(err, "oase-passphrase"));

    cfg = fixture->web_config;
    cfg.port = free_port();
    ctx.assets_dir = fixture->dir; /* no web/ in there */
    assert_null(web_open(&cfg, &ctx, err, sizeof err));
    assert_non_null(strstr(err, "index.html"));

    make_context(fixture, &ctx);
    snprintf(cfg.tls_cert, sizeof cfg.tls_cert, "/nonexistent/cert.pem");
    assert_null(web_open(&cfg, &ctx, err, sizeof err));
    assert_non_null(strstr(err, "tls_key"));
}

/* ---- the researcher's download ---- */

/* Check-ins over three finished weeks in March, folded, so the export has cells of k. */
static void fill_three_weeks(struct fixture *fixture)
{
    static const char *const days[] = {"2026-03-02", "2026-03-10", "2026-03-18"};
    for (size_t d = 0; d < 3; d++) {
        for (int i = 0; i < 7; i++) {
            char when[32];
            snprintf(when, sizeof when, "%s %02d:%02d", days[d], 9 + i % 3, 10 * i % 60);
            check_in(fixture, when, "Vlinder", "schuldhulp", 3 + i % 4, i % 2 == 0);
        }
    }
    assert_true(store_fold(fixture->store, at("2026-03-30 09:00")) > 0);
    assert_int_equal(store_flush(fixture->store), 0);
}

/* What tools/oase-export writes for this database with the kiosk's k and site. */
static char *export_as_the_tool_does(struct fixture *fixture, enum research_format format,
                                     size_t *size)
{
    const char *paths[] = {fixture->db_path};
    struct research_export_options options = {
        .db_paths = paths, .db_count = 1, .site = "zuid", .k = 5};
    char *text = NULL;
    FILE *memory = open_memstream(&text, size);
    assert_non_null(memory);
    char err[256] = "";
    assert_int_equal(research_export_run(&options, format, memory, err, sizeof err), 0);
    assert_int_equal(fclose(memory), 0);
    return text;
}

static void test_research_export_needs_the_researcher_token_not_a_host_session(void **state)
{
    struct fixture *fixture = *state;
    fill_three_weeks(fixture);
    struct reply reply;
    char value[256];

    request_from(fixture->port, "127.0.0.2", "GET", "/research/export?format=csv", NULL, NULL,
                 &reply);
    assert_int_equal(reply.status, 401);
    header_value(&reply, "WWW-Authenticate", value, sizeof value);
    assert_non_null(strstr(value, "Bearer"));
    assert_null(strstr(reply.body, "schuldhulp"));
    reply_free(&reply);

    struct login login;
    log_in(fixture, &login); /* the host's session opens the page, not the data */
    request_from(fixture->port, "127.0.0.1", "GET", "/research/export?format=csv",
                 login.cookie_header, NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    request_from(fixture->port, "127.0.0.3", "GET", "/research/export?format=csv",
                 "Authorization: Bearer " PASSPHRASE "\r\n", NULL, &reply);
    assert_int_equal(reply.status, 401);
    reply_free(&reply);

    request_from(fixture->port, "127.0.0.4", "GET", "/research/export?format=csv",
                 "Authorization: Bearer " RESEARCH_TOKEN "\r\n", NULL, &reply);
    assert_int_equal(reply.status, 200);
    header_value(&reply, "Content-Type", value, sizeof value);
    assert_non_null(strstr(value, "text/csv"));
    header_value(&reply, "Content-Disposition", value, sizeof value);
    assert_non_null(strstr(value, "attachment"));
    assert_non_null(strstr(value, "zuid"));
    header_value(&reply, "Cache-Control", value, sizeof value);
    assert_string_equal(value, "no-store");
    size_t size = 0;
    char *expected = export_as_the_tool_does(fixture, RESEARCH_FORMAT_CSV, &size);
    assert_int_equal(reply.body_length, size);
    assert_memory_equal(reply.body, expected, size);
    assert_non_null(strstr(reply.body, "zuid"));
    free(expected);
    reply_free(&reply);

    request_from(fixture->port, "127.0.0.4", "GET", "/research/export?format=json&from=2026-03-01",
                 "Authorization: Bearer " RESEARCH_TOKEN "\r\n", NULL, &reply);
    assert_int_equal(reply.status, 200);
    header_value(&reply, "Content-Type", value, sizeof value);
    assert_non_null(strstr(value, "application/json"));
    assert_true(reply.body_length > 2 && reply.body[0] == '{');
    reply_free(&reply);
}

static void test_research_token_opens_no_host_route(void **state)
{
    struct fixture *fixture = *state;
    static const char *const paths[] = {"/", "/api/state", "/api/session"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct reply reply;
        request(fixture, "GET", paths[i], "Authorization: Bearer " RESEARCH_TOKEN "\r\n", NULL,
                &reply);
        assert_true(reply.status == 401 || reply.status == 303);
        reply_free(&reply);
    }
    struct reply reply;
    request(fixture, "POST", "/api/incident", "Authorization: Bearer " RESEARCH_TOKEN "\r\n",
            "kind=verbal", &reply);
    assert_true(reply.status >= 400 && reply.status < 500);
    reply_free(&reply);
}

static void test_research_export_refuses_bad_parameters_naming_them(void **state)
{
    struct fixture *fixture = *state;
    static const struct {
        const char *query;
        const char *named;
    } bad[] = {
        {"/research/export", "format"},
        {"/research/export?format=xml", "xml"},
        {"/research/export?format=csv&k=2", "\"k\""},
        {"/research/export?format=csv&from=2026-3-1", "2026-3-1"},
        {"/research/export?format=csv&from=2026-13-40", "2026-13-40"},
        {"/research/export?format=csv&from=2026-05-01&to=2026-04-01", "2026-04-01"},
        {"/research/export?format=csv&format=json", "twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct reply reply;
        request(fixture, "GET", bad[i].query, "Authorization: Bearer " RESEARCH_TOKEN "\r\n", NULL,
                &reply);
        if (reply.status != 400 || strstr(reply.body, bad[i].named) == NULL) {
            fail_msg("%s: %d %s", bad[i].query, reply.status, reply.body);
        }
        reply_free(&reply);
    }
    static const char *const methods[] = {"POST", "HEAD", "PUT", "DELETE"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        struct reply reply;
        request(fixture, methods[i], "/research/export?format=csv",
                "Authorization: Bearer " RESEARCH_TOKEN "\r\n", i == 0 ? "x=1" : NULL, &reply);
        assert_int_equal(reply.status, 405);
        char allow[64];
        header_value(&reply, "Allow", allow, sizeof allow);
        assert_string_equal(allow, "GET");
        reply_free(&reply);
    }
    /* The scheme's name in any case, as RFC 9110 allows: only the token itself must match. */
    struct reply reply;
    request(fixture, "GET", "/research/export?format=json",
            "Authorization: bearer " RESEARCH_TOKEN "\r\n", NULL, &reply);
    assert_int_equal(reply.status, 200);
    reply_free(&reply);
}

static void test_research_export_is_off_without_a_token_hash(void **state)
{
    struct fixture *fixture = *state;
    struct reply reply;
    request(fixture, "GET", "/research/export?format=csv",
            "Authorization: Bearer " RESEARCH_TOKEN "\r\n", NULL, &reply);
    assert_int_equal(reply.status, 404);
    reply_free(&reply);
}

int main(void)
{
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_research_export_needs_the_researcher_token_not_a_host_session, setup_research,
            teardown),
        cmocka_unit_test_setup_teardown(test_research_token_opens_no_host_route, setup_research,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_research_export_refuses_bad_parameters_naming_them,
                                        setup_research, teardown),
        cmocka_unit_test_setup_teardown(test_research_export_is_off_without_a_token_hash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_only_login_page_and_health_work_without_a_session,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_gives_a_strict_http_only_random_session, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wrong_passphrase_is_refused_and_slowed_down, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_change_without_the_csrf_token_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_collected_no_show_and_undo_change_the_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incident_is_counted_per_day_and_phase, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stress_mean_is_the_same_after_a_restart, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stress_mean_moves_only_with_a_written_batch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sound_request_waits_for_the_main_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scene_request_waits_for_the_main_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_oversized_and_malformed_requests_get_4xx_and_no_crash,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths_outside_the_page_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_methods_get_405_with_allow_and_change_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_absolute_and_encoded_paths_reach_no_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_expired_foreign_or_forged_session_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_guessing_checks_one_passphrase_per_pause, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_request_dripped_byte_by_byte_is_closed_at_its_deadline,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_sockets_from_five_addresses_leave_the_page_up,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_flood_of_guesses_from_70_addresses_keeps_desk_and_host_served, setup_slow_hash,
            teardown),
        cmocka_unit_test_setup_teardown(test_ambiguous_framing_and_folded_headers_are_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_header_outside_the_list_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_state_carries_an_etag_and_an_unchanged_state_is_304,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_reach_the_evaluation_only_as_counts_at_the_fold,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_is_shown_to_other_desks_and_ends_with_the_status,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_help_request_from_the_kiosk_shows_until_a_desk_has_seen_it, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_sessions_full_refuses_the_new_login_and_keeps_the_desks, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_tls_takes_only_1_2_and_1_3_with_aead_suites_and_sends_hsts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reverse_proxy_origin_and_forwarded_client_are_taken,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversized_change_is_refused_and_counts_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_markup_in_names_and_services_reaches_the_page_as_text,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_is_off_at_port_0_and_says_why_it_cannot_start,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
