#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Real-browser test of the host page (not part of make test): Debian's chromium driven by
# playwright-core logs in, sees a replayed check-in appear, marks arrivals collected and
# writes docs/screenshots/host-page.png (more screenshots in build/web-shots/).
# Installs chromium (apt) and playwright-core (npm, into tests/web/node_modules) if missing.
#
#   tests/web/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "tests/web: installing ${need_apt[*]} (apt)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi
if [ ! -d tests/web/node_modules/playwright-core ]; then
    echo "tests/web: installing playwright-core (npm)"
    (cd tests/web && npm install --no-audit --no-fund --loglevel=error)
fi

# The harness: the kiosk's modules without a screen, linked against the firmware library.
PKGS="sdl2 SDL2_ttf sqlite3 inih fribidi cairo libgpiod libmicrohttpd gnutls"
make --no-print-directory BUILD="$BUILD" "$BUILD/libfirmware.a"
cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -O2 -g -Ifirmware -Itests \
    $(pkg-config --cflags $PKGS) tests/web/web_harness.c "$BUILD/libfirmware.a" \
    $(pkg-config --libs $PKGS) -lm -lpthread -o "$BUILD/web_harness"

mkdir -p docs/screenshots
SHOTS_DIR="$BUILD/web-shots" node tests/web/host-page.mjs "$BUILD/web_harness"
node tests/web/host-desk.mjs "$BUILD/web_harness"
