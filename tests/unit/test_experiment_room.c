/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * test_experiment_room: a randomised room at run time, with the real lights (simulated
 * channels), offline sound and a real store. What a researcher relies on: on an open day of the
 * plan the condition's scene and sound are in force and the day is recorded once (condition,
 * block, slot, config hash) in experiment_days; a host may still change the room and each
 * change is counted; after closing time and outside the plan the room follows its schedule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio.h"
#include "config/config.h"
#include "experiment/experiment.h"
#include "lights/lights.h"
#include "store/store.h"
#include "unit/store_fixture.h"

#define HASH "sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static int setup(void **state)
{
    *state = store_fixture_new("/tmp/oase-experiment-XXXXXX", 1);
    return 0;
}

static int teardown(void **state)
{
    return store_fixture_teardown(state);
}

static const char conf[] = "[experiment]\n"
                           "name = licht\n"
                           "conditions = warm, koel\n"
                           "warm.scene = welcome\n"
                           "warm.sound = rain\n"
                           "koel.scene = quiet\n"
                           "koel.sound = off\n"
                           "unit = day\n"
                           "seed = 20260112\n"
                           "start = 2026-01-12\n"
                           "end = 2026-01-23\n"
                           "[hours]\n"
                           "monday = 09:00-17:00\n"
                           "tuesday = 09:00-17:00\n"
                           "wednesday = 09:00-17:00\n"
                           "thursday = 09:00-17:00\n"
                           "friday = 09:00-17:00\n"
                           "saturday = closed\n"
                           "sunday = closed\n";

struct room {
    struct oase_config config;
    struct lights *lights;
    struct audio *audio;
    struct store *store;
    struct experiment experiment;
};

static struct room *room_open(struct store_fixture *fixture)
{
    struct room *room = calloc(1, sizeof *room);
    assert_non_null(room);
    config_defaults(&room->config);
    struct config_problems problems = {0};
    assert_int_equal(
        config_load_buffer(&room->config, "room.conf", conf, strlen(conf), NULL, NULL, &problems),
        0);
    assert_int_equal(problems.errors, 0);
    int64_t start = at("2026-01-12 08:00");
    room->lights = lights_open(&room->config.lights, start);
    room->audio = audio_open_offline(&room->config.audio, start, 48000);
    room->store = open_store(fixture, -1);
    assert_non_null(room->lights);
    assert_non_null(room->audio);
    assert_int_equal(experiment_init(&room->experiment, &room->config.experiment,
                                     &room->config.hours, HASH, room->config.audio.source),
                     0);
    return room;
}

static void room_close(struct room *room)
{
    store_close(room->store);
    audio_close(room->audio);
    lights_close(room->lights);
    free(room);
}

static void room_tick(struct room *room, const char *local_time)
{
    int64_t ms = at(local_time);
    struct oase_localtime local;
    clock_local(ms, &local);
    lights_tick(room->lights, ms);
    audio_tick(room->audio, ms);
    experiment_tick(&room->experiment, &local, hours_is_open(&room->config.hours, &local),
                    room->lights, room->audio, room->store, ms);
}

/* The condition the plan gives day (index in the plan's open days). */
static const struct experiment_condition *planned(const struct room *room, int index)
{
    return &room->config.experiment.conditions[room->experiment.plan[index].condition];
}

static void test_an_open_day_runs_its_condition_and_is_recorded_once(void **state)
{
    struct store_fixture *fixture = *state;
    struct room *room = room_open(fixture);
    assert_int_equal(room->experiment.plan_count, 10); /* two weeks of five open days */
    room_tick(room, "2026-01-12 08:30");               /* before opening: the schedule */
    struct experiment_status status;
    experiment_status(&room->experiment, &status);
    assert_true(status.running);
    assert_false(status.applied);
    room_tick(room, "2026-01-12 09:00");
    experiment_status(&room->experiment, &status);
    assert_true(status.applied);
    assert_int_equal(status.day_index, 1);
    assert_int_equal(status.days, 10);
    const struct experiment_condition *condition = planned(room, 0);
    assert_string_equal(status.condition, condition->name);
    struct lights_status light;
    lights_status(room->lights, &light);
    assert_string_equal(light.scene, condition->scene);
    assert_true(light.condition_active);
    struct audio_status sound;
    audio_status(room->audio, &sound);
    assert_string_equal(sound.requested, audio_source_name((enum audio_source)condition->sound));
    room_tick(room, "2026-01-12 10:00");
    assert_int_equal(store_flush(room->store), 0);
    char rows[512];
    query_rows(fixture->path,
               "SELECT day, experiment, condition, block, slot, seed, config_hash, overrides FROM "
               "experiment_days",
               rows, sizeof rows);
    char expected[512];
    snprintf(expected, sizeof expected, "2026-01-12|licht|%s|0|0|20260112|%s|0", condition->name,
             HASH);
    assert_string_equal(rows, expected);
    char first_condition[EXPERIMENT_NAME_MAX];
    snprintf(first_condition, sizeof first_condition, "%s", condition->name);
    room_close(room);

    /* A restart on the same day applies the same condition and keeps the first row. */
    room = room_open(fixture);
    room_tick(room, "2026-01-12 11:00");
    experiment_status(&room->experiment, &status);
    assert_string_equal(status.condition, first_condition);
    assert_int_equal(store_flush(room->store), 0);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM experiment_days"), 1);
    room_close(room);
}

