/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * backlight: the screen's brightness through the kernel's backlight class
 * (SYSFS/class/backlight/NAME/brightness, 0..max_brightness). Owns that one file; never
 * sleeps, never touches the picture. A screen without a backlight device (HDMI, a desktop
 * window, CI) simply has none: backlight_open says why and the kiosk runs on unchanged.
 * The sysfs root is a parameter so tests can point it at a directory that mimics /sys.
 */
#ifndef OASE_BACKLIGHT_H
#define OASE_BACKLIGHT_H

#include <stddef.h>

#define BACKLIGHT_NAME_MAX 64 /* a device name under class/backlight, with the NUL */
#define BACKLIGHT_SYSFS "/sys"

struct backlight;

/*
 * Opens the backlight device `name` under SYSFS_ROOT/class/backlight (sysfs_root NULL means
 * "/sys"), or the first device in name order when name is NULL, "" or "auto", and reads its
 * max_brightness. Nothing is written yet. Returns the handle, or NULL with `why` saying what
 * is missing: no such folder or device, a name with '/', a max_brightness that is not a
 * number of at least 1, or no memory.
 */
struct backlight *backlight_open(const char *sysfs_root, const char *name, char *why,
                                 size_t why_size);

/*
 * Sets the brightness to percent of max_brightness (clamped to 0..100, rounded to the
 * nearest step). Any percent of 1 or more keeps at least step 1, so a dimmed screen never
 * goes dark by rounding; 0 is dark. Writes only when the step differs from the last one
 * written, so it may be called on every tick. Returns 0, or -errno when the file cannot be
 * opened or written (`why` names the file and, for EACCES, the group and udev rule needed);
 * the next call tries again.
 */
int backlight_set_percent(struct backlight *backlight, int percent, char *why, size_t why_size);

/* The device's name ("10-0045", "rpi_backlight") and max_brightness. */
const char *backlight_name(const struct backlight *backlight);
int backlight_max(const struct backlight *backlight);

/* The step last written, or -1 before the first successful write. */
int backlight_written(const struct backlight *backlight);

/* Frees the handle; the brightness stays as it was. NULL is ignored. */
void backlight_close(struct backlight *backlight);

#endif
