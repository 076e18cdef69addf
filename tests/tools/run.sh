#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The researcher tools as a researcher runs them: oase-export and oase-report on a
# database the real kiosk wrote over three weeks of replayed days, and every kind of bad
# input refused with a non-zero exit and a message naming the value.
# Usage: tests/tools/run.sh [BUILD_DIR]
set -uo pipefail
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
WORK=$(mktemp -d /tmp/oase-tools.XXXXXX)
trap 'kill $LOCKER $HARNESS 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
LOCKER= HARNESS=
export TZ=Europe/Amsterdam SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# Three weeks of realistic days on a kiosk whose config names its site.
{ cat tests/soak/soak.conf; printf '\n[research]\nsite = zuid\n'; } >"$WORK/kiosk.conf"
chmod 600 "$WORK/kiosk.conf"
"$BUILD/soak/soak_gen" --start 2026-03-02 --days 21 --seed 7 --replay "$WORK/days.replay" \
    --expect "$WORK/days.expect" 2>/dev/null
"$BUILD/oase" --headless --quiet --config "$WORK/kiosk.conf" --db "$WORK/k.db" \
    --replay "$WORK/days.replay" >/dev/null 2>&1
check "the kiosk wrote three weeks of days" '[ -s "$WORK/k.db" ]'
check "the kiosk named its site in the database" \
    '[ "$(sqlite3 "$WORK/k.db" "SELECT value FROM meta WHERE key = '"'site'"'")" = zuid ]'

# Export: CSV and JSON, k-anonymous, named by the database's own site name.
"$BUILD/oase-export" --db "$WORK/k.db" --format csv >"$WORK/e.csv" 2>"$WORK/e.err"
check "oase-export --format csv exits 0" '[ $? -eq 0 ]'
check "the CSV header holds the documented columns" \
    'head -1 "$WORK/e.csv" | grep -q "^table,site,phase,period_kind,period,time_of_day,first_day,last_day,moment,question,"'
check "the CSV rows carry the site name from the database" 'grep -q "^answers,zuid," "$WORK/e.csv"'
"$BUILD/oase-export" --db "$WORK/k.db" --format json --k 5 >"$WORK/e.json"
check "the JSON parses" 'jq -e .tables "$WORK/e.json" >/dev/null'
check "no exported count is below k = 5" \
    '[ "$(jq "[.tables[][] | .n | numbers] | min" "$WORK/e.json")" -ge 5 ]'
check "the JSON has answer cells and the codebook" \
    '[ "$(jq "(.tables.answers | length) > 0 and (.codebook | length) > 0" "$WORK/e.json")" = true ]'
"$BUILD/oase-export" --db "$WORK/k.db" --format json --site noord >"$WORK/n.json"
check "--site overrides the database's name" '[ "$(jq -r ".tables.answers[0].site" "$WORK/n.json")" = noord ]'

# Report: PDF, SVG, PNG and JSON.
for kind in pdf svg png; do
    "$BUILD/oase-report" --db "$WORK/k.db" --out "$WORK/r.$kind" >/dev/null 2>&1
    check "oase-report --out r.$kind exits 0" '[ $? -eq 0 ]'
done
check "the PDF is a PDF" '[ "$(head -c 5 "$WORK/r.pdf")" = "%PDF-" ]'
check "the SVG is an SVG" 'head -c 200 "$WORK/r.svg" | grep -q "<svg"'
check "the PNG is a PNG" '[ "$(head -c 4 "$WORK/r.png" | tail -c 3)" = PNG ]'
"$BUILD/oase-report" --db "$WORK/k.db" --json "$WORK/r.json" >/dev/null 2>&1
check "the report's JSON parses" 'jq -e . "$WORK/r.json" >/dev/null'
check "the report's JSON has the claims table (schema 5 database, no claim in these weeks)" \
    '[ "$(jq -c ".claims" "$WORK/r.json")" = "{\"recorded\":true,\"phases\":[]}" ]'
# An empty table is left out: these weeks split no period by service (every week has hidden
# answers), so the PDF has no per-service table - not a header without rows.
pdftotext -layout "$WORK/r.pdf" "$WORK/r.txt"
check "these weeks split no response by service (the case of an empty table)" \
    '[ "$(jq "[.evaluation[].responses.by_service | length] | add" "$WORK/r.json")" = 0 ]'
check "the PDF leaves the empty per-service table out and says why" \
    '! grep -q "per service" "$WORK/r.txt" && grep -q "tables are left out" "$WORK/r.txt"'
