/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Tests for the host page's plain parts: the JSON writer's escaping and limits, the strict
 * form parser, the k-anonymous stress mean and the /api/state document. No sockets here
 * (test_web.c talks HTTP to the running server).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "config/config.h"
#include "web/web_api.h"
#include "web/web_json.h"

/* The JSON of one string value. */
static void string_json(const char *value, char *out, size_t size)
{
    struct web_json json;
    web_json_init(&json, 4096);
    web_json_string(&json, NULL, value);
    assert_true(web_json_done(&json));
    snprintf(out, size, "%s", json.data);
    web_json_free(&json);
}

static void test_json_strings_cannot_end_a_string_a_script_or_make_markup(void **state)
{
    (void)state;
    char out[512];
    string_json("say \"hi\" \\ bye", out, sizeof out);
    assert_string_equal(out, "\"say \\\"hi\\\" \\\\ bye\"");
    string_json("</script><img src=x onerror='a'>&amp;", out, sizeof out);
    assert_string_equal(out,
                        "\"\\u003c/script\\u003e\\u003cimg src=x onerror=\\u0027a\\u0027\\u003e"
                        "\\u0026amp;\"");
    string_json("line\nbreak\ttab\x01", out, sizeof out);
    assert_string_equal(out, "\"line\\u000abreak\\u0009tab\\u0001\"");
    string_json("a\xE2\x80\xA8"
                "b\xE2\x80\xA9",
                out, sizeof out); /* JS line separators */
    assert_string_equal(out, "\"a\\u2028b\\u2029\"");
}

static void test_json_keeps_utf8_and_replaces_broken_bytes(void **state)
{
    (void)state;
    char out[512];
    string_json("Reiger \xC3\xA9 \xD8\xA7\xD9\x84 \xF0\x9F\x8C\xBF", out, sizeof out);
    assert_string_equal(out, "\"Reiger \xC3\xA9 \xD8\xA7\xD9\x84 \xF0\x9F\x8C\xBF\"");
    string_json("cut \xC3", out, sizeof out);
    assert_string_equal(out, "\"cut \\ufffd\"");
    string_json("overlong \xC0\xAF", out, sizeof out);
    assert_string_equal(out, "\"overlong \\ufffd\\ufffd\"");
    string_json("surrogate \xED\xA0\x80", out, sizeof out);
    assert_string_equal(out, "\"surrogate \\ufffd\\ufffd\\ufffd\"");
    string_json("\xFF", out, sizeof out);
    assert_string_equal(out, "\"\\ufffd\"");
}

static void test_json_nests_with_commas_and_stops_at_its_limit(void **state)
{
    (void)state;
    struct web_json json;
    web_json_init(&json, 4096);
    web_json_begin_object(&json, NULL);
    web_json_begin_array(&json, "a");
    web_json_int(&json, NULL, 1);
    web_json_int(&json, NULL, -2);
    web_json_begin_object(&json, NULL);
    web_json_null(&json, "b");
    web_json_end_object(&json);
    web_json_end_array(&json);
    web_json_bool(&json, "c", true);
    web_json_fixed(&json, "d", 14.0 / 3.0, 1);
    web_json_fixed(&json, "e", -0.25, 1);
    web_json_fixed(&json, "f", 12.4, 0);
    web_json_string(&json, "g", NULL);
    web_json_end_object(&json);
    assert_true(web_json_done(&json));
    assert_string_equal(json.data,
                        "{\"a\":[1,-2,{\"b\":null}],\"c\":true,\"d\":4.7,\"e\":-0.3,\"f\":12,"
                        "\"g\":null}");
    web_json_free(&json);

    web_json_init(&json, 32);
    web_json_begin_array(&json, NULL);
    for (int i = 0; i < 20; i++) {
        web_json_string(&json, NULL, "abc");
    }
    web_json_end_array(&json);
    assert_true(json.failed);
    assert_false(web_json_done(&json));
    assert_true(json.capacity <= 32);
    web_json_free(&json);

    web_json_init(&json, 4096); /* an unclosed document is not done */
    web_json_begin_object(&json, NULL);
    assert_false(web_json_done(&json));
    web_json_free(&json);
}

