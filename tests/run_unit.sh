#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs each cmocka unit-test binary given, headless, and prints one closing count.
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy TZ=Europe/Amsterdam
passed=0 failed=0
for bin in "$@"; do
    if "$bin"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $bin"; fi
done
echo "unit test programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
