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
import scipy.optimize
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


def ar_clock(t):
    """The AR(1) clock: weeks apart, a shared week (two points at one t) one step."""
    clock = [0.0]
    for previous, current in zip(t, t[1:]):
        clock.append(clock[-1] + max(current - previous, 1.0))
    return np.array(clock)


def ar_correlation(clock, rho):
    return rho ** np.abs(clock[:, None] - clock[None, :])


def reml_objective(x, y, clock, rho):
    """Restricted negative log-likelihood of y = x b + e, e with correlation R(rho), the
    variance profiled out, written with dense matrices (an independent check of Oase's
    decorrelating recursion): 0.5 (log|R| + log|X'R^-1 X| + (n - k) log(e'R^-1 e))."""
    r = ar_correlation(clock, rho)
    r_inv = np.linalg.inv(r)
    a = x.T @ r_inv @ x
    b = np.linalg.solve(a, x.T @ r_inv @ y)
    e = y - x @ b
    n, k = x.shape
    return 0.5 * (np.linalg.slogdet(r)[1] + np.linalg.slogdet(a)[1] + (n - k) * math.log(e @ r_inv @ e))


def reml_rho(x, y, clock):
    """rho in [0, 0.99] by a grid and scipy's bounded search around its best point."""
    grid = np.linspace(0, 0.99, 199)
    values = [reml_objective(x, y, clock, r) for r in grid]
    best = int(np.argmin(values))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    found = scipy.optimize.minimize_scalar(lambda r: reml_objective(x, y, clock, r),
                                           bounds=(low, high), method="bounded",
                                           options={"xatol": 1e-12})
    return found.x if found.fun <= values[best] else grid[best]


class ItsFit:
    """Newey-West (statsmodels HAC, small-sample correction), classical OLS, and the OLS
    estimate's variance under AR(1) errors with rho by REML (the scale from statsmodels' GLS
    at that rho); Oase uses the largest of the three standard errors with a t reference on
    n - 5 df."""

    def __init__(self, t, y, t0, lags, groups=None, rho=None):
        order = sorted(range(len(t)), key=lambda i: (t[i], groups[i] if groups else 0))
        t = np.array([t[i] for i in order], dtype=float)
        y = np.array([y[i] for i in order], dtype=float)
        after = (t >= t0).astype(float) if groups is None else \
            np.array([groups[i] for i in order], dtype=float)
        x = np.column_stack([np.ones_like(t), t, after, after * (t - t0)])
        model = sm.OLS(y, x)
        self.hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                             use_t=True)
        self.ols = model.fit()
        clock = ar_clock(list(t))
        self.rho_reml = reml_rho(x, y, clock)
        self.rho = self.rho_reml if rho is None else rho
        if rho is not None:  # Oase's rho must be as good a REML fit as scipy's
            self.rho_gap = reml_objective(x, y, clock, rho) - reml_objective(x, y, clock,
                                                                             self.rho_reml)
        r = ar_correlation(clock, self.rho)
        scale = sm.GLS(y, x, sigma=r).fit().scale
        xtx_inv = np.linalg.inv(x.T @ x)
        self.se_ar = np.sqrt(np.diag(xtx_inv @ x.T @ (scale * r) @ x @ xtx_inv))
        self.params = self.ols.params
        self.bse = np.maximum(np.maximum(self.hac.bse, self.ols.bse), self.se_ar)
        df = len(t) - 5
        self.pvalues = 2 * scipy.stats.t.sf(np.abs(self.params / self.bse), df)
        q = scipy.stats.t.ppf(0.975, df)
        self.ci = np.column_stack([self.params - q * self.bse, self.params + q * self.bse])


def its_fit(t, y, t0, lags, groups=None, rho=None):
    fit = ItsFit(t, y, t0, lags, groups, rho)
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
    rhos = []
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
        fit, ci = its_fit(case["t"], case["y"], case["t0"], case["lags"], rho=case["rho"])
        close(f"its[{i}].rho: its REML objective above scipy's best by", min(fit.rho_gap, 0), 0,
              1e-9)
        if fit.rho_gap > 1e-9:
            failures.append(f"its[{i}].rho {case['rho']}: REML objective {fit.rho_gap} above "
                            f"scipy's rho {fit.rho_reml}")
        rhos.append(case["rho"])
        for j, name in ((2, "level"), (3, "slope")):
            close(f"its[{i}].{name}.se_newey_west", case["se_hac"][j - 2], fit.hac.bse[j])
            close(f"its[{i}].{name}.se_ols", case["se_ols"][j - 2], fit.ols.bse[j])
            close(f"its[{i}].{name}.se_ar1", case["se_ar"][j - 2], fit.se_ar[j])
            r = case[name]
            close(f"its[{i}].{name}.estimate", r["estimate"], fit.params[j])
            close(f"its[{i}].{name}.se", r["se"], fit.bse[j])
            close(f"its[{i}].{name}.p", r["p"], fit.pvalues[j])
            close(f"its[{i}].{name}.ci_low", r["ci_low"], ci[j][0])
            close(f"its[{i}].{name}.ci_high", r["ci_high"], ci[j][1])
    if not any(r > 0.05 for r in rhos):
        failures.append(f"no time series case has autocorrelated errors (rho {rhos})")
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
        fit, ci = its_fit([u["t"] for u in units], y, test["t0"], test["lags"],
                          [u["group"] for u in units])
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
