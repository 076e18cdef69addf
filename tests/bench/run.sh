#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make bench: performance figures of the real oase binary, headless at 800x480, and of the
# same welcome screen in Debian's Chromium; one Markdown table into docs/benchmarks.md.
#
#   tests/bench/run.sh BUILD           full run (about 6 minutes), writes docs/benchmarks.md
#   tests/bench/run.sh BUILD --quick   each measurement once and briefly (under 20 s): checks
#                                      that they still work, never judges the numbers; the
#                                      table goes to BUILD/bench/quick.md
#
# Oase is measured from outside: tests/bench/bench_proc (wall time, peak memory, CPU and
# wake-ups from /proc) and tests/bench/shim_sdl.so (LD_PRELOAD; sees SDL_RenderPresent and
# the event calls of the unchanged binary); bench_mixer is rendered under callgrind. Every
# other build/bench/bench_* program prints its own table rows (bench_commit: the store;
# bench_lights: the PWM thread; bench_audio: the mixer's CPU); in quick mode only those
# whose source mentions --quick run, with --quick. Exit status 1 when a measurement broke.
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
BUILD=${1:-build}
QUICK=0
[ "${2:-}" = --quick ] && QUICK=1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
case $BUILD in /*) BUILD_ABS=$BUILD ;; *) BUILD_ABS=$ROOT/$BUILD ;; esac
OASE=$BUILD/oase
PROC=$BUILD/bench/bench_proc
SHIM=$BUILD_ABS/bench/shim_sdl.so
PEER=$ROOT/tests/bench/peer/welcome.html
CHROMIUM=/usr/lib/chromium/chromium # the browser itself, not the /usr/bin shell wrapper
export TZ=Europe/Amsterdam
# Headless without SDL_AUDIODRIVER means no sound device: the audio engine is opened offline
# and nothing plays, so the idle and start figures are the kiosk's own; the mixer has its
# own rows (bench_mixer, bench_audio). With a device, closing it adds ~110 ms to the exit.
unset SDL_AUDIODRIVER

if [ $QUICK = 1 ]; then
    RUNS=1 FIRST_RUNS=1 JOURNEYS=5 TAPS=20 IDLE_SETTLE_MS=500 IDLE_MS=2000 PEER_RUNS=1
else
    RUNS=3 FIRST_RUNS=21 JOURNEYS=100 TAPS=1000 IDLE_SETTLE_MS=2000 IDLE_MS=60000 PEER_RUNS=5
fi

for f in "$OASE" "$PROC"; do
    [ -x "$f" ] || { echo "run.sh: $f is missing: run make bench (or make all $PROC)" >&2; exit 1; }
done
mkdir -p "$BUILD/bench"
WORK=$(mktemp -d "$BUILD_ABS/bench/work.XXXXXX") # on the build disk: fsync is real there
trap 'rm -rf "$WORK"' EXIT

rows=()     # Markdown table rows
broken=()   # what failed to work
row()   { rows+=("| $1 | $2 | $3 |"); }
broke() { broken+=("$1"); echo "run.sh: BROKEN: $1" >&2; }
note()  { echo "run.sh: $*" >&2; }
kv()    { awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null; } # FILE KEY
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# nearest-rank percentile P (0..100) of the numbers in a file, one a line
percentile() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; if (NR) print v[r] }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }              # VALUE PRINTF-FORMAT
# compare OASE PEER BETTER WORSE: "12.3x BETTER" when Oase's figure is the smaller, else "2.0x WORSE"
compare() { awk -v o="$1" -v p="$2" -v good="$3" -v bad="$4" 'BEGIN {
    if (o <= 0 || p <= 0) print "n/a"; else if (p >= o) printf "%.1fx %s", p / o, good; else printf "%.1fx %s", o / p, bad }'; }

# --- the LD_PRELOAD shim (no main: built here, not by the Makefile's bench_% rule) -----
if [ ! -f "$SHIM" ] || [ tests/bench/shim_sdl.c -nt "$SHIM" ]; then
    # shellcheck disable=SC2046
    if ! ${CC:-cc} -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -O2 -g \
        -fPIC -shared $(pkg-config --cflags sdl2) tests/bench/shim_sdl.c -o "$SHIM" -ldl -lpthread; then
        echo "run.sh: cannot build $SHIM" >&2
        exit 1
    fi
fi

# --- configs: the shipped one at 800x480 with the departure tap on; and animation off ---
CONF_ON=$WORK/animation-on.conf CONF_OFF=$WORK/animation-off.conf
sed -e 's/^width = auto$/width = 800/' -e 's/^height = auto$/height = 480/' \
    -e 's/^departure_tap = off$/departure_tap = on/' config/oase.conf >"$CONF_ON"
sed -e 's/^calm_animation = on$/calm_animation = off/' "$CONF_ON" >"$CONF_OFF"
for want in "width = 800" "height = 480" "departure_tap = on"; do
    grep -qx "$want" "$CONF_ON" || broke "config/oase.conf no longer has the line the bench edits into \"$want\""
done
grep -qx "calm_animation = off" "$CONF_OFF" || broke "config/oase.conf has no \"calm_animation = on\" line to switch off"

# oase_run OUT_PREFIX CONF DB [bench_proc options...] -- [oase options...]
# Runs oase headless under bench_proc with the shim; OUT_PREFIX.proc and OUT_PREFIX.shim.
oase_run() {
    local out=$1 conf=$2 db=$3; shift 3
    local proc_opts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do proc_opts+=("$1"); shift; done
    shift
    OASE_SHIM_OUT=$out.shim LD_PRELOAD=$SHIM "$PROC" "${proc_opts[@]}" -- \
        "$OASE" --headless --quiet --config "$conf" --db "$db" "$@" >"$out.proc" 2>"$out.err"
}
ran_ok() { [ "$(kv "$1.proc" exit)" = 0 ] && [ "$(kv "$1.proc" timed_out)" = 0 ]; }

# --- 1. start to first frame --------------------------------------------------------
oase_run "$WORK/warm" "$CONF_ON" "$WORK/start.db" --sample-ms 0 -- --replay tests/bench/first_frame.replay
ff=() ffx=() ffrss=()
for ((i = 0; i < FIRST_RUNS; i++)); do
    oase_run "$WORK/ff$i" "$CONF_ON" "$WORK/start.db" --sample-ms 0 -- --replay tests/bench/first_frame.replay
    if ! ran_ok "$WORK/ff$i" || [ -z "$(kv "$WORK/ff$i.shim" first_frame_ms)" ]; then
        broke "start to first frame: oase did not present a frame and exit 0 ($(tail -2 "$WORK/ff$i.err"))"
        break
    fi
    ff+=("$(kv "$WORK/ff$i.shim" first_frame_ms)")
    ffx+=("$(kv "$WORK/ff$i.proc" wall_ms)")
    ffrss+=("$(kv "$WORK/ff$i.proc" maxrss_kb)")
done
if [ ${#ff[@]} -gt 0 ]; then
    OASE_START=$(median "${ffx[@]}")
    row "start to first frame presented (fork -> first SDL_RenderPresent returns)" \
        "$(fmt "$(median "${ff[@]}")" "%.1f ms")" \
        "<= 60 ms; median of ${#ff[@]} warm starts (existing database, files in the page cache); wall clock"
    row "start to first frame and exit (replay: expect-screen welcome)" \
        "$(fmt "$OASE_START" "%.1f ms")" \
        "for the Chromium comparison below; peak RSS $(fmt "$(median "${ffrss[@]}")" "%.0f") KB; wall clock"
fi

# --- 2. peak memory over N visitor journeys -------------------------------------------
gen_journeys() { # COUNT: a generated day of visitors (check-ins, languages, departures, timeouts)
    local count=$1 checkins=0 i lang langs=(nl en ar tr pl uk)
    echo "# Generated by tests/bench/run.sh: $count visitor journeys through one day."
    echo "start 2026-03-02 08:30"
    for ((i = 0; i < count; i++)); do
        case $((i % 10)) in
        3) # on the way out: the departure question
            printf 'tap leave\ntap skip\ntap score:%d\nexpect-screen goodbye\ntap ok\n' $((i % 11)) ;;
        7) # walks away on the stress question: inactivity (30 s), then still-there (15 s)
            printf 'tap checkin\ntap service:%d\nexpect-screen stress\nwait 46000\n' $((i % 4 + 1)) ;;
        *)
            lang=${langs[i % 6]}
            [ "$lang" = nl ] || echo "tap lang:$lang"
            printf 'tap checkin\ntap service:%d\n' $((i % 4 + 1))
            if ((i % 5 == 1)); then echo "tap skip"; else echo "tap score:$((i % 11))"; fi
            if ((i % 2)); then echo "tap word:yes"; else echo "tap word:no"; fi
            printf 'expect-screen checked-in\ntap ok\n'
            checkins=$((checkins + 1))
            if ((checkins > 2)); then echo "host $((checkins - 2)) collected"; fi ;;
        esac
        echo "expect-screen welcome"
        echo "wait $((60000 + (i * 7919) % 120000))"
    done
}
gen_journeys "$JOURNEYS" >"$WORK/journeys.replay"
expected_checkins=$(grep -c '^expect-screen checked-in' "$WORK/journeys.replay")
jrss=() jwall=()
for ((i = 0; i < RUNS; i++)); do
    rm -f "$WORK/journeys.db"*
    oase_run "$WORK/j$i" "$CONF_ON" "$WORK/journeys.db" --sample-ms 0 -- --replay "$WORK/journeys.replay"
    got=$(sqlite3 "$WORK/journeys.db" "select count(*) from arrivals" 2>&1)
    if ! ran_ok "$WORK/j$i" || [ "$got" != "$expected_checkins" ]; then
        broke "$JOURNEYS-journey replay: exit $(kv "$WORK/j$i.proc" exit), $got of $expected_checkins check-ins ($(tail -2 "$WORK/j$i.err"))"
        break
    fi
    jrss+=("$(kv "$WORK/j$i.proc" maxrss_kb)")
    jwall+=("$(kv "$WORK/j$i.proc" wall_ms)")
done
if [ ${#jrss[@]} -gt 0 ]; then
    row "peak resident memory over a $JOURNEYS-journey replay" \
        "$(awk -v k="$(median "${jrss[@]}")" 'BEGIN { printf "%.1f MB (%d KB)", k / 1024, k }')" \
        "<= 32 MB; VmHWM via wait4; all six languages, departures, timeouts, $expected_checkins check-ins; median of ${#jrss[@]}; replay took $(fmt "$(median "${jwall[@]}")" "%.0f") ms"
fi

# --- 3. idle on the welcome screen: CPU, wake-ups, frames ------------------------------
idle_runs=$RUNS
declare -A icpu iwake imain iturns iframes irss OASE_FRAMES
for ((i = 0; i < idle_runs; i++)); do
    for mode in on off; do
        conf=$CONF_ON; [ $mode = off ] && conf=$CONF_OFF
        # both side by side: each sleeps nearly all the time, and CPU time is per thread
        oase_run "$WORK/idle-$mode$i" "$conf" "$WORK/idle-$mode.db" --settle-ms "$IDLE_SETTLE_MS" \
            --window-ms "$IDLE_MS" --sample-ms 500 -- &
    done
    wait
    for mode in on off; do
        f=$WORK/idle-$mode$i
        # stopped by SIGTERM: SDL turns it into SDL_QUIT, so a clean exit 0 is expected
        if ! ran_ok "$f" || [ -z "$(kv "$f.proc" cpu_pct)" ] || [ "$(kv "$f.shim" presents)" = 0 ]; then
            broke "idle, animation $mode: exit $(kv "$f.proc" exit), $(kv "$f.shim" presents) frames ($(tail -2 "$f.err"))"
            continue
        fi
        icpu[$mode]+=" $(kv "$f.proc" cpu_pct)"
        iwake[$mode]+=" $(kv "$f.proc" wakeups_per_s)"
        imain[$mode]+=" $(kv "$f.proc" main_wakeups_per_s)"
        iturns[$mode]+=" $(kv "$f.shim" loop_turns_per_s)"
        iframes[$mode]+=" $(kv "$f.shim" presents_per_s)"
        irss[$mode]+=" $(kv "$f.proc" maxrss_kb)"
    done
done
idle_s=$((IDLE_MS / 1000))
for mode in on off; do
    [ -n "${icpu[$mode]:-}" ] || continue
    # shellcheck disable=SC2086
    {
        cpu=$(median ${icpu[$mode]}) wake=$(median ${iwake[$mode]}) main=$(median ${imain[$mode]})
        turns=$(median ${iturns[$mode]}) frames=$(median ${iframes[$mode]})
    }
    target="<= 2 %"; [ $mode = off ] && target="<= 0.5 %"
    declare "OASE_IDLE_$mode=$cpu"
    OASE_FRAMES[$mode]=$frames
    if [ $mode = on ] && awk -v f="$frames" 'BEGIN { exit !(f < 1) }'; then
        STILL_SCENE=1
        note "with calm animation on, the idle kiosk drew $frames frames/s: the scene does not move"
    fi
    row "CPU while idle on the welcome screen, calm animation $mode, over $idle_s s" \
        "$(fmt "$cpu" "%.2f") % of one core" \
        "$target; all threads (schedstat); frames drawn $(fmt "$frames" "%.1f")/s; median of $idle_runs; wall clock"
    row "wake-ups per second while idle, calm animation $mode" \
        "$(fmt "$wake" "%.0f")/s" \
        "voluntary context switches of all threads ($(fmt "$main" "%.0f")/s on the main thread; on the dummy driver, as on KMS/DRM, where SDL 2.26 only polls, the main loop sleeps in 10 ms steps); SDL_WaitEventTimeout calls $(fmt "$turns" "%.1f")/s; counts"
done
# shellcheck disable=SC2086
OASE_IDLE_RSS=$(median ${irss[on]:-0})

# --- 4. tap to the frame that shows its feedback ----------------------------------------
tp99=() tp50=() tmax=() tdel=()
for ((i = 0; i < RUNS; i++)); do
    f=$WORK/tap$i
    OASE_SHIM_TAPS=$TAPS OASE_SHIM_PRESS="400,246;206,432" OASE_SHIM_RELEASE="400,340" \
        oase_run "$f" "$CONF_ON" "$WORK/tap.db" --sample-ms 0 --timeout-ms 120000 --
    awk '$1 == "tap" { print $2 }' "$f.shim" >"$f.lat"
    awk '$1 == "tap" { print $3 }' "$f.shim" >"$f.del"
    if ! ran_ok "$f" || [ "$(kv "$f.shim" taps)" != "$TAPS" ] || [ "$(kv "$f.shim" taps_missed)" != 0 ]; then
        broke "taps: exit $(kv "$f.proc" exit), $(kv "$f.shim" taps) of $TAPS presses shown, $(kv "$f.shim" taps_missed) without a frame ($(tail -2 "$f.err"))"
        break
    fi
    tp99+=("$(percentile "$f.lat" 99)") tp50+=("$(percentile "$f.lat" 50)")
    tmax+=("$(percentile "$f.lat" 100)") tdel+=("$(percentile "$f.del" 99)")
done
if [ ${#tp99[@]} -gt 0 ]; then
    row "tap event to the frame that shows its feedback presented, p99 of $TAPS" \
        "$(fmt "$(median "${tp99[@]}")" "%.2f") ms" \
        "<= 16.7 ms; p50 $(fmt "$(median "${tp50[@]}")" "%.2f") ms, max $(fmt "$(median "${tmax[@]}")" "%.2f") ms; event queued -> main loop takes it (p99 $(fmt "$(median "${tdel[@]}")" "%.2f") ms) -> pressed button drawn and presented; live loop, animation on; median of ${#tp99[@]} runs; wall clock"
fi

# --- 5. instruction counts (valgrind callgrind) -------------------------------------------
if command -v valgrind >/dev/null; then
    cg() { # NAME EXTRA-ENV...: Ir inside app_draw, and frames presented
        env "${@:2}" OASE_SHIM_OUT="$WORK/$1.shim" LD_PRELOAD="$SHIM" valgrind --tool=callgrind \
            --callgrind-out-file="$WORK/$1.cg" --toggle-collect=app_draw \
            "$OASE" --headless --quiet --config "$CONF_ON" --db "$WORK/cg.db" >"$WORK/$1.err" 2>&1
    }
    if cg cold OASE_SHIM_QUIT_AFTER=1 && [ "$(kv "$WORK/cold.shim" presents)" = 1 ]; then
        cold=$(awk '$1 == "summary:" { print $2 }' "$WORK/cold.cg")
        if [ $QUICK = 0 ] && cg warm OASE_SHIM_TAPS=5 OASE_SHIM_PRESS="400,246" OASE_SHIM_RELEASE="400,340" &&
            [ "$(kv "$WORK/warm.shim" taps)" = 5 ]; then
            warm=$(awk '$1 == "summary:" { print $2 }' "$WORK/warm.cg")
            frames=$(($(kv "$WORK/warm.shim" presents) - 1))
            row "instructions for one welcome-screen frame (app_draw, warm)" \
                "$(awk -v a="$warm" -v b="$cold" -v n="$frames" 'BEGIN { printf "%.2f M", (a - b) / n / 1e6 }') Ir" \
                "callgrind count over $frames frames (button pressed / released) minus the first; software renderer, 800x480; count"
        elif [ $QUICK = 0 ]; then
            broke "callgrind of warm frames ($(tail -2 "$WORK/warm.err"))"
        fi
        row "instructions for the first frame (app_draw, cold: fonts, text and scene caches)" \
            "$(awk -v a="$cold" 'BEGIN { printf "%.1f M", a / 1e6 }') Ir" "callgrind; count"
    else
        broke "callgrind of the first frame ($(tail -2 "$WORK/cold.err"))"
    fi
else
    note "valgrind is not installed: no instruction counts (apt-get install valgrind)"
    row "instruction counts (callgrind)" "not measured" "valgrind is not installed"
fi
if command -v valgrind >/dev/null && [ -x "$BUILD/bench/bench_mixer" ]; then
    sources="sea rain forest" seconds=4
    [ $QUICK = 1 ] && sources=sea seconds=1
    for source in $sources; do
        if valgrind --tool=callgrind --callgrind-out-file="$WORK/mix-$source.cg"             --toggle-collect=bench_mixer_measure "$BUILD/bench/bench_mixer" "$source" "$seconds"             >"$WORK/mix-$source.err" 2>&1; then
            ir=$(awk '$1 == "summary:" { print $2 }' "$WORK/mix-$source.cg")
            row "instructions of the audio mixer per second of audio, $source"                 "$(awk -v a="$ir" -v s="$seconds" 'BEGIN { printf "%.2f M", a / s / 1e6 }') Ir"                 "audio_render, 48 kHz stereo float in 1024-frame slices, after the fade-in; callgrind over $seconds s; count"
        else
            broke "callgrind of the audio mixer ($source): $(tail -2 "$WORK/mix-$source.err")"
        fi
    done
elif [ ! -x "$BUILD/bench/bench_mixer" ]; then
    row "instructions of the audio mixer" "not measured" "$BUILD/bench/bench_mixer was not built"
fi

# --- 6. the other bench programs print their own rows ---------------------------------
for prog in "$BUILD"/bench/bench_*; do
    name=$(basename "$prog")
    if [ ! -x "$prog" ] || [ ! -f "tests/bench/$name.c" ] || [ "$name" = bench_proc ] ||
        [ "$name" = bench_mixer ]; then # tools of this script, not row printers
        continue
    fi
    args=()
    if [ $QUICK = 1 ]; then
        if ! grep -q -- '--quick' "tests/bench/$name.c"; then
            note "quick mode: $name skipped (it takes no --quick)"
            continue
        fi
        args=(--quick)
    fi
    if TMPDIR=$WORK "$prog" "${args[@]}" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
        while IFS= read -r line; do rows+=("$line"); done < <(grep '^|' "$WORK/$name.out")
    else
        broke "$name exited with status $? ($(tail -2 "$WORK/$name.err"))"
    fi
done

# --- 7. side by side: the same welcome screen in Chromium --------------------------------
# shellcheck disable=SC2054 # --window-size=800,480 is one argument
CHROMIUM_FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync --window-size=800,480)
if [ ! -x "$CHROMIUM" ] && [ $QUICK = 0 ]; then
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    note "installing Debian's chromium for the comparison (apt-get install chromium)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >"$WORK/apt.log" 2>&1 ||
        note "could not install chromium: $(tail -1 "$WORK/apt.log")"
fi
chromium_run() { # OUT [bench_proc options] -- [chromium options]: a fresh profile each time
    local out=$1; shift
    local proc_opts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do proc_opts+=("$1"); shift; done
    shift
    local profile; profile=$(mktemp -d "$WORK/profile.XXXXXX")
    "$PROC" "${proc_opts[@]}" -- "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$profile" "$@" \
        >"$out.proc" 2>"$out.err"
}
if [ -x "$CHROMIUM" ]; then
    version=$("$CHROMIUM" --version 2>/dev/null | head -1 | sed 's/ *$//')
    cstart=() crss=() cpss=()
    for ((i = 0; i < PEER_RUNS; i++)); do # time alone: no /proc sampling beside it
        chromium_run "$WORK/cs$i" --sample-ms 0 -- --screenshot="$WORK/peer$i.png" "file://$PEER"
        if ! ran_ok "$WORK/cs$i" || [ ! -s "$WORK/peer$i.png" ]; then
            broke "Chromium screenshot of the peer page: exit $(kv "$WORK/cs$i.proc" exit) ($(grep -v dbus "$WORK/cs$i.err" | tail -2))"
            break
        fi
        cstart+=("$(kv "$WORK/cs$i.proc" wall_ms)")
    done
    for ((i = 0; i < RUNS; i++)); do # memory: all its processes, every 10 ms
        chromium_run "$WORK/cm$i" --sample-ms 10 --pss -- --screenshot="$WORK/peerm$i.png" "file://$PEER"
        ran_ok "$WORK/cm$i" || { broke "Chromium memory run: exit $(kv "$WORK/cm$i.proc" exit)"; break; }
        crss+=("$(kv "$WORK/cm$i.proc" peak_rss_kb)") cpss+=("$(kv "$WORK/cm$i.proc" peak_pss_kb)")
    done
    if [ ${#cstart[@]} -gt 0 ] && [ -n "${OASE_START:-}" ]; then
        c=$(median "${cstart[@]}")
        row "start to first frame: Oase / Chromium" \
            "$(fmt "$OASE_START" "%.0f") ms / $(fmt "$c" "%.0f") ms = $(compare "$OASE_START" "$c" faster slower)" \
            ">= 20x; fork -> screenshot written and exit (chromium --screenshot) vs first frame and exit; medians of ${#ff[@]} and ${#cstart[@]}; wall clock"
    fi
    if [ ${#crss[@]} -gt 0 ] && [ "$OASE_IDLE_RSS" != 0 ]; then
        c=$(median "${crss[@]}")
        row "peak memory showing the welcome screen: Oase / Chromium" \
            "$(awk -v o="$OASE_IDLE_RSS" -v c="$c" 'BEGIN { printf "%.1f MB / %.0f MB", o / 1024, c / 1024 }') = $(compare "$OASE_IDLE_RSS" "$c" less more)" \
            ">= 8x; Oase: VmHWM over the idle run; Chromium: peak of RSS summed over its processes (sum of PSS, shared pages counted once: $(awk -v p="$(median "${cpss[@]}")" 'BEGIN { printf "%.0f", p / 1024 }') MB = $(compare "$OASE_IDLE_RSS" "$(median "${cpss[@]}")" less more)); medians of $idle_runs and ${#crss[@]}"
    fi
    if [ $QUICK = 0 ]; then
        # The page left open: headless Chromium with a DevTools port stays up and keeps
        # animating; both variants side by side, one window of the same length as Oase's.
        chromium_run "$WORK/ci-on" --settle-ms 5000 --window-ms "$IDLE_MS" --sample-ms 500 -- \
            --remote-debugging-port=0 "file://$PEER" &
        chromium_run "$WORK/ci-off" --settle-ms 5000 --window-ms "$IDLE_MS" --sample-ms 500 -- \
            --remote-debugging-port=0 "file://$PEER#still" &
        wait
        for mode in on off; do
            c=$(kv "$WORK/ci-$mode.proc" cpu_pct)
            o=OASE_IDLE_$mode
            if [ -z "$c" ]; then
                broke "Chromium idle run ($mode): $(grep -v dbus "$WORK/ci-$mode.err" | tail -2)"
            elif [ -n "${!o:-}" ]; then
                row "CPU while idle, animation $mode: Oase / Chromium" \
                    "$(fmt "${!o}" "%.2f") % / $(fmt "$c" "%.2f") % = $(compare "${!o}" "$c" less more)" \
                    "Chromium: page left open (--remote-debugging-port=0), all processes, one $idle_s s window after 5 s, $(fmt "$(kv "$WORK/ci-$mode.proc" wakeups_per_s)" "%.0f") wake-ups/s; Oase drew $(fmt "${OASE_FRAMES[$mode]:-0}" "%.1f") frames/s; wall clock"
            fi
        done
    fi
else
    note "no Chromium ($CHROMIUM): the comparison rows are left out"
    version="not installed: comparison left out"
fi

# --- the table --------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand."
    echo
    echo "- Machine: ${cpu:-unknown CPU}, $(nproc) cores, Linux $(uname -r) ($(uname -m))"
    echo "- Date: $(date '+%Y-%m-%d %H:%M %Z'); commit $commit"
    echo "- Oase headless at 800x480 (SDL dummy video, software renderer, no sound device: the"
    echo "  mixer has rows of its own), the shipped config with the departure tap on;"
    echo "  peer: $version with $PEER_RUNS runs per start figure."
    [ $QUICK = 1 ] && echo "- QUICK MODE: each measurement once and briefly; the numbers mean nothing."
    echo
    echo "| figure | value | target and how |"
    echo "|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Wall clock: times and CPU shares, which vary with the machine's load. Counts: Ir"
    echo "(instructions executed, valgrind callgrind) and wake-ups, comparable across noisy runs."
    echo "Oase is measured from outside with tests/bench/bench_proc (fork, /proc, wait4) and"
    echo "tests/bench/shim_sdl.so (LD_PRELOAD around SDL_RenderPresent and the event calls, which"
    echo "also sends the window-exposed event a display sends a new window); the check-in figure"
    echo "comes from tests/bench/bench_commit against the store API."
    if [ "${STILL_SCENE:-0}" = 1 ]; then
        echo
        echo "Note: with calm animation on, the idle kiosk drew no animation frames (the scene stood"
        echo "still), so the animation-on idle figures above contain no drawing."
    fi
} >"$WORK/table.md"
if [ $QUICK = 1 ]; then
    cp "$WORK/table.md" "$BUILD/bench/quick.md"
    echo "bench quick: ${#rows[@]} rows in $BUILD/bench/quick.md, ${#broken[@]} broken"
else
    cat "$WORK/table.md"
    if [ ${#broken[@]} -eq 0 ]; then
        # The sections other runs write below the table ("## ...": the host page's load
        # figures, make system-test's booted system) stay as they are.
        { cat "$WORK/table.md"; [ ! -f docs/benchmarks.md ] || sed -n '/^## /,$p' docs/benchmarks.md |
            sed '1s/^/\n/'; } >"$WORK/benchmarks.md"
        cp "$WORK/benchmarks.md" docs/benchmarks.md
        echo "written to docs/benchmarks.md"
    else
        echo "docs/benchmarks.md left unchanged: ${#broken[@]} measurement(s) broke" >&2
    fi
fi
[ ${#broken[@]} -eq 0 ]
