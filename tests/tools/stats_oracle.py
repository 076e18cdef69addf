#!/usr/bin/python3
# SPDX-License-Identifier: EUPL-1.2
"""Checks Oase's evaluation statistics against statsmodels / scipy.

usage: stats_oracle.py CASES.json [REPORT.json ...]
CASES.json is written by tests/unit/test_research_oracle.c (tests/tools/stats_oracle_cases.h);
each REPORT.json by oase-report --json (or the same test) on kiosk-written databases (its primary and tests are recomputed from the
units the report lists). Exits 1 on the first figure that differs by more than 1e-6
(relative) and prints what differed.
"""
import json
import math
import sys

import numpy as np
import scipy.stats
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

failures = []
REPORT_TOL = 1e-5  # the report writes 6 significant digits
checked = 0


def close(name, ours, theirs, tol=1e-6):
    global checked
    checked += 1
    if ours is None or theirs is None or not math.isfinite(theirs):
        ok = ours is None and (theirs is None or not math.isfinite(theirs))
    else:
        ok = abs(ours - theirs) <= tol * max(1.0, abs(theirs))
    if not ok:
        failures.append(f"{name}: ours {ours} statsmodels/scipy {theirs}")


def welch(a, b):
    test = scipy.stats.ttest_ind(b, a, equal_var=False)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff, q = np.mean(b) - np.mean(a), scipy.stats.t.ppf(0.975, df)
    return diff, test.pvalue, diff - q * math.sqrt(va + vb), diff + q * math.sqrt(va + vb)


def ols_hc2_did(groups):
    y, x = [], []
    for g, values in enumerate(groups):
        after, treated = g % 2, 1 if g < 2 else 0
        for v in values:
            y.append(v)
            x.append([1, after, treated, after * treated])
    fit = sm.OLS(np.array(y), np.array(x, dtype=float)).fit(cov_type="HC2")
    return fit.params[3], fit.bse[3]


class ItsFit:
    """Newey-West (statsmodels HAC, small-sample correction) and classical OLS; Oase uses the
    larger of the two standard errors with a t reference on n - 4 df."""

    def __init__(self, t, y, t0, lags):
        t = np.array(t, dtype=float)
        after = (t >= t0).astype(float)
        x = np.column_stack([np.ones_like(t), t, after, after * (t - t0)])
        model = sm.OLS(np.array(y, dtype=float), x)
        self.hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                             use_t=True)
        self.ols = model.fit()
        self.params = self.hac.params
        self.bse = np.maximum(self.hac.bse, self.ols.bse)
        df = len(t) - 4
        self.pvalues = 2 * scipy.stats.t.sf(np.abs(self.params / self.bse), df)
        q = scipy.stats.t.ppf(0.975, df)
        self.ci = np.column_stack([self.params - q * self.bse, self.params + q * self.bse])


def its_fit(t, y, t0, lags):
    fit = ItsFit(t, y, t0, lags)
    return fit, fit.ci


def poisson_ratio(events, exposure, group):
    """Quasi-Poisson: GLM(Poisson, offset log(exposure)) with the scale Pearson chi2 / df,
    floored at 1, and t with df_resid; one unit a group: the plain Poisson fit (normal)."""
    rows = [[1.0, float(g)] for g in group]
    offset = np.log(np.array(exposure, dtype=float))
    counts = np.array(events, dtype=float)
    if len(counts) == 2:
        # one row per group is a saturated model, which statsmodels refuses as perfect
        # separation: each group in two rows (the fit depends on the group totals only)
        rows, counts, offset = [], [], []
        for e, x, g in zip(events, exposure, group):
            first = e // 2
            for part, share in ((first, 0.4), (e - first, 0.6)):
                rows.append([1.0, float(g)])
                counts.append(float(part))
                offset.append(math.log(x * share))
        fit = sm.GLM(np.array(counts), np.array(rows), family=sm.families.Poisson(),
                     offset=np.array(offset)).fit(tol=1e-14, maxiter=200)
        dispersion = None
    else:
        model = sm.GLM(counts, np.array(rows), family=sm.families.Poisson(), offset=offset)
        fit = model.fit(scale="X2", use_t=True, tol=1e-14, maxiter=200)
        dispersion = fit.scale
        if fit.scale < 1:
            fit = model.fit(scale=1.0, use_t=True, tol=1e-14, maxiter=200)
    ci = fit.conf_int(0.05)
    return (math.exp(fit.params[1]), fit.pvalues[1], math.exp(ci[1][0]), math.exp(ci[1][1]),
            dispersion)


