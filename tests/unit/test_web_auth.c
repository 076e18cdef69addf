/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for web_auth: the stored passphrase hash, the pause after wrong passphrases per
 * client address, sessions (idle end, lifetime, room for new ones) and token comparison.
 * Time is handed in, so the pauses are checked exactly without waiting for them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "web/web_auth.h"
#include "web/web_hash.h"

#define PASSPHRASE "koffie en thee staan klaar"
#define ITERATIONS WEB_HASH_ITERATIONS_MIN

static struct web_auth *open_auth_with(unsigned iterations)
{
    char text[WEB_HASH_TEXT_MAX];
    assert_int_equal(
        web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), iterations, text, sizeof text), 0);
    struct web_hash hash;
    char why[256];
    assert_int_equal(web_hash_parse(text, &hash, why, sizeof why), 0);
    struct web_auth *auth = web_auth_open(&hash);
    assert_non_null(auth);
    return auth;
}

static struct web_auth *open_auth(void)
{
    return open_auth_with(ITERATIONS);
}

static enum web_login_result try_login(struct web_auth *auth, const char *address,
                                       const char *passphrase, int64_t now_ms,
                                       int64_t *retry_after_ms, char *session_id)
{
    char scratch[WEB_AUTH_TOKEN_SIZE];
    return web_auth_login(auth, address, passphrase, strlen(passphrase), now_ms,
                          session_id ? session_id : scratch, retry_after_ms);
}

static void test_hash_is_salted_and_short_passphrases_are_refused(void **state)
{
    (void)state;
    char first[WEB_HASH_TEXT_MAX], second[WEB_HASH_TEXT_MAX];
    assert_int_equal(
        web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), ITERATIONS, first, sizeof first),
        0);
    assert_int_equal(
        web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), ITERATIONS, second, sizeof second),
        0);
    assert_string_not_equal(first, second); /* a fresh salt each time */
    assert_int_equal(strncmp(first, "pbkdf2-sha256$10000$", 20), 0);
    assert_int_equal(strlen(first), strlen("pbkdf2-sha256$10000$") + 32 + 1 + 64);
    assert_null(strstr(first, PASSPHRASE));

    char out[WEB_HASH_TEXT_MAX];
    assert_int_equal(web_auth_hash_passphrase("kort", 4, ITERATIONS, out, sizeof out), -EINVAL);
    assert_int_equal(web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), 10, out, sizeof out),
                     -EINVAL);
    assert_int_equal(web_auth_hash_passphrase(PASSPHRASE, strlen(PASSPHRASE), ITERATIONS, out, 20),
                     -ENOSPC);
}

static void test_right_passphrase_opens_a_session_with_its_own_csrf_token(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    char session[WEB_AUTH_TOKEN_SIZE], csrf[WEB_AUTH_TOKEN_SIZE];
    int64_t retry = -1;
    assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, 1000, &retry, session), WEB_LOGIN_OK);
    assert_int_equal(retry, 0);
    assert_int_equal(strlen(session), 32);
    assert_int_equal(strspn(session, "0123456789abcdef"), 32);
    assert_true(web_auth_session(auth, session, 2000, csrf));
    assert_int_equal(strlen(csrf), 32);
    assert_string_not_equal(csrf, session);

    /* Near misses are wrong: one byte more, one less, another case. */
    assert_int_equal(try_login(auth, "192.0.2.8", PASSPHRASE "x", 3000, &retry, NULL),
                     WEB_LOGIN_WRONG);
    assert_int_equal(try_login(auth, "192.0.2.9", "koffie en thee staan klaa", 3000, &retry, NULL),
                     WEB_LOGIN_WRONG);
    assert_int_equal(
        try_login(auth, "192.0.2.10", "Koffie en thee staan klaar", 3000, &retry, NULL),
        WEB_LOGIN_WRONG);
    assert_int_equal(try_login(auth, "192.0.2.11", "", 3000, &retry, NULL), WEB_LOGIN_WRONG);
    web_auth_close(auth);
}

