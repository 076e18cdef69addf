/* SPDX-License-Identifier: EUPL-1.2 */
/* timezone: see timezone.h. Reads only the zone files; the clock module converts times. */
#include "core/timezone.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TIMEZONE_HOW_TO_SET                                                                        \
    "set [kiosk] timezone in the config (e.g. timezone = Europe/Amsterdam) or the system's zone "  \
    "(timedatectl set-timezone Europe/Amsterdam)"

static const char *timezone_dir(void)
{
    const char *dir = getenv("TZDIR");
    return dir && dir[0] ? dir : TIMEZONE_DEFAULT_DIR;
}

/* 0 when path is a readable TZif file (the format of the time-zone database), else -errno. */
static int timezone_read_tzif(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        return -errno;
    }
    char magic[4];
    size_t got = fread(magic, 1, sizeof magic, file);
    fclose(file);
    return got == sizeof magic && memcmp(magic, "TZif", 4) == 0 ? 0 : -EINVAL;
}

/* "EST5EDT", "CET-1CEST,M3.5.0,M10.5.0/3", "<+03>-3": a name of 3+ letters (or <...>) and an
 * offset. The C library reads these without the database. */
static bool timezone_is_posix_rule(const char *text)
{
    const char *p = text;
    if (*p == '<') {
        const char *end = strchr(p, '>');
        if (!end || end - p < 4) {
            return false;
        }
        p = end + 1;
    } else {
        size_t letters = 0;
        while (isalpha((unsigned char)p[letters])) {
            letters++;
        }
        if (letters < 3) {
            return false;
        }
        p += letters;
    }
    if (*p == '+' || *p == '-') {
        p++;
    }
    return isdigit((unsigned char)*p) != 0;
}

/* A relative path of the database: letters, digits, "/_+-.", no empty or ".." part. */
static bool timezone_is_zone_name(const char *name)
{
    size_t length = strlen(name);
    if (length == 0 || length >= TIMEZONE_NAME_MAX || name[0] == '/' ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+-.") !=
            length) {
        return false;
    }
    const char *part = name;
    for (;;) {
        size_t part_length = strcspn(part, "/");
        if (part_length == 0 || (part_length == 2 && strncmp(part, "..", 2) == 0) ||
            (part_length == 1 && part[0] == '.')) {
            return false;
        }
        if (part[part_length] == '\0') {
            return true;
        }
        part += part_length + 1;
    }
}

int timezone_check(const char *name, char *why, size_t why_size)
{
    const char *zone = name[0] == ':' ? name + 1 : name;
    if (strcmp(zone, "UTC") == 0 || timezone_is_posix_rule(zone)) {
        return 0; /* the C library needs no file for these */
    }
    if (zone[0] == '/') { /* a zone file by its path, as TZ=/usr/share/zoneinfo/... allows */
        int rc = timezone_read_tzif(zone);
        if (rc != 0) {
            snprintf(why, why_size, "time zone \"%s\": %s", name,
                     rc == -EINVAL ? "not a time-zone file (no TZif header)" : strerror(-rc));
            return rc == -EINVAL ? -EINVAL : -ENOENT;
        }
        return 0;
    }
    if (!timezone_is_zone_name(zone)) {
        snprintf(why, why_size,
                 "time zone \"%s\" is not a zone name: accepted: a name of the time-zone "
                 "database such as Europe/Amsterdam (timedatectl list-timezones lists them), or "
                 "a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3",
                 name);
        return -EINVAL;
    }
    const char *dir = timezone_dir();
    struct stat info;
    if (stat(dir, &info) != 0 || !S_ISDIR(info.st_mode)) {
        snprintf(why, why_size,
                 "time zone \"%s\": the time-zone database is missing (no %s): install tzdata "
                 "(apt-get install tzdata)",
                 name, dir);
        return -ENOENT;
    }
    char path[512];
    int n = snprintf(path, sizeof path, "%s/%s", dir, zone);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(why, why_size, "time zone \"%s\": the path under %s is too long", name, dir);
        return -EINVAL;
    }
    int rc = timezone_read_tzif(path);
    if (rc == -ENOENT || rc == -ENOTDIR) {
        snprintf(why, why_size,
                 "time zone \"%s\" is unknown: there is no %s; accepted: a zone name such as "
                 "Europe/Amsterdam (timedatectl list-timezones lists them), or a POSIX TZ rule",
                 name, path);
        return -ENOENT;
    }
    if (rc != 0) {
        snprintf(why, why_size, "time zone \"%s\": %s is not a time-zone file (%s)", name, path,
                 rc == -EINVAL ? "no TZif header" : strerror(-rc));
        return rc == -EINVAL ? -EINVAL : -ENOENT;
    }
    return 0;
}

