#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs inside a fresh minimal Debian 12 root where only the oase .deb was installed with apt
# (tests/fresh/run.sh): what its Depends pulled in must be enough for the kiosk. No network.
set -u
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
check() { # NAME COMMAND...
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name" "$*"; fi
}
unset TZ # the zone must come from the system: tzdata's /etc/localtime
export SDL_AUDIODRIVER=dummy

check "the package is installed" test -x /usr/bin/oase
missing=$(ldd /usr/bin/oase | grep 'not found')
check "every library oase links is installed ($(ldd /usr/bin/oase | wc -l) in all)" test -z "$missing"
# SDL opens these itself on a console (KMS/DRM): no link, so only the Depends bring them.
for lib in libgbm.so.1 libEGL.so.1 libGLESv2.so.2 libdrm.so.2; do
    check "$lib (SDL's KMS/DRM) is installed" bash -c "ldconfig -p | grep -q '$lib '"
done
check "Mesa's DRI drivers are installed" bash -c 'ls /usr/lib/*/dri/*_dri.so >/dev/null 2>&1'
check "tzdata is installed (the kiosk's time zone)" test -e /usr/share/zoneinfo/Europe/Amsterdam
for font in $(sed -n 's/^font[a-z_]* *= *//p' /etc/oase/oase.conf); do
    check "the config's font $font is installed" test -s "$font"
done
out=$(oase --check-config /etc/oase/oase.conf 2>&1)
status=$?
echo "$out" | sed 's/^/     | /'
if [ "$status" = 0 ] && grep -q 'time zone .*(from /etc/localtime)' <<<"$out"; then
    ok "oase --check-config passes on the installed config and names the system's zone"
else bad "oase --check-config on the installed config" "exit status $status"; fi

mkdir -p /tmp/shots
printf '%s\n' 'start 2026-03-30 10:00' 'expect-screen welcome' 'tap lang:ar' 'tap checkin' \
    'expect-screen service' >/tmp/check.replay
if oase --headless --quiet --config /etc/oase/oase.conf --db /tmp/check.db \
    --replay /tmp/check.replay --screenshots /tmp/shots >/tmp/replay.out 2>&1; then
    ok "a headless replay (Arabic welcome and service screens) runs on the installed files"
else
    bad "a headless replay on the installed files" "$(tail -5 /tmp/replay.out)"
fi
shots=$(find /tmp/shots -name '*.png' -size +1k | wc -l)
check "it drew its screens ($shots screenshots)" test "$shots" -ge 2

echo "installed package checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
