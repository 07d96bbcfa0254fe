"""hubwh.adoption.usage_correlations: likes/downloads vs usage, on hand-worked inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hubwh.adoption import usage_correlations
from hubwh.errors import HubwhError


def frame(likes, downloads, n_spaces, subfield="all") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "subfield": subfield,
            "model_id": [f"m{i}" for i in range(len(likes))],
            "likes": likes,
            "downloads": downloads,
            "n_spaces": n_spaces,
        }
    )


def pick(out: pd.DataFrame, population: str, var_x: str, method: str) -> pd.Series:
    rows = out[(out.population == population) & (out.var_x == var_x) & (out.method == method)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_hand_worked_r_and_p():
    # likes 1,2,3 vs usage 1,3,2: r = 0.5 for Pearson and Spearman (ranks = values); with
    # n - 2 = 1 degree of freedom t is Cauchy: p = 1 - (2/pi) atan(0.5 / sqrt(0.75)) = 2/3.
    out = usage_correlations(frame([1, 2, 3], [0, 0, 0], [1, 3, 2]))
    for method in ("pearson", "spearman"):
        row = pick(out, "listed_models", "likes", method)
        assert row.r == pytest.approx(0.5) and row.p_value == pytest.approx(2 / 3) and row.n == 3
        assert row.var_y == "n_spaces"
    # downloads are constant: no correlation is defined
    row = pick(out, "listed_models", "downloads", "pearson")
    assert math.isnan(row.r) and math.isnan(row.p_value) and row.n == 3


def test_spearman_differs_from_pearson_on_a_monotone_curve():
    out = usage_correlations(frame([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 100]))
    assert pick(out, "listed_models", "likes", "spearman").r == pytest.approx(1.0)
    assert pick(out, "listed_models", "likes", "pearson").r < 0.8


def test_populations_and_missing_values():
    out = usage_correlations(frame([0, 1, 2, 3, 10], [5, None, 1, 0, 2], [0, 0, 1, 3, 2]))
    assert len(out) == 8  # 2 populations x 2 variables x 2 methods
    assert pick(out, "listed_models", "likes", "pearson").n == 5
    assert pick(out, "listed_models", "downloads", "pearson").n == 4  # one missing download
    used = pick(out, "used_models", "likes", "spearman")
    # used models: likes 2, 3, 10 vs usage 1, 3, 2 -> ranks (1,2,3) vs (1,3,2): 0.5
    assert used.n == 3 and used.r == pytest.approx(0.5)


def test_per_subfield():
    both = pd.concat([frame([1, 2, 3], [1, 2, 3], [1, 2, 3], "all"), frame([1, 2, 3], [1, 2, 3], [3, 2, 1], "cv")])
    out = usage_correlations(both)
    assert set(out.subfield) == {"all", "cv"}
    assert pick(out[out.subfield == "cv"], "listed_models", "likes", "pearson").r == pytest.approx(-1.0)


def test_rejects_bad_input():
    with pytest.raises(HubwhError, match="lacks columns"):
        usage_correlations(pd.DataFrame({"subfield": ["all"], "likes": [1]}))
