#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The newcomer's path, proven: a minimal Debian 12 root (mmdebstrap --variant=apt: apt, make,
# git and nothing else), this checkout copied in, then the README's commands inside it:
#   1. make deps               the only step with network (apt from the Debian mirror)
#   2. make test               no network (a private network namespace with only loopback):
#                              a package make deps forgot fails here, and so does a make deps
#                              that wants to install again after installing
#   3. make run under Xvfb     (xvfb and x11-utils installed after the test, so they cannot
#                              hide a missing package): the kiosk must open its window and
#                              still be running after a few seconds, with no error logged
#   4. the .deb (make deb in that root) installed with apt into a second fresh root: its
#      Depends alone must carry the kiosk (libraries, fonts, tzdata): oase --check-config of
#      the installed config and a headless replay with screenshots (all fonts) pass there
# The root is made once and cached as a tarball (OASE_FRESH_CACHE, default /var/cache/oase-ci)
# and unpacked afresh for every run; it is rebuilt when missing, older than 7 days or when the
# mmdebstrap command changes. Downloaded .debs are kept in the cache too (apt's archive
# folder), which only saves downloads: what gets installed is decided inside the root.
# Needs root, unshare (util-linux), mmdebstrap and ip (iproute2); installs the last two when
# missing.
# Usage: tests/fresh/run.sh [--rebuild] [--no-run-check] [--no-deb-check]
# Environment: OASE_FRESH_MIRROR (default http://deb.debian.org/debian),
#   OASE_FRESH_SECURITY (default http://deb.debian.org/debian-security), OASE_FRESH_CACHE.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${OASE_FRESH_CACHE:-/var/cache/oase-ci}
MIRROR=${OASE_FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY=${OASE_FRESH_SECURITY:-http://deb.debian.org/debian-security}
SUITE=bookworm
MAX_AGE_DAYS=7
rebuild=0 run_check=1 deb_check=1
for arg in "$@"; do
    case $arg in
    --rebuild) rebuild=1 ;;
    --no-run-check) run_check=0 ;;
    --no-deb-check) deb_check=0 ;;
    *) echo "tests/fresh/run.sh: unknown argument \"$arg\": accepted: --rebuild, --no-run-check, --no-deb-check" >&2
       exit 2 ;;
    esac
done
if [ "$(id -u)" != 0 ]; then
    echo "tests/fresh/run.sh: needs root (mmdebstrap, chroot, namespaces); run it as root or with sudo" >&2
    exit 2
fi
stamp() { date +%s; }
took() { echo "$(($(stamp) - $1)) s"; }
t_all=$(stamp)
step="setting up"
WORK=
announce() { # STEP: says which step runs (a failure names it)
    step=$1
    echo "fresh: $1"
}
cleanup() {
    local status=$?
    # mounts live in the namespace of each step and vanish with it; nothing to unmount
    [ -z "$WORK" ] || rm -rf --one-file-system "$WORK"
    [ "$status" = 0 ] || echo "fresh: FAILED (exit status $status) in: $step" >&2
}
trap cleanup EXIT

# mmdebstrap makes the root; ip (iproute2) brings up loopback in the steps without network
missing=
command -v mmdebstrap >/dev/null || missing="$missing mmdebstrap"
command -v ip >/dev/null || missing="$missing iproute2"
if [ -n "$missing" ]; then
    echo "fresh: installing$missing"
    # shellcheck disable=SC2086 # one word per package
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing </dev/null
fi

# --- 1. the cached minimal root ------------------------------------------------------------
MM_OPTS=(--variant=apt "--include=make,git")
MM_SOURCES=("deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main"
    "deb $SECURITY $SUITE-security main")
key=$(printf '%s\n' "${MM_OPTS[@]}" "$SUITE" "${MM_SOURCES[@]}" | sha256sum | cut -c1-12)
TARBALL="$CACHE/debian-$SUITE-apt-$key.tar"
mkdir -p "$CACHE/apt-archives/partial"
exec 9>"$CACHE/lock"
flock 9 # one build of the root at a time; concurrent runs wait, then share it
if [ "$rebuild" = 1 ] || [ ! -s "$TARBALL" ] ||
    [ -n "$(find "$TARBALL" -mtime +$((MAX_AGE_DAYS - 1)) 2>/dev/null)" ]; then
    t=$(stamp)
    announce "building the minimal Debian 12 root: mmdebstrap ${MM_OPTS[*]} $SUITE ... ${MM_SOURCES[*]}"
    # stdin is /dev/null: mmdebstrap reads a sources.list from a non-terminal stdin
    mmdebstrap --quiet "${MM_OPTS[@]}" "$SUITE" "$CACHE/new-$key.tar" "${MM_SOURCES[@]}" </dev/null
    mv "$CACHE/new-$key.tar" "$TARBALL"
    find "$CACHE" -maxdepth 1 -name 'debian-*.tar' ! -path "$TARBALL" -delete
    echo "fresh: root built in $(took "$t") ($(du -m "$TARBALL" | cut -f1) MB): $TARBALL"
