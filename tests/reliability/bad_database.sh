#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# A corrupt or foreign database at start: the real kiosk moves the file aside (with its
# -wal and -shm) as <db>.<reason>-<YYYYMMDDTHHMMSS>, logs the fault once, starts a fresh
# database and keeps taking check-ins. One case per kind of damage.
#
# usage: tests/reliability/bad_database.sh [OASE]
set -u
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
CONF="$HERE/../e2e/kiosk.conf"
WORK=$(mktemp -d /tmp/oase-baddb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

kiosk() { # DB REPLAY LOG
    "$OASE" --headless --config "$CONF" --db "$1" --replay "$2" >"$3" 2>&1
}

# A sound Oase database with a few check-ins (and enough pages to damage one).
cat >"$WORK/three.replay" <<'EOF'
start 2026-03-02 09:00
tap checkin
tap service:1
tap score:3
tap word:no
tap ok
tap checkin
tap service:2
tap score:8
tap word:yes
tap ok
tap checkin
tap service:3
tap skip
tap word:no
EOF
make_oase_db() { kiosk "$1" "$WORK/three.replay" "$WORK/make.log" || { cat "$WORK/make.log"; exit 1; }; }

# case NAME REASON: $WORK/NAME/oase.db was prepared; the kiosk must recover and count.
check_case() {
    local name=$1 reason=$2 dir="$WORK/$1"
    local log="$dir/kiosk.log" before
    before=$(cksum <"$dir/oase.db")
    if ! kiosk "$dir/oase.db" "$HERE/../e2e/full_checkin.replay" "$log"; then
        bad "$name" "the kiosk failed: $(tail -3 "$log")"; return
    fi
    local aside
    aside=$(find "$dir" -maxdepth 1 -name "oase.db.$reason-[0-9]*T[0-9]*" ! -name '*-wal' ! -name '*-shm' | head -1)
    if [ -z "$aside" ]; then bad "$name" "no oase.db.$reason-* beside the database: $(ls "$dir")"; return; fi
    case $reason in
    damaged) # never opened (its -wal may be needed): byte for byte what was there
        if [ "$(cksum <"$aside")" != "$before" ]; then
            bad "$name" "the file moved aside is not the file that was there"; return
        fi ;;
    newer|corrupt) # its arrivals (names) removed, its counts kept; or, where SQLite cannot
        # read it, it is removed after its day (the fault says so)
        if [ "$(sqlite3 "$aside" "select count(*) from arrivals" 2>/dev/null)" != 0 ] &&
           ! grep -q "removed after its day" "$log"; then
            bad "$name" "the file moved aside still holds arrivals"; return
        fi ;;
    esac
    local faults
    faults=$(grep -c "was unusable" "$log")
    [ "$faults" = 1 ] || { bad "$name" "the fault was logged $faults times"; return; }
    local counted
    # One visitor: the arrival is written, the lone answer is withheld (fewer than k).
    counted=$(sqlite3 "$dir/oase.db" "select count(*)||':'||(select coalesce(sum(n), 0) from response_counts where question='stress' and moment='arrival') from arrivals")
    if [ "$counted" = "1:1" ] && [ "$(sqlite3 "$dir/oase.db" 'pragma integrity_check')" = ok ]; then
        ok "$name: moved aside as $(basename "$aside"), the fresh database takes the check-in"
    else
        bad "$name" "the fresh database has arrivals:answers $counted"
    fi
}

mkdir -p "$WORK"/{random,truncated,torn,foreign,newer,integrity,wal}
head -c 20000 /dev/urandom >"$WORK/random/oase.db"
check_case random damaged

make_oase_db "$WORK/truncated/oase.db"
size=$(stat -c %s "$WORK/truncated/oase.db")
truncate -s $((size / 2 + 100)) "$WORK/truncated/oase.db"
check_case truncated corrupt

make_oase_db "$WORK/torn/oase.db"
printf 'torn header bytes here' | dd of="$WORK/torn/oase.db" bs=1 seek=10 conv=notrunc status=none
check_case torn damaged

sqlite3 "$WORK/foreign/oase.db" "create table notes(text); insert into notes values ('groceries');"
check_case foreign foreign

make_oase_db "$WORK/newer/oase.db"
sqlite3 "$WORK/newer/oase.db" "pragma user_version = 99"
check_case newer newer

make_oase_db "$WORK/integrity/oase.db"
pages=$(( $(stat -c %s "$WORK/integrity/oase.db") / 4096 ))
head -c 4096 /dev/zero | tr '\0' 'Z' |
    dd of="$WORK/integrity/oase.db" bs=4096 seek=$((pages - 1)) conv=notrunc status=none
check_case integrity corrupt

# A damaged file with the -wal and -shm a power cut left: all three go aside together.
make_oase_db "$WORK/wal/oase.db"
head -c 100 /dev/urandom | dd of="$WORK/wal/oase.db" bs=1 conv=notrunc status=none
echo "log frames" >"$WORK/wal/oase.db-wal"
echo "shared memory" >"$WORK/wal/oase.db-shm"
check_case wal damaged
if ls "$WORK/wal"/oase.db.damaged-*-wal >/dev/null 2>&1 && ls "$WORK/wal"/oase.db.damaged-*-shm >/dev/null 2>&1; then
    ok "the -wal and -shm went aside with the damaged file"
else
    bad "companions" "$(ls "$WORK/wal")"
fi

echo "bad database: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
