"""Correlations between activities (§4.1.2, Figure 2–3): Pearson, Spearman, point-biserial,
each with its two-sided p-value (scipy), over the rows where both values are known."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

ACTIVITY_METHODS = ("pearson", "spearman")

_COLUMNS = ["var_x", "var_y", "r", "p_value", "n"]


def _floats(values) -> np.ndarray:
    """Values as float64 with NaN for missing (None, pd.NA), keeping positions."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _pair(x: np.ndarray, y: np.ndarray, method: str) -> tuple[float | None, float | None]:
    if x.size < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return None, None  # undefined: too few rows or a constant column
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.pearsonr(x, y) if method == "pearson" else stats.spearmanr(x, y)
    r, p = float(res.statistic), float(res.pvalue)
    return (None if np.isnan(r) else r), (None if np.isnan(p) else p)


def _spearman_together(data: dict[str, np.ndarray]) -> dict[tuple[str, str], tuple]:
    """Spearman's r and p of every pair of the columns that have no missing value and are
    defined (3 rows or more, not constant), from one scipy call on all of them: their pairs are
    all over every row, and scipy then ranks each column once instead of once per pair (at
    today's Hub, 2.5 M models and 36 pairs per scope). scipy's own computation, so the figures
    are those of `_pair` (tests/test_activity.py)."""
    full = [c for c, x in data.items() if x.size >= 3 and not np.isnan(x).any() and not np.all(x == x[0])]
    if len(full) < 3:  # (scipy returns scalars for two columns; one pair costs the same alone)
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.spearmanr(np.column_stack([data[c] for c in full]))
    out = {}
    for i, a in enumerate(full):
        for j, b in enumerate(full):
            r, p = float(res.statistic[i, j]), float(res.pvalue[i, j])
            out[(a, b)] = (None if np.isnan(r) else r), (None if np.isnan(p) else p)
    return out


def correlation_pairs(frame: pd.DataFrame, columns: list[str], method: str) -> pd.DataFrame:
    """Long-format correlation matrix: one row per ordered pair (var_x, var_y) of `columns`
    (diagonal included: r = 1, p = 0 unless the column is constant), r and p_value None
    where undefined (fewer than 3 complete rows, or a constant column), n = complete rows."""
    if method not in ACTIVITY_METHODS:
        raise ValueError(f"unknown method {method!r}")
    data = {c: _floats(frame[c]) for c in columns}
    together = _spearman_together(data) if method == "spearman" else {}
    rows = []
    for a_pos, a in enumerate(columns):
        for b in columns[a_pos:]:
            ok = ~np.isnan(data[a]) & ~np.isnan(data[b])
            if (a, b) in together:
                r, p = together[(a, b)]
            else:
                r, p = _pair(data[a][ok], data[b][ok], method)
            if a == b and r is not None:
                r, p = 1.0, 0.0  # exact, rather than 0.9999999999999998
            rows.append((a, b, r, p, int(ok.sum())))
            if a != b:
                rows.append((b, a, r, p, int(ok.sum())))
    return pd.DataFrame(rows, columns=_COLUMNS)


def point_biserial(flag, values) -> tuple[float | None, float | None, int]:
    """Point-biserial correlation of a boolean with a numeric variable (Pearson's r of the
    0/1 flag with the values), over rows where both are known: (r, p_value, n)."""
    f, v = _floats(flag), _floats(values)
    ok = ~np.isnan(f) & ~np.isnan(v)
    x, y = f[ok], v[ok]
    if x.size < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return None, None, int(ok.sum())
    res = stats.pointbiserialr(x.astype(bool), y)
    return float(res.statistic), float(res.pvalue), int(ok.sum())
