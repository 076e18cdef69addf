#!/usr/bin/python3
# SPDX-License-Identifier: EUPL-1.2
"""Checks the report's randomisation inference of a randomised room against an independent
implementation (numpy): the allocation re-drawn from its seed (SplitMix64 + Fisher-Yates, as
docs/research.md "A randomised room" describes the rule), the difference of day means, the
permutation p by complete enumeration of the allocations the rule allows (two conditions:
2^blocks) and the interval by inverting that exact test (bisection on each side).

usage: randomised_oracle.py [--export EXPORT.json] REPORT.json [...]
REPORT.json as oase-report --json writes it; with --export (oase-export --format json of the same
data, one site) every day unit of the report is first recomputed from the published answers rows:
a stress mean at its low and high end, or the share of answers at or above the report's
"stress_cut" (stress_*_high, in %).
The report's p comes from 10,000 re-drawn allocations: it must lie within 4.5 Monte Carlo
standard errors of the exact p. With ranges the bounds of a difference are checked as the two
ends the ranges allow: the condition's days low and the reference's high, and the opposite.
Exits 1 and says what differed.
"""
import itertools
import json
import math
import sys

import numpy as np

MASK = (1 << 64) - 1
failures = []


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def below(state, bound):
    limit = MASK - (MASK % bound)
    while True:
        state, value = splitmix64(state)
        if value < limit:
            return state, value % bound


