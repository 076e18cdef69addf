#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# End-to-end journeys: the real oase binary, headless, driven by replay scripts; the
# database it leaves is checked with the sqlite3 shell. Prints "N passed, N failed".
set -u
# The caller's desktop (an X display, a session bus) must not change the run.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
OASE=${1:-build/oase}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/oase-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=Europe/Amsterdam SDL_AUDIODRIVER=dummy
passed=0 failed=0

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL $1: $2"; }
# What a failed replay said: a sanitizer's whole report (make asan), else its last lines.
out_tail() {
    if grep -q "ERROR: .*Sanitizer" "$1"; then sed -n '/ERROR: .*Sanitizer/,$p' "$1" | head -60
    else tail -3 "$1"; fi
}

# replay NAME [extra oase args]: runs tests/e2e/NAME.replay into $WORK/NAME.db
replay() {
    local name=$1; shift
    "$OASE" --headless --quiet --config "$HERE/kiosk.conf" --db "$WORK/$name.db" \
        --replay "$HERE/$name.replay" "$@" >"$WORK/$name.out" 2>&1
}
q() { sqlite3 "$WORK/$1.db" "$2"; }
expect_eq() { # test-name actual expected
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', expected '$3'"; fi
}

if replay full_checkin; then
    # One visitor's answer is never written alone (fewer than k): only counted as withheld.
    expect_eq "full check-in writes no answer of a lone visitor, only that one was withheld" \
        "$(q full_checkin "select count(*)||':'||(select sum(n) from response_counts where moment='arrival' and question='stress' and response='withheld') from answer_counts")" "0:1"
    expect_eq "full check-in keeps one arrival with its wish for a word" \
        "$(q full_checkin "select count(*)||':'||sum(wants_word) from arrivals")" "1:1"
    expect_eq "full check-in is tagged with the phase of its day" \
        "$(q full_checkin "select distinct phase from response_counts")" "after"
    expect_eq "answers are aggregate cells: no answer column beside a name" \
        "$(q full_checkin "select count(*) from pragma_table_info('arrivals') where name like '%stress%' or name like '%answer%'")" "0"
else bad "full check-in replay" "$(out_tail "$WORK/full_checkin.out")"; fi

if replay leave_name; then
    expect_eq "a visitor who names themselves at \"Ik ga weg\" is shown as left, a wrong name marks nobody" \
        "$(q leave_name "select group_concat(name_number||':'||status, ' ') from (select * from arrivals order by name_number)")" "1:left 2:waiting"
else bad "leave_name replay" "$(out_tail "$WORK/leave_name.out")"; fi

if replay skip; then
    expect_eq "a lone skip is neither a score nor written: withheld" \
        "$(q skip "select count(*)||':'||(select sum(n) from response_counts where question='stress' and response='withheld') from answer_counts")" "0:1"
else bad "skip replay" "$(out_tail "$WORK/skip.out")"; fi

if replay timeout; then
    # The service was chosen: the visitor is checked in, walking away at a question undoes
    # nothing (the host still calls them); the left question is an answer, pooled.
    expect_eq "walking away at the stress question keeps the check-in" \
        "$(q timeout "select count(*) from arrivals")" "1"
    expect_eq "walking away at a question is no abandoned journey" \
        "$(q timeout "select count(*) from journey_counts where outcome='abandoned'")" "0"
else bad "timeout replay" "$(out_tail "$WORK/timeout.out")"; fi

if replay burst; then
    expect_eq "a tap burst makes one check-in" "$(q burst "select count(*) from arrivals")" "1"
    expect_eq "a tap burst counts one answer (withheld: fewer than k)" \
        "$(q burst "select sum(n) from response_counts where question='stress'")" "1"
else bad "burst replay" "$(out_tail "$WORK/burst.out")"; fi

if replay midnight; then
    expect_eq "the midnight fold deletes the day's arrivals" "$(q midnight "select count(*) from arrivals")" "0"
    expect_eq "the midnight fold keeps the arrival counts" \
        "$(q midnight "select sum(n) from arrival_counts")" "3"
    expect_eq "the fold counts the collected wait and the unmarked ones" \
        "$(q midnight "select group_concat(outcome||'='||n, ' ') from (select outcome, sum(n) n from wait_counts group by outcome order by outcome)")" \
        "collected=1 not_marked=2"
    expect_eq "three answers of a day, fewer than k, are withheld at midnight, not written" \
        "$(q midnight "select count(*)||':'||(select sum(n) from response_counts where question='stress' and response='withheld') from answer_counts")" "0:3"
