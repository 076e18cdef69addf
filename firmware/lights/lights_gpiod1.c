/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_gpiod1: lights_gpio.h on the libgpiod 1.6 API (Raspberry Pi OS Bookworm). Unit
 * tests link tests/fakes/fake_gpiod.c in place of -lgpiod, so exactly the gpiod_* calls made
 * here must exist there: gpiod_line_find, gpiod_chip_open_by_label, gpiod_chip_find_line,
 * gpiod_line_get_chip, gpiod_line_is_used, gpiod_line_consumer,
 * gpiod_line_request_output_flags, gpiod_line_set_value, gpiod_line_release,
 * gpiod_chip_close.
 */
#include "lights/lights_gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lights_gpio_line {
    struct gpiod_chip *chip; /* owns line; closed with it */
    struct gpiod_line *line; /* requested as output */
};

const char *lights_gpio_backend(void)
{
    return "libgpiod 1.6";
}

static void describe_open_error(int err, const char *what, char *why, size_t why_size)
{
    if (err == EACCES || err == EPERM) {
        snprintf(why, why_size,
                 "%s: permission denied (add the service user to group gpio, or "
                 "SupplementaryGroups=gpio in the systemd unit)",
                 what);
    } else {
        snprintf(why, why_size, "%s: %s", what, strerror(err ? err : EIO));
    }
}

struct lights_gpio_line *lights_gpio_open(const char *chip_label, const char *line_name,
                                          bool active_low, int initial_value, char *why,
                                          size_t why_size)
{
    struct lights_gpio_line *gpio = calloc(1, sizeof *gpio);
    if (gpio == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    char what[160];
    errno = 0;
    if (chip_label != NULL && chip_label[0] != '\0') {
        gpio->chip = gpiod_chip_open_by_label(chip_label);
        if (gpio->chip == NULL) {
            if (errno == ENOENT) {
                snprintf(why, why_size,
                         "no GPIO chip labelled %s (gpiodetect shows labels in brackets)",
                         chip_label);
            } else {
                snprintf(what, sizeof what, "opening the GPIO chip labelled %s", chip_label);
                describe_open_error(errno, what, why, why_size);
            }
            goto out_free;
        }
        errno = 0;
        gpio->line = gpiod_chip_find_line(gpio->chip, line_name);
        if (gpio->line == NULL) {
            if (errno == ENOENT || errno == 0) {
                snprintf(why, why_size,
                         "GPIO chip %s has no line named %s (gpioinfo lists the names)", chip_label,
                         line_name);
            } else {
                snprintf(what, sizeof what, "looking up line %s on chip %s", line_name, chip_label);
                describe_open_error(errno, what, why, why_size);
            }
            goto out_close_chip;
        }
    } else {
        gpio->line = gpiod_line_find(line_name);
        if (gpio->line == NULL) {
            if (errno == ENOENT || errno == 0) {
                snprintf(why, why_size,
                         "no GPIO line named %s on any chip (gpioinfo lists the names)", line_name);
            } else {
                snprintf(what, sizeof what, "looking up GPIO line %s", line_name);
                describe_open_error(errno, what, why, why_size);
            }
            goto out_free;
        }
        gpio->chip = gpiod_line_get_chip(gpio->line);
    }
    if (gpiod_line_is_used(gpio->line)) {
        const char *user = gpiod_line_consumer(gpio->line);
        snprintf(why, why_size, "GPIO line %s is in use by %s%s%s (stop it, or pick another line)",
                 line_name, user ? "'" : "", user ? user : "another program", user ? "'" : "");
        goto out_close_chip;
    }
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    errno = 0;
    if (gpiod_line_request_output_flags(gpio->line, LIGHTS_GPIO_CONSUMER, flags,
                                        initial_value ? 1 : 0) < 0) {
        snprintf(what, sizeof what, "requesting GPIO line %s as an output", line_name);
        describe_open_error(errno, what, why, why_size);
        goto out_close_chip;
    }
    return gpio;

out_close_chip:
    gpiod_chip_close(gpio->chip);
out_free:
    free(gpio);
    return NULL;
}

int lights_gpio_set(struct lights_gpio_line *gpio, int value)
{
    errno = 0;
    if (gpiod_line_set_value(gpio->line, value ? 1 : 0) < 0) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

void lights_gpio_close(struct lights_gpio_line *gpio)
{
    if (gpio == NULL) {
        return;
    }
    gpiod_line_release(gpio->line);
    gpiod_chip_close(gpio->chip);
    free(gpio);
}