def permutations(seed, count, blocks):
    state, perms = seed, []
    for _ in range(blocks):
        perm = list(range(count))
        for i in range(count - 1, 0, -1):
            state, j = below(state, i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        perms.append(perm)
    return perms


def exact(y, treated, block, slot_rank):
    """Every allocation the pair rule allows (per block the two labels swapped or not), as the
    two linear parts of the statistic: under H0 (shift delta) an allocation gives
    a - delta * b, the observed allocation observed - delta."""
    blocks = sorted(set(block))
    index = np.array([blocks.index(b) for b in block])
    rank = np.array(slot_rank)
    observed = y[treated == 1].mean() - y[treated == 0].mean()
    a_parts, b_parts = [], []
    total = 1 << len(blocks)
    for start in range(0, total, 1 << 16):
        codes = np.arange(start, min(total, start + (1 << 16)), dtype=np.int64)
        flips = (codes[:, None] >> np.arange(len(blocks))) & 1
        labels = (rank[None, :] ^ flips[:, index]).astype(float)
        n1 = labels.sum(axis=1)
        keep = (n1 > 0) & (n1 < len(y))
        labels, n1 = labels[keep], n1[keep]
        n0 = len(y) - n1
        a_parts.append(labels @ y / n1 - (1 - labels) @ y / n0)
        b_parts.append(labels @ treated / n1 - (1 - labels) @ treated / n0)
    return observed, (np.concatenate(a_parts), np.concatenate(b_parts))


def p_at(y, treated, parts, observed, delta):
    a, b = parts
    return (np.abs(a - delta * b) >= abs(observed - delta) * (1 - 1e-12) - 1e-12).mean()


def bound(y, treated, parts, observed, side):
    inside, step = observed, 0.05
    outside = observed + side * step
    while p_at(y, treated, parts, observed, outside) > 0.05:
        inside, step = outside, step * 2
        outside = observed + side * step
    for _ in range(50):
        middle = (inside + outside) / 2
        if p_at(y, treated, parts, observed, middle) > 0.05:
            inside = middle
        else:
            outside = middle
    return inside


def near(a, b):
    """Equal to the 6 significant digits of the report's JSON."""
    return abs(a - b) <= 1e-5 * max(1.0, abs(b))


def export_days(path, outcome, cut):
    """Per day the outcome at its low and high end from the export's day rows of stress answers;
    a share counts the answers cut or higher."""
    moment = "departure" if outcome.startswith("stress_departure") else "arrival"
    share = outcome.endswith("_high")
    sums = {}
    for row in json.load(open(path))["tables"]["answers"]:
        if (row.get("moment") != moment or row.get("question") != "stress"
                or row["first_day"] != row["last_day"] or row["n"] is None
                or row["answer"] in ("skip", "*")):
            continue
        first, _, last = row["answer"].partition("-")
        first, last = int(first), int(last or first)
        if share:
            first, last = (100 if first >= cut else 0), (100 if last >= cut else 0)
        day = sums.setdefault(row["first_day"], [0, 0.0, 0.0])
        day[0] += row["n"]
        day[1] += first * row["n"]
        day[2] += last * row["n"]
    return {d: (low / n, high / n) for d, (n, low, high) in sums.items()}


def check(path, export):
    report = json.load(open(path))
    section = report["randomised"]
    primary = report["primary"]
    seeds = [int(s) for s in section["seed_by_group"]]
    days = section["days"]
    count = len(section["conditions"])
    if primary["outcome"] != section["outcome"] or primary["unit"] != "day":
        failures.append(f"{path}: primary {primary['outcome']} by {primary['unit']}, the section "
                        f"analyses {section['outcome']} by day")
    # 0. Every day unit is what the export publishes for that day.
    if export is not None:
        expected = export_days(export, section["outcome"], section["stress_cut"])
        for day in days:
            want = expected.get(day["day"])
            got = (day["low"], day["high"])
            if want is None and got == (None, None):
                continue  # no answers of its own in either: left out by both
            if want is None or any(g is None or not near(g, w) for g, w in zip(got, want)):
                failures.append(f"{path}: {day['day']} {section['outcome']} {got}, the export "
                                f"gives {want}")
    # 1. The recorded allocation follows its seed.
    for day in days:
        perms = permutations(seeds[day["group"]], count, day["block"] + 1)
        if perms[day["block"]][day["slot"]] != day["condition"]:
            failures.append(f"{path}: {day['day']} condition {day['condition']} is not what seed "
                            f"{seeds[day['group']]} draws")
    # The two ends of the difference: condition 1 at one end of its ranges, the reference at the
    # other ("low": the lowest difference the ranges allow).
    ends = {"low": {1: "low", 0: "high"}, "high": {1: "high", 0: "low"}}
    for end in ("low", "high"):
        kept = [d for d in days if d["low"] is not None and d["condition"] in (0, 1)]
        if not primary["ranged"]:
            ends[end] = {1: "low", 0: "low"}
        y = np.array([d[ends[end][d["condition"]]] for d in kept], dtype=float)
        treated = np.array([1.0 if d["condition"] == 1 else 0.0 for d in kept])
        block = [(d["group"], d["block"]) for d in kept]
        slots = {}
        for d in kept:
            slots.setdefault((d["group"], d["block"]), set()).add(d["slot"])
        rank = [sorted(slots[(d["group"], d["block"])]).index(d["slot"]) for d in kept]
        observed, labels_all = exact(y, treated, block, rank)
        p = p_at(y, treated, labels_all, observed, 0.0)
        bounds = primary["estimate_bounds"]
        if not near(bounds[0 if end == "low" else 1], observed):
            failures.append(f"{path} ({end}): difference {observed} is not the report's "
                            f"bound {bounds}")
        se = math.sqrt(max(p * (1 - p), 1e-4) / section["draws"])
        if primary["ranged"] and bounds[0] <= 0 <= bounds[1]:
            ok = primary["p"] == 1  # the ranges allow no difference at all
        elif primary["ranged"]:
            ok = primary["p"] >= p - 4.5 * se  # the larger of the two ends
        else:
            ok = abs(primary["p"] - p) <= 4.5 * se
        if not ok:
            failures.append(f"{path} ({end}): p {primary['p']} against exact {p} (se {se:.4f})")
        # 3. The interval: where the exact test does not reject at 0.05.
        low = bound(y, treated, labels_all, observed, -1)
        high = bound(y, treated, labels_all, observed, +1)
        # Monte Carlo noise of the report's 10,000 draws at the edge: 0.08 on intervals about
        # 0.6 wide (stress 0-10), the same share of a wider one (a share in %)
        tol = max(0.08, 0.13 * (high - low))
        if primary["ranged"]:
            ok = primary["ci_low"] <= low + tol and primary["ci_high"] >= high - tol
        else:
            ok = abs(primary["ci_low"] - low) <= tol and abs(primary["ci_high"] - high) <= tol
        if not ok:
            failures.append(f"{path} ({end}): interval [{primary['ci_low']}, "
                            f"{primary['ci_high']}] against exact [{low:.4f}, {high:.4f}]")
        print(f"  {path} ({end}): difference {observed:.4f}, exact p {p:.4f} "
              f"(report {primary['p']}), interval [{low:.3f}, {high:.3f}] "
              f"(report [{primary['ci_low']}, {primary['ci_high']}]), {len(kept)} days, "
              f"{len(set(block))} blocks")
        if not primary["ranged"]:
            break


arguments, export, checked = sys.argv[1:], None, 0
while arguments:
    argument = arguments.pop(0)
    if argument == "--export":
        export = arguments.pop(0)
        continue
    check(argument, export)
    checked += 1
if failures:
    print("randomised_oracle: differences:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"randomised_oracle: {checked} report(s) agree with the exact randomisation test")