else bad "midnight replay" "$(out_tail "$WORK/midnight.out")"; fi

if replay stale_clock; then
    expect_eq "a clock stepped from a stale yesterday keeps the visitor on today's list" \
        "$(q stale_clock "select group_concat(day||'#'||name_number, ' ') from (select day, name_number from arrivals order by name_number)")" \
        "2026-03-03#1 2026-03-03#2"
    expect_eq "the re-dated visitor is not counted in yesterday's hour" \
        "$(q stale_clock "select count(*) from arrival_counts where day='2026-03-02'")" "0"
    expect_eq "the re-dated arrival's time is its real age (08:31 less the journey)" \
        "$(q stale_clock "select strftime('%H', arrived_ms/1000, 'unixepoch', 'localtime') from arrivals where name_number=1")" "08"
    if grep -q "clock: stepped +59400 s" "$WORK/stale_clock.out"; then ok "the clock step is logged"
    else bad "the clock step is logged" "$(tail -3 "$WORK/stale_clock.out")"; fi
else bad "stale clock replay" "$(out_tail "$WORK/stale_clock.out")"; fi

# A restart of the kiosk while the clock is stale (same boot): the first run's visitor is
# re-dated when the second run sees NTP step the clock.
if replay stale_restart_1 && "$OASE" --headless --quiet --config "$HERE/kiosk.conf" \
        --db "$WORK/stale_restart_1.db" --replay "$HERE/stale_restart_2.replay" \
        >"$WORK/stale_restart_2.out" 2>&1; then
    expect_eq "a restart on a stale clock: the earlier run's visitor moves to today too" \
        "$(q stale_restart_1 "select group_concat(day||'#'||name_number, ' ') from (select day, name_number from arrivals order by name_number)")" \
        "2026-03-03#1 2026-03-03#2"
    expect_eq "a restart on a stale clock: nobody is counted in yesterday" \
        "$(q stale_restart_1 "select count(*) from arrival_counts where day='2026-03-02'")" "0"
    expect_eq "a restart on a stale clock: the visitor's time is their real age (08:1x)" \
        "$(q stale_restart_1 "select strftime('%H:%M', arrived_ms/1000, 'unixepoch', 'localtime') from arrivals where name_number=1")" "08:12"
else bad "stale clock restart replays" "$(out_tail "$WORK/stale_restart_2.out")"; fi

if replay clock_back; then
    ok "timeouts and the tap guard run on the monotonic clock (clock set back and forward)"
else bad "clock set back replay" "$(out_tail "$WORK/clock_back.out")"; fi

if replay phases; then
    expect_eq "answers carry the phase in force on their day" \
        "$(q phases "select group_concat(phase||'='||response, ' ') from (select phase, response from response_counts where question='stress' order by day)")" \
        "baseline=withheld after=withheld"
else bad "phases replay" "$(out_tail "$WORK/phases.out")"; fi

if replay departure; then
    expect_eq "the departure tap counts with moment departure (alone: withheld)" \
        "$(q departure "select moment||':'||response||':'||n from response_counts where question='stress'")" "departure:withheld:1"
    expect_eq "the departure tap is no check-in" "$(q departure "select count(*) from arrivals")" "0"
else bad "departure replay" "$(out_tail "$WORK/departure.out")"; fi

if "$OASE" --headless --config "$HERE/kiosk.conf" --db "$WORK/staff.db" \
    --replay "$HERE/staff.replay" >"$WORK/staff.out" 2>&1; then
    ok "the staff menu opens with a held corner and the PIN, and closes itself"
    if grep -q "staff menu: light scene quiet" "$WORK/staff.out"; then
        ok "the staff menu sets the light scene"
    else bad "the staff menu sets the light scene" "$(out_tail "$WORK/staff.out")"; fi
    if grep -q "staff menu: sound rain" "$WORK/staff.out" && grep -q "staff menu: sound on" "$WORK/staff.out"; then
        ok "the staff menu changes and tests the sound"
    else bad "the staff menu changes and tests the sound" "$(grep sound "$WORK/staff.out" | tail -3)"; fi
    expect_eq "staff taps are never counted as visitors" \
        "$(q staff "select count(*) from journey_counts where outcome='completed'")" "0"
else bad "staff menu replay" "$(tail -5 "$WORK/staff.out")"; fi

