"""hubwh.activity (the logic of the dbt Python models activity_correlations and license_mwu)
on small repo_activity frames whose answers are worked out by hand or by scipy directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from hubwh.activity import activities_for, activity_correlations, license_tests, repo_types
from hubwh.errors import HubwhError
from hubwh.project import rq1_activities

# a small var: spaces have no downloads, only models have usage spaces (as the real one)
ACTS = {
    "n_likes": ["model", "dataset", "space"],
    "n_downloads": ["model", "dataset"],
    "n_usage_spaces": ["model"],
}
NAN = float("nan")


def repo_activity() -> pd.DataFrame:
    rows = [
        # repo_type, repo_id, likes, downloads, usage, license, license_class, in_license_comparison
        ("model", "m1", 1, 10, 0, "mit", "permissive", True),
        ("model", "m2", 2, 30, 1, "apache-2.0", "permissive", True),
        ("model", "m3", 3, 20, None, "mit", "permissive", True),
        ("model", "m4", 0, 5, 2, None, "none", True),
        ("model", "m5", 4, 0, 3, "gpl-3.0", "restrictive", True),
        ("model", "m6", 7, 1, 0, "other", "unclassified", None),  # not compared
        ("model", "m7", 9, 2, 1, "bsd-3-clause", "permissive", False),  # a rare license: not compared
        ("dataset", "d1", 5, 1, None, None, "none", None),
        ("dataset", "d2", 0, 2, None, "mit", "permissive", None),
        ("dataset", "d3", 1, 4, None, None, "none", None),
        ("space", "s1", 3, None, None, None, "none", None),
        ("space", "s2", 1, None, None, "mit", "permissive", None),
        ("space", "s3", 2, None, None, None, "none", None),
    ]
    cols = ["repo_type", "repo_id", "n_likes", "n_downloads", "n_usage_spaces", "license", "license_class"]
    frame = pd.DataFrame([r[:-1] for r in rows], columns=cols)
    frame["in_license_comparison"] = pd.array([r[-1] for r in rows], dtype="boolean")
    for c in ("n_likes", "n_downloads", "n_usage_spaces"):
        frame[c] = frame[c].astype("Int64")  # as DuckDB's BIGINT with NULLs reaches pandas
    return frame


def row(out: pd.DataFrame, scope: str, method: str, x: str, y: str) -> pd.Series:
    hit = out[(out.scope == scope) & (out.method == method) & (out.var_x == x) & (out.var_y == y)]
    assert len(hit) == 1, (scope, method, x, y)
    return hit.iloc[0]


def test_activities_per_repo_type():
    assert repo_types(ACTS) == ["model", "dataset", "space"]
    assert activities_for(ACTS, "model") == ["n_likes", "n_downloads", "n_usage_spaces"]
    assert activities_for(ACTS, "dataset") == ["n_likes", "n_downloads"]
    assert activities_for(ACTS, "space") == ["n_likes"]
    # the project's var, as the models receive it
    real = rq1_activities()
    assert activities_for(real, "space") == [
        "n_likes",
        "n_discussions",
        "n_disc_starters",
        "n_commits",
        "n_committers",
        "n_community",
    ]
    assert len(activities_for(real, "model")) == 8


def test_correlation_scopes_and_rows():
    out = activity_correlations(repo_activity(), ACTS)
    # pearson + spearman over every ordered pair, plus one point-biserial per activity:
    # model 4 scopes x 2 x 3^2 + 3, dataset 2 x 2^2 + 2, space 2 x 1 + 1
    assert len(out) == 4 * 18 + 3 + 10 + 3
    assert set(out.scope) == {"model", "model:permissive", "model:restrictive", "model:none", "dataset", "space"}
    space_vars = set(out[out.scope == "space"].var_x) | set(out[out.scope == "space"].var_y)
    assert space_vars == {"n_likes", "has_license"}  # no downloads for spaces
    dataset_vars = set(out[out.scope == "dataset"].var_y)
    assert dataset_vars == {"n_likes", "n_downloads"}  # usage spaces for models only
    assert list(out.columns) == ["scope", "method", "var_x", "var_y", "r", "p_value", "n"]
    assert out.dtypes["r"] == "float64" and out.dtypes["n"] == "int64"


def test_correlations_by_license_class_hand_worked():
    out = activity_correlations(repo_activity(), ACTS)
    # permissive models m1-m3: likes 1,2,3 vs downloads 10,30,20; deviations (-1,0,1) and
    # (-10,10,0): r = 10 / sqrt(2 * 200) = 0.5 (ranks 1,3,2 give the same Spearman). With n = 3,
    # t = r sqrt(1 / (1 - r^2)) = 1/sqrt(3) on 1 df (Cauchy): p = 1 - 2 atan(t) / pi = 2/3.
    for method in ("pearson", "spearman"):
        for x, y in (("n_likes", "n_downloads"), ("n_downloads", "n_likes")):
            r = row(out, "model:permissive", method, x, y)
            assert (r.r, r.p_value, r.n) == (pytest.approx(0.5), pytest.approx(2 / 3), 3)
    # m3's usage is unknown: 2 complete rows, too few for a correlation
    r = row(out, "model:permissive", "pearson", "n_likes", "n_usage_spaces")
    assert r.n == 2 and math.isnan(r.r) and math.isnan(r.p_value)
    # one restrictive model: undefined, n = 1; m6 and m7 (not compared) are in no class
    assert row(out, "model:restrictive", "spearman", "n_likes", "n_likes").n == 1
    assert sum(out[(out.scope.str.startswith("model:")) & (out.var_x == out.var_y)].groupby("scope").n.max()) == 5
    # the diagonal is exactly 1 where defined
    r = row(out, "model:permissive", "pearson", "n_likes", "n_likes")
    assert (r.r, r.p_value) == (1.0, 0.0)


def test_correlations_per_repo_type_match_scipy():
    frame = repo_activity()
    out = activity_correlations(frame, ACTS)
    models = frame[frame.repo_type == "model"]
    likes = models.n_likes.to_numpy(dtype=float)
    downloads = models.n_downloads.to_numpy(dtype=float)
    for method, fn in (("pearson", sps.pearsonr), ("spearman", sps.spearmanr)):
        ref = fn(likes, downloads)
        r = row(out, "model", method, "n_likes", "n_downloads")
        assert (r.r, r.p_value, r.n) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), 7)
    # usage: m3 unknown, so 6 rows
    usage = models.n_usage_spaces.to_numpy(dtype=float, na_value=NAN)
    ok = ~np.isnan(usage)
    ref = sps.pearsonr(likes[ok], usage[ok])
    r = row(out, "model", "pearson", "n_usage_spaces", "n_likes")
    assert (r.r, r.p_value, r.n) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), 6)
    # point-biserial: has a license (m6's "other" counts) against each activity
    has = models.license.notna().to_numpy()
    ref = sps.pointbiserialr(has, likes)
    r = row(out, "model", "point_biserial", "has_license", "n_likes")
    assert (r.r, r.p_value, r.n) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), 7)
    spaces = frame[frame.repo_type == "space"]
    ref = sps.pointbiserialr(spaces.license.notna().to_numpy(), spaces.n_likes.to_numpy(dtype=float))
    r = row(out, "space", "point_biserial", "has_license", "n_likes")
    assert (r.r, r.p_value) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue))


def test_correlations_skip_absent_repo_types_and_need_the_columns():
    frame = repo_activity()
    out = activity_correlations(frame[frame.repo_type != "space"], ACTS)
    assert "space" not in set(out.scope)
    with pytest.raises(HubwhError, match="n_downloads"):
        activity_correlations(frame.drop(columns=["n_downloads"]), ACTS)
    empty = activity_correlations(frame.iloc[0:0], ACTS)
    assert empty.empty and list(empty.columns) == ["scope", "method", "var_x", "var_y", "r", "p_value", "n"]


def test_license_tests_hand_worked():
    out = license_tests(repo_activity(), ACTS)
    assert len(out) == 3 * 3  # model activities x license pairs
    assert list(out.activity.unique()) == ["n_likes", "n_downloads", "n_usage_spaces"]
    likes = out[out.activity == "n_likes"].set_index(["group_a", "group_b"])
    # permissive likes 1,2,3 vs restrictive 4: no pair where a is larger, U = 0; exact
    # distribution for sizes 3 and 1: U in {0,1,2,3}, each 1/4, so p = 2 * 1/4
    r = likes.loc[("permissive", "restrictive")]
    assert (r.u_statistic, r.p_value, r.n_a, r.n_b) == (0.0, pytest.approx(0.5), 3, 1)
    assert (r.median_a, r.median_b, r.rank_biserial) == (2.0, 4.0, -1.0)
    # permissive vs none (likes 0): every pair favours a, U = 3, effect +1
    r = likes.loc[("permissive", "none")]
    assert (r.u_statistic, r.p_value, r.rank_biserial) == (3.0, pytest.approx(0.5), 1.0)
    # restrictive 4 vs none 0: sizes 1 and 1, U = 1, p = min(1, 2 * 1/2)
    r = likes.loc[("restrictive", "none")]
    assert (r.u_statistic, r.p_value, r.n_a, r.n_b) == (1.0, pytest.approx(1.0), 1, 1)
    # usage: m3 unknown, so the permissive group has 2 values (0, 1) against restrictive's 3
    r = out[(out.activity == "n_usage_spaces") & (out.group_a == "permissive") & (out.group_b == "restrictive")]
    assert (r.n_a.iloc[0], r.u_statistic.iloc[0], r.median_a.iloc[0]) == (2, 0.0, 0.5)


def test_license_tests_match_scipy_and_handle_an_empty_group():
    frame = repo_activity()
    extra = pd.DataFrame(
        {
            "repo_type": ["model"] * 4,
            "repo_id": ["m8", "m9", "m10", "m11"],
            "n_likes": pd.array([2, 9, 4, 4], dtype="Int64"),
            "n_downloads": pd.array([7, 3, 3, 12], dtype="Int64"),
            "n_usage_spaces": pd.array([1, 0, 5, 2], dtype="Int64"),
            "license": ["mit", None, "mit", None],
            "license_class": ["permissive", "none", "permissive", "none"],
            "in_license_comparison": pd.array([True, True, True, True], dtype="boolean"),
        }
    )
    frame = pd.concat([frame, extra], ignore_index=True)
    out = license_tests(frame, ACTS)
    compared = frame[(frame.repo_type == "model") & frame.in_license_comparison.fillna(False)]
    a = compared[compared.license_class == "permissive"].n_downloads.to_numpy(dtype=float)
    b = compared[compared.license_class == "none"].n_downloads.to_numpy(dtype=float)
    ref = sps.mannwhitneyu(a, b, alternative="two-sided")  # a tie (3, 3): normal approximation
    r = out[(out.activity == "n_downloads") & (out.group_a == "permissive") & (out.group_b == "none")].iloc[0]
    assert (r.u_statistic, r.p_value) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue))
    assert r.rank_biserial == pytest.approx(2 * ref.statistic / (a.size * b.size) - 1)

    only_permissive = frame[frame.license_class == "permissive"]
    out = license_tests(only_permissive, ACTS)
    r = out[(out.activity == "n_likes") & (out.group_b == "none")].iloc[0]
    assert r.n_b == 0 and math.isnan(r.u_statistic) and math.isnan(r.p_value) and math.isnan(r.median_b)
