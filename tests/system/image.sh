#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The system test's VM image: Debian 12 amd64 from Debian's archive (mmdebstrap), with
# systemd, udev, a kernel (linux-image-amd64), the .deb's dependencies (so apt installs the
# .deb there without network), espeak-ng (its Recommends), sqlite3 (the test reads the
# database) and the test's agent (tests/system/agent.sh on the second serial port). Made
# into an ext4 file system image (mkfs.ext4 -d: no loop device, no mount) with the kernel
# and initrd beside it, booted directly by qemu (-kernel/-initrd).
# Cached in $CACHE/system-KEY/ (OASE_SYSTEM_CACHE, default /var/cache/oase-ci): KEY is a hash
# of the recipe (this file, the agent, the package list, the mirrors), so a changed recipe or
# a .deb with other dependencies builds a new image; older images are deleted, and one older
# than 14 days is rebuilt (security updates). Downloaded .debs are shared with make fresh-test
# ($CACHE/apt-archives).
# Usage: tests/system/image.sh DEB [--rebuild]   prints the image folder on its last line.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEB=${1:?usage: tests/system/image.sh DEB [--rebuild]}
REBUILD=${2:-}
CACHE=${OASE_SYSTEM_CACHE:-${OASE_FRESH_CACHE:-/var/cache/oase-ci}}
MIRROR=${OASE_FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY=${OASE_FRESH_SECURITY:-http://deb.debian.org/debian-security}
SUITE=bookworm
MAX_AGE_DAYS=14
say() { echo "system image: $*" >&2; }

# The .deb's Depends (first of each alternative, no versions) and Recommends.
deps=$(dpkg-deb -f "$DEB" Depends Recommends | sed 's/^[A-Za-z-]*: //' | tr ',' '\n' |
    sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' | grep -v '^$' | sort -u | tr '\n' ',')
PACKAGES="systemd,systemd-sysv,udev,kmod,linux-image-amd64,initramfs-tools,sqlite3,${deps%,}"
SOURCES=("deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY $SUITE-security main")
key=$({ printf '%s\n' "$PACKAGES" "$SUITE" "${SOURCES[@]}"; cat "$HERE/image.sh" "$HERE/agent.sh"; } |
    sha256sum | cut -c1-12)
DIR=$CACHE/system-$key
mkdir -p "$CACHE/apt-archives/partial"
exec 8>"$CACHE/system.lock"
flock 8 # one build at a time; a second run waits and then uses it
if [ "$REBUILD" != --rebuild ] && [ -s "$DIR/root.img" ] &&
    [ -z "$(find "$DIR/root.img" -mtime +$((MAX_AGE_DAYS - 1)))" ]; then
    say "cached $DIR (made $(date -r "$DIR/root.img" '+%F %H:%M'))"
    echo "$DIR"
    exit 0
fi
t=$(date +%s)
say "building (mmdebstrap $SUITE, packages: $PACKAGES)"
TMP=$(mktemp -d /var/tmp/oase-system-image.XXXXXX)
trap 'rm -rf --one-file-system "$TMP"' EXIT
ROOT=$TMP/root
# The hooks: the shared download cache in and out; the image's own settings; the agent.
mmdebstrap --quiet --variant=apt --include="$PACKAGES" \
    --skip=download/empty --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
    --setup-hook="sync-in $CACHE/apt-archives /var/cache/apt/archives" \
    --customize-hook="sync-out /var/cache/apt/archives $CACHE/apt-archives" \
    --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb "$1"/var/cache/apt/archives/partial/*' \
    --customize-hook='echo oase-vm >"$1/etc/hostname"' \
    --customize-hook='echo "/dev/vda / ext4 rw,noatime 0 1" >"$1/etc/fstab"' \
    --customize-hook="upload $HERE/agent.sh /usr/local/sbin/oase-vm-agent" \
    --customize-hook='chmod 0755 "$1/usr/local/sbin/oase-vm-agent"' \
    --customize-hook='printf "%s\n" "[Unit]" "Description=Oase system test agent (second serial port)" \
        "DefaultDependencies=no" "After=systemd-udevd.service local-fs.target" \
        "[Service]" "ExecStart=/usr/local/sbin/oase-vm-agent" "Restart=always" "RestartSec=1" \
        "[Install]" "WantedBy=sysinit.target" >"$1/etc/systemd/system/oase-vm-agent.service"' \
    --customize-hook='chroot "$1" systemctl enable oase-vm-agent.service' \
    --customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer man-db.timer' \
    --customize-hook='cp -L "$1"/vmlinuz "$1"/../vmlinuz && cp -L "$1"/initrd.img "$1"/../initrd.img' \
    "$SUITE" "$ROOT" "${SOURCES[@]}" </dev/null
mb=$(du -sm "$ROOT" | cut -f1)
mkfs.ext4 -q -F -L oase-root -d "$ROOT" "$TMP/root.img" "$((mb + 768))M"
rm -rf "$DIR.new" && mkdir -p "$DIR.new"
mv "$TMP/root.img" "$TMP/vmlinuz" "$TMP/initrd.img" "$DIR.new/"
rm -rf "$DIR" && mv "$DIR.new" "$DIR"
find "$CACHE" -maxdepth 1 -name 'system-*' -type d ! -path "$DIR" -exec rm -rf {} +
say "built in $(($(date +%s) - t)) s ($(du -m "$DIR/root.img" | cut -f1) MB used of $((mb + 768)) MB): $DIR"
echo "$DIR"