/* The zone name of the system file: its link target below ".../zoneinfo/", or "". */
static void timezone_system_name(const char *system_file, char *out, size_t size)
{
    char target[512];
    ssize_t length = readlink(system_file, target, sizeof target - 1);
    out[0] = '\0';
    if (length <= 0) {
        return;
    }
    target[length] = '\0';
    const char *below = strstr(target, "zoneinfo/");
    if (below && strlen(below + 9) < size) {
        snprintf(out, size, "%s", below + 9);
    }
}

static int timezone_choose_system(const char *system_file, struct timezone_choice *choice,
                                  char *why, size_t why_size)
{
    choice->name[0] = '\0';
    choice->source = system_file;
    struct stat link_info;
    if (lstat(system_file, &link_info) != 0) {
        snprintf(why, why_size,
                 "no time zone: TZ is not set and %s is missing (tzdata not installed, or no "
                 "zone chosen); " TIMEZONE_HOW_TO_SET,
                 system_file);
        return -ENOENT;
    }
    char zone[TIMEZONE_NAME_MAX];
    timezone_system_name(system_file, zone, sizeof zone);
    int rc = timezone_read_tzif(system_file);
    if (rc != 0) {
        char target[512] = "";
        ssize_t length = readlink(system_file, target, sizeof target - 1);
        target[length > 0 ? length : 0] = '\0';
        snprintf(why, why_size,
                 "no usable time zone: TZ is not set and %s%s%s %s (install tzdata: apt-get "
                 "install tzdata); or " TIMEZONE_HOW_TO_SET,
                 system_file, target[0] ? " points to " : "", target,
                 rc == -EINVAL ? "is not a time-zone file" : "is missing");
        return rc == -EINVAL ? -EINVAL : -ENOENT;
    }
    snprintf(choice->shown, sizeof choice->shown, "%s (from %s)", zone[0] ? zone : "the system's",
             system_file);
    if (strcmp(system_file, TIMEZONE_SYSTEM_FILE) != 0) {
        /* not the C library's own default: name the file in TZ (glibc reads an absolute path) */
        if (strlen(system_file) >= sizeof choice->name) {
            snprintf(why, why_size, "%s: the path is longer than %d bytes", system_file,
                     TIMEZONE_NAME_MAX - 1);
            return -EINVAL;
        }
        snprintf(choice->name, sizeof choice->name, "%s", system_file);
    }
    return 0;
}

int timezone_choose(const char *configured, const char *tz_env, const char *system_file,
                    struct timezone_choice *choice, char *why, size_t why_size)
{
    const char *name = NULL;
    if (configured && configured[0]) {
        name = configured;
        choice->source = "kiosk.timezone";
    } else if (tz_env && tz_env[0]) {
        name = tz_env;
        choice->source = "TZ";
    } else {
        return timezone_choose_system(system_file, choice, why, why_size);
    }
    if (strlen(name) >= sizeof choice->name) {
        snprintf(why, why_size, "time zone from %s is longer than %d bytes", choice->source,
                 TIMEZONE_NAME_MAX - 1);
        return -EINVAL;
    }
    char problem[768];
    int rc = timezone_check(name, problem, sizeof problem);
    if (rc != 0) {
        snprintf(why, why_size, "%s%s: %s",
                 strcmp(choice->source, "TZ") == 0 ? "TZ=" : "kiosk.timezone = ", name, problem);
        return rc;
    }
    snprintf(choice->name, sizeof choice->name, "%s", name);
    snprintf(choice->shown, sizeof choice->shown, "%s (from %s)", name, choice->source);
    return 0;
}

int timezone_choose_here(const char *configured, struct timezone_choice *choice, char *why,
                         size_t why_size)
{
    return timezone_choose(configured, getenv("TZ"), TIMEZONE_SYSTEM_FILE, choice, why, why_size);
}

int timezone_apply(const struct timezone_choice *choice)
{
    int rc = choice->name[0] ? setenv("TZ", choice->name, 1) : unsetenv("TZ");
    if (rc != 0) {
        return -errno;
    }
    tzset();
    return 0;
}
