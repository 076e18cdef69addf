#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
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
    # The closed screen needs opening hours and a phone number (tests/e2e/hours.conf).
    { sed -n '/^\[hours\]/,$p' tests/e2e/hours.conf; cat "$WORK/$orientation.conf"; } \
        >"$WORK/$orientation-hours.conf"
    for lang in nl en ar tr pl uk; do
        for replay in all_screens all_screens_large closed closed_large; do
            conf=$orientation
            case $replay in
            closed) sed "s/LANG/$lang/; /^LARGE$/d" tests/e2e/closed_screen.replay ;;
            closed_large) sed "s/LANG/$lang/; s/^LARGE$/tap large-text/" tests/e2e/closed_screen.replay ;;
            *) sed "s/LANG/$lang/" tests/e2e/$replay.replay ;;
            esac >"$WORK/$lang.replay"
            case $replay in closed*) conf=$orientation-hours ;; esac
            TZ=Europe/Amsterdam "$OASE" --headless --quiet --config "$WORK/$conf.conf" \
                --db "$WORK/$conf.db" --replay "$WORK/$lang.replay" --screenshots "$DIR" \
                2>&1 | grep -e "does not fit" -e "expect" | sed "s/^/$orientation $lang $replay: /" || true
        done
    done
done
echo "screenshots in $DIR: $(ls "$DIR" | wc -l) files"