# Touch storm: 1,000 random touches a second for a simulated minute (multi-touch, ups
# without a down, outside the screen). The kiosk itself fails the replay if a check-in made
# (a name given) was not counted once or a tap acted within 400 ms; here the database is held against what
# the kiosk reported.
if "$OASE" --headless --config "$HERE/kiosk.conf" --db "$WORK/storm.db" \
    --replay "$HERE/storm.replay" >"$WORK/storm.out" 2>&1; then
    line=$(grep "storm: " "$WORK/storm.out")
    touches=$(sed -n 's/.*storm: \([0-9]*\) touches.*/\1/p' <<<"$line")
    multi=$(sed -n 's/.*(\([0-9]*\) with every finger down at once, at most 3 down.*/\1/p' <<<"$line")
    strays=$(sed -n 's/.*; \([0-9]*\) ups without a down.*/\1/p' <<<"$line")
    outside=$(sed -n 's/.*; \([0-9]*\) outside the screen.*/\1/p' <<<"$line")
    shown=$(sed -n 's/.*: \([0-9]*\) check-ins made and [0-9]* departures shown.*/\1/p' <<<"$line")
    handed=$(sed -n 's/.* \([0-9]*\) departure answers handed over.*/\1/p' <<<"$line")
    if [ "${touches:-0}" -ge 60000 ] && [ "${multi:-0}" -gt 0 ] && [ "${strays:-0}" -gt 0 ] \
       && [ "${outside:-0}" -gt 0 ] && [ "${shown:-0}" -gt 0 ]; then
        ok "a touch storm of 60,000 touches with three fingers leaves the kiosk working ($shown check-ins)"
    else bad "a touch storm" "$line"; fi
    expect_eq "every check-in made in the storm is one arrival" \
        "$(q storm "select count(*) from arrivals")" "$shown"
    expect_eq "every check-in made in the storm is counted once as completed" \
        "$(q storm "select coalesce(sum(n),0) from journey_counts where moment='arrival' and outcome='completed'")" "$shown"
    # Walked away from (restart, back) or answered: every departure answer the journey gave
    # the store is counted once, written in a batch or withheld.
    expect_eq "every departure answer handed over in the storm is counted once (written in batches or withheld)" \
        "$(q storm "select coalesce(sum(n),0) from response_counts where moment='departure' and question='stress'")" "${handed:-none}"
else bad "touch storm replay" "$(out_tail "$WORK/storm.out")"; fi

