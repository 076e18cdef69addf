/* SPDX-License-Identifier: EUPL-1.2 */
/* Tests of audio_config (the [audio] and [audio.schedule] sections) and audio_schedule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audio/audio_config.h"
#include "audio/audio_schedule.h"

static int set(struct audio_config *cfg, const char *section, const char *key, const char *value,
               char *why)
{
    return audio_config_set(cfg, section, key, value, why, 200);
}

static void test_defaults_play_sea_below_the_minus_20_cap_in_opening_hours(void **state)
{
    (void)state;
    struct audio_config cfg;
    audio_config_defaults(&cfg);
    assert_int_equal(cfg.source, AUDIO_SOURCE_SEA);
    assert_true(cfg.cap_dbfs == -20.0);
    assert_true(cfg.volume_db < cfg.cap_dbfs);
    assert_true(cfg.fade_seconds >= 1.0);
    assert_true(cfg.seed_auto);
    assert_string_equal(cfg.music_dir, "");
    assert_int_equal(cfg.schedule_count, 5);
    assert_false(cfg.file_schedule);
}

static void test_valid_keys_are_stored(void **state)
{
    (void)state;
    struct audio_config cfg;
    char why[200];
    audio_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "audio", "source", "rain", why), 1);
    assert_int_equal(cfg.source, AUDIO_SOURCE_RAIN);
    assert_int_equal(set(&cfg, "audio", "seed", "4294967295", why), 1);
    assert_false(cfg.seed_auto);
    assert_int_equal(cfg.seed, 4294967295u);
    assert_int_equal(set(&cfg, "audio", "cap_dbfs", "-24", why), 1);
    assert_true(cfg.cap_dbfs == -24.0);
    assert_int_equal(set(&cfg, "audio", "volume_db", "-30 dB", why), 1);
    assert_true(cfg.volume_db == -30.0);
    assert_int_equal(set(&cfg, "audio", "fade_seconds", "3.5", why), 1);
    assert_true(cfg.fade_seconds == 3.5);
    assert_int_equal(set(&cfg, "audio", "schedule_fade_seconds", "120", why), 1);
    assert_true(cfg.schedule_fade_seconds == 120.0);
    assert_int_equal(set(&cfg, "audio", "crossfade_seconds", "8", why), 1);
    assert_true(cfg.crossfade_seconds == 8.0);
    assert_int_equal(set(&cfg, "audio", "music_dir", "/srv/oase/music", why), 1);
    assert_string_equal(cfg.music_dir, "/srv/oase/music");
    assert_int_equal(set(&cfg, "audio", "music_dir", "none", why), 1);
    assert_string_equal(cfg.music_dir, "");
    assert_int_equal(set(&cfg, "audio", "seed", "auto", why), 1);
    assert_true(cfg.seed_auto);
}

static void test_cap_can_never_be_set_above_minus_6_dbfs(void **state)
{
    (void)state;
    struct audio_config cfg;
    char why[200];
    audio_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "audio", "cap_dbfs", "-5.9", why), -1);
    assert_non_null(strstr(why, "-6"));
    assert_int_equal(set(&cfg, "audio", "cap_dbfs", "0", why), -1);
    assert_true(cfg.cap_dbfs == -20.0);
    assert_int_equal(set(&cfg, "audio", "volume_db", "-3", why), -1);
    assert_int_equal(set(&cfg, "audio", "cap_dbfs", "-6", why), 1);
    assert_true(cfg.cap_dbfs == -6.0);
}

static void test_invalid_values_keep_the_old_value_and_say_what_is_accepted(void **state)
{
    (void)state;
    struct audio_config cfg, before;
    char why[200];
    audio_config_defaults(&cfg);
    before = cfg;
    static const char *const bad[][2] = {
        {"source", "waves"},
        {"seed", "-1"},
        {"seed", "4294967296"},
        {"seed", "12abc"},
        {"cap_dbfs", "loud"},
        {"volume_db", "nan"},
        {"volume_db", "-61"},
        {"fade_seconds", "0.1"},
        {"fade_seconds", "1 minute"},
        {"crossfade_seconds", "61"},
        {"schedule_fade_seconds", "-1"},
        {"colour", "blue"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(set(&cfg, "audio", bad[i][0], bad[i][1], why), -1);
        assert_true(strlen(why) > 0);
        assert_non_null(strstr(why, "accepted"));
    }
    assert_memory_equal(&cfg, &before, sizeof cfg);
    char long_path[400];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';
    assert_int_equal(set(&cfg, "audio", "music_dir", long_path, why), -1);
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_other_sections_are_left_to_their_modules(void **state)
{
    (void)state;
    struct audio_config cfg, before;
    char why[200];
    audio_config_defaults(&cfg);
    before = cfg;
    assert_int_equal(set(&cfg, "lights", "fade_seconds", "3", why), 0);
    assert_int_equal(set(&cfg, "schedule", "mon-fri", "08:00 welcome", why), 0);
    assert_int_equal(set(&cfg, "audio.extra", "x", "y", why), 0);
    assert_int_equal(audio_config_set(&cfg, NULL, "x", "y", why, sizeof why), 0);
    assert_int_equal(set(&cfg, "audio", NULL, NULL, why), 1);          /* section only */
    assert_int_equal(set(&cfg, "audio.schedule", NULL, NULL, why), 1); /* section only */
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_first_schedule_line_replaces_the_default_schedule(void **state)
{
    (void)state;
    struct audio_config cfg;
    char why[200];
    audio_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "audio.schedule", "mon-fri", "7:30 -32, 08:30 on, 17:00 off", why),
                     1);
    assert_int_equal(cfg.schedule_count, 3);
    assert_true(cfg.file_schedule);
    assert_int_equal(cfg.schedule[0].days, 0x1f);
    assert_int_equal(cfg.schedule[0].minute_of_day, 7 * 60 + 30);
    assert_int_equal(cfg.schedule[0].kind, AUDIO_LEVEL_DB);
    assert_true(cfg.schedule[0].db == -32.0);
    assert_int_equal(cfg.schedule[1].kind, AUDIO_LEVEL_ON);
    assert_int_equal(cfg.schedule[2].kind, AUDIO_LEVEL_OFF);
    assert_int_equal(set(&cfg, "audio.schedule", "sat,sun", "00:00 off", why), 1);
    assert_int_equal(cfg.schedule_count, 4);
    assert_int_equal(cfg.schedule[3].days, 0x60);
}

