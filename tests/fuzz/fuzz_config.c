/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_config: the kiosk's config file, as any text, through config_load_buffer (the same
 * line reader, libinih and value checks config_load uses). Every message must name the
 * file and be a bounded line; the values that come out must stay within their ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/log.h"

static void fuzz_config_report(void *ctx, const char *message)
{
    (void)ctx;
    if (strncmp(message, "fuzz.conf", 9) != 0 || strlen(message) > 4096) {
        abort(); /* a message that does not name the file, or runs away */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct oase_config config;
    log_set_quiet(1);
    config_defaults(&config);
    struct config_problems problems;
    if (config_load_buffer(&config, "fuzz.conf", (const char *)data, size, fuzz_config_report, NULL,
                           &problems) != 0) {
        return 0;
    }
    if (config.service_count < 1 || config.service_count > CONFIG_MAX_SERVICES ||
        config.language_count < 0 || config.language_count > CONFIG_MAX_LANGUAGES ||
        config.inactivity_seconds < 10 || config.inactivity_seconds > 600 || config.width <= 0 ||
        config.height <= 0 || memchr(config.site, '\0', sizeof config.site) == NULL ||
        memchr(config.staff_pin, '\0', sizeof config.staff_pin) == NULL) {
        abort(); /* a value outside what the config promises */
    }
    for (int i = 0; i < config.service_count; i++) {
        if (config_service(&config, config.services[i].id) == NULL) {
            abort();
        }
    }
    return 0;
}