def check_cases(path):
    cases = json.load(open(path))
    for i, case in enumerate(cases["welch"]):
        est, p, lo, hi = welch(case["a"], case["b"])
        r = case["result"]
        close(f"welch[{i}].estimate", r["estimate"], est)
        close(f"welch[{i}].p", r["p"], p)
        close(f"welch[{i}].ci_low", r["ci_low"], lo)
        close(f"welch[{i}].ci_high", r["ci_high"], hi)
    for i, case in enumerate(cases["did"]):
        est, se = ols_hc2_did(case["groups"])
        close(f"did[{i}].estimate", case["result"]["estimate"], est)
        close(f"did[{i}].se", case["result"]["se"], se)
    for i, case in enumerate(cases["its"]):
        fit, ci = its_fit(case["t"], case["y"], case["t0"], case["lags"])
        for j, name in ((2, "level"), (3, "slope")):
            close(f"its[{i}].{name}.se_newey_west", case["se_hac"][j - 2], fit.hac.bse[j])
            close(f"its[{i}].{name}.se_ols", case["se_ols"][j - 2], fit.ols.bse[j])
            r = case[name]
            close(f"its[{i}].{name}.estimate", r["estimate"], fit.params[j])
            close(f"its[{i}].{name}.se", r["se"], fit.bse[j])
            close(f"its[{i}].{name}.p", r["p"], fit.pvalues[j])
            close(f"its[{i}].{name}.ci_low", r["ci_low"], ci[j][0])
            close(f"its[{i}].{name}.ci_high", r["ci_high"], ci[j][1])
    for i, case in enumerate(cases["rate_ratio"]):
        rr, p, lo, hi, dispersion = poisson_ratio(case["events"], case["exposure"],
                                                  case["group"])
        r = case["result"]
        if dispersion is not None:
            close(f"rate_ratio[{i}].dispersion", case["dispersion"], dispersion)
        close(f"rate_ratio[{i}].estimate", r["estimate"], rr)
        close(f"rate_ratio[{i}].p", r["p"], p)
        close(f"rate_ratio[{i}].ci_low", r["ci_low"], lo)
        close(f"rate_ratio[{i}].ci_high", r["ci_high"], hi)
    for i, case in enumerate(cases["holm"]):
        theirs = multipletests(case["p"], method="holm")[1]
        for j, (ours, their) in enumerate(zip(case["adjusted"], theirs)):
            close(f"holm[{i}][{j}]", ours, their)


def fit_test(test, units, y):
    """(estimate, p, ci_low, ci_high) of one test on unit values y, by statsmodels / scipy."""
    design = test["design"]
    if design == "interrupted_time_series":
        fit, ci = its_fit([u["t"] for u in units], y, test["t0"], test["lags"])
        j = 3 if test.get("term") == "slope_change" else 2
        return fit.params[j], fit.pvalues[j], ci[j][0], ci[j][1]
    if design == "before_after":
        a = [v for u, v in zip(units, y) if u["group"] == 0]
        b = [v for u, v in zip(units, y) if u["group"] == 1]
        return welch(a, b)
    if design == "controlled":
        groups = [[v for u, v in zip(units, y) if u["group"] == g] for g in range(4)]
        est, se = ols_hc2_did(groups)
        sizes = [len(g) for g in groups]
        parts = [np.var(g, ddof=1) / len(g) for g in groups]
        df = sum(parts) ** 2 / sum(p * p / (n - 1) for p, n in zip(parts, sizes))
        q = scipy.stats.t.ppf(0.975, df)
        return est, 2 * scipy.stats.t.sf(abs(est / se), df), est - q * se, est + q * se
    return None


