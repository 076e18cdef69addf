/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * liveness: decides whether the kiosk is well enough to tell systemd's watchdog so. Pure
 * bookkeeping on monotonic times and the store's sequence numbers handed in by the main
 * loop; it never reads a clock, never talks to systemd (core/notify.h does) and never
 * touches the store itself.
 *
 * Healthy means both: the main loop went round (a frame was presented, or the loop woke
 * from an idle wait) within the allowed gap, and the store's writer is not stuck (nothing
 * is queued, or its committed sequence moved within stuck_after_ms).
 */
#ifndef OASE_LIVENESS_H
#define OASE_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>

struct liveness {
    int64_t loop_ms;        /* last main-loop pass or frame presented */
    int64_t committed_seq;  /* the store's committed sequence at the last look */
    int64_t progress_ms;    /* last time the writer was idle or had moved on */
    int64_t stuck_after_ms; /* a writer without progress this long is stuck */
};

/* Starts with everything fresh at now_ms. stuck_after_ms > 0. Cannot fail. */
void liveness_init(struct liveness *liveness, int64_t now_ms, int64_t stuck_after_ms);

/* The main loop completed a pass (an idle wait ended, or a frame was presented). */
void liveness_loop_pass(struct liveness *liveness, int64_t now_ms);

/* What the store says now: store_queued_seq() and store_committed_seq(). */
void liveness_store(struct liveness *liveness, int64_t now_ms, int64_t queued_seq,
                    int64_t committed_seq);

/* True when writes are queued and the committed sequence has not moved for too long. */
bool liveness_store_stuck(const struct liveness *liveness, int64_t now_ms);

/* True when the loop went round within max_gap_ms of now_ms and the store is not stuck. */
bool liveness_ok(const struct liveness *liveness, int64_t now_ms, int64_t max_gap_ms);

#endif
