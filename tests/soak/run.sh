#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Soak: one simulated month of realistic kiosk days in a single run of the real oase binary,
# headless, on the replay's accelerated clock (tests/soak/soak_gen.c writes the script).
#
#   tests/soak/run.sh BUILD           make soak: 30 days from Monday 2026-03-02 (22 open
#                                     days, 30-80 check-ins each, the DST change of
#                                     2026-03-29 included); judges memory and the counts
#   tests/soak/run.sh BUILD --quick   make test: 3 days; judges the counts only
#
# Memory: the replay's "memory" command logs VmRSS at the start and after every open day.
# The start of the steady state is the first line a week or more after the start (every
# screen, language, cache and the database have been used by then); the run fails when the
# resident memory at the end exceeds it by more than SOAK_MARGIN_KB (default 2048).
# Why a margin at all: SQLite's page cache keeps the pages of the database file it has read,
# up to cache_size (2 MB by default), so the resident memory rises with the file by a few kB
# a day until that bound (docs/decisions.md, "Soak and valgrind").
# Counts: tests/soak/check.sh compares every folded day with what the replay did.
# Exit status 1 on a failure.
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
BUILD=${1:-build}
QUICK=0
[ "${2:-}" = --quick ] && QUICK=1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
OASE=$BUILD/oase
GEN=$BUILD/soak/soak_gen
MARGIN_KB=${SOAK_MARGIN_KB:-2048}
START=2026-03-02
if [ $QUICK = 1 ]; then DAYS=3; else DAYS=30; fi
for f in "$OASE" "$GEN"; do
    [ -x "$f" ] || { echo "soak: $f is missing: run make first"; exit 1; }
done
WORK=$(mktemp -d /tmp/oase-soak.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

"$GEN" --start $START --days $DAYS --seed 1 --replay "$WORK/soak.replay" \
    --expect "$WORK/soak.expect" 2>"$WORK/gen.out" || { cat "$WORK/gen.out"; exit 1; }
echo "soak: $(sed 's/^soak_gen: //' "$WORK/gen.out"), $(grep -c . "$WORK/soak.replay") replay lines"

began=$(date +%s.%N)
"$OASE" --headless --config tests/soak/soak.conf --db "$WORK/soak.db" \
    --replay "$WORK/soak.replay" >"$WORK/oase.out" 2>&1
status=$?
ended=$(date +%s.%N)
if [ $status != 0 ]; then
    echo "FAIL the kiosk stopped with status $status:"
    grep -v ': memory: \|staff menu\|light' "$WORK/oase.out" | tail -5
    exit 1
fi
echo "soak: $DAYS simulated days replayed in $(awk -v a="$began" -v b="$ended" 'BEGIN { printf "%.1f", b - a }') s"

# "oase: memory: 2026-03-02 17:05 rss_kb=42224 hwm_kb=.. anon_kb=.. file_kb=.. heap_kb=.."
#   -> "2026-03-02 17:05 42224 ANON HEAP"
sed -n 's/^oase: memory: \([0-9-]*\) \([0-9:]*\) rss_kb=\([0-9]*\) .*anon_kb=\([0-9]*\) .*heap_kb=\([0-9-]*\).*/\1 \2 \3 \4 \5/p' \
    "$WORK/oase.out" >"$WORK/memory"
start_s=$(date -d "$START" +%s)
steady_kb= steady_at= week=1 failed=0
row() { printf '  %-16s %6s kB  (anon %s kB, malloc in use %s kB)  %s %s\n' "$1" "$4" "$5" "$6" "$2" "$3"; }
echo "soak: resident memory (VmRSS):"
row start $(head -1 "$WORK/memory")
while read -r day time kb anon heap; do
    days=$(( ($(date -d "$day" +%s) - start_s) / 86400 ))
    if [ $days -ge $((week * 7)) ]; then
        row "after week $week" "$day" "$time" "$kb" "$anon" "$heap"
        [ -z "$steady_kb" ] && steady_kb=$kb steady_at="$day $time"
        week=$((week + 1))
    fi
done <"$WORK/memory"
row end $(tail -1 "$WORK/memory")
end_kb=$(tail -1 "$WORK/memory" | cut -d' ' -f3)
if [ $QUICK = 0 ]; then
    if [ -z "$steady_kb" ]; then
        echo "FAIL no memory line a week after the start"
        failed=1
    elif [ $((end_kb - steady_kb)) -gt "$MARGIN_KB" ]; then
        echo "FAIL memory grew $((end_kb - steady_kb)) kB from $steady_at to the end (margin $MARGIN_KB kB)"
        failed=1
    else
        echo "ok   memory flat: $((end_kb - steady_kb)) kB from $steady_at to the end (margin $MARGIN_KB kB)"
    fi
fi
tests/soak/check.sh "$WORK/soak.db" "$WORK/soak.expect" || failed=1
exit $failed