/*
 * A clock set back (a restart with a wrong date) must not add a day before one already
 * recorded: the week of that day may be over and exported, and the export publishes a week
 * with experiment days differently (day by day), so a late row would change a finished block.
 */
static void test_a_clock_set_back_records_no_day_before_the_last(void **state)
{
    struct store_fixture *fixture = *state;
    struct room *room = room_open(fixture);
    room_tick(room, "2026-01-19 09:00"); /* the second week's Monday */
    assert_int_equal(store_flush(room->store), 0);
    room_close(room);
    room = room_open(fixture);
    room_tick(room, "2026-01-13 09:00"); /* the clock says last week's Tuesday */
    assert_int_equal(store_flush(room->store), 0);
    room_close(room);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM experiment_days"), 1);
    assert_int_equal(
        query_int(fixture->path, "SELECT count(*) FROM experiment_days WHERE day = '2026-01-19'"),
        1);
}

static void test_a_host_may_change_the_room_and_each_change_is_counted(void **state)
{
    struct store_fixture *fixture = *state;
    struct room *room = room_open(fixture);
    room_tick(room, "2026-01-13 09:00");
    const struct experiment_condition *condition = planned(room, 1);
    const char *other_scene = strcmp(condition->scene, "quiet") == 0 ? "welcome" : "quiet";
    assert_int_equal(lights_override_scene(room->lights, other_scene, at("2026-01-13 09:10")), 0);
    room_tick(room, "2026-01-13 09:11");
    struct lights_status light;
    lights_status(room->lights, &light);
    assert_string_equal(light.scene, other_scene); /* the host wins, for safety */
    assert_int_equal(audio_set_source(room->audio, "forest"), 0);
    room_tick(room, "2026-01-13 09:12");
    room_tick(room, "2026-01-13 09:13"); /* nothing new: no count */
    struct experiment_status status;
    experiment_status(&room->experiment, &status);
    assert_int_equal(status.overrides_today, 2);
    assert_int_equal(store_flush(room->store), 0);
    assert_int_equal(
        query_int(fixture->path, "SELECT overrides FROM experiment_days WHERE day = '2026-01-13'"),
        2);
    room_close(room);
}

static void test_closing_time_and_days_outside_the_plan_follow_the_schedule(void **state)
{
    struct store_fixture *fixture = *state;
    struct room *room = room_open(fixture);
    room_tick(room, "2026-01-14 10:00");
    room_tick(room, "2026-01-14 17:30");
    struct lights_status light;
    lights_status(room->lights, &light);
    assert_false(light.condition_active);
    struct audio_status sound;
    audio_status(room->audio, &sound);
    assert_string_equal(sound.requested, audio_source_name(room->config.audio.source));
    room_tick(room, "2026-01-17 10:00"); /* a Saturday: closed, not in the plan */
    struct experiment_status status;
    experiment_status(&room->experiment, &status);
    assert_false(status.running);
    assert_int_equal(status.day_index, 0);
    room_tick(room, "2026-01-26 10:00"); /* after the range */
    experiment_status(&room->experiment, &status);
    assert_false(status.running);
    assert_true(status.declared);
    assert_int_equal(store_flush(room->store), 0);
    assert_int_equal(query_int(fixture->path, "SELECT count(*) FROM experiment_days"), 1);
    room_close(room);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_an_open_day_runs_its_condition_and_is_recorded_once,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_clock_set_back_records_no_day_before_the_last, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_host_may_change_the_room_and_each_change_is_counted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_closing_time_and_days_outside_the_plan_follow_the_schedule, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