static void test_wrong_passphrases_wait_1_2_4_up_to_60_seconds(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    const int64_t expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
    int64_t now = 5000;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        int64_t retry = 0;
        assert_int_equal(try_login(auth, "198.51.100.4", "fout fout fout", now, &retry, NULL),
                         WEB_LOGIN_WRONG);
        assert_int_equal(retry, expected[i]);
        /* Within the pause nothing is checked, not even the right passphrase. */
        assert_int_equal(try_login(auth, "198.51.100.4", PASSPHRASE, now + retry - 1, &retry, NULL),
                         WEB_LOGIN_WAIT);
        assert_int_equal(retry, 1);
        now += expected[i];
    }
    /* Other addresses are not held up. */
    int64_t retry = 0;
    assert_int_equal(try_login(auth, "198.51.100.5", PASSPHRASE, now - 1, &retry, NULL),
                     WEB_LOGIN_OK);
    /* After the pause the right passphrase works, and the failures are forgotten. */
    assert_int_equal(try_login(auth, "198.51.100.4", PASSPHRASE, now, &retry, NULL), WEB_LOGIN_OK);
    assert_int_equal(try_login(auth, "198.51.100.4", "fout fout fout", now + 1, &retry, NULL),
                     WEB_LOGIN_WRONG);
    assert_int_equal(retry, 1000);
    web_auth_close(auth);
}

static void test_session_ends_when_idle_and_after_its_lifetime(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    char session[WEB_AUTH_TOKEN_SIZE];
    int64_t retry = 0;
    int64_t start = 1000;
    assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, start, &retry, session),
                     WEB_LOGIN_OK);
    /* Used every hour: alive until its lifetime ends. */
    int64_t now = start;
    while (now + 3600000 < start + WEB_AUTH_LIFETIME_MS) {
        now += 3600000;
        assert_true(web_auth_session(auth, session, now, NULL));
    }
    assert_false(web_auth_session(auth, session, start + WEB_AUTH_LIFETIME_MS, NULL));

    char idle[WEB_AUTH_TOKEN_SIZE];
    assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, start, &retry, idle), WEB_LOGIN_OK);
    assert_true(web_auth_session(auth, idle, start + WEB_AUTH_IDLE_MS - 1, NULL));
    assert_false(web_auth_session(auth, idle, start + 2 * WEB_AUTH_IDLE_MS - 1, NULL));

    char logout[WEB_AUTH_TOKEN_SIZE];
    assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, start, &retry, logout), WEB_LOGIN_OK);
    web_auth_logout(auth, logout);
    assert_false(web_auth_session(auth, logout, start + 1, NULL));
    web_auth_close(auth);
}

static void test_full_session_table_refuses_new_logins_and_keeps_desks(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    static char sessions[WEB_AUTH_SESSIONS_MAX][WEB_AUTH_TOKEN_SIZE];
    int64_t retry = 0;
    assert_true(WEB_AUTH_SESSIONS_MAX >= 64);
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, 1000 + i, &retry, sessions[i]),
                         WEB_LOGIN_OK);
    }
    /* One more desk: refused with its own answer, and no logged-in desk is logged out. */
    char extra[WEB_AUTH_TOKEN_SIZE];
    assert_int_equal(try_login(auth, "192.0.2.8", PASSPHRASE, 5000, &retry, extra), WEB_LOGIN_FULL);
    assert_string_equal(extra, "");
    for (int i = 0; i < WEB_AUTH_SESSIONS_MAX; i++) {
        assert_true(web_auth_session(auth, sessions[i], 6000, NULL));
    }
    /* A wrong passphrase is still wrong (and paused) when the table is full. */
    assert_int_equal(try_login(auth, "192.0.2.9", "fout fout fout", 6000, &retry, NULL),
                     WEB_LOGIN_WRONG);
    /* A logout makes room. */
    web_auth_logout(auth, sessions[3]);
    assert_int_equal(try_login(auth, "192.0.2.8", PASSPHRASE, 7000, &retry, extra), WEB_LOGIN_OK);
    web_auth_close(auth);
}

