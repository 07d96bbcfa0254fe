"""hubwh.health.model_size_tests (docs/methods.md §12) on small hand-made frames, against scipy:
unknown sizes and NULL values left out, undefined statistics None."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from hubwh.health import model_size_tests


def frame(rows):
    return pd.DataFrame(rows, columns=["parameters", "size_class", "n_likes", "n_commits"])


def test_spearman_and_kruskal_over_known_sizes():
    df = frame(
        [
            (5e7, "<100M", 0, 1),
            (8e7, "<100M", 1, 1),
            (2e8, "100M-1B", 2, 1),
            (7e8, "100M-1B", None, 1),  # a NULL value: left out of n_likes only
            (7e9, "1B-10B", 9, 1),
            (8e9, "1B-10B", 4, 1),
            (None, "unknown", 100, 1),  # no size: left out
        ]
    )
    out = model_size_tests(df, ["n_likes", "n_commits"]).set_index("activity")
    x, y = [5e7, 8e7, 2e8, 7e9, 8e9], [0, 1, 2, 9, 4]
    rho = stats.spearmanr(x, y)
    h = stats.kruskal([0, 1], [2], [9, 4])
    likes = out.loc["n_likes"]
    assert (likes.n, likes.n_classes) == (5, 3)
    assert likes.spearman_r == pytest.approx(rho.statistic) and likes.spearman_p == pytest.approx(rho.pvalue)
    assert likes.kruskal_h == pytest.approx(h.statistic) and likes.kruskal_p == pytest.approx(h.pvalue)
    commits = out.loc["n_commits"]  # constant: both tests undefined
    assert commits.n == 6 and pd.isna(commits.spearman_r) and pd.isna(commits.kruskal_h)


def test_too_few_models_or_one_class():
    df = frame([(5e7, "<100M", 0, 1), (6e7, "<100M", 3, 2), (7e7, "<100M", 5, 3)])
    row = model_size_tests(df, ["n_likes"]).iloc[0]
    assert row.n == 3 and row.spearman_r == pytest.approx(1.0) and pd.isna(row.kruskal_h)  # one class
    two = model_size_tests(df.head(2), ["n_likes"]).iloc[0]
    assert pd.isna(two.spearman_r) and pd.isna(two.spearman_p)  # fewer than 3 models
    empty = model_size_tests(df.head(0), ["n_likes"]).iloc[0]
    assert empty.n == 0 and empty.n_classes == 0 and pd.isna(empty.kruskal_p)
