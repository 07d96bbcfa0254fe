"""Unit tests of hubwh.stats on hand-worked inputs and against scipy / pandas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from hubwh.stats import correlation_pairs, describe, gini, lorenz_points, mann_whitney, pareto_share, point_biserial
from hubwh.stats.correlation import _spearman_by_rows

# --- describe ---------------------------------------------------------------------------


def test_describe_hand_worked():
    d = describe([0, 0, 1, 3, None, float("nan"), 6])
    assert d["count"] == 5
    assert d["mean"] == pytest.approx(2.0)
    # sample variance: (4 + 4 + 1 + 1 + 16) / 4 = 6.5
    assert d["std"] == pytest.approx(math.sqrt(6.5))
    assert (d["min"], d["max"]) == (0.0, 6.0)
    # linear interpolation on 0,0,1,3,6: positions 1, 2, 3 (of 0..4)
    assert (d["p25"], d["p50"], d["p75"]) == (0.0, 1.0, 3.0)
    assert d["zero_share"] == pytest.approx(0.4)


def test_describe_matches_pandas_describe():
    rng = np.random.default_rng(1)
    x = rng.negative_binomial(1, 0.3, size=1001).astype(float)
    d = describe(x)
    ref = pd.Series(x).describe()
    for ours, theirs in [
        ("count", "count"),
        ("mean", "mean"),
        ("std", "std"),
        ("min", "min"),
        ("p25", "25%"),
        ("p50", "50%"),
        ("p75", "75%"),
        ("max", "max"),
    ]:
        assert d[ours] == pytest.approx(ref[theirs], rel=1e-12)


def test_describe_empty_and_single():
    assert describe([None])["count"] == 0 and describe([])["mean"] is None
    one = describe([4])
    assert one["std"] is None and one["p50"] == 4.0 and one["zero_share"] == 0.0


# --- Pareto, Gini, Lorenz ---------------------------------------------------------------


def test_pareto_share_hand_worked():
    # sorted desc 50, 30, 10, 10, 0 (total 100): 80 % reached by the top 2, 99 % by the top 4
    values = [10, 0, 50, 10, 30]
    assert pareto_share(values, 0.8) == (2, 0.4)
    assert pareto_share(values, 0.99) == (4, 0.8)
    assert pareto_share(values, 1.0) == (4, 0.8)  # the zero adds nothing
    assert pareto_share(values, 0.5) == (1, 0.2)  # exactly reaching counts


def test_pareto_share_zero_total_and_missing():
    assert pareto_share([0, 0, None], 0.8) == (None, None)
    assert pareto_share([], 0.8) == (None, None)
    assert pareto_share([None, 5, 0], 0.8) == (1, 0.5)  # n counts known values only
    with pytest.raises(ValueError):
        pareto_share([1], 0)


def test_gini_hand_worked():
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n-1)/n
    # 1,2,3,4: 2*(1+4+9+16)/(4*10) - 5/4 = 1.5 - 1.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert gini([0, 0]) is None and gini([]) is None


def test_gini_equals_mean_absolute_difference_formula():
    rng = np.random.default_rng(3)
    x = rng.pareto(1.5, size=300)
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert gini(x) == pytest.approx(mad, rel=1e-9)


def test_lorenz_points_small_curve_keeps_every_point():
    pts = lorenz_points([3, 1, 0, 6], n_points=200)
    assert pts == [(0, 0.0, 0.0), (1, 0.25, 0.0), (2, 0.5, 0.1), (3, 0.75, 0.4), (4, 1.0, 1.0)]


def test_lorenz_points_sampled_large_curve():
    x = np.arange(1000)
    pts = lorenz_points(x, n_points=200)
    assert len(pts) == 201  # (0,0) + one point per 1/200 step
    assert pts[0] == (0, 0.0, 0.0) and pts[-1][1:] == (1.0, 1.0)
    assert [p[0] for p in pts[1:4]] == [5, 10, 15]
    ys = [p[2] for p in pts]
    slopes = np.diff(ys) / np.diff([p[1] for p in pts])
    assert np.all(np.diff(slopes) >= -1e-12)  # convex
    assert lorenz_points([0, 0]) == []


# --- correlations -----------------------------------------------------------------------


def test_correlation_pairs_against_scipy_with_missing_values():
    rng = np.random.default_rng(5)
    a = rng.poisson(3, 200).astype(float)
    b = a + rng.poisson(2, 200)
    c = rng.poisson(1, 200).astype(float)
    c[:20] = np.nan
    frame = pd.DataFrame({"a": a, "b": b, "c": c})
    for method, fn in [("pearson", sps.pearsonr), ("spearman", sps.spearmanr)]:
        out = correlation_pairs(frame, ["a", "b", "c"], method).set_index(["var_x", "var_y"])
        assert len(out) == 9
        ok = ~np.isnan(c)
        ref = fn(a[ok], c[ok])
        assert out.loc[("a", "c"), "r"] == pytest.approx(ref.statistic, abs=1e-12)
        assert out.loc[("c", "a"), "p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
        assert out.loc[("a", "c"), "n"] == 180 and out.loc[("a", "b"), "n"] == 200
        assert out.loc[("b", "b"), "r"] == 1.0 and out.loc[("b", "b"), "p_value"] == 0.0


def test_spearman_of_pairs_over_the_same_rows_taken_together_equals_each_pair_alone():
    # pairs over the same rows go through one scipy call (each column ranked once per set of
    # rows); every pair must equal spearmanr of that pair alone: ties, a constant column, two
    # columns with the same gaps (a failed fetch's repos), another gap pattern, a column that is
    # constant on the gappy rows only, and one with two known values included
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({c: rng.poisson(1 + i, 300).astype(float) for i, c in enumerate("abcd")})
    frame["k"] = 4.0
    gaps = rng.random(300) > 0.2
    frame["g"] = frame["a"].where(gaps)
    frame["h"] = frame["c"].add(rng.poisson(1, 300)).where(gaps)
    frame["e"] = frame["b"].where(rng.random(300) > 0.5)
    frame["kg"] = np.where(gaps, 7.0, frame["d"])
    frame["t"] = np.where(np.arange(300) < 2, frame["a"], np.nan)
    columns = list(frame.columns)
    out = correlation_pairs(frame, columns, "spearman").set_index(["var_x", "var_y"])
    for x in columns:
        for y in columns:
            ok = frame[x].notna() & frame[y].notna()
            xs, ys = frame.loc[ok, x], frame.loc[ok, y]
            row = out.loc[(x, y)]
            assert row["n"] == ok.sum()
            undefined = ok.sum() < 3 or xs.nunique() == 1 or ys.nunique() == 1
            if undefined:
                assert row["r"] is None or np.isnan(row["r"]), (x, y)
            elif x == y:
                assert (row["r"], row["p_value"]) == (1.0, 0.0)
            else:
                ref = sps.spearmanr(xs, ys)
                assert row["r"] == pytest.approx(ref.statistic, abs=1e-12), (x, y)
                assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9), (x, y)
    # and the gappy pairs were answered together, not one by one
    data = {c: frame[c].to_numpy(dtype=float) for c in columns}
    together = _spearman_by_rows(data, [("a", "g"), ("g", "h"), ("b", "h"), ("a", "b"), ("a", "c"), ("b", "c")])
    assert {("a", "g"), ("g", "h"), ("b", "h"), ("a", "b"), ("a", "c"), ("b", "c")} <= set(together)


def test_correlation_pairs_undefined_cases():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "k": [2.0, 2.0, 2.0, 2.0], "s": [1.0, None, None, 2.0]})
    out = correlation_pairs(frame, ["a", "k", "s"], "pearson").set_index(["var_x", "var_y"])
    assert out.loc[("a", "k"), "r"] is None or np.isnan(out.loc[("a", "k"), "r"])  # constant
    assert out.loc[("k", "k"), "r"] is None or np.isnan(out.loc[("k", "k"), "r"])
    assert np.isnan(out.loc[("a", "s"), "r"]) and out.loc[("a", "s"), "n"] == 2  # too few rows
    with pytest.raises(ValueError):
        correlation_pairs(frame, ["a"], "kendall")


def test_point_biserial_equals_pearson_of_the_flag():
    flag = [True, False, True, True, False, None, False]
    values = [5, 1, 4, 6, 2, 100, 0]
    r, p, n = point_biserial(flag, values)
    ref = sps.pearsonr([1, 0, 1, 1, 0, 0], [5, 1, 4, 6, 2, 0])
    assert n == 6
    assert r == pytest.approx(ref.statistic, abs=1e-12) and p == pytest.approx(ref.pvalue, rel=1e-9)


# --- Mann-Whitney U ---------------------------------------------------------------------


def test_mann_whitney_hand_worked_small_sample():
    # a = 4, 5, 6; b = 1, 2, 3: every a beats every b, U_a = 9, rank-biserial 1.
    res = mann_whitney([4, 5, 6], [1, 2, 3])
    assert res["u_statistic"] == 9.0 and res["rank_biserial"] == 1.0
    assert res["p_value"] == pytest.approx(0.1)  # exact: 2 / C(6, 3)
    assert (res["median_a"], res["median_b"], res["n_a"], res["n_b"]) == (5.0, 2.0, 3, 3)
    flipped = mann_whitney([1, 2, 3], [4, 5, 6])
    assert flipped["u_statistic"] == 0.0 and flipped["rank_biserial"] == -1.0


def test_mann_whitney_ties_against_scipy():
    rng = np.random.default_rng(11)
    a = rng.poisson(1.0, 500)
    b = rng.poisson(0.7, 800)
    res = mann_whitney(list(a) + [None], b)
    ref = sps.mannwhitneyu(a, b, alternative="two-sided")
    assert res["n_a"] == 500
    assert res["u_statistic"] == pytest.approx(ref.statistic)
    assert res["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    # U counts pairs a > b plus half the ties
    gt = (a[:, None] > b[None, :]).sum() + 0.5 * (a[:, None] == b[None, :]).sum()
    assert res["u_statistic"] == gt
    assert res["rank_biserial"] == pytest.approx(2 * gt / (500 * 800) - 1)


def test_mann_whitney_empty_group_and_all_ties():
    empty = mann_whitney([], [1, 2])
    assert empty["u_statistic"] is None and empty["n_a"] == 0 and empty["median_b"] == 1.5
    ties = mann_whitney([0, 0, 0], [0, 0])
    assert ties["u_statistic"] == 3.0 and ties["rank_biserial"] == 0.0
    ref = sps.mannwhitneyu([0, 0, 0], [0, 0], alternative="two-sided").pvalue
    assert ties["p_value"] == (None if np.isnan(ref) else ref)
