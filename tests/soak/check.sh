#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Checks a kiosk database after a soak_gen replay: every day was folded exactly as the
# replay did it. Usage: tests/soak/check.sh DB EXPECT
#   EXPECT: the counts soak_gen wrote (arrival/wait/answer/journey lines, see soak_gen.c).
# Checks: PRAGMA integrity_check; the arrivals table is empty (the replay ends after the
# last midnight); name_counter holds at most the last day; arrival_counts, wait_counts,
# answer_counts (written in batches of k), the withheld answers and journey_counts equal
# the expected counts line by line.
# Prints "ok ..." / "FAIL ..." lines and "days folded: N"; exit 1 on any failure.
set -u
DB=$1 EXPECT=$2
failed=0
q() { sqlite3 -batch "$DB" "$1"; }
fail() { failed=1; echo "FAIL $1"; }

integrity=$(q "PRAGMA integrity_check")
[ "$integrity" = ok ] && echo "ok   integrity_check" || fail "integrity_check: $integrity"

left=$(q "SELECT count(*) FROM arrivals")
[ "$left" = 0 ] && echo "ok   no arrival rows left after the last fold" ||
    fail "$left arrival rows left after the last fold: $(q "SELECT group_concat(DISTINCT day) FROM arrivals")"

counters=$(q "SELECT count(*) FROM name_counter")
[ "$counters" -le 1 ] && echo "ok   name_counter keeps at most one day" ||
    fail "name_counter keeps $counters days"

actual=$(mktemp /tmp/oase-soak-actual.XXXXXX)
wanted=$(mktemp /tmp/oase-soak-wanted.XXXXXX)
trap 'rm -f "$actual" "$wanted"' EXIT
q "SELECT 'arrival '||day||' '||hour||' '||service||' '||wants_word||' '||sum(n)
     FROM arrival_counts GROUP BY day, hour, service, wants_word
   UNION ALL SELECT 'wait '||day||' '||service||' '||outcome||' '||
       CASE wait_band WHEN '' THEN '-' ELSE wait_band END||' '||sum(n)
     FROM wait_counts GROUP BY day, service, outcome, wait_band
   UNION ALL SELECT 'answer '||day||' '||moment||' '||answer||' '||sum(n)
     FROM answer_counts GROUP BY day, moment, question, answer
   UNION ALL SELECT 'withheld '||day||' '||moment||' '||sum(n)
     FROM response_counts WHERE question = 'stress' AND response = 'withheld'
     GROUP BY day, moment
   UNION ALL SELECT 'journey '||day||' '||moment||' '||outcome||' '||sum(n)
     FROM journey_counts GROUP BY day, moment, outcome" | LC_ALL=C sort >"$actual"
LC_ALL=C sort "$EXPECT" >"$wanted"
if diff -u "$wanted" "$actual" >/dev/null; then
    echo "ok   every count per day equals the replay's ($(wc -l <"$wanted") cells)"
else
    fail "counts differ from the replay's (- expected, + in the database):"
    diff -u "$wanted" "$actual" | sed -n '3,40p'
fi

for table in arrival wait; do
    want=$(awk -v t=$table '$1 == t {print $2}' "$EXPECT" | sort -u | wc -l)
    got=$(q "SELECT count(DISTINCT day) FROM ${table}_counts")
    [ "$want" = "$got" ] && echo "ok   ${table}_counts hold $got days" ||
        fail "${table}_counts hold $got days, the replay checked in on $want"
done
echo "days folded: $(q "SELECT count(DISTINCT day) FROM arrival_counts")"
exit $failed
