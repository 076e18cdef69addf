#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Install and package tests. Safe by default: nothing outside a mktemp folder is touched.
#   1. `make install-files` into a DESTDIR: lists the files, checks each is where the
#      systemd unit, the config and the kiosk expect it, and that a second install keeps
#      an edited /etc/oase/oase.conf (the new one goes to oase.conf.new).
#   2. The Debian maintainer scripts run against a fake root (DPKG_ROOT, the variable dpkg
#      itself sets for --root) with systemctl, systemd-sysusers and friends replaced by
#      stubs that only log: /var/lib/oase survives upgrade and remove, goes only on purge.
#   3. Only with OASE_TEST_DPKG=1, as root, on a machine without oase installed: the real
#      thing with dpkg: install, upgrade to a newer version, remove, purge. It leaves the
#      system user oase (and any missing device groups) behind, as a purge does.
# Usage: tests/pkg/test_install.sh [BUILD_DIR]   (default build; run make first)
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
BUILD=${1:-build}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/oase-pkg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$REPO" || exit 2
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
check() { # name command...: passes when the command succeeds
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name" "$*"; fi
}

if [ ! -x "$BUILD/oase" ]; then
    echo "tests/pkg/test_install.sh: $BUILD/oase is missing: run make first"
    exit 2
fi

# --- 1. make install into a DESTDIR ---------------------------------------------------
DEST="$WORK/dest"
if make --no-print-directory install-files BUILD="$BUILD" DESTDIR="$DEST" PREFIX=/usr/local \
    >"$WORK/install.out" 2>&1; then
    ok "make install-files DESTDIR=... PREFIX=/usr/local succeeds"
else
    bad "make install-files" "$(tail -5 "$WORK/install.out")"
fi
echo "     files installed under DESTDIR:"
(cd "$DEST" && find . -type f -printf '       %m %p\n' | sort -k2)

for f in usr/local/bin/oase usr/local/share/oase/lang/nl.lang usr/local/share/oase/lang/ar.lang \
    etc/oase/oase.conf usr/local/lib/systemd/system/oase.service \
    usr/local/lib/sysusers.d/oase.conf usr/local/lib/tmpfiles.d/oase.conf \
    usr/local/lib/udev/rules.d/70-oase-backlight.rules usr/local/lib/udev/rules.d/70-oase-gpio.rules \
    usr/local/share/doc/oase/deploy.md; do
    check "installs /$f" test -s "$DEST/$f"
done
check "the program is executable" test -x "$DEST/usr/local/bin/oase"
check "the config (it holds the staff PIN) is not world-readable" \
    test "$(stat -c %a "$DEST/etc/oase/oase.conf")" = 640
check "the unit starts the program where PREFIX put it" \
    grep -qx 'ExecStart=/usr/local/bin/oase --config /etc/oase/oase.conf' \
    "$DEST/usr/local/lib/systemd/system/oase.service"
check "the installed config finds the language files where PREFIX put them" \
    grep -qx 'assets_dir = /usr/local/share/oase' "$DEST/etc/oase/oase.conf"
check "the unit's user is the one sysusers.d creates" \
    grep -q '^u oase ' "$DEST/usr/local/lib/sysusers.d/oase.conf"
UNIT="$DEST/usr/local/lib/systemd/system/oase.service"
unit_has() { grep -qx "$1" "$UNIT"; }
check "the unit is Type=notify with a watchdog and Restart=always" \
    bash -c "grep -qx Type=notify '$UNIT' && grep -qx 'WatchdogSec=10' '$UNIT' && grep -qx Restart=always '$UNIT'"
for setting in User=oase ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
    StateDirectory=oase StateDirectoryMode=0700 ConfigurationDirectory=oase UMask=0077 \
    'SupplementaryGroups=video render input audio gpio' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK'; do
    check "the unit sets $setting" unit_has "$setting"
done
check "the unit keeps the devices (no PrivateDevices=)" bash -c "! grep -q '^PrivateDevices=' '$UNIT'"
for group in $(sed -n 's/^SupplementaryGroups=//p' "$UNIT"); do
    # A missing supplementary group stops the unit from starting: each is either a group
    # every Debian has (video, audio: base-passwd) or one sysusers.d/oase.conf creates.
    case $group in video | audio) ok "group $group exists on every Debian" ;;
    *) check "sysusers.d creates group $group where it is missing" \
        grep -q "^g $group " "$DEST/usr/local/lib/sysusers.d/oase.conf" ;;
    esac
