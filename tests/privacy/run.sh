#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The privacy attacks on files the real kiosk wrote (make test runs this):
#   0. the reader's own test: it must catch a 'left' written with a departure answer;
#   1. a day of check-ins, departures (some naming themselves: 'left') and host marks;
#      while the kiosk still runs, a copy
#      of the database and its -wal goes to the forensic reader (wal_linker.py), which
#      rebuilds every commit and must link no arrival to an answer;
#   2. the next morning's fold: afterwards no file of the database (main, -wal, -shm)
#      may hold a friendly name of the day before.
# usage: tests/privacy/run.sh [OASE]   (KEEP=1 keeps the work folder)
set -u
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
CONF="$HERE/../e2e/kiosk.conf"
K=5 # [research] k of kiosk.conf (the default)
WORK=$(mktemp -d /tmp/oase-privacy.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

if /usr/bin/python3 "$HERE/linker_selftest.py" "$HERE/wal_linker.py" $K >"$WORK/selftest.out" 2>&1; then
    ok "the WAL reader catches a 'left' written with its departure answer, and only that"
else
    bad "the WAL reader's own test: $(grep FAIL "$WORK/selftest.out" | head -2 | tr '\n' ' ')"
fi

# The name words in the order the kiosk deals them (firmware/i18n/nature_words.h).
WORDS=(butterfly heron fern shell willow robin pebble moss dune brook swallow clover birch tulip
    hedgehog reed starling lily swan maple pine wave star dolphin cherry)

# A random day each run (the seed is printed, so a failure can be replayed: SEED=N).
SEED=${SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED
echo "privacy attacks: seed $SEED"
DB="$WORK/oase.db" VISITORS=$(( 18 + RANDOM % 15 ))
{
    echo "start 2026-03-02 09:00"
    for v in $(seq 1 $VISITORS); do
        answer=$(( RANDOM % 12 )) # 0..10, and 11: a skip
        [ $answer = 11 ] && score=skip || score=score:$answer
        printf 'tap checkin\ntap service:%d\ntap %s\ntap word:%s\nexpect-screen checked-in\n' \
            $((1 + v % 4)) "$score" "$([ $((v % 5)) = 0 ] && echo yes || echo no)"
        echo "wait 25000"
        # A departure tap now and then, most with the name (the first two visitors always:
        # the attack on 'left' is never vacuous).
        if [ $v -le 2 ] || [ $((RANDOM % 3)) = 0 ]; then
            echo "tap leave"
            if [ $v -le 2 ] || [ $((RANDOM % 4)) != 0 ]; then
                echo "tap nature:${WORDS[$(((v - 1) % 25))]}"
                for ((i = 0; i < ${#v}; i++)); do echo "tap digit:${v:i:1}"; done
                echo "tap ok"
            else
                echo "tap skip"
            fi
            printf 'tap score:%d\nexpect-screen goodbye\nwait 8000\n' $((RANDOM % 11))
        fi
        [ $v -gt 2 ] && [ $((RANDOM % 4)) != 0 ] && echo "host $((v - 2)) collected"
        echo "wait $((120000 + RANDOM % 400000))"
    done
    echo "real-wait 8000" # the forensic copy is taken now, while the kiosk runs
} >"$WORK/day.replay"

"$OASE" --headless --quiet --config "$CONF" --db "$DB" --replay "$WORK/day.replay" \
    --ack-log "$WORK/ack.log" >"$WORK/day.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    [ "$(grep -c ' checkin ' "$WORK/ack.log" 2>/dev/null)" = $VISITORS ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
sleep 1 # the last batch's commit
mkdir -p "$WORK/copy"
cp "$DB" "$DB-wal" "$WORK/copy/" 2>/dev/null
wait $pid || bad "the day's replay failed: $(tail -3 "$WORK/day.log")"

if [ -f "$WORK/copy/oase.db-wal" ]; then
    if /usr/bin/python3 "$HERE/wal_linker.py" "$WORK/copy/oase.db" $K >"$WORK/linker.out" 2>&1; then
        ok "the WAL reader links no arrival to an answer ($(tail -1 "$WORK/linker.out"))"
    else
        bad "the WAL reader links arrivals to answers: $(head -3 "$WORK/linker.out" | tr '\n' ' ')... $(tail -1 "$WORK/linker.out")"
    fi
    if grep -q "[1-9][0-9]* marked left" "$WORK/linker.out"; then
        ok "the copy holds visitors marked left to attack ($(grep -o "[0-9]* marked left" "$WORK/linker.out"))"
    else
        bad "the copy holds no visitor marked left: $(tail -1 "$WORK/linker.out")"
    fi
    if grep -q "[1-9][0-9]* commits with answers" "$WORK/linker.out"; then
        ok "the copy holds written answers to attack (not a vacuous pass)"
    else
        bad "the copy holds no written answer: $(tail -1 "$WORK/linker.out")"
    fi
else
    bad "no -wal to read while the kiosk ran"
fi

names=$(sqlite3 "$WORK/copy/oase.db" "select friendly_name from arrivals" 2>/dev/null)
[ "$(wc -l <<<"$names")" -ge 10 ] && ok "the copy names the day's visitors ($(wc -l <<<"$names") names)" ||
    bad "the copy names only $(wc -l <<<"$names") visitors"

# The next morning: the kiosk starts, folds the day, and runs on.
printf 'start 2026-03-03 08:00\nwait 5000\nreal-wait 5000\n' >"$WORK/morning.replay"
"$OASE" --headless --quiet --config "$CONF" --db "$DB" --replay "$WORK/morning.replay" \
    >"$WORK/morning.log" 2>&1 &
pid=$!
sleep 3.5 # within the real-wait: the fold is done, the kiosk still runs
mkdir -p "$WORK/after"
cp "$DB" "$WORK/after/" && cp "$DB-wal" "$DB-shm" "$WORK/after/" 2>/dev/null
wait $pid || bad "the morning's replay failed: $(tail -3 "$WORK/morning.log")"
left=""
while IFS= read -r name; do
    [ -n "$name" ] || continue
    for file in "$WORK"/after/*; do
        grep -aqF "$name" "$file" && left="$left $name in $(basename "$file");"
    done
done <<<"$names"
[ -z "$left" ] && ok "after the fold no file of the database holds a name of the day before" ||
    bad "after the fold names stay:$left"
[ "$(sqlite3 "$DB" "select count(*) from arrivals")" = 0 ] && ok "the fold left no arrival row" ||
    bad "arrival rows left after the fold"

echo "privacy attacks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