/* The eviction attack: more addresses than the table of pauses once evicted old records. */
static void test_many_addresses_cannot_evict_their_pauses(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    int64_t retry = 0;
    int addresses = WEB_AUTH_CLIENTS_MAX + 6;
    char address[64];
    for (int i = 0; i < addresses; i++) {
        snprintf(address, sizeof address, "10.%d.%d.1", i / 250, i % 250);
        enum web_login_result result =
            try_login(auth, address, "fout fout fout", 1000, &retry, NULL);
        /* Each recorded address is checked once; beyond the table they share one pause. */
        assert_int_equal(result, i <= WEB_AUTH_CLIENTS_MAX ? WEB_LOGIN_WRONG : WEB_LOGIN_WAIT);
    }
    /* Straight away again: every one of them waits, none was forgotten to make room. */
    int checked = 0;
    for (int i = 0; i < addresses; i++) {
        snprintf(address, sizeof address, "10.%d.%d.1", i / 250, i % 250);
        checked += try_login(auth, address, "fout fout fout", 1500, &retry, NULL) != WEB_LOGIN_WAIT;
    }
    assert_int_equal(checked, 0);
    web_auth_close(auth);
}

/* Across addresses, guesses from addresses that already failed share one budget a minute. */
static void test_guesses_across_addresses_share_a_budget_but_a_new_address_is_checked(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    int64_t retry = 0;
    char address[64];
    int64_t now = 1000;
    /* 200 addresses fail once each (a first try is always checked). */
    for (int i = 0; i < 200; i++) {
        snprintf(address, sizeof address, "10.1.%d.%d", i / 100, i % 100);
        assert_int_equal(try_login(auth, address, "fout fout fout", now, &retry, NULL),
                         WEB_LOGIN_WRONG);
    }
    /* After their 1 s pause they try again: only the global budget is checked. */
    now += 1000;
    int checked = 0;
    for (int i = 0; i < 200; i++) {
        snprintf(address, sizeof address, "10.1.%d.%d", i / 100, i % 100);
        checked += try_login(auth, address, "fout fout fout", now, &retry, NULL) == WEB_LOGIN_WRONG;
    }
    /* One failure each: the global budget and the one for those who mistyped. */
    assert_int_equal(checked, WEB_AUTH_GLOBAL_BUDGET + WEB_AUTH_MISTYPED_BUDGET);
    /* The host at a fresh address is checked at once. */
    assert_int_equal(try_login(auth, "192.0.2.50", PASSPHRASE, now, &retry, NULL), WEB_LOGIN_OK);
    web_auth_close(auth);
}

/* IPv6: one /64 is one client (a host owns a whole /64 and can pick any address in it). */
static void test_ipv6_addresses_in_one_prefix_share_a_pause(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    int64_t retry = 0;
    assert_int_equal(try_login(auth, "2001:db8:1:2::1", "fout fout fout", 1000, &retry, NULL),
                     WEB_LOGIN_WRONG);
    assert_int_equal(try_login(auth, "2001:db8:1:2::beef", "fout fout fout", 1100, &retry, NULL),
                     WEB_LOGIN_WAIT);
    assert_int_equal(try_login(auth, "2001:db8:1:3::1", "fout fout fout", 1100, &retry, NULL),
                     WEB_LOGIN_WRONG);
    web_auth_close(auth);
}

static void test_malformed_session_ids_are_no_session(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    char session[WEB_AUTH_TOKEN_SIZE];
    int64_t retry = 0;
    assert_int_equal(try_login(auth, "192.0.2.7", PASSPHRASE, 1000, &retry, session), WEB_LOGIN_OK);
    char upper[WEB_AUTH_TOKEN_SIZE];
    for (int i = 0; i < WEB_AUTH_TOKEN_SIZE; i++) {
        upper[i] = (char)(session[i] >= 'a' && session[i] <= 'f' ? session[i] - 32 : session[i]);
    }
    char longer[WEB_AUTH_TOKEN_SIZE + 2];
    snprintf(longer, sizeof longer, "%s0", session);
    assert_false(web_auth_session(auth, NULL, 2000, NULL));
    assert_false(web_auth_session(auth, "", 2000, NULL));
    assert_false(web_auth_session(auth, session + 1, 2000, NULL));
    assert_false(web_auth_session(auth, longer, 2000, NULL));
    if (strcmp(upper, session) != 0) {
        assert_false(web_auth_session(auth, upper, 2000, NULL));
    }
    assert_true(web_auth_session(auth, session, 2000, NULL));
    web_auth_close(auth);
}

