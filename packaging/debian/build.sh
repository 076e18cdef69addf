#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Builds the .deb from a staged install (make deb calls this after
# `make install-files DESTDIR=STAGE/root PREFIX=/usr`).
# Usage: packaging/debian/build.sh STAGE ARCH VERSION OUTDIR -> OUTDIR/oase_VERSION_ARCH.deb
# Depends come from dpkg-shlibdeps (the libraries the binaries really link, with the
# versions of the machine that built them); when it cannot run, the Bookworm list below.
set -euo pipefail
STAGE=$1 ARCH=$2 VERSION=$3 OUTDIR=$4
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT="$STAGE/root"
OUT="$OUTDIR/oase_${VERSION}_${ARCH}.deb"
# What dpkg-shlibdeps cannot see, because nothing links it: the fonts the config names; tzdata
# (the kiosk refuses to start without its time zone: core/timezone.h); and what SDL opens at
# run time for KMS/DRM on a console without a desktop: GBM, EGL, GLES and Mesa's drivers; and
# what postinst makes the user with (systemd-sysusers, else adduser).
EXTRA_DEPENDS="fonts-noto-core, tzdata, libgbm1, libegl1, libgles2, libgl1-mesa-dri, adduser | systemd"
BOOKWORM_DEPENDS="libc6, libsdl2-2.0-0, libsdl2-ttf-2.0-0, libsqlite3-0, libinih1, libfribidi0, libcairo2, libgpiod2, libmicrohttpd12, libgnutls30"

[ -x "$ROOT/usr/bin/oase" ] || { echo "build.sh: $ROOT/usr/bin/oase is missing" >&2; exit 1; }
mkdir -p "$ROOT/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$HERE/$script" "$ROOT/DEBIAN/$script"
done
# Debug symbols stay in the build folder; the package carries stripped programs.
case "$ARCH" in
"$(dpkg --print-architecture)") strip_tool="strip" ;;
arm64) strip_tool=aarch64-linux-gnu-strip ;;
*) strip_tool=true ;;
esac
find "$ROOT/usr/bin" -type f -perm -u+x -exec "$strip_tool" --strip-unneeded {} +
# Every file under /etc is the administrator's: dpkg keeps their changes on upgrade.
(cd "$ROOT" && find etc -type f -printf '/%p\n' | sort) >"$ROOT/DEBIAN/conffiles"

# dpkg-shlibdeps wants a debian/control beside it; a scratch one is enough.
scratch="$STAGE/shlibdeps"
mkdir -p "$scratch/debian"
printf 'Source: oase\n\nPackage: oase\nArchitecture: any\n' >"$scratch/debian/control"
binaries=()
while IFS= read -r -d '' f; do binaries+=("-e$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done \
    < <(find "$ROOT/usr/bin" -type f -perm -u+x -print0)
if shlibs=$(cd "$scratch" && DEB_HOST_ARCH="$ARCH" dpkg-shlibdeps -O "${binaries[@]}" 2>"$scratch/err"); then
    depends="${shlibs#shlibs:Depends=}, $EXTRA_DEPENDS"
else
    echo "build.sh: dpkg-shlibdeps failed ($(head -1 "$scratch/err")); using the Bookworm list" >&2
    depends="$BOOKWORM_DEPENDS, $EXTRA_DEPENDS"
fi
rm -rf "$scratch"

(cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$ROOT/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$size/" \
    -e "s/@DEPENDS@/$depends/" "$HERE/control.in" >"$ROOT/DEBIAN/control"

dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$OUT" >/dev/null
echo "$OUT: $(du -k "$OUT" | cut -f1) KiB, Depends: $depends"
