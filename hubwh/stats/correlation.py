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


def _spearman_by_rows(data: dict[str, np.ndarray], pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """Spearman's r and p of the pairs, one scipy call for all the pairs that are over the same
    rows (those where both values are known): a pair's rows are the intersection of its two
    columns' known rows, and at today's Hub most pairs share one of a few such sets (every row;
    the repos whose commits or discussions fetch succeeded). scipy then ranks each column once
    per set of rows instead of once per pair (2.5 M models, 36 pairs per scope). Pairs left
    alone, or with a column undefined over their rows (fewer than 3, or constant), are not
    answered here: `_pair` does them. scipy's own computation, so the figures are `_pair`'s
    (tests/test_stats.py)."""
    known = {c: ~np.isnan(x) for c, x in data.items()}
    by_rows: dict[bytes, tuple[np.ndarray, list[tuple[str, str]]]] = {}
    for a, b in pairs:
        rows = known[a] & known[b]
        by_rows.setdefault(np.packbits(rows).tobytes(), (rows, []))[1].append((a, b))
    out = {}
    for rows, group in by_rows.values():
        columns = [c for c in data if any(c in pair for pair in group)]
        values = {c: data[c][rows] for c in columns}
        defined = [c for c, x in values.items() if x.size >= 3 and not np.all(x == x[0])]
        if len(defined) < 3:  # (scipy returns scalars for two columns; one pair costs the same alone)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.spearmanr(np.column_stack([values[c] for c in defined]))
        index = {c: i for i, c in enumerate(defined)}
        for a, b in group:
            if a in index and b in index:
                r, p = float(res.statistic[index[a], index[b]]), float(res.pvalue[index[a], index[b]])
                out[(a, b)] = (None if np.isnan(r) else r), (None if np.isnan(p) else p)
    return out


def correlation_pairs(frame: pd.DataFrame, columns: list[str], method: str) -> pd.DataFrame:
    """Long-format correlation matrix: one row per ordered pair (var_x, var_y) of `columns`
    (diagonal included: r = 1, p = 0 unless the column is constant), r and p_value None
    where undefined (fewer than 3 complete rows, or a constant column), n = complete rows."""
    if method not in ACTIVITY_METHODS:
        raise ValueError(f"unknown method {method!r}")
    data = {c: _floats(frame[c]) for c in columns}
    pairs = [(a, b) for a_pos, a in enumerate(columns) for b in columns[a_pos:]]
    together = _spearman_by_rows(data, pairs) if method == "spearman" else {}
    rows = []
    for a, b in pairs:
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
