#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Field-proofing: the real oase binary where the world is not kind: two kiosks on
# one database, a missing font, an empty or cut config, SIGHUP, a busy web port.
# Prints "N passed, N failed"; exit status 1 when one failed.
set -u
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/oase-field.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# The caller's desktop must not change the run (a session bus, an X display).
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

conf() { # NAME [extra lines]: a private copy of the e2e config with extra lines appended
    local name=$1; shift
    cp "$HERE/kiosk.conf" "$WORK/$name.conf"
    for line in "$@"; do printf '%s\n' "$line" >>"$WORK/$name.conf"; done
    chmod 600 "$WORK/$name.conf"
}
conf base

# --- the caller's environment -----------------------------------------------------------------
# An X display without a session bus made libdbus (SDL's audio start) leak under make asan:
# the same run must end the same with and without them (tests/asan/lsan.supp).
SUPP="$HERE/../asan/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SUPP:print_suppressions=0}
DISPLAY=:99 "$OASE" --headless --quiet --config "$WORK/base.conf" --db "$WORK/display.db" \
    --replay "$HERE/full_checkin.replay" >"$WORK/display.out" 2>&1
status=$?
if [ $status -eq 0 ] && ! grep -q "Sanitizer" "$WORK/display.out"; then
    ok "DISPLAY set without a session bus changes nothing (no sanitizer report)"
else bad "DISPLAY set without a session bus" "status $status: $(grep -A3 Sanitizer "$WORK/display.out" | head -4)"; fi

# --- one writer ---------------------------------------------------------------------------
printf 'start 2026-03-02 09:00\nreal-wait 8000\n' >"$WORK/long.replay"
"$OASE" --headless --quiet --config "$WORK/base.conf" --db "$WORK/shared.db" \
    --replay "$WORK/long.replay" >"$WORK/first.out" 2>&1 &
first=$!
for _ in $(seq 100); do [ -e "$WORK/shared.db" ] && break; sleep 0.1; done
sleep 0.5
"$OASE" --headless --config "$WORK/base.conf" --db "$WORK/shared.db" \
    --replay "$HERE/full_checkin.replay" >"$WORK/second.out" 2>&1
status=$?
if [ $status -eq 2 ] && grep -q "already runs a kiosk on this database" "$WORK/second.out" &&
   grep -q "process $first" "$WORK/second.out"; then
    ok "a second kiosk on the same database refuses to start, naming the first"
else bad "a second kiosk on one database" "status $status: $(tail -3 "$WORK/second.out")"; fi
wait $first
if [ "$(sqlite3 "$WORK/shared.db" 'select count(*) from arrivals')" = 0 ]; then
    ok "the refused kiosk wrote nothing into the first one's database"
else bad "the refused kiosk wrote nothing" "$(sqlite3 "$WORK/shared.db" 'select * from arrivals')"; fi
if "$OASE" --headless --quiet --config "$WORK/base.conf" --db "$WORK/shared.db" \
    --replay "$HERE/full_checkin.replay" >"$WORK/after.out" 2>&1; then
    ok "once the first kiosk is gone the lock is free again"
else bad "the lock is free after the first kiosk" "$(tail -3 "$WORK/after.out")"; fi

# --- a check-in the store gives up is not shown as done ------------------------------------
# A trigger in the file refuses every new arrival (as a damaged or foreign schema could): the
# kiosk's check-in of number 2 is retried and given up. The visitor must
# not see a name the desk will never call; they are sent to the desk, and the desks alerted.
"$OASE" --headless --quiet --config "$WORK/base.conf" --db "$WORK/givenup.db" \
    --replay "$HERE/full_checkin.replay" --screenshots "$WORK/good" >/dev/null 2>&1
sqlite3 "$WORK/givenup.db" "create trigger refuse before insert on arrivals
    begin select raise(abort, 'refused by the test'); end"
"$OASE" --headless --config "$WORK/base.conf" --db "$WORK/givenup.db" \
    --replay "$HERE/full_checkin.replay" --screenshots "$WORK/lost" \
    --ack-log "$WORK/givenup.ack" >"$WORK/givenup.out" 2>&1