# The evaluation: the declared primary first, every other test with a Holm p.
check "the report's JSON has the primary with its keys" \
    '[ "$(jq -c ".primary | [has(\"outcome\"), has(\"design\"), has(\"unit\"), has(\"estimate\"), has(\"ci_low\"), has(\"ci_high\"), has(\"p\"), has(\"n_units\"), (.warnings | type)]" "$WORK/r.json")" = "[true,true,true,true,true,true,true,true,\"array\"]" ]'
check "every exploratory test carries adjusted_p" \
    '[ "$(jq "[.tests[] | has(\"adjusted_p\")] | all" "$WORK/r.json")" = true ]'
check "no midpoint: a test with ranges has no single estimate" \
    '[ "$(jq "[.primary, .tests[] | select(.ranged) | .estimate == null] | all" "$WORK/r.json")" = true ]'
# Three weeks (two before the phase change, one after): the time series refuses, and says why.
check "the time series refuses fewer than 3 weeks a side, in plain words" \
    'jq -r ".primary.reason" "$WORK/r.json" | grep -q "at least 3 weeks"'
# A randomised design needs the randomised room it compares: refused with file:line.
printf '[evaluation]\nprimary = stress_arrival\ndesign = randomised\n' >"$WORK/rand.conf"
"$BUILD/oase-report" --db "$WORK/k.db" --config "$WORK/rand.conf" --json "$WORK/x.json" >"$WORK/x.out" 2>&1
check "oase-report --config refuses design = randomised without [experiment], naming file:line" \
    '[ $? -eq 2 ] && grep -q "rand.conf:3: evaluation.design = randomised needs an \[experiment\]" "$WORK/x.out"'
printf '[evaluation]\nprimary = stress_arrival\ndesign = before_after\nalpha = 0.01\n' >"$WORK/eval.conf"
"$BUILD/oase-report" --db "$WORK/k.db" --config "$WORK/eval.conf" --json "$WORK/d.json" >"$WORK/d.out" 2>&1
check "oase-report --config analyses the declared design" \
    '[ "$(jq -r ".primary.design, .alpha, .evaluation_declared" "$WORK/d.json" | tr "\n" " ")" = "before_after 0.01 true " ]'
check "the verdict says declared in advance" 'grep -q "declared in advance)" "$WORK/d.out"'
# The share of stress answers at or above the cut, declared: analysed as the primary, in percentage points.
printf '[evaluation]\nprimary = stress_arrival_high\ndesign = before_after\n' >"$WORK/share.conf"
"$BUILD/oase-report" --db "$WORK/k.db" --config "$WORK/share.conf" --json "$WORK/s.json" >"$WORK/s.out" 2>&1
check "oase-report --config analyses a declared share of high stress answers" \
    '[ "$(jq -r ".primary.outcome, .primary.design" "$WORK/s.json" | tr "\n" " ")" = "stress_arrival_high before_after " ] && grep -Eq "share of visitors with stress [0-9]+ or higher" "$WORK/s.out"'

# The researcher's token: 256 bits (43 base64url characters), kept as its plain SHA-256.
"$BUILD/oase-passphrase" --new-token >"$WORK/token256" 2>/dev/null
TOKEN256=$(sed -n '2s/^#  *//p' "$WORK/token256")
check "oase-passphrase --new-token prints a 43-character token and its sha256\$ hash" \
    '[ ${#TOKEN256} = 43 ] && grep -Eq "^token_hash = sha256[$][0-9a-f]{64}\$" "$WORK/token256"'
check "oase-passphrase --token-hash gives the same line for that token" \
    '[ "$(printf "%s\n" "$TOKEN256" | "$BUILD/oase-passphrase" --token-hash)" = "$(grep "^token_hash" "$WORK/token256")" ]'
check "oase-passphrase --token-hash refuses a shorter token (fewer than 256 bits)" \
    '! printf "%s\n" "${TOKEN256%?}" | "$BUILD/oase-passphrase" --token-hash >/dev/null 2>&1'