def weights(test, units):
    """How much one more point in each unit moves the estimate (it is linear in them)."""
    design = test["design"]
    if design == "interrupted_time_series":
        t = np.array([u["t"] for u in units], dtype=float)
        after = (t >= test["t0"]).astype(float)
        x = np.column_stack([np.ones_like(t), t, after, after * (t - test["t0"])])
        j = 3 if test.get("term") == "slope_change" else 2
        return np.linalg.pinv(x)[j]
    groups = [u["group"] for u in units]
    sizes = {g: groups.count(g) for g in set(groups)}
    sign = {0: -1, 1: 1, 2: 1, 3: -1}
    return np.array([sign[g] / sizes[g] for g in groups])


def check_report(path):
    """The report's primary and exploratory tests, recomputed from the units it lists: exact
    values directly; ranges at the two extreme assignments (each unit at its low or high end
    by the sign of its weight), which give the bounds, the interval's ends and p."""
    report = json.load(open(path))
    tests = [report["primary"]] + report.get("tests", [])
    recomputed = 0
    for test in tests:
        units = test.get("units")
        name = f"{path}:{test['outcome']}/{test['design']}/{test['term']}"
        if units and test["design"] == "rate_ratio":
            rr, p, lo, hi, _ = poisson_ratio([u["y"] for u in units],
                                             [u["exposure"] for u in units],
                                             [u["group"] for u in units])
            close(name + ".estimate", test["estimate"], rr, REPORT_TOL)
            close(name + ".p", test["p"], p, REPORT_TOL)
            close(name + ".ci_low", test["ci_low"], lo, REPORT_TOL)
            close(name + ".ci_high", test["ci_high"], hi, REPORT_TOL)
            print(f"stats_oracle: {name}: {len(units)} weekly units, ratio {rr:.4g} "
                  f"({lo:.4g} to {hi:.4g})")
            recomputed += 1
            continue
        if not units or test["design"] not in ("interrupted_time_series", "before_after",
                                                "controlled"):
            continue
        if "y" in units[0]:
            est, p, lo, hi = fit_test(test, units, [u["y"] for u in units])
            close(name + ".estimate", test["estimate"], est, REPORT_TOL)
            close(name + ".p", test["p"], p, REPORT_TOL)
            close(name + ".ci_low", test["ci_low"], lo, REPORT_TOL)
            close(name + ".ci_high", test["ci_high"], hi, REPORT_TOL)
            recomputed += 1
            continue
        if any(u["high"] is None for u in units):
            continue  # "60+": unbounded, nothing to recompute
        c = weights(test, units)
        low = np.array([u["low"] for u in units])
        high = np.array([u["high"] for u in units])
        c = np.where(np.abs(c) < 1e-9, 0, c)  # no say in the estimate: low in y_min
        y_min = np.where(c >= 0, low, high)
        y_max = np.where(c >= 0, high, low)
        est_low, p_low, ci_low, _ = fit_test(test, units, list(y_min))
        est_high, p_high, _, ci_high = fit_test(test, units, list(y_max))
        close(name + ".estimate_low", test["estimate_bounds"][0], est_low, REPORT_TOL)
        close(name + ".estimate_high", test["estimate_bounds"][1], est_high, REPORT_TOL)
        close(name + ".ci_low", test["ci_low"], ci_low, REPORT_TOL)
        close(name + ".ci_high", test["ci_high"], ci_high, REPORT_TOL)
        p = 1.0 if est_low <= 0 <= est_high else max(p_low, p_high)
        close(name + ".p", test["p"], p, REPORT_TOL)
        recomputed += 1
    if recomputed == 0:
        failures.append(f"{path}: no test with units to recompute")
    print(f"stats_oracle: {path}: {recomputed} tests recomputed from their units")
    ps = [t["p"] for t in report.get("tests", []) if t.get("p") is not None]
    adjusted = [t["adjusted_p"] for t in report.get("tests", []) if t.get("p") is not None]
    if ps:
        theirs = multipletests(ps, method="holm")[1]
        for j, (ours, their) in enumerate(zip(adjusted, theirs)):
            close(f"{path}:holm[{j}]", ours, their, 1e-5)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    check_cases(sys.argv[1])
    for path in sys.argv[2:]:
        check_report(path)
    for failure in failures:
        print("stats_oracle: " + failure)
    print(f"stats_oracle: {checked - len(failures)} of {checked} figures equal statsmodels/scipy")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
