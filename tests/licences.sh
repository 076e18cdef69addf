#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# No GPL-only code in the programs Oase ships (EUPL-1.2, LICENSE). Usage: tests/licences.sh [BUILD]
# 1. Every library oase and the oase-* tools link directly (readelf NEEDED) is listed in
#    packaging/debian/copyright as "soname (package): licence"; the listed package is the
#    Debian package that holds the file, its licence is not GPL-only (LGPL, MIT, BSD, Zlib,
#    public domain ... or a choice that includes one), and the package's own copyright file
#    (/usr/share/doc/PACKAGE/copyright) names that licence.
# 2. Every library loaded with them (ldd) whose Debian copyright gives "Files: *" a GPL-only
#    licence fails too, unless listed below with the reason the library itself is not.
# Exit 1 with what is wrong when anything is.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
COPYRIGHT=packaging/debian/copyright
# Packages whose "Files: *" is GPL-only while the library they ship is not.
not_gpl_only() {
    case $1 in
    libidn2-0) echo "its library sources (Files: *.c *.h) are LGPL-3+ or GPL-2+; Files: * is the idn2 tool" ;;
    *) return 1 ;;
    esac
}
gpl_only() { # LICENCE: true when it is a GPL with no LGPL or other choice beside it
    grep -qE '(^|[^L])GPL' <<<"$1" && ! grep -qiE 'LGPL|Lesser| or ' <<<"$1"
}
family() { # LICENCE -> a pattern its Debian copyright file matches (case-insensitive)
    case $1 in
    LGPL*) echo 'LGPL|Lesser General Public' ;;
    Zlib* | zlib*) echo 'zlib' ;;
    BSD*) echo 'BSD|Redistribution and use' ;;
    public-domain*) echo 'public.domain' ;;
    MIT* | Expat*) echo 'MIT|Expat|Permission is hereby granted' ;;
    *) echo "${1%% *}" ;;
    esac
}
package_of() { # FILE -> Debian package (without :arch)
    local file=$1 found
    found=$(dpkg -S "$file" 2>/dev/null || dpkg -S "$(readlink -f "$file")" 2>/dev/null ||
        dpkg -S "/usr${file#/usr}" 2>/dev/null || dpkg -S "${file#/usr}" 2>/dev/null)
    found=${found%%:*}
    echo "${found%%,*}"
}
failed=0
fail() { echo "FAIL $*"; failed=1; }
binaries=$(ls "$BUILD"/oase "$BUILD"/oase-* 2>/dev/null)
[ -n "$binaries" ] || { echo "licences: no programs in $BUILD (make first)"; exit 1; }
checked=0
for soname in $(for b in $binaries; do readelf -d "$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; done | sort -u); do
    entry=$(grep -E "^ $soname \(" "$COPYRIGHT" | head -1)
    if [ -z "$entry" ]; then
        fail "$soname: linked but not listed in $COPYRIGHT (add ' $soname (package): licence')"
        continue
    fi
    listed_package=$(sed -E 's/^ [^ ]+ \(([^)]+)\).*/\1/' <<<"$entry")
    licence=$(sed -E 's/^ [^ ]+ \([^)]+\): *//' <<<"$entry")
    path=$(ldd $binaries 2>/dev/null | awk -v s="$soname" '$1 == s {print $3; exit}')
    package=$(package_of "$path")
    if [ "$package" != "$listed_package" ]; then
        fail "$soname: $path is in package '$package', $COPYRIGHT says '$listed_package'"
    fi
    if gpl_only "$licence"; then
        fail "$soname ($package): $licence is GPL-only and may not be linked into EUPL-1.2 Oase"
    fi
    if ! grep -qiE "$(family "$licence")" "/usr/share/doc/$package/copyright" 2>/dev/null; then
        fail "$soname: /usr/share/doc/$package/copyright does not name $licence"
    fi
    checked=$((checked + 1))
done
loaded=0
for path in $(ldd $binaries 2>/dev/null | awk '/=>/ && $3 ~ /^\// {print $3}' | sort -u); do
    package=$(package_of "$path")
    [ -n "$package" ] || continue
    main=$(awk '/^Files: \*[[:space:]]*$/ {f = 1; next} f && /^License:/ {sub(/^License: */, ""); print; exit}' \
        "/usr/share/doc/$package/copyright" 2>/dev/null)
    loaded=$((loaded + 1))
    if [ -n "$main" ] && gpl_only "$main" && ! not_gpl_only "$package" >/dev/null; then
        fail "$(basename "$path") ($package): Files: * is $main, GPL-only"
    fi
done
[ $failed = 0 ] && echo "licences: $checked linked libraries listed and not GPL-only; $loaded loaded libraries checked"
exit $failed
