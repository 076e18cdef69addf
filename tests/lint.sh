#!/usr/bin/env bash
# The style checker CI runs (.ci/run): every C file formatted by .clang-format, and none of
# the functions STYLE.md bans (unbounded string writes) in firmware, tools or tests, and no
# #include arrow pointing up the module layers (tests/layers.sh).
# Prints what is wrong with file:line; exit 1 when anything is.
set -u
cd "$(dirname "$0")/.."
failed=0
files=$(find firmware tests tools -name '*.[ch]' | sort)
if ! clang-format --dry-run --Werror $files 2>/tmp/oase-lint.$$; then
    grep -E "error:" /tmp/oase-lint.$$ | head -20
    echo "lint: run make format"
    failed=1
fi
rm -f /tmp/oase-lint.$$
# strcpy, strcat, sprintf, vsprintf, gets: unbounded; use snprintf and check its result.
banned=$(grep -nE '(^|[^a-z_])(strcpy|strcat|sprintf|vsprintf|gets)[[:space:]]*\(' $files |
    grep -vE '(snprintf|vsnprintf)[[:space:]]*\(' || true)
if [ -n "$banned" ]; then
    echo "$banned"
    echo "lint: banned functions (STYLE.md): use snprintf with its size checked"
    failed=1
fi
# Layers point one way: no include from a module to one of its layer or above (tests/layers.sh).
bash tests/layers.sh -q || failed=1
[ $failed = 0 ] && echo "lint: $(wc -w <<<"$files") files formatted, no banned function"
exit $failed
