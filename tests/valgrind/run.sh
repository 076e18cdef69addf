#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make valgrind: the real kiosk, headless, replays 1,000 visitor journeys (tests/soak/soak_gen.c:
# check-ins with every service, stress answers and skips, back taps, departures, abandoned
# journeys, language switches through all six languages, host collected/no-show/undo marks,
# the staff menu once a day, closing-time and midnight folds) under valgrind's memcheck.
# Fails on any invalid read or write, use of uninitialised memory, bad free, or a definitely
# or indirectly lost block. Suppressions: tests/valgrind/oase.supp (third-party only, each
# entry says why). Afterwards the database is checked like a soak run (tests/soak/check.sh).
#
#   tests/valgrind/run.sh BUILD [JOURNEYS]     JOURNEYS defaults to 1000
#
# The full valgrind log stays in BUILD/valgrind/oase.log. Exit status 1 on a failure.
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
BUILD=${1:-build}
JOURNEYS=${2:-1000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
OASE=$BUILD/oase
GEN=$BUILD/soak/soak_gen
command -v valgrind >/dev/null || { echo "valgrind: not installed (make valgrind installs it)"; exit 1; }
for f in "$OASE" "$GEN"; do
    [ -x "$f" ] || { echo "valgrind: $f is missing: run make first"; exit 1; }
done
OUT=$BUILD/valgrind
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/oase-valgrind.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

"$GEN" --start 2026-03-02 --days 60 --journeys "$JOURNEYS" --seed 2 --replay "$WORK/v.replay" \
    --expect "$WORK/v.expect" 2>"$WORK/gen.out" || { cat "$WORK/gen.out"; exit 1; }
echo "valgrind: $(sed 's/^soak_gen: //' "$WORK/gen.out"), $(grep -c . "$WORK/v.replay") replay lines"

began=$(date +%s)
valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect,possible --error-exitcode=1 --num-callers=30 \
    --suppressions=tests/valgrind/oase.supp --log-file="$OUT/oase.log" \
    "$OASE" --headless --quiet --config tests/soak/soak.conf --db "$WORK/v.db" \
    --replay "$WORK/v.replay" >"$WORK/oase.out" 2>&1
status=$?
ended=$(date +%s)
echo "valgrind: $((ended - began)) s under memcheck; exit status $status"
sed -n 's/^==[0-9]*== *//p' "$OUT/oase.log" |
    sed -n '/^LEAK SUMMARY/,/suppressed:/p;/^ERROR SUMMARY/p' | sed 's/^/  /'
failed=0
if [ $status != 0 ]; then
    failed=1
    echo "FAIL memcheck found errors or the replay failed (log: $OUT/oase.log):"
    grep -v 'staff menu\|light' "$WORK/oase.out" | tail -3
    sed -n 's/^==[0-9]*== *//p' "$OUT/oase.log" | grep -m 20 -A 6 \
        'Invalid\|uninitialised\|definitely lost in\|indirectly lost in\|free()'
else
    echo "ok   no invalid access, no definite or indirect leak"
fi
tests/soak/check.sh "$WORK/v.db" "$WORK/v.expect" || failed=1
exit $failed
