/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_gpio: one GPIO output line, found by its name (e.g. "GPIO17") and optionally the
 * label of its chip, never by chip number (the Pi 5 renumbered its chips). The only
 * interface the light drivers use for hardware; implemented once per libgpiod API:
 * lights_gpiod1.c (libgpiod 1.6, Bookworm) and lights_gpiod2.c (libgpiod 2.x, Trixie). The
 * Makefile compiles exactly one of them (pkg-config --atleast-version=2 libgpiod).
 *
 * Values are logical: 1 = active. With active_low the electrical level is inverted by the
 * kernel (the request flag), so drivers never think about wiring polarity.
 * A line may be used from one thread at a time (the PWM thread owns its line while it runs).
 */
#ifndef OASE_LIGHTS_GPIO_H
#define OASE_LIGHTS_GPIO_H

#include <stdbool.h>
#include <stddef.h>

#define LIGHTS_GPIO_CONSUMER "oase-lights" /* shown by gpioinfo as the line's user */

struct lights_gpio_line;

/*
 * Finds the line named line_name (on the chip labelled chip_label, or on any chip when
 * chip_label is NULL or "") and requests it as an output at initial_value.
 * Returns NULL when the chip or line does not exist, is busy, or may not be opened; why then
 * says which and what to do, e.g. "no GPIO line named GPIO99 on any chip (gpioinfo lists
 * the names)". On success the caller owns the line and frees it with lights_gpio_close().
 */
struct lights_gpio_line *lights_gpio_open(const char *chip_label, const char *line_name,
                                          bool active_low, int initial_value, char *why,
                                          size_t why_size);

/* Sets the logical value (0 or 1). Returns 0 or -errno (the line keeps its old value). */
int lights_gpio_set(struct lights_gpio_line *line, int value);

/* Releases the line (it keeps its last level until the kernel or another user changes it)
 * and frees everything. NULL is ignored. */
void lights_gpio_close(struct lights_gpio_line *line);

/* "libgpiod 1.6" / "libgpiod 2.x": which implementation was compiled in (for logs). */
const char *lights_gpio_backend(void);

#endif
