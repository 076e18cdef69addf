/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_digipot: an X9C102/103/104 digital potentiometer stepped over three GPIO lines,
 * its wiper feeding a 0-10 V (or 1-10 V) dimmer input: flicker-free, because the dimmer
 * itself makes the light. lights_tick() -> set() -> pulses on INC, in the main thread
 * (a move of n taps takes about n * 2 sleeps of a few microseconds each).
 *
 * X9C protocol (Intersil/Renesas X9C102/103/104 datasheet): CS low selects the chip; U/D
 * high moves the wiper towards VH, low towards VL; each falling edge of INC moves one tap
 * (100 taps, 0..99; it stops at the ends, it does not wrap). Raising CS while INC is high
 * stores the wiper in EEPROM (rated for a limited number of writes); raising CS while INC is
 * low does not. We always raise CS with INC low: the position is never stored, homing
 * makes it known instead.
 * Timings: INC low and high at least 1 us (tIL, tIH); CS to INC setup, INC to CS and U/D
 * to INC setup are shorter than our waits. We wait DIGIPOT_WAIT_NS (>= 2x the longest
 * minimum) with clock_nanosleep, which in practice sleeps tens of microseconds on Linux.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lights/lights_driver.h"
#include "lights/lights_gpio.h"

#define DIGIPOT_WAIT_NS 3000 /* covers tIL, tIH >= 1 us and U/D to INC setup (tDI) */
#define CS_SELECT 0          /* logical values; active_low in the config inverts all lines */
#define CS_DESELECT 1
#define UD_UP 1
#define UD_DOWN 0

struct digipot_driver {
    struct lights_driver base;
    struct lights_gpio_line *cs;  /* chip select, idle high */
    struct lights_gpio_line *inc; /* increment, idle high; a falling edge moves one tap */
    struct lights_gpio_line *ud;  /* direction */
    int steps;                    /* taps, 100 for the X9C family */
    int tap;                      /* current tap, -1 = unknown (home before moving) */
};

static void wait_ns(long ns)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += ns;
    while (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_nsec -= 1000000000L;
        deadline.tv_sec++;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR) {
    }
}

/* n falling edges on INC in direction up; CS rises with INC low, so nothing is stored. */
static int digipot_pulse(struct digipot_driver *pot, int n, bool up)
{
    int rc = lights_gpio_set(pot->ud, up ? UD_UP : UD_DOWN);
    if (rc < 0) {
        return rc;
    }
    wait_ns(DIGIPOT_WAIT_NS);
    rc = lights_gpio_set(pot->cs, CS_SELECT);
    if (rc < 0) {
        return rc;
    }
    wait_ns(DIGIPOT_WAIT_NS);
    for (int i = 0; i < n && rc == 0; i++) {
        if (i > 0) {
            rc = lights_gpio_set(pot->inc, 1);
            wait_ns(DIGIPOT_WAIT_NS);
        }
        if (rc == 0) {
            rc = lights_gpio_set(pot->inc, 0); /* the wiper moves on this edge */
            wait_ns(DIGIPOT_WAIT_NS);
        }
    }
    /*
     * CS may only rise while INC is low, or the chip stores the wiper. After a failed write
     * INC may still be high: drive it low first (an extra step does not matter, the
     * position is unknown then and will be homed). If even that fails, CS stays selected.
     */
    int low_rc = lights_gpio_set(pot->inc, 0);
    if (low_rc < 0) {
        return rc < 0 ? rc : low_rc;
    }
    wait_ns(DIGIPOT_WAIT_NS);
    int cs_rc = lights_gpio_set(pot->cs, CS_DESELECT);
    wait_ns(DIGIPOT_WAIT_NS);
    int inc_rc = lights_gpio_set(pot->inc, 1);
    return rc < 0 ? rc : cs_rc < 0 ? cs_rc : inc_rc;
}

static int digipot_home(struct digipot_driver *pot)
{
    pot->tap = -1;
    int rc = digipot_pulse(pot, pot->steps, false);
    if (rc == 0) {
        pot->tap = 0;
    }
    return rc;
}

static int digipot_set(struct lights_driver *driver, double lightness, double output)
{
    (void)lightness;
    struct digipot_driver *pot = (struct digipot_driver *)driver;
    if (pot->tap < 0) {
        int rc = digipot_home(pot);
        if (rc < 0) {
            return rc;
        }
    }
    long target = lround(output * (pot->steps - 1));
    if (target < 0) {
        target = 0;
    } else if (target > pot->steps - 1) {
        target = pot->steps - 1;
    }
    if (target == pot->tap) {
        return 0;
    }
    bool up = target > pot->tap;
    int n = (int)(up ? target - pot->tap : pot->tap - target);
    int rc = digipot_pulse(pot, n, up);
    pot->tap = rc == 0 ? (int)target : -1;
    return rc;
}

static void digipot_close(struct lights_driver *driver)
{
    struct digipot_driver *pot = (struct digipot_driver *)driver;
    lights_gpio_close(pot->ud);
    lights_gpio_close(pot->inc);
    lights_gpio_close(pot->cs);
    free(pot);
}

static const struct lights_driver_ops digipot_ops = {.set = digipot_set, .close = digipot_close};

struct lights_driver *lights_digipot_open(const struct lights_channel_config *channel, char *why,
                                          size_t why_size)
{
    struct digipot_driver *pot = calloc(1, sizeof *pot);
    if (pot == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    pot->base.ops = &digipot_ops;
    pot->steps = channel->steps;
    pot->tap = -1;
    pot->cs = lights_gpio_open(channel->chip, channel->cs_line, channel->active_low, CS_DESELECT,
                               why, why_size);
    if (pot->cs == NULL) {
        goto out_free;
    }
    pot->inc =
        lights_gpio_open(channel->chip, channel->inc_line, channel->active_low, 1, why, why_size);
    if (pot->inc == NULL) {
        goto out_close_cs;
    }
    pot->ud = lights_gpio_open(channel->chip, channel->ud_line, channel->active_low, UD_DOWN, why,
                               why_size);
    if (pot->ud == NULL) {
        goto out_close_inc;
    }
    int rc = digipot_home(pot);
    if (rc < 0) {
        snprintf(why, why_size, "homing the potentiometer failed writing a GPIO line: %s",
                 strerror(-rc));
        goto out_close_ud;
    }
    return &pot->base;

out_close_ud:
    lights_gpio_close(pot->ud);
out_close_inc:
    lights_gpio_close(pot->inc);
out_close_cs:
    lights_gpio_close(pot->cs);
out_free:
    free(pot);
    return NULL;
}

int lights_digipot_tap(const struct lights_driver *driver)
{
    return ((const struct digipot_driver *)driver)->tap;
}