static void test_form_fields_are_decoded_strictly(void **state)
{
    (void)state;
    const char *body = "number=12&status=no_show&passphrase=rustig+blauw%20water%21&empty=&flag";
    char out[64];
    assert_int_equal(web_form_get(body, strlen(body), "number", out, sizeof out), 1);
    assert_string_equal(out, "12");
    assert_int_equal(web_form_get(body, strlen(body), "passphrase", out, sizeof out), 1);
    assert_string_equal(out, "rustig blauw water!");
    assert_int_equal(web_form_get(body, strlen(body), "empty", out, sizeof out), 1);
    assert_string_equal(out, "");
    assert_int_equal(web_form_get(body, strlen(body), "flag", out, sizeof out), 1);
    assert_int_equal(web_form_get(body, strlen(body), "missing", out, sizeof out), 0);
    assert_string_equal(out, "");
    /* Only the body's length counts: a field past it is not there. */
    assert_int_equal(web_form_get(body, 9, "status", out, sizeof out), 0);

    const char *bad[] = {"a=%zz", "a=%4", "a=%", "a=1%00", "%zz=1&a=2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (web_form_get(bad[i], strlen(bad[i]), "a", out, sizeof out) != -EINVAL) {
            fail_msg("%s was accepted", bad[i]);
        }
    }
    char small[4];
    assert_int_equal(web_form_get("a=12345", 7, "a", small, sizeof small), -EINVAL);
    const char with_nul[] = "a=1\0&b=2";
    assert_int_equal(web_form_get(with_nul, sizeof with_nul - 1, "b", out, sizeof out), -EINVAL);
}

/* Found by fuzz_web_form: "=\xf6%" left "\xf6" unterminated in out when the escape failed. */
static void test_malformed_form_value_leaves_an_empty_terminated_value(void **state)
{
    (void)state;
    static const char *const bad[] = {"a=\xf6%", "a=xy%4", "a=ok%zz", "a=long-value"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[8];
        memset(out, 'X', sizeof out);
        assert_int_equal(web_form_get(bad[i], strlen(bad[i]), "a", out, sizeof out), -EINVAL);
        assert_string_equal(out, "");
    }
    char out[32];
    memset(out, 'X', sizeof out);
    static const char nameless[] = "=\xf6%";
    assert_int_equal(web_form_get(nameless, sizeof nameless - 1, "", out, sizeof out), -EINVAL);
    assert_string_equal(out, "");
}

static void test_numbers_and_statuses_parse_strictly(void **state)
{
    (void)state;
    long value = -1;
    assert_int_equal(web_api_parse_int("12", 1, 100, &value), 0);
    assert_int_equal(value, 12);
    const char *bad[] = {"",   "0",  "101", "-1",   "+1",
                         " 1", "1 ", "1a",  "0x10", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (web_api_parse_int(bad[i], 1, 100, &value) != -EINVAL) {
            fail_msg("\"%s\" was accepted", bad[i]);
        }
    }
    assert_int_equal(value, 12);
    enum store_arrival_status status;
    assert_int_equal(web_api_parse_status("no_show", &status), 0);
    assert_int_equal(status, ARRIVAL_NO_SHOW);
    assert_int_equal(web_api_parse_status("waiting", &status), 0);
    assert_int_equal(status, ARRIVAL_WAITING);
    assert_int_equal(web_api_parse_status("Collected", &status), -EINVAL);
    assert_int_equal(web_api_parse_status(NULL, &status), -EINVAL);
}

static void test_stress_mean_needs_k_answers_and_has_no_memory(void **state)
{
    (void)state;
    double mean = -1;
    int shown = -1;
    assert_false(web_stress_mean(4, 20, 5, &mean, &shown));
    assert_true(web_stress_mean(5, 20, 5, &mean, &shown));
    assert_true(mean > 3.99 && mean < 4.01);
    assert_int_equal(shown, 5);
    /* The same written figures give the same mean, however often (or after a restart). */
    assert_true(web_stress_mean(10, 70, 5, &mean, &shown));
    assert_int_equal(shown, 10);
    assert_true(mean > 6.99 && mean < 7.01);
    assert_true(web_stress_mean(5, 20, 5, &mean, &shown));
    assert_int_equal(shown, 5);
    assert_false(web_stress_mean(3, 9, 0, &mean, &shown));
}