# The same export over HTTP (GET /research/export): the kiosk's modules without a screen
# (tests/web/web_harness.c) serve this database with a researcher token; the download must be
# byte for byte what the oase-export binary writes. Needs curl (skipped without it).
http_checks() {
    local pkgs="sdl2 SDL2_ttf sqlite3 inih fribidi cairo libgpiod libmicrohttpd gnutls"
    # shellcheck disable=SC2046
    ${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -Ifirmware -Itests $(pkg-config --cflags $pkgs) \
        tests/web/web_harness.c "$BUILD/libfirmware.a" $(pkg-config --libs $pkgs) -lm -lpthread \
        -o "$WORK/web_harness" || { bad "the web harness builds"; return; }
    "$BUILD/oase-passphrase" --new-token --iterations 10000 >"$WORK/token" 2>/dev/null
    local token port attempt query format
    token=$(sed -n '2s/^#  *//p' "$WORK/token") # the line under "# the researcher's token"
    { cat "$WORK/kiosk.conf"; echo "k = 3"; sed -n '/^token_hash = /p' "$WORK/token"; } \
        >"$WORK/research.conf" # appended to the file's last section, [research]
    # the site's k the blocks are made with: the kiosk's k 3 (the CLI reads it from meta)
    sqlite3 "$WORK/k.db" "INSERT OR REPLACE INTO meta(key, value) VALUES ('research_k', '3')"
    mkfifo "$WORK/harness.in"
    port=$((20000 + RANDOM % 20000))
    for attempt in 1 2 3; do
        "$WORK/web_harness" --config "$WORK/research.conf" --db "$WORK/k.db" --port "$port" \
            --passphrase "rustig blauw water" <"$WORK/harness.in" >"$WORK/harness.out" 2>&1 &
        HARNESS=$!
        exec 4>"$WORK/harness.in"
        for _ in $(seq 100); do
            grep -q '^listening' "$WORK/harness.out" && break
            kill -0 "$HARNESS" 2>/dev/null || break
            sleep 0.1
        done
        grep -q '^listening' "$WORK/harness.out" && break
        exec 4>&-
        wait "$HARNESS" 2>/dev/null
        HARNESS= port=$((port + 1))
    done
    if [ -z "$HARNESS" ]; then bad "the web harness serves ($(tail -2 "$WORK/harness.out"))"; return; fi
    local url="http://127.0.0.1:$port/research/export"
    for query in "format=csv" "format=json&from=2026-03-09&to=2026-03-15"; do
        format=${query%%&*} format=${format#format=}
        set -- --format "$format"
        case $query in *from=*) set -- "$@" --from 2026-03-09 --to 2026-03-15 ;; esac
        curl -sS -H "Authorization: Bearer $token" -o "$WORK/http.$format" "$url?$query"
        "$BUILD/oase-export" --db "$WORK/k.db" --k 3 --site zuid "$@" >"$WORK/cli.$format" 2>/dev/null
        check "GET /research/export?$query equals oase-export --k 3 --site zuid $*" \
            '[ -s "$WORK/cli.$format" ] && cmp -s "$WORK/http.$format" "$WORK/cli.$format"'
    done
    check "GET /research/export without the token: 401" \
        '[ "$(curl -sS -o /dev/null -w "%{http_code}" "$url?format=csv")" = 401 ]'
    echo quit >&4
    exec 4>&-
    wait "$HARNESS" 2>/dev/null
    HARNESS=
}
HARNESS=
if command -v curl >/dev/null; then http_checks; else echo "skip: the HTTP export (no curl)"; fi

# Bad input: a non-zero exit and a message that names the value.
refused() { # name, expected text in the message, command...
    local name=$1 expect=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err"
    local status=$?
    if [ $status -ne 0 ] && grep -qF -- "$expect" "$WORK/err"; then
        ok "$name"
    else
        bad "$name (exit $status: $(head -c 300 "$WORK/err"))"
    fi
}
head -c 8192 /dev/urandom >"$WORK/random.db"
sqlite3 "$WORK/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
cp "$WORK/k.db" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "PRAGMA user_version = 99;"
for tool in oase-export oase-report; do
    fmt=()
    [ $tool = oase-export ] && fmt=(--format csv)
    refused "$tool: a missing database" "$WORK/none.db" "$BUILD/$tool" --db "$WORK/none.db" "${fmt[@]}"
    refused "$tool: a file of random bytes" "random.db" "$BUILD/$tool" --db "$WORK/random.db" "${fmt[@]}"
    refused "$tool: a SQLite file that is not Oase's" "foreign.db" "$BUILD/$tool" --db "$WORK/foreign.db" "${fmt[@]}"
    refused "$tool: a newer schema" "99" "$BUILD/$tool" --db "$WORK/newer.db" "${fmt[@]}"
    refused "$tool: k below 3" "--k 2" "$BUILD/$tool" --db "$WORK/k.db" --k 2 "${fmt[@]}"
    refused "$tool: a day that does not exist" "2026-13-40" "$BUILD/$tool" --db "$WORK/k.db" --from 2026-13-40 "${fmt[@]}"
    refused "$tool: from after to" "2026-05-01" "$BUILD/$tool" --db "$WORK/k.db" --from 2026-05-01 --to 2026-04-01 "${fmt[@]}"
done
# One database per site, no k below the site's (a copy of k.db is the same site).
cp "$WORK/k.db" "$WORK/copy.db"
sqlite3 "$WORK/copy.db" "INSERT OR REPLACE INTO meta(key, value) VALUES ('research_k', '6')"
for tool in oase-export oase-report; do
    fmt=()
    [ $tool = oase-export ] && fmt=(--format csv)
    refused "$tool: one site in two databases" "k.db and copy.db" \
        "$BUILD/$tool" --db "$WORK/k.db" --db "$WORK/copy.db" "${fmt[@]}"
    refused "$tool: k below the site's" "k = 5 is below the site's k 6" \
        "$BUILD/$tool" --db "$WORK/copy.db" --k 5 "${fmt[@]}"
done
refused "oase-export: an unknown format" "xml" "$BUILD/oase-export" --db "$WORK/k.db" --format xml
refused "oase-report: an unknown chart format" "r.doc" "$BUILD/oase-report" --db "$WORK/k.db" --out "$WORK/r.doc"
printf '[evaluation]\nprimary = happiness\ndesign = controlled\n' >"$WORK/bad-eval.conf"
refused "oase-report: a bad [evaluation] primary, listing the shares too" \
    "bad-eval.conf:2: evaluation.primary = happiness: accepted: stress_arrival, stress_departure, wait_minutes, incidents_per_100, stress_arrival_high or stress_departure_high" \
    "$BUILD/oase-report" --db "$WORK/k.db" --config "$WORK/bad-eval.conf"

# A database another process holds locked exclusively: the tools wait a while, then say so.
# The holder is a sqlite3 shell reading a fifo; closing the fifo ends it (nothing left behind).
cp "$WORK/k.db" "$WORK/locked.db"
sqlite3 "$WORK/locked.db" "PRAGMA journal_mode = DELETE;" >/dev/null
mkfifo "$WORK/lock.in"
sqlite3 "$WORK/locked.db" <"$WORK/lock.in" >/dev/null 2>&1 &
LOCKER=$!
exec 3>"$WORK/lock.in"
printf 'PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT 1;\n' >&3
for _ in $(seq 50); do # until the holder has its lock
    sqlite3 -cmd '.timeout 0' "$WORK/locked.db" 'SELECT 1 FROM meta' >/dev/null 2>&1 || break
    sleep 0.1
done
refused "oase-export: a database locked by another process" "locked by another program" \
    "$BUILD/oase-export" --db "$WORK/locked.db" --format csv
exec 3>&-
wait "$LOCKER" 2>/dev/null
LOCKER=

# oase --check-config names each bad [research] value with its line and what is accepted.
printf '[research]\ntoken_hash = the-token-itself\nk = 2\nsite = zuid/noord\ncolour = blue\n' \
    >"$WORK/bad-research.conf"
"$BUILD/oase" --check-config "$WORK/bad-research.conf" >"$WORK/check.out" 2>&1
check "oase --check-config exits non-zero for bad [research] values" '[ $? -ne 0 ]'
for expected in "bad-research.conf:2: research.token_hash = the-token-itself" \
    "bad-research.conf:3: research.k = 2: accepted: 3..1000" \
    "bad-research.conf:4: research.site = zuid/noord: accepted:" "bad-research.conf:5:"; do
    check "check-config says: $expected" 'grep -qF -- "$expected" "$WORK/check.out"'
done

# ... and each bad [hours] value (opening hours, closed dates, phone).
printf '[hours]\nmonday = 17:00-08:30\nclosed_dates = 2026-02-30\nphone = call us\n' \
    >"$WORK/bad-hours.conf"
"$BUILD/oase" --check-config "$WORK/bad-hours.conf" >"$WORK/check.out" 2>&1
check "oase --check-config exits non-zero for bad [hours] values" '[ $? -ne 0 ]'
for expected in "bad-hours.conf:2: hours.monday = 17:00-08:30: accepted: opening and closing time" \
    "bad-hours.conf:3: hours.closed_dates = 2026-02-30: accepted: up to 64 dates" \
    "bad-hours.conf:4: hours.phone = call us: accepted: a phone number"; do
    check "check-config says: $expected" 'grep -qF -- "$expected" "$WORK/check.out"'
done

echo "researcher tools: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
