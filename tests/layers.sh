#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The module graph of firmware/: lists every #include arrow between modules (directories of
# firmware/) by layer, and fails on any arrow that points up or sideways (to a module of the
# same or a higher layer). A module may include only modules of lower layers.
# Usage: tests/layers.sh [-q]   (-q: print only the arrows that are wrong). Run by make lint.
set -u
cd "$(dirname "$0")/.."

# The layers, lowest first. One line per layer; modules on one line do not include each other.
LAYERS=(
    "core"                     # clock, log, ini values, schedules, hours, services, buffers
    "i18n ui audio lights"     # languages; drawing and text; sound; light drivers
    "store"                    # the only code that touches SQLite; the vocabulary
    "kiosk experiment"         # the journey and staff menu; a randomised room
    "research"                 # export (k-anonymity), statistics, report
    "screens web"              # layout and rendering; the host page and research download
    "config"                   # reads oase.conf, hands each module its section
    "app"                      # wires everything together: main loop, replay, supervision
    "main tools"               # firmware/main.c and tools/*.c
)

quiet=0
[ "${1:-}" = "-q" ] && quiet=1

declare -A level
for i in "${!LAYERS[@]}"; do
    for module in ${LAYERS[$i]}; do
        level[$module]=$i
    done
done

# module of a file: firmware/<module>/x.c -> module; firmware/main.c -> main; tools/x.c -> tools
module_of() {
    case $1 in
    firmware/main.c) echo main ;;
    firmware/*/*) local rest=${1#firmware/} && echo "${rest%%/*}" ;;
    tools/*) echo tools ;;
    *) echo "?" ;;
    esac
}

failed=0
declare -A arrows
while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -E 's/.*#include "([^"/]+)\/.*/\1/' <<<"$line")
    from=$(module_of "$file")
    [ "$from" = "$target" ] && continue
    if [ -z "${level[$from]:-}" ]; then
        echo "layers: $file: module $from has no layer in tests/layers.sh"
        failed=1
        continue
    fi
    if [ -z "${level[$target]:-}" ]; then
        echo "layers: $line: module $target has no layer in tests/layers.sh"
        failed=1
        continue
    fi
    arrows["$from -> $target"]=$((${arrows["$from -> $target"]:-0} + 1))
    if [ "${level[$target]}" -ge "${level[$from]}" ]; then
        echo "layers: $line: $from (layer ${level[$from]}) includes $target (layer ${level[$target]})"
        failed=1
    fi
done < <(grep -nE '^#include "[a-z0-9_]+/' $(find firmware tools -name '*.[ch]' | sort))

if [ $quiet = 0 ]; then
    for i in "${!LAYERS[@]}"; do
        for module in ${LAYERS[$i]}; do
            targets=""
            for arrow in "${!arrows[@]}"; do
                [ "${arrow%% -> *}" = "$module" ] && targets="$targets ${arrow##* -> }(${arrows[$arrow]})"
            done
            targets=$(tr ' ' '\n' <<<"$targets" | sort | tr '\n' ' ' | sed 's/^ *//; s/ *$//')
            printf 'layer %d  %-10s -> %s\n' "$i" "$module" "${targets:-nothing}"
        done
    done
fi
if [ $failed = 0 ]; then
    echo "layers: every include points down (${#arrows[@]} module arrows)"
else
    echo "layers: arrows point up; see docs/architecture.md"
fi
exit $failed