# Schema 3: stress x actual wait, the waiting message, denominators, codebook, config hash.
if replay evaluation; then
    # Pairs leave in batches of k per day; fewer than k per wait band: the band is "any".
    # The after phase's two pairs are fewer than k: withheld.
    expect_eq "stress x wait is counted at collection in batches of k, never for skips or no-shows" \
        "$(q evaluation "select group_concat(phase||':'||stress_band||':'||wait_band||'='||n, ' ') from (select * from stress_wait_counts order by day, stress_band, wait_band)")" \
        "baseline:0-3:any=1 baseline:4-6:any=2 baseline:7-10:any=2"
    expect_eq "the range is shown once enough waits are collected today, and its outcome counted" \
        "$(q evaluation "select group_concat(day||':'||message||':'||outcome||':'||wait_band||':'||within||'='||n, ' ') from (select * from wait_message_counts order by day, message, outcome)")" \
        "2026-02-27:host_knows:collected:10-15:n/a=5 2026-02-27:range:collected:20-30:above=1 2026-02-27:range:no_show::n/a=1 2026-03-02:host_knows:collected:5-10:n/a=1 2026-03-02:host_knows:not_marked::n/a=1 2026-03-03:host_knows:collected:0-5:n/a=1"
    expect_eq "every completed journey counts each question once (denominators)" \
        "$(q evaluation "select group_concat(phase||':'||moment||':'||question||':'||response||'='||n, ' ') from (select phase, moment, question, response, sum(n) n from response_counts group by 1, 2, 3, 4 order by 1 desc, 2, 3, 4)")" \
        "baseline:arrival:stress:answered=4 baseline:arrival:stress:skipped=1 baseline:arrival:stress:withheld=2 baseline:arrival:word:answered=5 baseline:arrival:word:withheld=2 after:arrival:stress:withheld=3 after:arrival:word:withheld=3 after:departure:stress:withheld=1"
    expect_eq "a visitor who walks away at the stress question is checked in, not abandoned" \
        "$(q evaluation "select count(*) from journey_counts where outcome='abandoned'")" "0"
    expect_eq "answer cells carry a light band" \
        "$(q evaluation "select count(*) from answer_counts where light_band not in ('off', 'low', 'mid', 'high', '')")" "0"
    expect_eq "the config hash is kept per phase with the days it was in force" \
        "$(q evaluation "select group_concat(phase||':'||first_day||':'||last_day||':'||length(config_hash), ' ') from (select * from phase_configs order by first_day)")" \
        "baseline:2026-02-27:2026-03-01:71 after:2026-03-02:2026-03-03:71"
    expect_eq "the codebook holds every wording in every language, its days moved forward" \
        "$(q evaluation "select count(distinct lang)||':'||min(first_day)||':'||max(last_day)||':'||max(version) from codebook")" \
        "6:2026-02-27:2026-03-03:1"
    expect_eq "the codebook has the exact Dutch stress question" \
        "$(q evaluation "select text from codebook where item='stress.title' and lang='nl'")" "Hoeveel stress voelt u nu?"

    # A restart with a reworded question and an edited config: a new version, a new hash.
    cp -r "$HERE/../../assets" "$WORK/assets"
    sed -i 's/^stress.title = .*/stress.title = Hoeveel spanning voelt u nu?/' "$WORK/assets/lang/nl.lang"
    { cat "$HERE/kiosk.conf"; printf '\n[display]\nassets_dir = %s\n' "$WORK/assets"; } >"$WORK/relabel.conf"
    cp "$WORK/evaluation.db" "$WORK/relabel.db"
    if "$OASE" --headless --quiet --config "$WORK/relabel.conf" --db "$WORK/relabel.db" \
        --replay "$HERE/relabel.replay" >"$WORK/relabel.out" 2>&1; then
        expect_eq "a reworded question gets a new codebook version from that day" \
            "$(q relabel "select group_concat(version||':'||first_day||':'||last_day, ' ') from (select * from codebook where item='stress.title' and lang='nl' order by version)")" \
            "1:2026-02-27:2026-03-03 2:2026-03-04:2026-03-04"
        expect_eq "an unchanged wording only moves its last day" \
            "$(q relabel "select version||':'||last_day from codebook where item='stress.title' and lang='en'")" "1:2026-03-04"
        expect_eq "an edited config file is a second hash in the same phase" \
            "$(q relabel "select count(*) from phase_configs where phase='after'")" "2"
    else bad "relabel replay" "$(out_tail "$WORK/relabel.out")"; fi
else bad "evaluation replay" "$(out_tail "$WORK/evaluation.out")"; fi

if replay wrong_expectation; then
    bad "a wrong expect-screen fails" "exit status 0"
elif grep -q "wrong_expectation.replay:4: expect-screen stress: the kiosk shows service" "$WORK/wrong_expectation.out"; then
    ok "a wrong expect-screen fails with file, line and what is shown"
else bad "a wrong expect-screen fails" "$(cat "$WORK/wrong_expectation.out")"; fi

if replay advance; then
    bad "advance-to a time already past fails" "exit status 0"
else
    expect_eq "advance-to crosses closing time and midnight: no arrival left unfolded" \
        "$(q advance "select count(*) from arrivals")" "0"
    expect_eq "advance-to folds each check-in with its own day" \
        "$(q advance "select group_concat(day||'='||n, ' ') from (select day, sum(n) n from arrival_counts group by day)")" \
        "2026-03-02=2"
    if grep -q "advance.replay:19: advance-to: the kiosk's time is already 2026-03-03 08:30" "$WORK/advance.out"; then
        ok "advance-to a time already past fails with file, line and the kiosk's time"
    else bad "advance-to a time already past fails" "$(tail -2 "$WORK/advance.out")"; fi
fi

printf 'tap checkin\nwait soon\n' >"$WORK/bad.replay"
if "$OASE" --headless --quiet --config "$HERE/kiosk.conf" --db "$WORK/bad.db" --replay "$WORK/bad.replay" >"$WORK/bad.out" 2>&1; then
    bad "a malformed replay is refused" "exit status 0"
elif grep -q "bad.replay:2: \"wait soon\"" "$WORK/bad.out" && [ ! -e "$WORK/bad.db" ]; then
    ok "a malformed replay is refused before the kiosk starts, naming file and line"
else bad "a malformed replay is refused" "$(cat "$WORK/bad.out")"; fi

