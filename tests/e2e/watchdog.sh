#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The systemd watchdog, end to end: the real oase binary, headless, with NOTIFY_SOCKET and
# WATCHDOG_USEC set as systemd sets them, listened to by tests/e2e/notify_listen.c. The
# replay lets the main loop run for 3 s, hang for 4 s (test-only `stall`), then run 2 s.
# Checks: READY=1 before the first ping, pings while the loop runs, exactly one silence of
# at least the stall (no ping while the loop hangs), pings again after it, STOPPING=1.
# Prints "N passed, N failed". Usage: tests/e2e/watchdog.sh [build/oase]
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/oase-watchdog.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
check() { # name command...
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name" "$(tr '\n' ' ' <"$WORK/messages" | cut -c1-400)"; fi
}

if ! ${CC:-cc} -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 "$HERE/notify_listen.c" \
    -o "$WORK/notify_listen" 2>"$WORK/cc.out"; then
    bad "build the notify listener" "$(cat "$WORK/cc.out")"
    echo "watchdog: $passed passed, $failed failed"; exit 1
fi

SOCKET="$WORK/notify.sock"
"$WORK/notify_listen" "$SOCKET" 60000 >"$WORK/messages" 2>"$WORK/listen.err" &
listener=$!
for _ in $(seq 100); do [ -S "$SOCKET" ] && break; sleep 0.05; done

# 1 s timeout: the kiosk pings every 500 ms while healthy.
NOTIFY_SOCKET="$SOCKET" WATCHDOG_USEC=1000000 "$OASE" --headless --config "$HERE/kiosk.conf" \
    --db "$WORK/watchdog.db" --replay "$HERE/watchdog.replay" >"$WORK/oase.out" 2>&1
status=$?
wait "$listener"
check "the kiosk runs the watchdog replay (exit 0)" test "$status" = 0
check "the kiosk says it watches: watchdog 1000 ms" grep -q "systemd: watchdog 1000 ms" "$WORK/oase.out"

# ms of each WATCHDOG=1, and the gaps between them.
grep 'WATCHDOG=1' "$WORK/messages" | cut -d' ' -f1 >"$WORK/pings"
stall_at=$(awk 'NR > 1 && $1 - prev >= 3800 { print prev; exit } { prev = $1 }' "$WORK/pings")
long_gaps=$(awk 'NR > 1 && $1 - prev >= 3800 { n++ } { prev = $1 } END { print n + 0 }' "$WORK/pings")
ready_line=$(grep -n 'READY=1' "$WORK/messages" | head -1 | cut -d: -f1)
first_ping_line=$(grep -n 'WATCHDOG=1' "$WORK/messages" | head -1 | cut -d: -f1)
before=$(awk -v s="${stall_at:-0}" '$1 <= s' "$WORK/pings" | wc -l)
after=$(awk -v s="${stall_at:-0}" '$1 > s' "$WORK/pings" | wc -l)
echo "     $(wc -l <"$WORK/pings") pings, $before before the stall, $after after; silences >= 3.8 s: $long_gaps"

check "READY=1 comes before the first watchdog ping" \
    test -n "$ready_line" -a -n "$first_ping_line" -a "${ready_line:-0}" -lt "${first_ping_line:-0}"
check "a STATUS= line names the screen and the database" grep -q 'STATUS=service screen; database ok' "$WORK/messages"
check "pings arrive while the loop runs (3 s: at least 3)" test "$before" -ge 3
check "no ping while the loop hangs: exactly one silence of 3.8 s or more" test "$long_gaps" = 1
check "pings come back when the loop runs again" test "$after" -ge 2
check "STOPPING=1 is the last message" bash -c "tail -1 '$WORK/messages' | grep -q 'STOPPING=1'"

echo "watchdog: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