static void test_token_compare_needs_the_whole_token(void **state)
{
    (void)state;
    const char *token = "00112233445566778899aabbccddeeff";
    assert_true(web_auth_token_equal(token, "00112233445566778899aabbccddeeff"));
    assert_false(web_auth_token_equal(token, "00112233445566778899aabbccddeefe"));
    assert_false(web_auth_token_equal(token, "00112233445566778899aabbccddeef"));
    assert_false(web_auth_token_equal(token, ""));
    assert_false(web_auth_token_equal(token, NULL));
    assert_false(web_auth_token_equal("", ""));
    assert_false(web_auth_token_equal(NULL, token));
}

/* How many of this process's threads are hashing now (named "oase-hash" in
   /proc/self/task/N/stat); *lowest_nice gets the smallest nice value among them. */
static int hashing_threads(int *lowest_nice)
{
    DIR *tasks = opendir("/proc/self/task");
    assert_non_null(tasks);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char path[300], stat[1024];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", entry->d_name);
        FILE *file = fopen(path, "r");
        if (file == NULL) {
            continue; /* the thread ended meanwhile */
        }
        size_t length = fread(stat, 1, sizeof stat - 1, file);
        fclose(file);
        stat[length] = '\0';
        const char *after = strrchr(stat, ')'); /* fields 3.. follow the command name */
        int field_nice = 0;
        if (after != NULL && strstr(stat, "(oase-hash)") != NULL &&
            sscanf(after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
                   &field_nice) == 1) {
            *lowest_nice = count == 0 || field_nice < *lowest_nice ? field_nice : *lowest_nice;
            count++;
        }
    }
    closedir(tasks);
    return count;
}

struct slow_login {
    struct web_auth *auth;
    char address[32];
    const char *passphrase; /* NULL: the right one */
    enum web_login_result result;
    atomic_bool done;
    int finished_as; /* 1 = first to finish, 2 = second ... */
};

static atomic_int finish_order;

static void *slow_login_thread(void *arg)
{
    struct slow_login *login = arg;
    int64_t retry = 0;
    login->result =
        try_login(login->auth, login->address, login->passphrase ? login->passphrase : PASSPHRASE,
                  1000, &retry, NULL);
    login->finished_as = atomic_fetch_add(&finish_order, 1) + 1;
    atomic_store(&login->done, true);
    return NULL;
}

/* Hashing once ran four at once at the visitor loop's priority. Now: one at a time, in a
   thread of its own never above the caller's priority (in the kiosk the page's threads, 5
   below the visitor loop), and first tries wait their turn instead of 429. */
static void test_passphrases_are_hashed_one_at_a_time_never_above_the_callers_priority(void **state)
{
    (void)state;
    int own = getpriority(PRIO_PROCESS, 0);
    int expected = own + WEB_AUTH_HASH_NICE > 19 ? 19 : own + WEB_AUTH_HASH_NICE;
    struct web_auth *auth = open_auth_with(3000000);
    struct slow_login logins[3];
    pthread_t threads[3];
    for (int i = 0; i < 3; i++) {
        logins[i] = (struct slow_login){.auth = auth};
        snprintf(logins[i].address, sizeof logins[i].address, "192.0.2.%d", 60 + i);
        assert_int_equal(pthread_create(&threads[i], NULL, slow_login_thread, &logins[i]), 0);
    }
    int seen = 0, most = 0;
    for (int poll = 0; poll < 3000; poll++) { /* up to 15 s */
        int nice = 0;
        int now = hashing_threads(&nice);
        seen += now > 0;
        most = now > most ? now : most;
        assert_true(now == 0 || nice >= expected);
        int done = 0;
        for (int i = 0; i < 3; i++) {
            done += atomic_load(&logins[i].done);
        }
        if (done == 3) {
            break;
        }
        usleep(5000);
    }
    int ok = 0;
    for (int i = 0; i < 3; i++) {
        pthread_join(threads[i], NULL);
        ok += logins[i].result == WEB_LOGIN_OK;
    }
    assert_true(seen > 0);     /* the hash ran in its own thread, not above the caller */
    assert_int_equal(most, 1); /* never two at once */
    assert_true(ok >= 2); /* the first surely, the next after waiting (5 s each, even loaded) */
    web_auth_close(auth);
}