printf '[kiosk]\ninactivity_seconds = 3\nlanguages = nl en\n' >"$WORK/bad.conf"
out=$("$OASE" --check-config "$WORK/bad.conf" 2>&1); status=$?
if [ $status -ne 0 ] && grep -q "bad.conf:2:" <<<"$out" && grep -q "10..600" <<<"$out"; then
    ok "check-config names file, line and the accepted range, and exits non-zero"
else bad "check-config on a bad value" "status $status: $out"; fi

# The zone of opening hours and calendar days: an unknown one, from TZ or from
# [kiosk] timezone, stops the kiosk before it opens anything, instead of running on UTC.
if TZ=Nowhere/Land "$OASE" --headless --quiet --config "$HERE/kiosk.conf" --db "$WORK/tz.db" \
    --replay "$HERE/timeout.replay" >"$WORK/tz.out" 2>&1; then
    bad "an unknown time zone stops the kiosk" "exit status 0"
elif grep -q 'TZ=Nowhere/Land: time zone "Nowhere/Land" is unknown' "$WORK/tz.out" && [ ! -e "$WORK/tz.db" ]; then
    ok "an unknown time zone (TZ) stops the kiosk before it opens the database, naming the zone"
else bad "an unknown time zone stops the kiosk" "$(cat "$WORK/tz.out")"; fi
printf '[kiosk]\ntimezone = Europe/Amsterdm\n' >"$WORK/tz.conf"
out=$("$OASE" --check-config "$WORK/tz.conf" 2>&1); status=$?
if [ $status -ne 0 ] && grep -q 'tz.conf:2: kiosk.timezone = Europe/Amsterdm: .*no /usr/share/zoneinfo/Europe/Amsterdm' <<<"$out"; then
    ok "check-config reports an unknown kiosk.timezone with file, line and the missing zone file"
else bad "check-config on an unknown kiosk.timezone" "status $status: $out"; fi
if "$OASE" --headless --quiet --config "$WORK/tz.conf" --db "$WORK/tz.db" \
    --replay "$HERE/timeout.replay" >"$WORK/tz.out" 2>&1; then
    bad "an unknown kiosk.timezone stops the kiosk" "exit status 0"
elif grep -q 'kiosk.timezone = Europe/Amsterdm' "$WORK/tz.out" && [ ! -e "$WORK/tz.db" ]; then
    ok "an unknown kiosk.timezone stops the kiosk (no fallback to TZ or UTC)"
else bad "an unknown kiosk.timezone stops the kiosk" "$(cat "$WORK/tz.out")"; fi
out=$(TZ=Europe/Amsterdam "$OASE" --check-config "$HERE/../../config/oase.conf" 2>&1)
if grep -qx '.*oase.conf: time zone Europe/Amsterdam (from TZ)' <<<"$out"; then
    ok "check-config names the time zone the kiosk will use and where it comes from"
else bad "check-config names the time zone" "$out"; fi

if "$OASE" --check-config "$HERE/../../config/oase.conf" >/dev/null 2>&1; then
    ok "the shipped config passes check-config"
else bad "the shipped config passes check-config" "$("$OASE" --check-config "$HERE/../../config/oase.conf" 2>&1)"; fi

# A bad value falls back to its default and the kiosk still works.
cp "$HERE/timeout.replay" "$WORK/fallback.replay"
if "$OASE" --headless --config "$WORK/bad.conf" --db "$WORK/fallback.db" --replay "$WORK/fallback.replay" >"$WORK/fallback.out" 2>&1 \
   && grep -q "bad.conf:2:" "$WORK/fallback.out"; then
    ok "a bad config value falls back to the default (30 s timeout) with a message"
else bad "a bad config value falls back" "$(out_tail "$WORK/fallback.out")"; fi

# Opening hours, still-there, and the ways out of every question screen
# (tests/e2e/hours.conf: Monday-Thursday 08:30-17:00, Friday to 12:30, weekend closed).
replay_hours() {
    local name=$1
    "$OASE" --headless --config "$HERE/hours.conf" --db "$WORK/$name.db" \
        --replay "$HERE/$name.replay" >"$WORK/$name.out" 2>&1
}
if replay_hours closed; then
    ok "closed at 19:30, on a Sunday: the closed screen, back to welcome by itself"
    expect_eq "nobody is checked in while closed; the next morning checkin-default is" \
        "$(q closed "select count(*) from arrivals")" "1"
    expect_eq "a closed screen is no abandoned journey" \
        "$(q closed "select count(*) from journey_counts where outcome='abandoned'")" "0"
