"""Mann-Whitney U test between two groups (Table 5), with effect size and medians."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import stats

from hubwh.stats._values import known


def mann_whitney(a: Iterable, b: Iterable) -> dict:
    """Two-sided Mann-Whitney U of group a against group b (scipy `mannwhitneyu`, method
    'auto': exact for small samples without ties, else the normal approximation with tie
    and continuity correction). u_statistic is U of group a; rank_biserial = 2U/(n_a n_b) − 1,
    positive when a's values tend to be larger. Statistics are None when a group is empty."""
    x, y = known(a), known(b)
    out = {
        "n_a": int(x.size),
        "n_b": int(y.size),
        "median_a": float(np.median(x)) if x.size else None,
        "median_b": float(np.median(y)) if y.size else None,
        "u_statistic": None,
        "p_value": None,
        "rank_biserial": None,
    }
    if x.size == 0 or y.size == 0:
        return out
    res = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
    u = float(res.statistic)
    p = float(res.pvalue)
    out.update(
        u_statistic=u,
        p_value=None if np.isnan(p) else p,  # NaN when every value ties
        rank_biserial=2.0 * u / (x.size * y.size) - 1.0,
    )
    return out