/* The host at a desk that logged in before goes before a crowd of new addresses. */
static void test_a_known_address_goes_before_new_ones_waiting_for_the_hash(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth_with(3000000);
    int64_t retry = 0;
    assert_int_equal(try_login(auth, "192.0.2.5", PASSPHRASE, 1000, &retry, NULL), WEB_LOGIN_OK);
    atomic_store(&finish_order, 0);
    struct slow_login logins[5];
    pthread_t threads[5];
    for (int i = 0; i < 5; i++) {
        logins[i] = (struct slow_login){.auth = auth, .passphrase = "fout fout fout"};
        snprintf(logins[i].address, sizeof logins[i].address, "198.51.100.%d", 10 + i);
        if (i == 4) {
            usleep(100000); /* the new addresses wait already; now the desk */
            logins[i].passphrase = NULL;
            snprintf(logins[i].address, sizeof logins[i].address, "192.0.2.5");
        }
        assert_int_equal(pthread_create(&threads[i], NULL, slow_login_thread, &logins[i]), 0);
    }
    for (int i = 0; i < 5; i++) {
        pthread_join(threads[i], NULL);
    }
    assert_int_equal(logins[4].result, WEB_LOGIN_OK);
    /* The one hashing when the desk came finishes first; the desk right after it. */
    assert_true(logins[4].finished_as <= 2);
    web_auth_close(auth);
}

struct flooder {
    struct web_auth *auth;
    char address[32];
    atomic_bool *stop;
    atomic_int *checked; /* wrong passphrases checked (hashed), all flooders together */
};

static void *flooder_thread(void *arg)
{
    struct flooder *flooder = arg;
    while (!atomic_load(flooder->stop)) {
        int64_t retry = 0;
        if (try_login(flooder->auth, flooder->address, "fout fout fout", 1000, &retry, NULL) ==
            WEB_LOGIN_WRONG) {
            atomic_fetch_add(flooder->checked, 1);
        }
    }
    return NULL;
}

/* Many new addresses each keep sending their first try (the first is hashed once, then its
   pause holds it on this fixed clock; a try that waited in vain counts as an attempt). The
   host's first try from yet another new address comes after they all queued: on the old
   queue it waited behind a random share of them (up to WEB_AUTH_QUEUE_WAIT_MS, then 429);
   now it gets the slot as soon as the hash under way ends. */
static void test_a_flood_of_new_addresses_cannot_keep_a_new_host_waiting(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth_with(1000000);
    enum { FLOODERS = 24 };
    atomic_bool stop = false;
    atomic_int checked = 0;
    struct flooder flooders[FLOODERS];
    pthread_t threads[FLOODERS];
    for (int i = 0; i < FLOODERS; i++) {
        flooders[i] = (struct flooder){.auth = auth, .stop = &stop, .checked = &checked};
        snprintf(flooders[i].address, sizeof flooders[i].address, "203.0.113.%d", 10 + i);
        assert_int_equal(pthread_create(&threads[i], NULL, flooder_thread, &flooders[i]), 0);
    }
    usleep(50000); /* every flooder's first try is queued or hashing */
    int before = atomic_load(&checked);
    int64_t retry = 0;
    enum web_login_result host = try_login(auth, "192.0.2.77", PASSPHRASE, 1000, &retry, NULL);
    int during = atomic_load(&checked) - before;
    atomic_store(&stop, true);
    for (int i = 0; i < FLOODERS; i++) {
        pthread_join(threads[i], NULL);
    }
    int total = atomic_load(&checked);
    if (host != WEB_LOGIN_OK || during > 1) {
        fail_msg("host: result %d after %d flooders' checks (of %d in all; at most the one under "
                 "way may go first)",
                 (int)host, during, total);
    }
    web_auth_close(auth);
}

