#!/usr/bin/env bash
# The researchers' tools from the command line, on databases the real kiosk made: two sites
# (zuid, noord) get eight weeks of check-ins by replay (four baseline, four after), then
# build/oase-export and build/oase-report are run on them and checked: exit codes, the CSV
# header as docs/research.md documents it, no published count below k, JSON that parses,
# reports with the right file signature, the site name the kiosk wrote into its database,
# every kind of bad input refused with a message naming the value, oase --check-config on
# bad [research] values, and GET /research/export of the running kiosk equal to oase-export.
# Prints "N passed, N failed". Usage: tests/tools/run.sh [BUILD]   (from the repository root)
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/oase-tools.XXXXXX)
LOCKER= KIOSK=
cleanup() {
    [ -n "$KIOSK" ] && kill "$KIOSK" 2>/dev/null && wait "$KIOSK" 2>/dev/null
    [ -n "$LOCKER" ] && exec 9>&- && wait "$LOCKER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy SDL_VIDEODRIVER=dummy
EXPORT=$BUILD/oase-export REPORT=$BUILD/oase-report OASE=$BUILD/oase
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
expect_eq() { # name actual expected
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', expected '$3'"; fi
}

# A JSON checker from what is installed: python3, else jq (no extra dependency).
if command -v python3 >/dev/null; then
    json_ok() { python3 -m json.tool "$1" >/dev/null 2>&1; }
elif command -v jq >/dev/null; then
    json_ok() { jq empty "$1" >/dev/null 2>&1; }
else
    json_ok() { echo "tests/tools: neither python3 nor jq: JSON only checked for its first byte" >&2
                [ "$(head -c 1 "$1")" = "{" ]; }
fi

# replay_script SEED: eight weeks, Monday to Wednesday, eight check-ins a day; the host
# collects two and marks one a no-show; then the kiosk runs on to the Monday after.
replay_script() {
    local seed=$1 i=0 week offset day
    echo "start 2026-02-02 08:30"
    for week in 2026-02-02 2026-02-09 2026-02-16 2026-02-23 2026-03-02 2026-03-09 2026-03-16 \
        2026-03-23; do
        for offset in 0 1 2; do
            day=$(date -d "$week + $offset day" +%F)
            echo "advance-to $day 09:00"
            for _ in 1 2 3 4 5 6 7 8; do
                i=$((i + 1))
                printf 'tap checkin\ntap service:%d\ntap score:%d\ntap word:%s\ntap ok\n' \
                    $((i % 2 + 1)) $(((i * 7 + seed) % 11)) "$([ $((i % 3)) = 0 ] && echo yes || echo no)"
            done
            printf 'wait 600000\nhost 1 collected\nhost 2 collected\nhost 3 no-show\n'
        done
    done
    echo "advance-to 2026-03-30 09:00"
}

# make_site NAME SEED: a database made by the kiosk with [research] site = NAME.
make_site() {
    sed "s/^site = zuid$/site = $1/" "$HERE/tools.conf" >"$WORK/$1.conf"
    replay_script "$2" >"$WORK/$1.replay"
    "$OASE" --headless --quiet --config "$WORK/$1.conf" --db "$WORK/$1.db" \
        --replay "$WORK/$1.replay" >"$WORK/$1.out" 2>&1
}

if make_site zuid 3 && make_site noord 8; then
    ok "the kiosk makes two sites' databases by replay"
else
    bad "the kiosk makes two sites' databases by replay" "$(tail -3 "$WORK"/*.out)"
    echo "tools: $passed passed, $failed failed"; exit 1
fi
expect_eq "the kiosk writes its [research] site into the database's meta table" \
    "$(sqlite3 "$WORK/zuid.db" "select value from meta where key = 'site'")" "zuid"

# ---- oase-export ------------------------------------------------------------------------

# n values (CSV column n) below k: 0 expected. The CSV is read with the sqlite3 shell (RFC
# 4180 quoting), so commas inside quoted notes do not shift the columns.
cells_below() { # csv k
    sqlite3 :memory: ".import --csv $1 cells" \
        "select count(*) from cells where n <> '' and cast(n as integer) < $2"
}
column_of() { # csv column: distinct values, comma-joined
    sqlite3 :memory: ".import --csv $1 cells" "select group_concat(v, ',') from \
        (select distinct \"$2\" v from cells where \"$2\" <> '' order by 1)"
}

"$EXPORT" --db "$WORK/zuid.db" >"$WORK/zuid.csv" 2>"$WORK/export.err"
expect_eq "oase-export of one database exits 0" "$?" "0"
documented=$(awk '/^\| column \| meaning \|/ {on = 1; next} on && !/^\|/ {exit}
    on && /^\| `/ {split($0, cell, "|"); while (match(cell[2], /`[a-z_]+`/)) {
        printf "%s%s", sep, substr(cell[2], RSTART + 1, RLENGTH - 2); sep = ",";
        cell[2] = substr(cell[2], RSTART + RLENGTH) } }' "$ROOT/docs/research.md")
expect_eq "the CSV header is the columns docs/research.md documents, in order" \
    "$(head -1 "$WORK/zuid.csv" | tr -d '\r')" "$documented"
rows=$(sqlite3 :memory: ".import --csv $WORK/zuid.csv cells" \
    "select count(*) from cells where \"table\" = 'answers' and n <> ''")
if [ "${rows:-0}" -gt 0 ]; then ok "the export publishes answer cells ($rows)"; else
    bad "the export publishes answer cells" "none in $(wc -l <"$WORK/zuid.csv") lines"; fi
expect_eq "no published count is below k = 5" "$(cells_below "$WORK/zuid.csv" 5)" "0"
expect_eq "the site is named by the meta table the kiosk wrote" \
    "$(grep -c 'site name from the meta table' "$WORK/zuid.csv")" "1"
expect_eq "both phases are exported" "$(column_of "$WORK/zuid.csv" phase)" "after,baseline"

"$EXPORT" --db "$WORK/zuid.db" --db "$WORK/noord.db" --k 7 --format csv >"$WORK/both.csv" 2>&1
expect_eq "oase-export of two sites with --k 7 exits 0" "$?" "0"
expect_eq "two databases are merged under their own site names" \
    "$(column_of "$WORK/both.csv" site)" "noord,zuid"
expect_eq "no published count is below k = 7" "$(cells_below "$WORK/both.csv" 7)" "0"

"$EXPORT" --db "$WORK/zuid.db" --site west >"$WORK/west.csv" 2>&1
expect_eq "--site overrides the name in the database" "$(column_of "$WORK/west.csv" site)" "west"

"$EXPORT" --db "$WORK/zuid.db" --format json --out "$WORK/zuid.json" 2>"$WORK/export.err"
expect_eq "oase-export --format json --out exits 0" "$?" "0"
if json_ok "$WORK/zuid.json"; then ok "the JSON export parses"; else
    bad "the JSON export parses" "$(head -c 200 "$WORK/zuid.json")"; fi

# ---- oase-report ------------------------------------------------------------------------

signature() { head -c "$2" "$1" | od -An -c | tr -d ' \n'; }
for kind in pdf svg png; do
    "$REPORT" --db "$WORK/zuid.db" "$WORK/noord.db" --out "$WORK/report.$kind" \
        >"$WORK/report.out" 2>&1
    status=$?
    if [ "$status" = 0 ] && [ -s "$WORK/report.$kind" ]; then
        ok "oase-report --out report.$kind exits 0 and writes a file"
    else bad "oase-report --out report.$kind" "exit $status: $(tail -2 "$WORK/report.out")"; fi
done
expect_eq "the PDF report starts with %PDF-" "$(head -c 5 "$WORK/report.pdf")" "%PDF-"
expect_eq "the PNG report starts with the PNG signature" "$(signature "$WORK/report.png" 8)" \
    '211PNG\r\n032\n'
if head -c 300 "$WORK/report.svg" | grep -q '<svg'; then ok "the SVG report is an SVG document"
else bad "the SVG report is an SVG document" "$(head -c 100 "$WORK/report.svg")"; fi
"$REPORT" --db "$WORK/zuid.db" --json "$WORK/report.json" >"$WORK/report.out" 2>&1
expect_eq "oase-report --json exits 0" "$?" "0"
if [ -s "$WORK/report.json" ] && json_ok "$WORK/report.json"; then ok "the report's JSON parses"
else bad "the report's JSON parses" "$(head -c 200 "$WORK/report.json")"; fi

# ---- bad input: a non-zero exit and a message that names the value ----------------------

refused() { # name expected-text command...: non-zero exit, stderr names expected-text
    local name=$1 text=$2 status
    shift 2
    "$@" >"$WORK/refused.out" 2>"$WORK/refused.err"
    status=$?
    if [ "$status" != 0 ] && grep -qF -- "$text" "$WORK/refused.err"; then ok "$name"
    else bad "$name" "exit $status, said: $(head -c 300 "$WORK/refused.err")"; fi
}
head -c 8192 /dev/urandom >"$WORK/random.db"
sqlite3 "$WORK/other.db" "create table notes(text); insert into notes values ('hello');"
cp "$WORK/zuid.db" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "pragma user_version = 99"
for tool in "$EXPORT" "$REPORT"; do
    name=${tool##*/}
    refused "$name: a missing file is named" "$WORK/missing.db" "$tool" --db "$WORK/missing.db"
    refused "$name: a file of random bytes is named" "random.db" "$tool" --db "$WORK/random.db"
    refused "$name: a SQLite file of another program is not an Oase database" \
        "not an Oase database" "$tool" --db "$WORK/other.db"
    refused "$name: a newer schema (99) is refused" "schema version 99" "$tool" --db "$WORK/newer.db"
    refused "$name: --k 2 is refused with the accepted minimum" "--k 2" \
        "$tool" --db "$WORK/zuid.db" --k 2
    refused "$name: a date that does not exist is named" "2026-13-40" \
        "$tool" --db "$WORK/zuid.db" --from 2026-13-40
    refused "$name: --from after --to is refused" "is after --to" \
        "$tool" --db "$WORK/zuid.db" --from 2026-03-09 --to 2026-02-02
done
refused "oase-export: --format xml is refused with the accepted formats" "xml: give csv or json" \
    "$EXPORT" --db "$WORK/zuid.db" --format xml
refused "oase-report: an unknown chart type is refused" "report.doc" \
    "$REPORT" --db "$WORK/zuid.db" --out "$WORK/report.doc"

# Locks: the kiosk's database is in WAL mode, where a reader never waits for a writer, so the
# export reads while another program holds an exclusive write transaction. A database in
# rollback-journal mode locked that way keeps readers out: the export waits its busy timeout
# (5 s) and then says the file is locked.
hold_lock() { # db: BEGIN EXCLUSIVE in a background sqlite3 fed through a FIFO (fd 9)
    rm -f "$WORK/locker.out" "$WORK/locker.fifo"
    mkfifo "$WORK/locker.fifo"
    sqlite3 "$1" <"$WORK/locker.fifo" >"$WORK/locker.out" 2>&1 &
    LOCKER=$!
    exec 9>"$WORK/locker.fifo"
    printf 'BEGIN EXCLUSIVE;\nSELECT %s;\n' "'locked'" >&9
    for _ in $(seq 100); do grep -q locked "$WORK/locker.out" 2>/dev/null && return 0; sleep 0.05; done
    return 1
}
release_lock() { exec 9>&-; wait "$LOCKER" 2>/dev/null; LOCKER=; } # end of input: sqlite3 exits
cp "$WORK/zuid.db" "$WORK/busy.db"
"$EXPORT" --db "$WORK/busy.db" >"$WORK/unlocked.csv" 2>&1
if hold_lock "$WORK/busy.db"; then
    "$EXPORT" --db "$WORK/busy.db" >"$WORK/busy.csv" 2>"$WORK/busy.err"
    expect_eq "a write lock held by another program does not stop the export (WAL)" "$?" "0"
    if cmp -s "$WORK/busy.csv" "$WORK/unlocked.csv"; then ok "the export under a write lock is complete"
    else bad "the export under a write lock is complete" "differs from the unlocked export"; fi
else bad "sqlite3 holds BEGIN EXCLUSIVE" "$(cat "$WORK/locker.out")"; fi
release_lock
cp "$WORK/zuid.db" "$WORK/locked.db"
sqlite3 "$WORK/locked.db" "pragma journal_mode = delete" >/dev/null
if hold_lock "$WORK/locked.db"; then
    refused "a database locked against readers is reported as locked after the wait" \
        "locked.db" "$EXPORT" --db "$WORK/locked.db"
    grep -qi "lock\|busy" "$WORK/refused.err" && ok "the message says the database is locked" ||
        bad "the message says the database is locked" "$(cat "$WORK/refused.err")"
else bad "sqlite3 holds BEGIN EXCLUSIVE" "$(cat "$WORK/locker.out")"; fi
release_lock

# ---- oase --check-config on [research] ---------------------------------------------------

cat >"$WORK/bad-research.conf" <<'EOF'
[research]
token_hash = the-token-itself
k = 2
site = zuid/noord
colour = blue
EOF
"$OASE" --check-config "$WORK/bad-research.conf" >"$WORK/check.out" 2>&1
expect_eq "oase --check-config exits non-zero for bad [research] values" "$?" "1"
for expected in "bad-research.conf:2: research.token_hash = the-token-itself" \
    "bad-research.conf:3: research.k = 2: accepted: 3..1000" \
    "bad-research.conf:4: research.site = zuid/noord: accepted:" \
    "bad-research.conf:5:"; do
    if grep -qF -- "$expected" "$WORK/check.out"; then ok "check-config says: $expected"
    else bad "check-config says: $expected" "$(cat "$WORK/check.out")"; fi
done

# ---- GET /research/export of the running kiosk = oase-export ----------------------------

if ! command -v curl >/dev/null; then
    echo "skip the HTTP download: no curl"
else
    "$BUILD/oase-passphrase" --new-token >"$WORK/token.txt" 2>/dev/null
    TOKEN=$(sed -n 's/^token = //p' "$WORK/token.txt")
    HOST_HASH=$(printf 'rustig blauw water\n' | "$BUILD/oase-passphrase" --iterations 10000 |
        sed -n 's/^passphrase_hash = //p')
    for attempt in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 20000))
        { cat "$HERE/tools.conf"; grep "^token_hash = " "$WORK/token.txt"
          printf '\n[web]\nport = %s\nbind_address = 127.0.0.1\npassphrase_hash = %s\n' \
              "$PORT" "$HOST_HASH"; } >"$WORK/http.conf"
        (cd "$ROOT" && exec "$OASE" --headless --config "$WORK/http.conf" --db "$WORK/zuid.db") \
            >"$WORK/kiosk.out" 2>&1 &
        KIOSK=$!
        for _ in $(seq 100); do
            grep -q "host page: http\|host page not started\|without the host page" \
                "$WORK/kiosk.out" && break
            sleep 0.1
        done
        grep -q "host page: http://127.0.0.1:$PORT/" "$WORK/kiosk.out" && break
        kill "$KIOSK" 2>/dev/null; wait "$KIOSK" 2>/dev/null; KIOSK=
    done
    if [ -z "$KIOSK" ]; then
        bad "the kiosk serves its host page for the download" "$(tail -3 "$WORK/kiosk.out")"
    else
        URL="http://127.0.0.1:$PORT/research/export"
        get() { # file query [curl args]: prints the HTTP status
            local file=$1 query=$2; shift 2
            curl -s -o "$file" -w '%{http_code}' -D "$file.head" "$@" "$URL$query"
        }
        expect_eq "without the token the download answers 401" "$(get "$WORK/h0" '?format=csv')" 401
        for format in csv json; do
            status=$(get "$WORK/http.$format" "?format=$format" -H "Authorization: Bearer $TOKEN")
            "$EXPORT" --db "$WORK/zuid.db" --k 5 --site zuid --format "$format" \
                >"$WORK/cli.$format" 2>/dev/null
            expect_eq "GET /research/export?format=$format with the token answers 200" "$status" 200
            if cmp -s "$WORK/http.$format" "$WORK/cli.$format"; then
                ok "the $format download equals oase-export --k 5 --site zuid --format $format"
            else bad "the $format download equals oase-export" \
                "$(diff "$WORK/http.$format" "$WORK/cli.$format" | head -5)"; fi
        done
        if grep -qi '^Content-Disposition: attachment; filename="oase-zuid-' "$WORK/http.csv.head"
        then ok "the download is an attachment named for its site"
        else bad "the download is an attachment named for its site" "$(cat "$WORK/http.csv.head")"; fi
        status=$(get "$WORK/h1" '?format=csv&from=2026-02-30' -H "Authorization: Bearer $TOKEN")
        if [ "$status" = 400 ] && grep -q "2026-02-30" "$WORK/h1"; then
            ok "a date that does not exist answers 400 naming it"
        else bad "a date that does not exist answers 400 naming it" "$status $(cat "$WORK/h1")"; fi
        kill "$KIOSK"; wait "$KIOSK" 2>/dev/null; KIOSK=
    fi
fi

echo "tools: $passed passed, $failed failed"
[ "$failed" = 0 ]