static void test_bad_schedule_lines_change_nothing(void **state)
{
    (void)state;
    struct audio_config cfg, before;
    char why[200];
    audio_config_defaults(&cfg);
    before = cfg;
    static const char *const bad[][2] = {
        {"mon-fri", "25:00 -30"}, {"mon-fri", "08:00 loud"}, {"mon-fri", "08:00 -3"},
        {"mon-fri", "08:00"},     {"mon-fri", "08:00 -30,"}, {"someday", "08:00 on"},
        {"mon-fri", "08:60 on"},  {"mon-fri", "0800 on"},    {"mon-fri", "08:00 -30 x"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(set(&cfg, "audio.schedule", bad[i][0], bad[i][1], why), -1);
        assert_non_null(strstr(why, "accepted"));
    }
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static int slot_at(const struct audio_schedule *s, int weekday, int hour, int minute)
{
    return audio_schedule_find(s, weekday * 1440 + hour * 60 + minute);
}

static void test_default_schedule_is_quieter_early_and_late_and_silent_when_closed(void **state)
{
    (void)state;
    struct audio_config cfg;
    audio_config_defaults(&cfg);
    struct audio_schedule s;
    audio_schedule_build(&s, &cfg);
    /* Monday before opening: the week wraps to Sunday's "off". */
    assert_true(s.slots[slot_at(&s, 0, 7, 59)].silent);
    const struct audio_schedule_slot *early = &s.slots[slot_at(&s, 0, 8, 0)];
    assert_false(early->silent);
    const struct audio_schedule_slot *day = &s.slots[slot_at(&s, 2, 12, 0)];
    assert_false(day->silent);
    assert_true(day->db == cfg.volume_db);
    assert_true(early->db < day->db);
    const struct audio_schedule_slot *late = &s.slots[slot_at(&s, 4, 16, 45)];
    assert_true(late->db < day->db);
    assert_true(s.slots[slot_at(&s, 4, 17, 0)].silent);
    assert_true(s.slots[slot_at(&s, 5, 12, 0)].silent); /* Saturday */
    assert_true(s.slots[slot_at(&s, 6, 23, 59)].silent);
}

static void test_the_later_line_wins_at_the_same_minute(void **state)
{
    (void)state;
    struct audio_config cfg;
    char why[200];
    audio_config_defaults(&cfg);
    assert_int_equal(set(&cfg, "audio.schedule", "*", "08:00 -30", why), 1);
    assert_int_equal(set(&cfg, "audio.schedule", "wed", "08:00 off", why), 1);
    struct audio_schedule s;
    audio_schedule_build(&s, &cfg);
    assert_int_equal(s.count, 7);
    assert_true(s.slots[slot_at(&s, 2, 9, 0)].silent);
    assert_false(s.slots[slot_at(&s, 3, 9, 0)].silent);
}

static void test_minutes_to_the_next_change_wrap_the_week(void **state)
{
    (void)state;
    struct audio_config cfg;
    audio_config_defaults(&cfg);
    struct audio_schedule s;
    audio_schedule_build(&s, &cfg);
    assert_int_equal(audio_schedule_minutes_to_next(&s, 0 * 1440 + 7 * 60 + 50), 10);
    /* Friday 17:00 off -> the next entry is Saturday 00:00 (also off, still an entry). */
    assert_int_equal(audio_schedule_minutes_to_next(&s, 4 * 1440 + 17 * 60), 7 * 60);
    /* Sunday 23:00 -> Monday 08:00, across the week's end. */
    assert_int_equal(audio_schedule_minutes_to_next(&s, 6 * 1440 + 23 * 60), 9 * 60);
    struct audio_schedule empty = {.count = 0};
    assert_int_equal(audio_schedule_find(&empty, 100), -1);
    assert_int_equal(audio_schedule_minutes_to_next(&empty, 100), -1);
}

static void test_source_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < AUDIO_SOURCE_COUNT; i++) {
        assert_int_equal(audio_source_from_name(audio_source_name((enum audio_source)i)), i);
    }
    assert_int_equal(audio_source_from_name("Sea"), AUDIO_SOURCE_SEA);
    assert_int_equal(audio_source_from_name("waves"), -1);
    assert_int_equal(audio_source_from_name(NULL), -1);
    assert_string_equal(audio_source_name((enum audio_source)99), "?");
}