/* The researcher's token: 256 random bits in 43 base64url characters, kept as the plain
   SHA-256 of them ("sha256$..."), so checking it needs no slow hash and no slot. */
static void test_research_token_is_256_bits_kept_as_its_sha256(void **state)
{
    (void)state;
    char token[WEB_TOKEN_LENGTH + 1], other[WEB_TOKEN_LENGTH + 1];
    struct web_token_hash hash, other_hash, again;
    assert_int_equal(web_auth_new_research_token(token, &hash), 0);
    assert_int_equal(web_auth_new_research_token(other, &other_hash), 0);
    assert_int_equal(strlen(token), WEB_TOKEN_LENGTH);
    assert_int_equal(
        strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        WEB_TOKEN_LENGTH);
    assert_string_not_equal(token, other);
    assert_int_equal(web_auth_research_token_hash(token, strlen(token), &again), 0);
    assert_memory_equal(again.digest, hash.digest, sizeof hash.digest);

    /* The stored form is SHA-256 of the characters (checked against Python's hashlib). */
    static const char known[] = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM";
    assert_int_equal(web_auth_research_token_hash(known, strlen(known), &hash), 0);
    char text[WEB_HASH_TEXT_MAX];
    assert_int_equal(web_token_hash_format(&hash, text, sizeof text), 0);
    assert_string_equal(text,
                        "sha256$45827150f595bab19278b82d22eba203d126486c59732655abb65ea67d209ee6");
    char why[256];
    assert_int_equal(web_token_hash_parse(text, &again, why, sizeof why), 0);
    assert_memory_equal(again.digest, hash.digest, sizeof hash.digest);
}

/* A token shorter than 256 bits, longer, or outside base64url is refused before any hash. */
static void test_research_token_of_another_length_or_alphabet_is_refused(void **state)
{
    (void)state;
    static const char known[] = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM";
    struct web_token_hash hash;
    assert_int_equal(web_auth_research_token_hash(known, WEB_TOKEN_LENGTH - 1, &hash), -EINVAL);
    assert_int_equal(
        web_auth_research_token_hash("c2VjcmV0LW9uZGVyem9la3N0b2tlbi0yMDI2", 36, &hash), -EINVAL);
    char padded[] = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM"; /* '+' is base64, not url */
    assert_int_equal(web_auth_research_token_hash(padded, strlen(padded), &hash), -EINVAL);
    assert_int_equal(web_auth_research_token_hash(NULL, WEB_TOKEN_LENGTH, &hash), -EINVAL);
}

/* The check compares the whole digest: a token differing in its last character only, or a
   prefix of the right one, is refused; the right one passes, again and again (no pause). */
static void test_research_token_check_compares_the_whole_digest(void **state)
{
    (void)state;
    char token[WEB_TOKEN_LENGTH + 1];
    struct web_token_hash hash;
    assert_int_equal(web_auth_new_research_token(token, &hash), 0);
    for (int i = 0; i < 3; i++) {
        assert_true(web_auth_research_token_check(&hash, token, strlen(token)));
    }
    char wrong[WEB_TOKEN_LENGTH + 1];
    memcpy(wrong, token, sizeof wrong);
    wrong[WEB_TOKEN_LENGTH - 1] = wrong[WEB_TOKEN_LENGTH - 1] == 'A' ? 'B' : 'A';
    assert_false(web_auth_research_token_check(&hash, wrong, strlen(wrong)));
    wrong[WEB_TOKEN_LENGTH - 1] = token[WEB_TOKEN_LENGTH - 1];
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    assert_false(web_auth_research_token_check(&hash, wrong, strlen(wrong)));
    assert_false(web_auth_research_token_check(&hash, token, WEB_TOKEN_LENGTH - 1));
    assert_false(web_auth_research_token_check(&hash, "", 0));
    assert_false(web_auth_research_token_check(&hash, NULL, 0));
    assert_false(web_auth_research_token_check(NULL, token, strlen(token)));
}