if grep -q "checkin 2 lost" "$WORK/givenup.ack" && ! grep -q "committed" "$WORK/givenup.ack"; then
    ok "a check-in given up is acknowledged as lost, never as committed"
else bad "a given-up check-in in the ack-log" "$(cat "$WORK/givenup.ack")"; fi
if grep -q "niet opgeslagen" "$WORK/givenup.out"; then
    ok "a check-in given up alerts the desks (logged)"
else bad "a given-up check-in alerts the desks" "$(tail -3 "$WORK/givenup.out")"; fi
shot=checked-in-nl-landscape.png
if [ -s "$WORK/lost/$shot" ] && [ -s "$WORK/good/$shot" ] &&
   ! cmp -s "$WORK/lost/$shot" "$WORK/good/$shot"; then
    ok "the screen after a given-up check-in is not the checked-in screen with a name"
else bad "the screen after a given-up check-in" "$(ls "$WORK/lost" "$WORK/good" 2>&1 | tr '\n' ' ')"; fi

# --- fonts and the order of the start ---------------------------------------------------
conf noarabic "[display]" "font_arabic = $WORK/missing/NotoSansArabic-Regular.ttf"
if "$OASE" --headless --config "$WORK/noarabic.conf" --db "$WORK/noarabic.db" \
    --replay "$HERE/full_checkin.replay" >"$WORK/noarabic.out" 2>&1 &&
   [ "$(grep -c "language button(s) ar are hidden" "$WORK/noarabic.out")" = 1 ]; then
    ok "a missing Arabic font hides Arabic (logged once) and the kiosk takes check-ins"
else bad "a missing Arabic font" "$(grep -v INFO "$WORK/noarabic.out" | tail -3)"; fi

conf nofont "[display]" "font = $WORK/missing/NotoSans-Regular.ttf"
"$OASE" --headless --config "$WORK/nofont.conf" --db "$WORK/nofont.db" \
    --replay "$HERE/full_checkin.replay" >"$WORK/nofont.out" 2>&1
status=$?
if [ $status -eq 2 ] && [ ! -e "$WORK/nofont.db" ] && grep -q "cannot open font" "$WORK/nofont.out"; then
    ok "a start that fails before the first frame (no font) writes nothing to the disk"
else bad "a start without its font" "status $status, db $(ls "$WORK" | grep -c nofont.db): $(tail -2 "$WORK/nofont.out")"; fi

# --- a stale clock is reported ------------------------------------------------------------
printf 'start 2026-03-03 09:00\ntap checkin\ntap service:1\ntap skip\ntap word:no\nwait 20000\n' >"$WORK/today.replay"
printf 'start 2026-03-02 16:01\nwait 5000\n' >"$WORK/yesterday.replay"
"$OASE" --headless --quiet --config "$WORK/base.conf" --db "$WORK/stale.db" --replay "$WORK/today.replay" >/dev/null 2>&1
"$OASE" --headless --config "$WORK/base.conf" --db "$WORK/stale.db" --replay "$WORK/yesterday.replay" >"$WORK/stale.out" 2>&1
if grep -q "klok niet gelijk: de klok loopt achter, het nieuwste gegeven is van 2026-03-03 09:00" "$WORK/stale.out"; then
    ok "a clock behind the database's newest arrival is reported (klok niet gelijk)"
else bad "a stale clock is reported" "$(grep -i klok "$WORK/stale.out" | tail -2)"; fi

# --- SIGHUP -------------------------------------------------------------------------------
printf 'start 2026-03-02 09:00\ntap checkin\ntap service:1\ntap skip\ntap word:no\nreal-wait 20000\n' \
    >"$WORK/hup.replay"
"$OASE" --headless --config "$WORK/base.conf" --db "$WORK/hup.db" \
    --replay "$WORK/hup.replay" >"$WORK/hup.out" 2>&1 &
kiosk=$!
for _ in $(seq 100); do grep -q "ready:" "$WORK/hup.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -HUP $kiosk
wait $kiosk
status=$?
if [ $status -eq 0 ] && grep -q "Hangup: closing cleanly" "$WORK/hup.out" &&
   [ "$(sqlite3 "$WORK/hup.db" 'select count(*) from arrivals')" = 1 ]; then
    ok "SIGHUP closes the kiosk cleanly: logged, the check-in on disk, exit status 0"