else
    echo "fresh: cached root $TARBALL (made $(date -r "$TARBALL" '+%F %H:%M'))"
fi
flock -u 9

# --- 2. a fresh copy of it, with the checkout ------------------------------------------
WORK=$(mktemp -d /var/tmp/oase-fresh.XXXXXX)
# unpack DIR: a fresh copy of the cached root in DIR, with the host's resolv.conf (for apt).
# dpkg skips its fsync calls there (force-unsafe-io): the root is thrown away after the run,
# and what gets installed is the same.
unpack() {
    mkdir -p "$1"
    tar -xf "$TARBALL" -C "$1"
    cp /etc/resolv.conf "$1/etc/resolv.conf"
    echo force-unsafe-io >"$1/etc/dpkg/dpkg.cfg.d/oase-ci-unsafe-io"
}
ROOT=$WORK/root
step="unpacking the root and copying the checkout in"
t=$(stamp)
unpack "$ROOT"
mkdir -p "$ROOT/root/oase"
# The files git knows (tracked, or new and not ignored) as they are in the working tree:
# what a clean clone of this commit holds, plus uncommitted edits; never build/ folders.
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 -r sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf -) | tar -xf - -C "$ROOT/root/oase"
else
    tar -C "$REPO" --exclude='./build*' --exclude=./.git --exclude=./tests/web/node_modules -cf - . |
        tar -xf - -C "$ROOT/root/oase"
fi
echo "fresh: root unpacked and checkout copied in $(took "$t")"

# in_root NET COMMAND: runs COMMAND (bash -c, in /root/oase when it exists) as root inside
# the root $ROOT, in its own
# mount and PID namespaces (/proc, /dev, /dev/pts, /dev/shm and apt's download cache are
# mounted there and gone when it ends). NET=net shares the host's network; NET=none gets a
# private network namespace with only loopback.
in_root() {
    local net=$1 cmd=$2 flags=(--mount --pid --fork --propagation private)
    [ "$net" = none ] && flags+=(--net)
    unshare "${flags[@]}" -- env ROOT="$ROOT" CACHE="$CACHE" NET="$net" CMD="$cmd" bash -c '
        set -e
        [ "$NET" = none ] && ip link set lo up
        mount -t proc proc "$ROOT/proc"
        mount -t tmpfs -o mode=0755,nosuid dev "$ROOT/dev"
        for node in null zero full random urandom tty; do
            touch "$ROOT/dev/$node" && mount --bind "/dev/$node" "$ROOT/dev/$node"
        done
        mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
        mount -t devpts -o newinstance,ptmxmode=0666 devpts "$ROOT/dev/pts"
        ln -s pts/ptmx "$ROOT/dev/ptmx"
        mount -t tmpfs -o mode=1777 shm "$ROOT/dev/shm"
        ln -s /proc/self/fd "$ROOT/dev/fd"
        mount --bind "$CACHE/apt-archives" "$ROOT/var/cache/apt/archives"
        exec chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 CI=true \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            bash -c "cd /root/oase 2>/dev/null || cd /; $CMD" </dev/null'
}

t=$(stamp)
announce "make deps (network: the Debian mirror)"
in_root net 'make deps'
t_deps=$(took "$t")
echo "fresh: make deps took $t_deps"

t=$(stamp)
announce "make test (no network)"
in_root none 'make test'
t_test=$(took "$t")
echo "fresh: make test took $t_test"

t_run=skipped
if [ "$run_check" = 1 ]; then
    t=$(stamp)
    announce "make run under Xvfb (installing xvfb, xauth, x11-utils for the check only)"
    in_root net 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth x11-utils >/dev/null'
    in_root none 'tests/fresh/run_window.sh'
    t_run=$(took "$t")
fi
t_deb=skipped
if [ "$deb_check" = 1 ]; then
    t=$(stamp)
    announce "make deb, installed with apt into a second fresh root (its Depends only)"
    in_root none 'make --no-print-directory deb'
    deb=$(find "$ROOT/root/oase/build" -maxdepth 1 -name 'oase_*.deb' | head -1)
    [ -n "$deb" ] || { echo "fresh: make deb made no package" >&2; exit 1; }
    ROOT=$WORK/root-deb
    unpack "$ROOT"
    cp "$deb" "$ROOT/tmp/oase.deb"
    cp "$WORK/root/root/oase/tests/fresh/deb_check.sh" "$ROOT/tmp/deb_check.sh"
    in_root net 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/oase.deb >/tmp/apt.out 2>&1 || { tail -20 /tmp/apt.out; exit 1; }'
    in_root none 'bash /tmp/deb_check.sh'
    t_deb=$(took "$t")
fi
echo "fresh: passed: make deps $t_deps, make test $t_test, make run check $t_run, .deb check $t_deb; whole step $(took "$t_all")"
