#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Prints the type scale large text settles on (layout_build: the largest <= 1.3 at which
# the screen fits) for every screen of tests/e2e/all_screens_large.replay, in every
# language and both orientations: one "ORIENTATION LANG SCREEN SCALE" line each.
# Usage: tools/large_text_scales.sh [OASE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
OASE=${1:-build/oase}
WORK=$(mktemp -d /tmp/oase-scales.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for orientation in landscape portrait; do
    printf '[kiosk]\norientation = %s\ndeparture_tap = on\n' "$orientation" >"$WORK/$orientation.conf"
    for lang in nl en ar tr pl uk; do
        sed "s/LANG/$lang/" tests/e2e/all_screens_large.replay >"$WORK/$lang.replay"
        TZ=Europe/Amsterdam "$OASE" --headless --config "$WORK/$orientation.conf" \
            --db "$WORK/$orientation-$lang.db" --replay "$WORK/$lang.replay" 2>&1 |
            sed -n "s/.*layout: \([a-z-]*\) in large text at \([0-9.]*\).*/$orientation $lang \1 \2/p" |
            sort -u
    done
done
