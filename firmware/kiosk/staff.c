/* SPDX-License-Identifier: EUPL-1.2 */
/* staff: see staff.h. Flow: held corner -> staff_open -> PIN pad -> menu -> app actions. */
#include "kiosk/staff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void staff_init(struct staff *staff, const char *pin, int close_ms)
{
    memset(staff, 0, sizeof *staff);
    snprintf(staff->pin, sizeof staff->pin, "%s", pin ? pin : "");
    staff->close_ms = close_ms;
}

static void show(struct staff *staff, enum staff_screen screen, int64_t now_ms)
{
    staff->screen = screen;
    staff->entered[0] = '\0';
    staff->wrong = false;
    staff->last_touch_ms = now_ms;
    staff->generation++;
}

int staff_open(struct staff *staff, int64_t now_ms)
{
    if (staff->pin[0] == '\0') {
        return -EPERM;
    }
    show(staff, STAFF_PIN, now_ms);
    return 0;
}

bool staff_locked(const struct staff *staff, int64_t now_ms)
{
    return now_ms < staff->locked_until_ms;
}

/* Constant-time comparison, so the time a wrong PIN takes says nothing about its digits. */
static bool pin_matches(const char *pin, const char *entered)
{
    size_t a = strlen(pin), b = strlen(entered);
    unsigned difference = (unsigned)(a ^ b);
    for (size_t i = 0; i < STAFF_PIN_MAX; i++) {
        char x = i < a ? pin[i] : 0, y = i < b ? entered[i] : 0;
        difference |= (unsigned)(x ^ y);
    }
    return difference == 0;
}

static enum staff_action tap_pin(struct staff *staff, const char *id, int64_t now_ms)
{
    if (strncmp(id, "pin:", 4) != 0) {
        return STAFF_ACTION_NONE;
    }
    const char *key = id + 4;
    if (strcmp(key, "clear") == 0) {
        staff->entered[0] = '\0';
        staff->generation++;
        return STAFF_ACTION_NONE;
    }
    if (staff_locked(staff, now_ms)) {
        return STAFF_ACTION_NONE; /* slowed down after wrong PINs */
    }
    if (strcmp(key, "ok") == 0) {
        if (pin_matches(staff->pin, staff->entered)) {
            staff->failures = 0;
            show(staff, STAFF_MENU, now_ms);
            return STAFF_ACTION_NONE;
        }
        staff->failures++;
        int shift = staff->failures - 1 < 6 ? staff->failures - 1 : 6;
        int64_t lock = 1000LL << shift; /* 1, 2, 4 ... 64 s, capped at 60 s */
        staff->locked_until_ms = now_ms + (lock < STAFF_LOCK_MAX_MS ? lock : STAFF_LOCK_MAX_MS);
        staff->entered[0] = '\0';
        staff->wrong = true;
        staff->generation++;
        return STAFF_ACTION_NONE;
    }
    size_t length = strlen(staff->entered);
    if (key[0] >= '0' && key[0] <= '9' && key[1] == '\0' && length < STAFF_PIN_MAX) {
        staff->entered[length] = key[0];
        staff->entered[length + 1] = '\0';
        staff->wrong = false;
        staff->generation++;
    }
    return STAFF_ACTION_NONE;
}

enum staff_action staff_tap(struct staff *staff, const char *id, int64_t now_ms, char *scene,
                            size_t scene_size)
{
    if (staff->screen == STAFF_CLOSED) {
        return STAFF_ACTION_NONE;
    }
    staff->last_touch_ms = now_ms;
    if (strcmp(id, "close") == 0) {
        show(staff, STAFF_CLOSED, now_ms);
        return STAFF_ACTION_NONE;
    }
    if (staff->screen == STAFF_PIN) {
        return tap_pin(staff, id, now_ms);
    }
    if (strcmp(id, "scene:schedule") == 0) {
        return STAFF_ACTION_SCHEDULE;
    }
    if (strncmp(id, "scene:", 6) == 0 && id[6] != '\0') {
        snprintf(scene, scene_size, "%s", id + 6);
        return STAFF_ACTION_SCENE;
    }
    if (strcmp(id, "light:test") == 0) {
        return STAFF_ACTION_TEST_LIGHT;
    }
    if (strcmp(id, "sound:next") == 0) {
        return STAFF_ACTION_NEXT_SOUND;
    }
    if (strcmp(id, "sound:test") == 0) {
        return STAFF_ACTION_TEST_SOUND;
    }
    return STAFF_ACTION_NONE;
}

int64_t staff_next_deadline_ms(const struct staff *staff)
{
    if (staff->screen == STAFF_CLOSED) {
        return INT64_MAX;
    }
    return staff->last_touch_ms + staff->close_ms;
}

int staff_tick(struct staff *staff, int64_t now_ms)
{
    if (now_ms < staff_next_deadline_ms(staff)) {
        return 0;
    }
    show(staff, STAFF_CLOSED, now_ms);
    return 1;
}