else bad "closed replay" "$(out_tail "$WORK/closed.out")"; fi

# A randomised room (tests/e2e/experiment.conf: hours.conf plus [experiment], seed 42, two
# conditions over 2026-03-02..13): a working week and the next Monday by advance-to.
if "$OASE" --headless --config "$HERE/experiment.conf" --db "$WORK/experiment.db" \
    --replay "$HERE/experiment.replay" >"$WORK/experiment.out" 2>&1; then
    expect_eq "each open day of the experiment is recorded once with its condition; the weekend is none" \
        "$(q experiment "select group_concat(day||'='||condition, ' ') from (select * from experiment_days order by day)")" \
        "2026-03-02=helder 2026-03-03=rustig 2026-03-04=helder 2026-03-05=rustig 2026-03-06=rustig 2026-03-09=helder"
    expect_eq "every block of two open days holds each condition once" \
        "$(q experiment "select count(*) from (select block from experiment_days group by block having count(distinct condition) = 2)")" "3"
    expect_eq "the experiment days carry the seed and the config hash of the phase" \
        "$(q experiment "select count(*) from experiment_days e join phase_configs p on p.config_hash = e.config_hash where e.seed = '42'")" "6"
    if grep -A1 "condition rustig" "$WORK/experiment.out" | grep -q "room 35 (L\*) - quiet"; then
        ok "a day of condition rustig puts its scene (quiet) in force at opening time"
    else bad "the condition's scene" "$(grep -A1 'condition rustig' "$WORK/experiment.out" | head -4)"; fi
else bad "experiment replay" "$(out_tail "$WORK/experiment.out")"; fi

if replay_hours still_there; then
    ok "still-there comes before every reset and its yes returns to the same question"
    expect_eq "an unanswered still-there ends at welcome; the check-in before it stands" \
        "$(q still_there "select count(*)||':'||(select count(*) from journey_counts where outcome='abandoned') from arrivals")" "1:0"
    expect_eq "after yes on still-there the departure answer counts (withheld: fewer than k)" \
        "$(q still_there "select sum(n) from response_counts where moment='departure' and question='stress'")" "1"
    if command -v espeak-ng >/dev/null; then
        expect_eq "still-there is also said aloud, in the visitor's language" \
            "$(grep -c 'speech: still-there read aloud in nl' "$WORK/still_there.out")" "$(grep -c 'expect-screen still-there' "$HERE/still_there.replay")"
    fi
else bad "still-there replay" "$(out_tail "$WORK/still_there.out")"; fi

if replay_hours ways_out; then
    ok "restart, language and help work on every question screen"
    expect_eq "help tells the host once per visitor (four visitors asked)" \
        "$(grep -c "Hulp gevraagd bij de kiosk" "$WORK/ways_out.out")" "4"
    expect_eq "restart before the service is an abandoned journey, counted on its screen" \
        "$(q ways_out "select group_concat(last_screen||':'||n, ' ') from journey_counts where outcome='abandoned'")" "service:1"
    expect_eq "restart after the service leaves the check-in on the host's list (2) and checkin-default adds one" \
        "$(q ways_out "select count(*) from arrivals")" "3"
    expect_eq "restart on the departure question counts it once (withheld: fewer than k)" \
        "$(q ways_out "select sum(n) from response_counts where moment='departure' and question='stress'")" "1"
else bad "ways-out replay" "$(out_tail "$WORK/ways_out.out")"; fi

# Every screen in every language renders, and the database stays owner-only.
mkdir -p "$WORK/shots"
all_ok=1
for lang in nl en ar tr pl uk; do
    sed "s/LANG/$lang/" "$HERE/all_screens.replay" >"$WORK/all_$lang.replay"
    if ! "$OASE" --headless --quiet --config "$HERE/kiosk.conf" --db "$WORK/all.db" \
        --replay "$WORK/all_$lang.replay" --screenshots "$WORK/shots" >"$WORK/all_$lang.out" 2>&1; then
        all_ok=0; bad "every screen in $lang" "$(out_tail "$WORK/all_$lang.out")"
    fi
done
shots=$(ls "$WORK/shots" | wc -l)
if [ $all_ok = 1 ] && [ "$shots" -ge 60 ]; then ok "every screen renders in every language ($shots screenshots)"
else bad "every screen renders in every language" "$shots screenshots"; fi
mode=$(stat -c %a "$WORK/all.db")
expect_eq "the database file is readable by its owner only" "$mode" "600"

echo "e2e journeys: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