static void test_state_document_shows_arrivals_numbers_room_and_health(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    struct oase_config config;
    config_defaults(&config);
    int64_t now = 0, arrived = 0, collected = 0;
    assert_int_equal(clock_parse_local("2026-03-02 10:00", &now), 0);
    assert_int_equal(clock_parse_local("2026-03-02 09:35", &arrived), 0);
    assert_int_equal(clock_parse_local("2026-03-02 09:47", &collected), 0);
    struct store_arrival arrivals[3] = {
        {.name_number = 1,
         .arrived_ms = arrived,
         .status = ARRIVAL_COLLECTED,
         .collected_ms = collected},
        {.name_number = 2, .arrived_ms = arrived, .status = ARRIVAL_WAITING, .wants_word = true},
        {.name_number = 3, .arrived_ms = arrived, .status = ARRIVAL_NO_SHOW},
    };
    snprintf(arrivals[0].friendly_name, sizeof arrivals[0].friendly_name, "Vlinder 1");
    snprintf(arrivals[0].service, sizeof arrivals[0].service, "werk");
    struct store_today today = {.checkins = 3,
                                .waiting = 1,
                                .collected = 1,
                                .no_shows = 1,
                                .median_wait_ms = 12 * 60000,
                                .stress_asked = 3,
                                .stress_answers = 2};
    today.incidents[STORE_INCIDENT_PHYSICAL] = 2;
    struct web_room room = {.lights_known = true, .scene_count = 2};
    snprintf(room.scenes[0], sizeof room.scenes[0], "welcome");
    snprintf(room.scenes[1], sizeof room.scenes[1], "quiet");
    room.lights.channel_count = 2;
    room.lights.channels[0].level = 60;
    room.lights.channels[1].level = 71;
    room.lights.channels[1].degraded = true;
    room.lights.channels[1].driver = "gpio-pwm";
    snprintf(room.lights.scene, sizeof room.lights.scene, "quiet");
    room.lights.override_active = true;
    assert_int_equal(clock_parse_local("2026-03-02 12:00", &room.lights.override_until_ms), 0);
    room.lights.next_change_ms = INT64_MAX;
    struct web_health health = {.disk_known = true, .disk_free_mb = 900, .disk_free_percent = 7};
    struct web_api_view view = {
        .now_ms = now,
        .arrivals = arrivals,
        .arrival_count = 3,
        .today = &today,
        .kiosk = &(struct web_kiosk){.site = config.site,
                                     .ask_stress = config.ask_stress,
                                     .services = config.services,
                                     .service_count = config.service_count},
        .k = 5,
        .room = &room,
        .health = &health,
    };
    struct web_json json;
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    const char *expected[] = {
        "\"date\":\"2026-03-02\"",
        "\"now\":\"10:00\"",
        "\"number\":1,\"name\":\"Vlinder 1\",\"service\":\"werk\",\"service_label\":{\"nl\":\"Werk "
        "en inkomen\",\"en\":\"Werk en inkomen\"},\"arrived\":\"09:35\",\"wants_word\":false,"
        "\"status\":\"collected\",\"minutes\":12",
        "\"wants_word\":true,\"status\":\"waiting\",\"minutes\":25",
        "\"status\":\"no_show\",\"minutes\":null",
        "\"median_wait_minutes\":12",
        "\"response_percent\":67",
        "\"stress_mean\":null",
        "\"incidents\":{\"verbal\":0,\"physical\":2,\"other\":0}",
        "\"scene\":\"quiet\",\"level\":66,\"override\":true,\"override_until\":\"12:00\","
        "\"next_change\":null",
        "\"scenes\":[\"welcome\",\"quiet\"]",
        "\"audio\":null",
        "\"driver\":\"gpio-pwm\",\"degraded\":true",
        "\"disk_free_mb\":900,\"disk_free_percent\":7",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (strstr(json.data, expected[i]) == NULL) {
            fail_msg("missing %s in %s", expected[i], json.data);
        }
    }
    web_json_free(&json);

    /* Too small a limit: an error, never half a document. */
    web_json_init(&json, 256);
    assert_int_equal(web_api_state(&json, &view), -ENOMEM);
    web_json_free(&json);
}