struct reports {
    int count;
    char last[512];
};

static void collect(void *ctx, const char *message)
{
    struct reports *r = ctx;
    r->count++;
    snprintf(r->last, sizeof r->last, "%s", message);
}

static void test_check_reports_what_needs_more_than_one_key(void **state)
{
    (void)state;
    struct audio_config cfg;
    char why[200];
    struct reports r = {0};
    audio_config_defaults(&cfg);
    assert_int_equal(audio_config_check(&cfg, collect, &r), 0); /* defaults are clean */
    assert_int_equal(r.count, 0);

    assert_int_equal(set(&cfg, "audio", "source", "music", why), 1);
    assert_int_equal(audio_config_check(&cfg, collect, &r), 1);
    assert_non_null(strstr(r.last, "music_dir"));
    assert_int_equal(cfg.source, AUDIO_SOURCE_SEA); /* repaired */

    r.count = 0;
    assert_int_equal(set(&cfg, "audio", "volume_db", "-10", why), 1);
    assert_int_equal(set(&cfg, "audio", "music_dir", "/nonexistent/oase-music", why), 1);
    assert_int_equal(audio_config_check(&cfg, collect, &r), 0); /* warnings only */
    assert_int_equal(r.count, 2);
    assert_non_null(strstr(r.last, "/nonexistent/oase-music"));

    r.count = 0;
    assert_int_equal(set(&cfg, "audio", "volume_db", "-30", why), 1);
    assert_int_equal(set(&cfg, "audio", "music_dir", "/tmp", why), 1);
    assert_int_equal(set(&cfg, "audio.schedule", "*", "08:00 -8", why), 1);
    assert_int_equal(audio_config_check(&cfg, NULL, NULL), 0);
    assert_int_equal(audio_config_check(&cfg, collect, &r), 0);
    assert_int_equal(r.count, 1);
    assert_non_null(strstr(r.last, "08:00"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_play_sea_below_the_minus_20_cap_in_opening_hours),
        cmocka_unit_test(test_valid_keys_are_stored),
        cmocka_unit_test(test_cap_can_never_be_set_above_minus_6_dbfs),
        cmocka_unit_test(test_invalid_values_keep_the_old_value_and_say_what_is_accepted),
        cmocka_unit_test(test_other_sections_are_left_to_their_modules),
        cmocka_unit_test(test_first_schedule_line_replaces_the_default_schedule),
        cmocka_unit_test(test_bad_schedule_lines_change_nothing),
        cmocka_unit_test(test_default_schedule_is_quieter_early_and_late_and_silent_when_closed),
        cmocka_unit_test(test_the_later_line_wins_at_the_same_minute),
        cmocka_unit_test(test_minutes_to_the_next_change_wrap_the_week),
        cmocka_unit_test(test_source_names_round_trip),
        cmocka_unit_test(test_check_reports_what_needs_more_than_one_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
