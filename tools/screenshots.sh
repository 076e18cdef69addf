#!/usr/bin/env bash
# Writes a PNG of every kiosk screen in every language, landscape and portrait, normal and
# large text, into DIR (default docs/screenshots), by replaying tests/e2e/all_screens.replay
# and all_screens_large.replay headless. Texts that do not fit their box are reported.
# Usage: tools/screenshots.sh [DIR] [OASE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-docs/screenshots}
OASE=${2:-build/oase}
WORK=$(mktemp -d /tmp/oase-shots.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$DIR"
for orientation in landscape portrait; do
    printf '[kiosk]\norientation = %s\ndeparture_tap = on\n' "$orientation" >"$WORK/$orientation.conf"
    for lang in nl en ar tr pl uk; do
        for replay in all_screens all_screens_large; do
            sed "s/LANG/$lang/" tests/e2e/$replay.replay >"$WORK/$lang.replay"
            TZ=Europe/Amsterdam "$OASE" --headless --quiet --config "$WORK/$orientation.conf" \
                --db "$WORK/$orientation.db" --replay "$WORK/$lang.replay" --screenshots "$DIR" \
                2>&1 | grep "does not fit" | sed "s/^/$orientation $lang $replay: /" || true
        done
    done
done
echo "screenshots in $DIR: $(ls "$DIR" | wc -l) files"