else bad "SIGHUP" "status $status: $(tail -2 "$WORK/hup.out")"; fi

# --- quiet logs --------------------------------------------------------------------------
# No sound card here: libasound complains on every try (every 30 s). Four tries: its lines
# reach the log once each, through the kiosk, never straight to stderr.
if [ -e /usr/lib/x86_64-linux-gnu/libasound.so.2 ] || [ -e /usr/lib/aarch64-linux-gnu/libasound.so.2 ]; then
    if ! aplay -l >/dev/null 2>&1; then
        printf 'start 2026-03-02 09:00\ntap checkin\nwait 100000\n' >"$WORK/alsa.replay"
        SDL_AUDIODRIVER=alsa "$OASE" --headless --config "$WORK/base.conf" --db "$WORK/alsa.db" \
            --replay "$WORK/alsa.replay" >"$WORK/alsa.out" 2>&1
        raw=$(grep -c "^ALSA lib" "$WORK/alsa.out"); once=$(grep -c "sound (ALSA pcm.c" "$WORK/alsa.out")
        if [ "$raw" = 0 ] && [ "$once" = 1 ]; then
            ok "libasound's retry lines are logged once (four tries, no raw ALSA lines)"
        else bad "libasound's retry lines" "$raw raw lines, $once reports"; fi
    fi
fi

# --- a busy web port at start is tried again ----------------------------------------------
PASS_TOOL=$(dirname "$OASE")/oase-passphrase
if command -v curl >/dev/null && command -v python3 >/dev/null && [ -x "$PASS_TOOL" ]; then
    port=$((20000 + RANDOM % 20000))
    hash=$(printf 'rustig blauw water' | "$PASS_TOOL" --iterations 10000 | grep '^passphrase_hash')
    conf web "[web]" "port = $port" "bind_address = 127.0.0.1" "$hash"
    python3 -c "import socket,time,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(1); print('held', flush=True); time.sleep(2.5)" \
        >"$WORK/holder.out" 2>&1 &
    holder=$!
    for _ in $(seq 50); do grep -q held "$WORK/holder.out" && break; sleep 0.1; done
    "$OASE" --headless --config "$WORK/web.conf" --db "$WORK/web.db" >"$WORK/web.out" 2>&1 &
    kiosk=$!
    code=000
    for _ in $(seq 100); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
        [ "$code" != 000 ] && break
        sleep 0.1
    done
    kill -TERM $kiosk; wait $kiosk; wait $holder
    if [ "$code" != 000 ] && grep -q "trying again in 1 s" "$WORK/web.out" &&
       grep -q "host page: listening now" "$WORK/web.out"; then
        ok "a busy web port at start is tried again until the host page listens (HTTP $code)"
    else bad "a busy web port" "HTTP $code: $(grep -i 'host page' "$WORK/web.out" | tail -3)"; fi
fi

# --- a config cut by a power cut ---------------------------------------------------------
: >"$WORK/empty.conf"
head -c 200 "$HERE/../../config/oase.conf" >"$WORK/cut.conf" # ends mid-line
for kind in empty cut; do
    what="an empty config"; [ $kind = cut ] && what="a config cut off mid-line"
    out=$("$OASE" --check-config "$WORK/$kind.conf" 2>&1); status=$?
    if [ $status -eq 1 ] && grep -q "$kind.conf: the " <<<"$out"; then
        ok "$what fails --check-config with a message"
    else bad "$what and --check-config" "status $status: $out"; fi
    "$OASE" --headless --config "$WORK/$kind.conf" --db "$WORK/$kind.db" \
        --replay "$HERE/full_checkin.replay" >"$WORK/$kind.out" 2>&1
    status=$?
    if [ $status -eq 2 ] && [ ! -e "$WORK/$kind.db" ] && grep -q "power cut" "$WORK/$kind.out"; then
        ok "$what stops the start (never the built-in defaults), the database untouched"
    else bad "$what at start" "status $status: $(tail -2 "$WORK/$kind.out")"; fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
