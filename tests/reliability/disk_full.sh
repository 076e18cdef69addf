#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Disk full: the real kiosk runs its journeys on a small tmpfs that fills up. The visitor
# flow keeps going (every checked-in screen shows its name; those whose write waits in
# memory are acknowledged as "held"), and once space returns every held check-in is
# written: none lost, none double, the file sound. Needs root and mount (a CI container
# without them skips with a message; the unit tests in test_store_durable.c cover the same
# behaviour through SQLite's page limit).
#
# usage: tests/reliability/disk_full.sh [OASE]
set -u
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
CONF="$HERE/../e2e/kiosk.conf"
WORK=$(mktemp -d /tmp/oase-diskfull.XXXXXX)
MNT="$WORK/mnt"
cleanup() {
    mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
mkdir -p "$MNT"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=2m,mode=0700 oase-diskfull "$MNT" 2>/dev/null; then
    echo "disk full: skipped (needs root and mount -t tmpfs; the unit tests cover it)"
    exit 0
fi
DB="$MNT/oase.db" ACK="$WORK/ack.log" LOG="$WORK/kiosk.log"
JOURNEYS=60
{
    echo "start 2026-03-02 09:00"
    for j in $(seq 1 $JOURNEYS); do
        printf 'tap checkin\ntap service:%d\ntap score:%d\ntap word:no\n' $((1 + j % 4)) $((j % 11))
        printf 'expect-screen checked-in\ntap ok\n'
    done
} >"$WORK/run.replay"

# Leave about 256 KiB: the database opens (its -shm takes 32 KiB; creating schema 4 writes
# about 150 KiB of WAL), then the log fills up.
head -c $((256 * 1024)) /dev/zero >"$MNT/reserve"
dd if=/dev/zero of="$MNT/filler" bs=4k status=none 2>/dev/null
rm -f "$MNT/reserve"

"$OASE" --headless --config "$CONF" --db "$DB" --replay "$WORK/run.replay" --ack-log "$ACK" \
    >"$LOG" 2>&1 &
pid=$!
# Space returns once the kiosk has acknowledged a check-in it could not write.
for _ in $(seq 1 400); do
    grep -q " held$" "$ACK" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
held_before=$(grep -c " held$" "$ACK" 2>/dev/null || true)
rm -f "$MNT/filler"
wait "$pid"
status=$?

failed=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failed=$((failed + 1)); fi; }
check "the kiosk ran every journey on a full disk and exited cleanly (exit $status)" '[ "$status" = 0 ]'
check "check-ins were held in memory while the disk was full ($held_before acknowledged as held)" \
    '[ "${held_before:-0}" -gt 0 ]'
check "the log says the writes wait in memory" 'grep -q "wait in memory" "$LOG"'
check "the log says when the disk takes writes again" 'grep -q "takes writes again" "$LOG"'
acked=$(grep -c " checkin [0-9]* " "$ACK")
counted=$(sqlite3 "$DB" "select sum(n) from journey_counts where moment='arrival' and outcome='completed'")
rows=$(sqlite3 "$DB" "select count(*) from arrivals")
check "every acknowledged check-in is on disk once space returned ($acked acknowledged, $counted counted, $rows arrivals)" \
    '[ "$acked" = $JOURNEYS ] && [ "$counted" = $JOURNEYS ] && [ "$rows" = $JOURNEYS ]'
check "the database is sound" '[ "$(sqlite3 "$DB" "pragma integrity_check")" = ok ]'
echo "disk full: $((6 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
