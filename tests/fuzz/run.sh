#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Runs each libFuzzer target for a bounded time; fails on the first crash, sanitizer report,
# leak or hang. Usage: tests/fuzz/run.sh BUILD SECONDS TARGET...
# Seeds: tests/fuzz/corpus/<target>/ (read only). New inputs the fuzzer finds go to
# BUILD/fuzz/corpus/<target>/, crashes to BUILD/fuzz/crashes/<target>/ (see README.md).
set -u
build=$1
seconds=$2
shift 2
failed=0
summary=""
for target in "$@"; do
    bin=$build/fuzz/$target
    seeds=tests/fuzz/corpus/$target
    work=$build/fuzz/corpus/$target
    crashes=$build/fuzz/crashes/$target
    log=$build/fuzz/$target.log
    mkdir -p "$work" "$crashes" "$seeds"
    dict=
    [ -f "tests/fuzz/$target.dict" ] && dict="-dict=tests/fuzz/$target.dict"
    echo "fuzz: $target for ${seconds} s (log: $log)"
    # shellcheck disable=SC2086 # $dict is one word or none
    "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$crashes/" $dict "$work" "$seeds" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | sed 's/ft: //')
    line=$(printf '%-15s %10s runs %7s exec/s  cov %5s  ft %6s' "$target" "${runs:-?}" \
        "${rate:-?}" "${cov:-?}" "${ft:-?}")
    if [ $rc -ne 0 ]; then
        failed=1
        line="$line  FAILED (exit $rc)"
        echo "fuzz: $target FAILED: the input is in $crashes/; the report:"
        grep -A 30 -m 1 'ERROR\|runtime error\|deadly signal\|timeout' "$log" | head -40
    fi
    summary="$summary$line
"
done
printf '\nfuzz summary (%s s each):\n%s' "$seconds" "$summary"
exit $failed