/* The host sees a database moved aside at start and writes waiting in memory. */
static void test_state_document_shows_database_fault_and_unsaved_writes(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    struct oase_config config;
    config_defaults(&config);
    int64_t now = 0;
    assert_int_equal(clock_parse_local("2026-03-02 10:00", &now), 0);
    struct store_today today = {.median_wait_ms = -1};
    struct web_room room = {0};
    struct web_health health = {.unsaved = true,
                                .held_writes = 17,
                                .lost_writes = 2,
                                .answers_pooled = 3,
                                .answers_withheld = 4,
                                .clock_problem = "stale"};
    assert_int_equal(clock_parse_local("2026-03-02 09:41", &health.unsaved_since_ms), 0);
    snprintf(health.database_fault, sizeof health.database_fault,
             "oase.db was unusable: moved aside as oase.db.corrupt-20260302T081500");
    struct web_api_view view = {
        .now_ms = now,
        .today = &today,
        .kiosk = &(struct web_kiosk){.site = config.site,
                                     .ask_stress = config.ask_stress,
                                     .services = config.services,
                                     .service_count = config.service_count},
        .k = 5,
        .room = &room,
        .health = &health,
    };
    struct web_json json;
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    const char *expected[] = {
        "\"database_fault\":\"oase.db was unusable: moved aside as "
        "oase.db.corrupt-20260302T081500\"",
        "\"database_in_memory\":false",
        "\"unsaved_since\":\"09:41\",\"held_writes\":17,\"lost_writes\":2",
        "\"answers_pooled\":3,\"answers_withheld\":4,\"answers_refused\":0",
        "\"clock_problem\":\"stale\"", /* the host page says: klok niet gelijk */
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (strstr(json.data, expected[i]) == NULL) {
            fail_msg("missing %s in %s", expected[i], json.data);
        }
    }
    web_json_free(&json);

    health.unsaved = false; /* written again: no time shown */
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    assert_non_null(strstr(json.data, "\"unsaved_since\":null"));
    web_json_free(&json);
}

/* Hosts see which condition of a randomised room runs today and how often it was overridden. */
static void test_state_document_shows_the_experiment_of_the_day(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    struct oase_config config;
    config_defaults(&config);
    struct store_today today = {.median_wait_ms = -1};
    struct web_room room = {0};
    struct web_health health = {.clock_problem = ""};
    struct web_kiosk kiosk = {.site = config.site,
                              .ask_stress = config.ask_stress,
                              .services = config.services,
                              .service_count = config.service_count};
    struct web_api_view view = {
        .today = &today, .kiosk = &kiosk, .k = 5, .room = &room, .health = &health};
    assert_int_equal(clock_parse_local("2026-03-02 10:00", &view.now_ms), 0);
    struct web_json json;
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    assert_non_null(strstr(json.data, "\"experiment\":null")); /* none configured */
    web_json_free(&json);

    room.experiment = (struct experiment_status){.declared = true,
                                                 .running = true,
                                                 .applied = true,
                                                 .name = "licht",
                                                 .condition = "rustig",
                                                 .day_index = 7,
                                                 .days = 20,
                                                 .overrides_today = 2};
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    const char *expected = "\"experiment\":{\"name\":\"licht\",\"condition\":\"rustig\","
                           "\"day_index\":7,\"days\":20,\"overrides_today\":2,\"in_force\":true}";
    if (strstr(json.data, expected) == NULL) {
        fail_msg("missing %s in %s", expected, json.data);
    }
    web_json_free(&json);

    room.experiment.running = false; /* a weekend day: no condition */
    room.experiment.condition[0] = '\0';
    web_json_init(&json, WEB_API_JSON_MAX);
    assert_int_equal(web_api_state(&json, &view), 0);
    assert_non_null(strstr(json.data, "\"condition\":null,\"day_index\":null,\"days\":20"));
    web_json_free(&json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_strings_cannot_end_a_string_a_script_or_make_markup),
        cmocka_unit_test(test_json_keeps_utf8_and_replaces_broken_bytes),
        cmocka_unit_test(test_json_nests_with_commas_and_stops_at_its_limit),
        cmocka_unit_test(test_form_fields_are_decoded_strictly),
        cmocka_unit_test(test_malformed_form_value_leaves_an_empty_terminated_value),
        cmocka_unit_test(test_numbers_and_statuses_parse_strictly),
        cmocka_unit_test(test_stress_mean_needs_k_answers_and_has_no_memory),
        cmocka_unit_test(test_state_document_shows_arrivals_numbers_room_and_health),
        cmocka_unit_test(test_state_document_shows_database_fault_and_unsaved_writes),
        cmocka_unit_test(test_state_document_shows_the_experiment_of_the_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
