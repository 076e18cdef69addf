/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_driver: the interface every light driver implements (one file each: lights_sim.c,
 * lights_pwm.c, lights_digipot.c, lights_relay.c), used only by lights.c and the tests.
 * A driver turns a level into hardware state through lights_gpio.h; it never reads the
 * schedule, the config file or the kiosk clock, and never logs (lights.c reports).
 */
#ifndef OASE_LIGHTS_DRIVER_H
#define OASE_LIGHTS_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lights/lights_config.h"

struct lights_driver;

struct lights_driver_ops {
    /*
     * Drives the channel to lightness (L*, 0..100; the relay switches on it) and output
     * (0..1 from lights_curve_output(); PWM duty, digipot wiper). Returns 0, or -errno when a
     * line could not be written (the driver retries the whole move on the next call).
     */
    int (*set)(struct lights_driver *driver, double lightness, double output);
    /* Holds the last level set as well as the hardware can without the driver, releases the
     * lines and frees the driver. */
    void (*close)(struct lights_driver *driver);
};

struct lights_driver {
    const struct lights_driver_ops *ops;
};

static inline int lights_driver_set(struct lights_driver *driver, double lightness, double output)
{
    return driver->ops->set(driver, lightness, output);
}

static inline void lights_driver_close(struct lights_driver *driver)
{
    if (driver != NULL) {
        driver->ops->close(driver);
    }
}

/* No hardware. Returns NULL only when out of memory. */
struct lights_driver *lights_sim_open(void);

/*
 * gpio-pwm: requests channel->line at low and starts the PWM thread at pwm_hz. With
 * try_realtime the thread asks for SCHED_FIFO priority LIGHTS_PWM_RT_PRIORITY and falls
 * back to normal scheduling when not permitted; *realtime says which it got.
 * Thread sharing: the thread reads only the duty (an atomic, written by set) and a stop flag
 * (an atomic, written by close); it owns the line until close has joined it.
 * Duty 0 and 1 are steady low/high (no toggling; the thread then wakes every
 * LIGHTS_PWM_STEADY_NS only to look at the duty). close() stops the thread and leaves the
 * line steady: high when the last duty was >= 0.5, low otherwise (use safe levels 0/100).
 * Returns NULL with why filled when the line cannot be had or the thread not started.
 */
#define LIGHTS_PWM_RT_PRIORITY 10
#define LIGHTS_PWM_STEADY_NS 20000000LL
struct lights_driver *lights_pwm_open(const struct lights_channel_config *channel, int pwm_hz,
                                      bool try_realtime, bool *realtime, char *why,
                                      size_t why_size);
/* CLOCK_MONOTONIC ns of the first period start: rising edges are due at origin + k * period. */
int64_t lights_pwm_origin_ns(const struct lights_driver *driver);
int64_t lights_pwm_period_ns(const struct lights_driver *driver);
/* CPU time the PWM thread has used so far (ns), -1 when unknown. */
int64_t lights_pwm_thread_cpu_ns(const struct lights_driver *driver);

/*
 * gpio-digipot: X9C102/103/104 (and any up/down digital potentiometer with CS, INC, U/D).
 * Requests cs (high, deselected), inc (high) and ud, then homes: channel->steps pulses down,
 * so the wiper is at tap 0 whatever it was. The wiper is never stored in the chip's EEPROM
 * (CS rises while INC is low), so no EEPROM wear; at power-up the X9C recalls its stored
 * tap until we home it. Returns NULL with why filled when a line cannot be had.
 */
struct lights_driver *lights_digipot_open(const struct lights_channel_config *channel, char *why,
                                          size_t why_size);
/* Current wiper tap (0..steps-1), -1 when unknown after a write error. */
int lights_digipot_tap(const struct lights_driver *driver);

/*
 * gpio-relay: requests channel->line off. Closes (line active) when lightness rises to
 * threshold_percent, opens again only below threshold_percent - hysteresis_percent, and is
 * always open at lightness 0. Returns NULL with why filled when the line cannot be had.
 */
struct lights_driver *lights_relay_open(const struct lights_channel_config *channel, char *why,
                                        size_t why_size);
bool lights_relay_closed(const struct lights_driver *driver);

#endif
