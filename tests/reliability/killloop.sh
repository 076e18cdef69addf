#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Power cuts: runs the real kiosk on replayed journeys (check-ins with stress answers,
# departures, host "collected" marks, the closing-time fold), SIGKILLs it at a random moment,
# and checks the database before the next start:
#   - PRAGMA integrity_check says ok, and no file was moved aside;
#   - nothing acknowledged is lost: every check-in and host mark the kiosk acknowledged
#     (--ack-log: the checked-in screen showed the name, the replayed host mark was flushed)
#     is counted, and on this sound disk each was committed before it was shown (a replay
#     lets the store catch up before each frame);
#   - nothing is double: the counted records exceed the acknowledged ones by at most the one
#     record in flight at each kill (committed, killed before the screen showed it), per kind;
#   - answers are written in batches of k apart from the check-ins: every check-in's answer
#     is written or withheld, except at most k - 1 pending in memory at each kill; and the
#     folds count every arrival exactly once (arrival_counts + today's arrivals = check-ins).
# Each run is a new simulated day (16:40, closing time 17:00), so runs start with a fold of
# the day before and end with a closing fold: kills land in start-up, commits and folds.
#
# usage: tests/reliability/killloop.sh [KILLS] [OASE] [SEED]   (defaults: 20 build/oase random)
set -u
KILLS=${1:-20}
OASE=${2:-build/oase}
SEED=${3:-$(( $(date +%s) % 32768 ))}
HERE=$(cd "$(dirname "$0")" && pwd)
CONF="$HERE/../e2e/kiosk.conf"
WORK=$(mktemp -d /tmp/oase-killloop.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
DB="$WORK/oase.db" ACK="$WORK/ack.log" ERR="$WORK/stderr.log"
RANDOM=$SEED
command -v sqlite3 >/dev/null || { echo "killloop: needs the sqlite3 shell (make deps)"; exit 1; }
[ -x "$OASE" ] || { echo "killloop: $OASE is missing: run make first"; exit 1; }

# make_replay FILE DAY_INDEX: about 8 journeys on day 2026-03-02 + DAY_INDEX, then closing.
make_replay() {
    local day
    day=$(date -d "2026-03-02 +$2 days" +%F)
    {
        echo "start $day 16:40"
        local journeys=$(( 6 + RANDOM % 5 ))
        for j in $(seq 1 "$journeys"); do
            echo "tap checkin"
            echo "tap service:$(( 1 + RANDOM % 4 ))"
            if (( RANDOM % 6 == 0 )); then echo "tap skip"; else echo "tap score:$(( RANDOM % 11 ))"; fi
            if (( RANDOM % 2 )); then echo "tap word:yes"; else echo "tap word:no"; fi
            echo "expect-screen checked-in"
            echo "tap ok"
            if (( j % 3 == 0 )); then
                echo "host $(( j - 1 )) collected"
                echo "tap leave"
                echo "tap skip"
                echo "tap score:$(( RANDOM % 11 ))"
                echo "expect-screen goodbye"
                echo "wait 7000"
            fi
        done
        echo "wait 1800000" # past closing time: the day's arrivals are folded
        echo "expect-screen welcome"
    } >"$1"
    RUN_ACKS=$(grep -c "^tap ok\|^host \|^tap leave" "$1") # acknowledgements a whole run makes
}

q() { sqlite3 -batch "$DB" "$1" 2>&1; }
num() { local v; v=$(q "$1"); echo "${v:-0}"; }
count_acks() { # KIND [STATE]: acknowledged records of a kind (host: collected marks)
    local what="$1 [0-9]+"
    [ "$1" = host ] && what="host [0-9]+ collected"
    grep -Ec -- " $what ${2:-[a-z]+}\$" "$ACK" 2>/dev/null || true
}

now_ms() { date +%s%3N; }

# One calibration run without a kill: how long a whole run takes here.
make_replay "$WORK/run.replay" 0
t0=$(now_ms)
if ! "$OASE" --headless --quiet --config "$CONF" --db "$DB" --replay "$WORK/run.replay" \
    --ack-log "$ACK" 2>"$ERR"; then
    echo "killloop: the calibration run failed:"; tail -5 "$ERR"; exit 1
fi
RUN_MS=$(( $(now_ms) - t0 ))
echo "killloop: $KILLS kills, seed $SEED, a whole run takes ${RUN_MS} ms"

failures=0 kills=0 finished=0 i=0 early=0 middle=0 late=0
declare -A excess=([checkin]=0 [host]=0)
BATCH_K=5 # [research] k of tests/e2e/kiosk.conf (the default)
fail() { failures=$((failures + 1)); echo "FAIL run $1: $2"; }
start=$(now_ms)
while (( kills < KILLS && i < 3 * KILLS )); do
    i=$((i + 1))
    make_replay "$WORK/run.replay" "$i"
    # Kill somewhere in 0 .. 110 % of a whole run: start-up, journeys, the folds, or after.
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % (RUN_MS * 11 / 10 + 1) ))
    acks_before=$(wc -l <"$ACK")
    "$OASE" --headless --quiet --config "$CONF" --db "$DB" --replay "$WORK/run.replay" \
        --ack-log "$ACK" 2>>"$ERR" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$pid" 2>/dev/null
        acked=$(( $(wc -l <"$ACK") - acks_before ))
        if (( acked == 0 )); then early=$((early + 1))      # start-up, fold of the day before
        elif (( acked < RUN_ACKS )); then middle=$((middle + 1)) # journeys and their commits
        else late=$((late + 1)); fi                          # closing fold, shutdown
    else
        finished=$((finished + 1))
        wait "$pid" || fail "$i" "a run that was not killed failed (exit $?): $(tail -3 "$ERR")"
        RUN_MS=$(( RUN_MS * 9 / 10 + 1 )) # runs got faster: aim the kills within them
    fi

    verdict=$(q "PRAGMA integrity_check")
    [ "$verdict" = ok ] || fail "$i" "integrity_check after a kill at ${delay_ms} ms: $verdict"
    aside=$(find "$WORK" -maxdepth 1 -name 'oase.db.*-*' | head -1)
    [ -z "$aside" ] || { fail "$i" "the database was moved aside: $aside"; break; }

    checkins=$(num "SELECT sum(n) FROM journey_counts WHERE moment='arrival' AND outcome='completed'")
    # Answers leave the pool in batches of k; a clean exit counts the rest as withheld; a
    # kill loses at most k - 1 pending of each kind (docs/privacy.md).
    accounted=$(num "SELECT sum(n) FROM response_counts WHERE moment='arrival' AND question='stress'")
    answers=$(num "SELECT sum(n) FROM answer_counts WHERE moment='arrival' AND question='stress'")
    written=$(num "SELECT sum(n) FROM response_counts WHERE moment='arrival' AND question='stress' AND response IN ('answered', 'skipped')")
    departures=$(num "SELECT sum(n) FROM response_counts WHERE moment='departure' AND question='stress' AND response IN ('answered', 'skipped')")
    dep_answers=$(num "SELECT sum(n) FROM answer_counts WHERE moment='departure'")
    folded=$(num "SELECT (SELECT coalesce(sum(n), 0) FROM arrival_counts) + (SELECT count(*) FROM arrivals)")
    collected=$(num "SELECT (SELECT coalesce(sum(n), 0) FROM wait_counts WHERE outcome='collected') + (SELECT count(*) FROM arrivals WHERE status='collected')")
    lost=$(( checkins - accounted ))
    (( lost >= 0 && lost <= (BATCH_K - 1) * kills )) ||
        fail "$i" "$checkins check-ins, $accounted answers written or withheld: $lost lost, more than $((BATCH_K - 1)) a kill ($kills kills)"
    [ "$answers" = "$written" ] || fail "$i" "$written answered or skipped but $answers answer cells"
    [ "$dep_answers" = "$departures" ] || fail "$i" "$departures departures but $dep_answers answers"
    [ "$folded" = "$checkins" ] || fail "$i" "$checkins check-ins but $folded arrivals folded or waiting"

    for kind in checkin host; do # a departure answer is pooled: never acknowledged as written
        case $kind in checkin) counted=$checkins ;; host) counted=$collected ;; esac
        committed=$(count_acks "$kind" committed)
        all=$(count_acks "$kind")
        if (( counted < all )); then
            fail "$i" "$kind: $all acknowledged ($committed of them committed when shown), only $counted counted (lost)"
        fi
        if (( committed < all )); then
            fail "$i" "$kind: $((all - committed)) acknowledged before their commit on a sound disk"
        fi
        new_excess=$(( counted - all ))
        if (( new_excess < ${excess[$kind]} || new_excess > ${excess[$kind]} + 1 )); then
            fail "$i" "$kind: $counted counted, $all acknowledged; $new_excess unacknowledged, was ${excess[$kind]} before this kill (at most 1 may be in flight)"
        fi
        excess[$kind]=$new_excess
    done
done
elapsed=$(( $(now_ms) - start ))
not_committed=$(grep -vc " committed$" "$ACK" 2>/dev/null || true)
echo "killloop: $kills kills in $i runs ($finished ended before their kill), $failures failures, $((elapsed / 1000)) s;" \
     "killed before the first acknowledgement (start-up) $early, during the journeys $middle," \
     "after the last one (closing fold, exit) $late;" \
     "counted $checkins check-ins, $departures departures, $collected collected;" \
     "$(count_acks checkin) + $(count_acks host) acknowledged" \
     "($not_committed not yet committed when shown); in flight at a kill, committed but" \
     "not shown: ${excess[checkin]} + ${excess[host]}"
(( kills >= KILLS )) || fail "-" "only $kills kills in $i runs"
[ "$failures" -eq 0 ]
