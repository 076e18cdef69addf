/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fuzz_replay: replay scripts, as any bytes, through replay_load. A refused script must
 * say why with file:line and leave the script empty; an accepted one must hold only
 * commands within the documented ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/replay.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file("fuzz.replay", data, size);
    struct replay_script script;
    char err[512] = "";
    int rc = replay_load(&script, path, err, sizeof err);
    if (rc != 0) {
        if (script.count != 0 || script.commands != NULL || strstr(err, path) != err) {
            abort();
        }
        return 0;
    }
    for (size_t i = 0; i < script.count; i++) {
        const struct replay_command *c = &script.commands[i];
        /* advance-to holds an instant, every other command a duration or a number */
        int64_t ms_max = c->op == REPLAY_ADVANCE_TO ? INT64_MAX : REPLAY_MAX_WAIT_MS;
        if (c->line < 1 || c->x < 0 || c->x > 4095 || c->y < 0 || c->y > 4095 || c->ms < 0 ||
            c->ms > ms_max || memchr(c->id, '\0', sizeof c->id) == NULL) {
            abort();
        }
        if (c->op == REPLAY_STORM && (c->rate < 1 || c->rate > 10000 || c->seed > 2147483647u)) {
            abort();
        }
    }
    replay_free(&script);
    return 0;
}
