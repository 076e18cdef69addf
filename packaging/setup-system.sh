#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# setup-system.sh: the system steps after `make install` into this machine (as root,
# DESTDIR empty): the kiosk's user, its folders, the backlight rule, systemd's view of
# the new unit. It does not enable or start the kiosk: the last line says how.
# Usage: packaging/setup-system.sh LIBDIR SYSCONFDIR   (e.g. /usr/local/lib /etc)
set -e
LIBDIR=$1 SYSCONFDIR=$2

if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers "$LIBDIR/sysusers.d/oase.conf"
else
    for group in render input gpio; do
        getent group "$group" >/dev/null || addgroup --quiet --system "$group"
    done
    getent passwd oase >/dev/null || adduser --quiet --system --group --home /var/lib/oase \
        --no-create-home --shell /usr/sbin/nologin --gecos "Oase kiosk" oase
fi
if command -v systemd-tmpfiles >/dev/null 2>&1; then
    systemd-tmpfiles --create "$LIBDIR/tmpfiles.d/oase.conf"
else
    mkdir -p /var/lib/oase && chown oase:oase /var/lib/oase && chmod 0700 /var/lib/oase
fi
# tmpfiles.d names /etc/oase/oase.conf; with another SYSCONFDIR set the group here
for conf in "$SYSCONFDIR/oase/oase.conf" "$SYSCONFDIR/oase/oase.conf.new"; do
    if [ -e "$conf" ]; then chown root:oase "$conf" && chmod 0640 "$conf"; fi
done
if [ -d /run/udev ] && command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload-rules || true
    udevadm trigger --subsystem-match=backlight --action=add || true
    udevadm trigger --subsystem-match=gpio --action=add || true
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    echo "install: done. Start the kiosk now and at every boot with: systemctl enable --now oase"
else
    echo "install: done (systemd is not running here: enable oase.service on the kiosk itself)"
fi
