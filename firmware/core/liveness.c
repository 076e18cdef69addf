/* SPDX-License-Identifier: EUPL-1.2 */
/* liveness: see liveness.h. main loop -> liveness_* -> app_supervise -> notify_watchdog. */
#include "core/liveness.h"

void liveness_init(struct liveness *liveness, int64_t now_ms, int64_t stuck_after_ms)
{
    liveness->loop_ms = now_ms;
    liveness->committed_seq = 0;
    liveness->progress_ms = now_ms;
    liveness->stuck_after_ms = stuck_after_ms > 0 ? stuck_after_ms : 1;
}

void liveness_loop_pass(struct liveness *liveness, int64_t now_ms)
{
    liveness->loop_ms = now_ms;
}

void liveness_store(struct liveness *liveness, int64_t now_ms, int64_t queued_seq,
                    int64_t committed_seq)
{
    if (queued_seq <= committed_seq || committed_seq != liveness->committed_seq) {
        liveness->progress_ms = now_ms; /* idle, or it moved on since the last look */
    }
    liveness->committed_seq = committed_seq;
}

bool liveness_store_stuck(const struct liveness *liveness, int64_t now_ms)
{
    return now_ms - liveness->progress_ms > liveness->stuck_after_ms;
}

bool liveness_ok(const struct liveness *liveness, int64_t now_ms, int64_t max_gap_ms)
{
    return now_ms - liveness->loop_ms <= max_gap_ms && !liveness_store_stuck(liveness, now_ms);
}
