/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * lights_gpiod2: lights_gpio.h on the libgpiod 2.x API (Raspberry Pi OS Trixie). Compiled
 * instead of lights_gpiod1.c when pkg-config reports libgpiod >= 2. v2 has no "find line by
 * name across chips", so this walks /dev/gpiochip* (gpiod_is_gpiochip_device) in version
 * order, matches the chip label when one is given and asks each chip for the line's offset.
 * A line request outlives its chip handle, so the chip is closed once the line is held.
 * strverscmp() needs _GNU_SOURCE, which the Makefile defines for every file.
 */
#include "lights/lights_gpio.h"

#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GPIOD2_MAX_CHIPS 32
#define GPIOD2_PATH_MAX 64

struct lights_gpio_line {
    struct gpiod_line_request *request; /* holds the line; released on close */
    unsigned int offset;                /* the line's offset on its chip */
};

const char *lights_gpio_backend(void)
{
    return "libgpiod 2.x";
}

static int compare_paths(const void *a, const void *b)
{
    return strverscmp((const char *)a, (const char *)b);
}

/* /dev/gpiochip* device paths in version order (gpiochip2 before gpiochip10). */
static int list_chips(char paths[GPIOD2_MAX_CHIPS][GPIOD2_PATH_MAX])
{
    DIR *dir = opendir("/dev");
    if (dir == NULL) {
        return 0;
    }
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < GPIOD2_MAX_CHIPS) {
        if (strncmp(entry->d_name, "gpiochip", 8) != 0) {
            continue;
        }
        int n = snprintf(paths[count], GPIOD2_PATH_MAX, "/dev/%s", entry->d_name);
        if (n < 0 || n >= GPIOD2_PATH_MAX || !gpiod_is_gpiochip_device(paths[count])) {
            continue;
        }
        count++;
    }
    closedir(dir);
    qsort(paths, (size_t)count, GPIOD2_PATH_MAX, compare_paths);
    return count;
}

static bool chip_has_label(struct gpiod_chip *chip, const char *label)
{
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
    if (info == NULL) {
        return false;
    }
    const char *chip_label = gpiod_chip_info_get_label(info);
    bool match = chip_label != NULL && strcmp(chip_label, label) == 0;
    gpiod_chip_info_free(info);
    return match;
}

/* Fills why when the line is used by someone else; returns true then. */
static bool line_busy(struct gpiod_chip *chip, unsigned int offset, const char *line_name,
                      char *why, size_t why_size)
{
    struct gpiod_line_info *info = gpiod_chip_get_line_info(chip, offset);
    if (info == NULL) {
        return false; /* the request below will say what is wrong */
    }
    bool used = gpiod_line_info_is_used(info);
    if (used) {
        const char *user = gpiod_line_info_get_consumer(info);
        snprintf(why, why_size, "GPIO line %s is in use by %s%s%s (stop it, or pick another line)",
                 line_name, user ? "'" : "", user ? user : "another program", user ? "'" : "");
    }
    gpiod_line_info_free(info);
    return used;
}

static struct gpiod_line_request *request_output(struct gpiod_chip *chip, unsigned int offset,
                                                 bool active_low, int initial_value)
{
    struct gpiod_line_request *request = NULL;
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) {
        return NULL;
    }
    struct gpiod_line_config *line_cfg = gpiod_line_config_new();
    if (line_cfg == NULL) {
        goto out_free_settings;
    }
    struct gpiod_request_config *req_cfg = gpiod_request_config_new();
    if (req_cfg == NULL) {
        goto out_free_line_cfg;
    }
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT) < 0 ||
        gpiod_line_settings_set_output_value(
            settings, initial_value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0) {
        goto out_free_req_cfg;
    }
    gpiod_line_settings_set_active_low(settings, active_low);
    if (gpiod_line_config_add_line_settings(line_cfg, &offset, 1, settings) < 0) {
        goto out_free_req_cfg;
    }
    gpiod_request_config_set_consumer(req_cfg, LIGHTS_GPIO_CONSUMER);
    request = gpiod_chip_request_lines(chip, req_cfg, line_cfg);

out_free_req_cfg:
    gpiod_request_config_free(req_cfg);
out_free_line_cfg:
    gpiod_line_config_free(line_cfg);
out_free_settings:
    gpiod_line_settings_free(settings);
    return request;
}

static void describe_error(int err, const char *what, char *why, size_t why_size)
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
    char paths[GPIOD2_MAX_CHIPS][GPIOD2_PATH_MAX];
    bool want_label = chip_label != NULL && chip_label[0] != '\0';
    bool label_seen = false;
    int open_errno = 0;
    char what[160];

    int count = list_chips(paths);
    if (count == 0) {
        snprintf(why, why_size, "no GPIO chips on this machine (/dev/gpiochip*)");
        return NULL;
    }
    struct lights_gpio_line *gpio = calloc(1, sizeof *gpio);
    if (gpio == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        struct gpiod_chip *chip = gpiod_chip_open(paths[i]);
        if (chip == NULL) {
            open_errno = errno;
            continue;
        }
        if (want_label && !chip_has_label(chip, chip_label)) {
            gpiod_chip_close(chip);
            continue;
        }
        label_seen = true;
        int offset = gpiod_chip_get_line_offset_from_name(chip, line_name);
        if (offset < 0) {
            gpiod_chip_close(chip);
            continue;
        }
        if (line_busy(chip, (unsigned int)offset, line_name, why, why_size)) {
            gpiod_chip_close(chip);
            goto out_free;
        }
        errno = 0;
        gpio->offset = (unsigned int)offset;
        gpio->request = request_output(chip, gpio->offset, active_low, initial_value);
        int request_errno = errno;
        gpiod_chip_close(chip);
        if (gpio->request == NULL) {
            snprintf(what, sizeof what, "requesting GPIO line %s as an output", line_name);
            describe_error(request_errno, what, why, why_size);
            goto out_free;
        }
        return gpio;
    }
    if (open_errno != 0 && !label_seen) {
        snprintf(what, sizeof what, "opening the GPIO chips");
        describe_error(open_errno, what, why, why_size);
    } else if (want_label && !label_seen) {
        snprintf(why, why_size, "no GPIO chip labelled %s (gpiodetect shows labels in brackets)",
                 chip_label);
    } else if (want_label) {
        snprintf(why, why_size, "GPIO chip %s has no line named %s (gpioinfo lists the names)",
                 chip_label, line_name);
    } else {
        snprintf(why, why_size, "no GPIO line named %s on any chip (gpioinfo lists the names)",
                 line_name);
    }
out_free:
    free(gpio);
    return NULL;
}

int lights_gpio_set(struct lights_gpio_line *gpio, int value)
{
    errno = 0;
    if (gpiod_line_request_set_value(gpio->request, gpio->offset,
                                     value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) <
        0) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

void lights_gpio_close(struct lights_gpio_line *gpio)
{
    if (gpio == NULL) {
        return;
    }
    gpiod_line_request_release(gpio->request);
    free(gpio);
}