/* A flood's addresses soon have many failures and keep the global budget full; a host who
   mistyped once still gets the next try checked, from the budget of addresses with few
   failures (before, it waited for the flood's budget: 429 for as long as the flood ran). */
static void test_a_host_who_mistyped_is_checked_while_a_flood_keeps_the_budget_full(void **state)
{
    (void)state;
    struct web_auth *auth = open_auth();
    int64_t retry = 0;
    int64_t now = 1000;
    char address[64];
    enum { FLOODERS = 40 };
    /* Minute by minute the flood guesses, each minute starting at another address, until
       every flooding address has failed more than WEB_AUTH_MISTYPED_FAILURES times. */
    for (int round = 0; round < 12; round++) {
        for (int n = 0; n < FLOODERS; n++) {
            snprintf(address, sizeof address, "203.0.113.%d", (n + 17 * round) % FLOODERS + 1);
            try_login(auth, address, "fout fout fout", now, &retry, NULL);
        }
        now += WEB_AUTH_GLOBAL_WINDOW_MS; /* longer than any pause so far, and a new window */
    }
    /* The host mistypes once, then the flood fills the global budget of this minute. */
    assert_int_equal(try_login(auth, "192.0.2.80", "koffie en thee", now, &retry, NULL),
                     WEB_LOGIN_WRONG);
    now += 1000; /* the host's pause is over; the flooders' too (4 s or more: wait them out) */
    now += WEB_AUTH_DELAY_MAX_MS;
    int flood_checked = 0;
    for (int i = 0; i < FLOODERS; i++) {
        snprintf(address, sizeof address, "203.0.113.%d", i + 1);
        flood_checked +=
            try_login(auth, address, "fout fout fout", now, &retry, NULL) == WEB_LOGIN_WRONG;
    }
    assert_int_equal(flood_checked, WEB_AUTH_GLOBAL_BUDGET); /* full for this minute */
    assert_int_equal(try_login(auth, "192.0.2.81", "fout fout fout", now, &retry, NULL),
                     WEB_LOGIN_WRONG); /* a first try is not a repeat guess: checked */
    assert_int_equal(try_login(auth, "192.0.2.80", PASSPHRASE, now, &retry, NULL), WEB_LOGIN_OK);
    web_auth_close(auth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_is_salted_and_short_passphrases_are_refused),
        cmocka_unit_test(test_right_passphrase_opens_a_session_with_its_own_csrf_token),
        cmocka_unit_test(test_wrong_passphrases_wait_1_2_4_up_to_60_seconds),
        cmocka_unit_test(test_session_ends_when_idle_and_after_its_lifetime),
        cmocka_unit_test(test_full_session_table_refuses_new_logins_and_keeps_desks),
        cmocka_unit_test(test_many_addresses_cannot_evict_their_pauses),
        cmocka_unit_test(test_guesses_across_addresses_share_a_budget_but_a_new_address_is_checked),
        cmocka_unit_test(test_a_host_who_mistyped_is_checked_while_a_flood_keeps_the_budget_full),
        cmocka_unit_test(test_ipv6_addresses_in_one_prefix_share_a_pause),
        cmocka_unit_test(
            test_passphrases_are_hashed_one_at_a_time_never_above_the_callers_priority),
        cmocka_unit_test(test_a_known_address_goes_before_new_ones_waiting_for_the_hash),
        cmocka_unit_test(test_a_flood_of_new_addresses_cannot_keep_a_new_host_waiting),
        cmocka_unit_test(test_malformed_session_ids_are_no_session),
        cmocka_unit_test(test_token_compare_needs_the_whole_token),
        cmocka_unit_test(test_research_token_is_256_bits_kept_as_its_sha256),
        cmocka_unit_test(test_research_token_of_another_length_or_alphabet_is_refused),
        cmocka_unit_test(test_research_token_check_compares_the_whole_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
