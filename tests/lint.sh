#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The style checker CI runs (.ci/run, through make lint). Usage: tests/lint.sh [format|rules]
#   format  every C file formatted by .clang-format (make format-check)
#   rules   none of the functions STYLE.md bans in firmware, tools or tests; every source
#           file opens with its SPDX licence line; no code comment cites an issue number
#           (say the reason instead: the issue tracker is not in the repository); no
#           #include arrow pointing up the module layers (tests/layers.sh)
# Without an argument: both. Prints what is wrong with file:line; exit 1 when anything is.
set -u
cd "$(dirname "$0")/.."
what=${1:-all}
failed=0
files=$(find firmware tests tools -name '*.[ch]' | sort)
if [ "$what" != rules ]; then
    if ! clang-format --dry-run --Werror $files 2>/tmp/oase-lint.$$; then
        grep -E "error:" /tmp/oase-lint.$$ | head -20
        echo "lint: run make format"
        failed=1
    fi
    rm -f /tmp/oase-lint.$$
    [ $failed = 0 ] && echo "lint: $(wc -w <<<"$files") C files formatted"
fi
[ "$what" = format ] && exit $failed

# strcpy, strcat, sprintf, vsprintf, gets: unbounded; use snprintf and check its result.
# atoi, atol, atoll, atof: "x" becomes 0 without a word; use strtol (strtod) and check end.
banned=$(grep -nE '(^|[^a-z_])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|atof)[[:space:]]*\(' $files |
    grep -vE '(snprintf|vsnprintf)[[:space:]]*\(' || true)
if [ -n "$banned" ]; then
    echo "$banned"
    echo "lint: banned functions (STYLE.md): use snprintf with its size checked, strtol for numbers"
    failed=1
fi

# The licence (LICENSE, EUPL-1.2) on the first line of every C file and header, on the line
# after the shebang (or the first) of every script, make file and the host page's JavaScript.
sources=$(git ls-files --cached --others --exclude-standard -- firmware tests tools assets/web \
    packaging .ci Makefile 2>/dev/null |
    grep -E '\.(c|h|sh|py|mjs|js)$|(^|/)Makefile$|^\.ci/run$|^packaging/debian/(postinst|prerm|postrm)$' |
    sort)
unlicensed=""
for file in $sources; do
    [ -f "$file" ] || continue
    case $file in
    *.c | *.h) want='/* SPDX-License-Identifier: EUPL-1.2 */' ;;
    *.js | *.mjs) want='// SPDX-License-Identifier: EUPL-1.2' ;;
    *) want='# SPDX-License-Identifier: EUPL-1.2' ;;
    esac
    line=1
    [ "$(head -c 2 "$file")" = '#!' ] && line=2
    [ "$(sed -n "${line}p" "$file")" = "$want" ] || unlicensed="$unlicensed $file"
done
if [ -n "$unlicensed" ]; then
    printf '%s: no SPDX licence line\n' $unlicensed
    echo "lint: the first line (after a shebang) must be the file's SPDX-License-Identifier: EUPL-1.2"
    failed=1
fi

# Issue numbers in comments rot: the reason belongs in the comment, the history in git.
cited=$(grep -nEi '(^|[^a-z])issues? [0-9]+' $sources || true)
if [ -n "$cited" ]; then
    echo "$cited"
    echo "lint: a comment cites an issue number: write the reason instead"
    failed=1
fi

# Layers point one way: no include from a module to one of its layer or above.
bash tests/layers.sh -q || failed=1
[ $failed = 0 ] && echo "lint: $(wc -w <<<"$sources") source files licensed, no banned function, no issue number"
exit $failed
