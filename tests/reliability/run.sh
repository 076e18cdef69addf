#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Data durability: a bad database at start, a full disk, and power cuts.
# usage: tests/reliability/run.sh OASE KILLS   (make test: 20 kills; make reliability: 200)
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
OASE=${1:-build/oase}
KILLS=${2:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
status=0
"$HERE/bad_database.sh" "$OASE" || status=1
"$HERE/disk_full.sh" "$OASE" || status=1
"$HERE/killloop.sh" "$KILLS" "$OASE" || status=1
exit $status