done
# systemd-analyze verify wants the program at ExecStart's path: the unit is checked with
# ExecStart pointed at this build (everything else as installed). Works without systemd
# running (--man=no: no man pages needed).
if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s|^ExecStart=/usr/local/bin/oase |ExecStart=$(cd "$BUILD" && pwd)/oase |" "$UNIT" \
        >"$WORK/oase.service"
    if systemd-analyze verify --man=no "$WORK/oase.service" >"$WORK/verify.out" 2>&1 &&
        ! grep -q . "$WORK/verify.out"; then
        ok "systemd-analyze verify passes on the unit"
    else bad "systemd-analyze verify on the unit" "$(head -5 "$WORK/verify.out")"; fi
else
    echo "skip systemd-analyze verify: systemd-analyze is not installed here (apt-get install systemd)"
fi
# The sandbox's exposure score (at most 2.5: the kiosk faces a network), read from the unit file alone
# (--offline, systemd 250 and newer); tests/system/run.sh checks the same in a booted VM.
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
    score=$(systemd-analyze security --offline=yes --no-pager "$WORK/oase.service" 2>&1 |
        sed -n 's/.*exposure level for oase.service: \([0-9.]*\).*/\1/p')
    if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
        ok "systemd-analyze security rates the unit $score (at most 2.5)"
    else bad "systemd-analyze security on the unit" "score '${score:-none}', expected at most 2.5"; fi
else
    echo "skip systemd-analyze security --offline: this systemd-analyze has no --offline"
fi
check "the installed config passes oase --check-config" \
    "$BUILD/oase" --check-config "$DEST/etc/oase/oase.conf" >/dev/null 2>&1
headless_ok() { # the installed config, its assets_dir moved under DESTDIR
    sed "s|^assets_dir = /usr/local/share/oase$|assets_dir = $DEST/usr/local/share/oase|" \
        "$DEST/etc/oase/oase.conf" >"$WORK/run.conf"
    SDL_AUDIODRIVER=dummy TZ=Europe/Amsterdam "$BUILD/oase" --headless --quiet \
        --config "$WORK/run.conf" --db "$WORK/installed.db" \
        --replay tests/e2e/full_checkin.replay >"$WORK/headless.out" 2>&1
}
check "the kiosk runs a check-in with the installed config and assets" headless_ok

echo "site = edited-by-the-technician" >>"$DEST/etc/oase/oase.conf"
make --no-print-directory install-files BUILD="$BUILD" DESTDIR="$DEST" PREFIX=/usr/local \
    >"$WORK/install2.out" 2>&1
check "a second install keeps the edited config" \
    grep -qx 'site = edited-by-the-technician' "$DEST/etc/oase/oase.conf"
check "a second install puts the new config beside it as oase.conf.new" \
    cmp -s "$DEST/etc/oase/oase.conf.new" "$BUILD/install/oase.conf"

# --- 2. maintainer scripts against a fake root ----------------------------------------
FAKE="$WORK/fakeroot"
STUBS="$WORK/stubs"
LOG="$WORK/calls.log"
mkdir -p "$STUBS" "$FAKE/var/lib/oase" "$FAKE/etc/oase" \
    "$FAKE/etc/systemd/system/multi-user.target.wants" "$FAKE/usr/lib/sysusers.d" \
    "$FAKE/usr/lib/tmpfiles.d"
for tool in systemctl systemd-sysusers systemd-tmpfiles systemd-detect-virt udevadm adduser \
    addgroup chown; do
    printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$tool" "$LOG" >"$STUBS/$tool"
    chmod +x "$STUBS/$tool"
done
echo "counts" >"$FAKE/var/lib/oase/oase.db"
cp "$DEST/etc/oase/oase.conf" "$FAKE/etc/oase/oase.conf"
touch "$FAKE/etc/oase/oase.conf.new"
ln -s /usr/lib/systemd/system/oase.service \
    "$FAKE/etc/systemd/system/multi-user.target.wants/oase.service"
case $FAKE in /tmp/oase-pkg.*/fakeroot) ;; *) echo "unsafe fake root $FAKE"; exit 2 ;; esac

script() { # NAME ARGS...: runs packaging/debian/NAME against the fake root
    local name=$1; shift
    DPKG_ROOT="$FAKE" PATH="$STUBS:$PATH" sh "packaging/debian/$name" "$@" >>"$WORK/scripts.out" 2>&1
}
db_kept() { [ "$(cat "$FAKE/var/lib/oase/oase.db" 2>/dev/null)" = counts ]; }

