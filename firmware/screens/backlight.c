/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * backlight: see backlight.h. Called from the main loop (app_tick) with the brightness the
 * opening hours ask for; the cache of the last step written keeps sysfs writes to the
 * moments the level really changes.
 */
#include "screens/backlight.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BACKLIGHT_PATH_MAX 512

struct backlight {
    char name[BACKLIGHT_NAME_MAX];            /* device folder under class/backlight */
    char brightness_path[BACKLIGHT_PATH_MAX]; /* the file written */
    int max;                                  /* max_brightness, >= 1 */
    int written;                              /* last step written; -1 = none yet */
};

/* The first directory entry in name order that is not "." or "..": "" when none. */
static int first_device(const char *class_dir, char *name, size_t size)
{
    DIR *dir = opendir(class_dir);
    if (!dir) {
        return -errno;
    }
    name[0] = '\0';
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        if (strlen(entry->d_name) >= size) {
            continue; /* longer than any backlight name the kernel makes */
        }
        if (name[0] == '\0' || strcmp(entry->d_name, name) < 0) {
            snprintf(name, size, "%s", entry->d_name);
        }
    }
    closedir(dir);
    return name[0] ? 0 : -ENOENT;
}

/* Reads a small non-negative decimal number from a sysfs attribute. */
static int read_number(const char *path, int *value)
{
    FILE *file = fopen(path, "re");
    if (!file) {
        return -errno;
    }
    char text[32];
    int rc = -EINVAL;
    if (fgets(text, sizeof text, file)) {
        char *end = NULL;
        errno = 0;
        long number = strtol(text, &end, 10);
        if (end != text && errno == 0 && (*end == '\n' || *end == '\0') && number >= 0 &&
            number <= 1000000000L) {
            *value = (int)number;
            rc = 0;
        }
    }
    fclose(file);
    return rc;
}

/* class_dir/device/attribute into out; -ENAMETOOLONG when it does not fit. */
static int attribute_path(char *out, size_t size, const char *class_dir, const char *device,
                          const char *attribute)
{
    int n = snprintf(out, size, "%s/%s/%s", class_dir, device, attribute);
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

struct backlight *backlight_open(const char *sysfs_root, const char *name, char *why,
                                 size_t why_size)
{
    char class_dir[BACKLIGHT_PATH_MAX], device[BACKLIGHT_NAME_MAX];
    const char *root = sysfs_root ? sysfs_root : BACKLIGHT_SYSFS;
    int n = snprintf(class_dir, sizeof class_dir, "%s/class/backlight", root);
    if (n < 0 || (size_t)n >= sizeof class_dir) {
        snprintf(why, why_size, "%s: path too long", root);
        return NULL;
    }
    if (!name || !name[0] || strcmp(name, "auto") == 0) {
        int rc = first_device(class_dir, device, sizeof device);
        if (rc != 0) {
            snprintf(why, why_size, "no backlight device in %s (%s)", class_dir,
                     rc == -ENOENT ? "an HDMI screen has none" : strerror(-rc));
            return NULL;
        }
    } else {
        if (strchr(name, '/') || strcmp(name, "..") == 0 || strlen(name) >= sizeof device) {
            snprintf(why, why_size,
                     "backlight \"%s\": accepted: auto, off, or a device name from %s", name,
                     class_dir);
            return NULL;
        }
        snprintf(device, sizeof device, "%s", name);
    }

    char max_path[BACKLIGHT_PATH_MAX], brightness_path[BACKLIGHT_PATH_MAX];
    if (attribute_path(max_path, sizeof max_path, class_dir, device, "max_brightness") != 0 ||
        attribute_path(brightness_path, sizeof brightness_path, class_dir, device, "brightness") !=
            0) {
        snprintf(why, why_size, "%s/%s: path too long", class_dir, device);
        return NULL;
    }
    int max = 0;
    int rc = read_number(max_path, &max);
    if (rc != 0 || max < 1) {
        snprintf(why, why_size, "%s: %s", max_path,
                 rc == 0 || rc == -EINVAL ? "not a number of at least 1" : strerror(-rc));
        return NULL;
    }

    struct backlight *backlight = calloc(1, sizeof *backlight);
    if (!backlight) {
        snprintf(why, why_size, "out of memory opening the backlight");
        return NULL;
    }
    snprintf(backlight->name, sizeof backlight->name, "%s", device);
    memcpy(backlight->brightness_path, brightness_path, sizeof brightness_path);
    backlight->max = max;
    backlight->written = -1;
    return backlight;
}

/* percent (clamped 0..100) -> a step 0..max; any lit percent keeps at least step 1. */
static int percent_to_step(int percent, int max)
{
    percent = percent < 0 ? 0 : percent > 100 ? 100 : percent;
    int step = (int)(((long long)percent * max + 50) / 100);
    return percent > 0 && step == 0 ? 1 : step;
}

int backlight_set_percent(struct backlight *backlight, int percent, char *why, size_t why_size)
{
    int step = percent_to_step(percent, backlight->max);
    if (step == backlight->written) {
        return 0;
    }
    int fd = open(backlight->brightness_path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        int rc = -errno;
        snprintf(why, why_size, "cannot open %s: %s%s", backlight->brightness_path, strerror(-rc),
                 rc == -EACCES ? " (the kiosk's user needs the video group and the udev rule "
                                 "70-oase-backlight.rules that make install puts in place)"
                               : "");
        return rc;
    }
    char text[16];
    int length = snprintf(text, sizeof text, "%d\n", step);
    ssize_t done = write(fd, text, (size_t)length);
    int rc = done == length ? 0 : done < 0 ? -errno : -EIO;
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    if (rc != 0) {
        snprintf(why, why_size, "cannot write %d to %s: %s", step, backlight->brightness_path,
                 strerror(-rc));
        return rc;
    }
    backlight->written = step;
    return 0;
}

const char *backlight_name(const struct backlight *backlight)
{
    return backlight->name;
}

int backlight_max(const struct backlight *backlight)
{
    return backlight->max;
}

int backlight_written(const struct backlight *backlight)
{
    return backlight->written;
}

void backlight_close(struct backlight *backlight)
{
    free(backlight);
}
