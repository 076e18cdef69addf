#!/usr/bin/python3
# SPDX-License-Identifier: EUPL-1.2
"""Checks the report's randomisation inference of a randomised room against an independent
implementation (numpy): the allocation re-drawn from its seed (SplitMix64 + Fisher-Yates, as
docs/research.md "A randomised room" describes the rule), the difference of day means, the
permutation p by complete enumeration of the allocations the rule allows (two conditions:
2^blocks) and the interval by inverting that exact test (bisection on each side).

usage: randomised_oracle.py REPORT.json [...]    (written by oase-report --json)
The report's p comes from 10,000 re-drawn allocations: it must lie within 4.5 Monte Carlo
standard errors of the exact p. Exits 1 and says what differed.
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


def check(path):
    report = json.load(open(path))
    section = report["randomised"]
    primary = report["primary"]
    seeds = [int(s) for s in section["seed_by_group"]]
    days = section["days"]
    count = len(section["conditions"])
    # 1. The recorded allocation follows its seed.
    for day in days:
        perms = permutations(seeds[day["group"]], count, day["block"] + 1)
        if perms[day["block"]][day["slot"]] != day["condition"]:
            failures.append(f"{path}: {day['day']} condition {day['condition']} is not what seed "
                            f"{seeds[day['group']]} draws")
    for end in ("low", "high"):
        kept = [d for d in days if d[end] is not None and d["condition"] in (0, 1)]
        y = np.array([d[end] for d in kept], dtype=float)
        treated = np.array([1.0 if d["condition"] == 1 else 0.0 for d in kept])
        block = [(d["group"], d["block"]) for d in kept]
        slots = {}
        for d in kept:
            slots.setdefault((d["group"], d["block"]), set()).add(d["slot"])
        rank = [sorted(slots[(d["group"], d["block"])]).index(d["slot"]) for d in kept]
        observed, labels_all = exact(y, treated, block, rank)
        p = p_at(y, treated, labels_all, observed, 0.0)
        bounds = primary["estimate_bounds"]
        if not (min(bounds) - 1e-5 <= observed <= max(bounds) + 1e-5):
            failures.append(f"{path} ({end}): difference {observed} outside the report's "
                            f"bounds {bounds}")
        se = math.sqrt(max(p * (1 - p), 1e-4) / section["draws"])
        if primary["ranged"]:
            ok = primary["p"] >= p - 4.5 * se  # the larger of the two ends
        else:
            ok = abs(primary["p"] - p) <= 4.5 * se
        if not ok:
            failures.append(f"{path} ({end}): p {primary['p']} against exact {p} (se {se:.4f})")
        # 3. The interval: where the exact test does not reject at 0.05.
        low = bound(y, treated, labels_all, observed, -1)
        high = bound(y, treated, labels_all, observed, +1)
        tol = 0.08  # Monte Carlo noise of the report's 10,000 draws at the edge
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


for argument in sys.argv[1:]:
    check(argument)
if failures:
    print("randomised_oracle: differences:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"randomised_oracle: {len(sys.argv) - 1} report(s) agree with the exact randomisation test")