# An upgrade from 0.1.0 to 0.1.1, in dpkg's order.
script prerm upgrade 0.1.1 && script postrm upgrade 0.1.1 && script postinst configure 0.1.0
check "the scripts of an upgrade succeed" test $? = 0
check "an upgrade keeps the database" db_kept
check "an upgrade keeps the config" grep -qx 'site = edited-by-the-technician' "$FAKE/etc/oase/oase.conf"
check "an upgrade creates the user and folders (sysusers, tmpfiles) in the root given" \
    grep -q "systemd-sysusers --root=$FAKE $FAKE/usr/lib/sysusers.d/oase.conf" "$LOG"
check "an upgrade does not enable the service again (the technician may have disabled it)" \
    bash -c "! grep -q 'systemctl.* enable' '$LOG'"
check "nothing is started in a root that is not the running system" \
    bash -c "! grep -qE 'systemctl (start|try-restart|daemon-reload)' '$LOG'"

: >"$LOG"
script postinst configure ""
check "a first install enables the service" grep -q "systemctl --root=$FAKE enable oase.service" "$LOG"

script prerm remove && script postrm remove
check "remove succeeds" test $? = 0
check "remove keeps the database" db_kept
check "remove keeps the config" test -e "$FAKE/etc/oase/oase.conf"

script postrm purge
check "purge succeeds" test $? = 0
check "purge deletes /var/lib/oase" test ! -e "$FAKE/var/lib/oase"
check "purge deletes the oase.conf.new make install left" test ! -e "$FAKE/etc/oase/oase.conf.new"
check "purge removes the enable symlink" \
    test ! -L "$FAKE/etc/systemd/system/multi-user.target.wants/oase.service"
if script postinst bogus; then bad "an unknown maintainer-script argument fails" "exit 0"
else ok "an unknown maintainer-script argument fails"; fi

# --- 3. the real dpkg, only when asked --------------------------------------------------
if [ "${OASE_TEST_DPKG:-0}" = 1 ]; then
    if [ "$(id -u)" != 0 ]; then
        bad "real dpkg test" "needs root"
    elif dpkg-query -W oase >/dev/null 2>&1 || [ -e /var/lib/oase ]; then
        bad "real dpkg test" "oase is installed or /var/lib/oase exists here: not touching it"
    else
        arch=$(dpkg --print-architecture)
        make --no-print-directory deb BUILD="$BUILD" DEB_VERSION=0.0.1~test1 >"$WORK/deb1.out" 2>&1 &&
            make --no-print-directory deb BUILD="$BUILD" DEB_VERSION=0.0.1~test2 >"$WORK/deb2.out" 2>&1
        check "make deb builds two versions" test -s "$BUILD/oase_0.0.1~test2_$arch.deb"
        dpkg -i "$BUILD/oase_0.0.1~test1_$arch.deb" >"$WORK/dpkg.out" 2>&1
        check "dpkg -i installs the package" test -x /usr/bin/oase
        check "the install creates the user and /var/lib/oase (0700)" \
            test "$(stat -c '%U %a' /var/lib/oase 2>/dev/null)" = "oase 700"
        check "the config is readable by the kiosk's group only" \
            test "$(stat -c '%G %a' /etc/oase/oase.conf 2>/dev/null)" = "oase 640"
        echo "marker" >/var/lib/oase/oase.db
        sed -i 's/^site = .*/site = kept-on-upgrade/' /etc/oase/oase.conf
        DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold \
            "$BUILD/oase_0.0.1~test2_$arch.deb" >>"$WORK/dpkg.out" 2>&1
        check "dpkg upgrades the package" \
            test "$(dpkg-query -W -f='${Version}' oase)" = "0.0.1~test2"
        check "the upgrade keeps the database" test "$(cat /var/lib/oase/oase.db)" = marker
        check "the upgrade keeps the edited config" grep -qx 'site = kept-on-upgrade' /etc/oase/oase.conf
        dpkg -r oase >>"$WORK/dpkg.out" 2>&1
        check "dpkg -r keeps the database" test -e /var/lib/oase/oase.db
        dpkg --purge oase >>"$WORK/dpkg.out" 2>&1
        check "dpkg --purge deletes /var/lib/oase and /etc/oase" \
            test ! -e /var/lib/oase -a ! -e /etc/oase
        rm -f "$BUILD"/oase_0.0.1~test*_"$arch".deb
    fi
fi

echo "package tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
