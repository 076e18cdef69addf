#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make run under a virtual X server (xvfb-run): the kiosk must open its "Oase" window, still be
# running after a few seconds, log no error, and end cleanly on SIGTERM (as systemctl stop
# does). Used by tests/fresh/run.sh inside the fresh root; works on any machine with xvfb-run
# and xwininfo (x11-utils). Usage: tests/fresh/run_window.sh [SECONDS]   (default 5)
set -u
SECONDS_RUNNING=${1:-5}
cd "$(dirname "$0")/../.." || exit 2
for tool in xvfb-run xwininfo; do
    command -v "$tool" >/dev/null || { echo "run_window.sh: $tool is missing (apt-get install xvfb x11-utils)"; exit 2; }
done
LOG=$(mktemp /tmp/oase-run-window.XXXXXX)
trap 'rm -f "$LOG"' EXIT
# shellcheck disable=SC2016 # expanded by the inner shell
xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
    make --no-print-directory run >"$1" 2>&1 &
    make_pid=$!
    window=0
    for _ in $(seq 1 100); do  # up to 20 s for the window (the build is already done)
        if xwininfo -root -tree 2>/dev/null | grep -q "\"Oase\""; then window=1; break; fi
        kill -0 "$make_pid" 2>/dev/null || break
        sleep 0.2
    done
    [ "$window" = 1 ] || { echo "no window named Oase appeared"; kill "$make_pid" 2>/dev/null; exit 1; }
    echo "window: $(xwininfo -root -tree | grep "\"Oase\"" | head -1 | sed "s/^ *//")"
    sleep "$2"
    kiosk=  # the oase process make started (no procps in a minimal root: read /proc)
    for stat in /proc/[0-9]*/stat; do
        read -r pid comm _ ppid _ <"$stat" 2>/dev/null || continue
        [ "$ppid" = "$make_pid" ] && [ "$comm" = "(oase)" ] && kiosk=$pid
    done
    [ -n "$kiosk" ] || { echo "the kiosk ended within $2 s of opening its window"; wait "$make_pid"; exit 1; }
    kill -TERM "$kiosk"
    wait "$make_pid"
    status=$?
    [ "$status" = 0 ] || { echo "make run exited with $status after SIGTERM"; exit 1; }
' bash "$LOG" "$SECONDS_RUNNING"
status=$?
sed 's/^/     | /' "$LOG"
if [ "$status" = 0 ] && grep -q '^oase: error: ' "$LOG"; then
    echo "run_window.sh: the kiosk logged an error (above)"
    status=1
fi
if [ "$status" = 0 ]; then
    echo "ok   make run opened the kiosk window, ran ${SECONDS_RUNNING} s, logged no error and ended on SIGTERM"
else
    echo "FAIL make run under Xvfb (log above)"
fi
exit "$status"
