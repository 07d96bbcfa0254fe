"""Model size against collaboration and popularity (docs/methods.md §12): the statistics of the
dbt Python model model_size_tests. Everything else of §11 and §12 is SQL (repo_health,
elephant_factor, model_size_activity)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

UNKNOWN = "unknown"
COLUMNS = ["activity", "n", "n_classes", "spearman_r", "spearman_p", "kruskal_h", "kruskal_p"]


def _number(x) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float | None, float | None]:
    if x.size < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return None, None  # undefined: too few models or a constant variable
    res = stats.spearmanr(x, y)
    return _number(res.statistic), _number(res.pvalue)


def _kruskal(groups: list[np.ndarray]) -> tuple[float | None, float | None]:
    groups = [g for g in groups if g.size]
    values = np.concatenate(groups) if groups else np.array([])
    if len(groups) < 2 or np.all(values == values[0]):
        return None, None  # undefined: fewer than two classes, or every value the same
    res = stats.kruskal(*groups)
    return _number(res.statistic), _number(res.pvalue)


def model_size_tests(models: pd.DataFrame, activities: list[str]) -> pd.DataFrame:
    """One row per activity over the models with a known size (`parameters` not NULL) and a known
    value: n, the known size classes holding them (n_classes), Spearman's r between parameters
    and the activity with its two-sided p-value, and the Kruskal–Wallis H of the activity across
    those classes with its p-value. Statistics are None where undefined (fewer than 3 models or a
    constant variable for Spearman; fewer than 2 classes or all values equal for Kruskal–Wallis)."""
    params = pd.to_numeric(models["parameters"], errors="coerce").astype("float64")
    classes = models["size_class"].astype("object")
    rows = []
    for activity in activities:
        values = pd.to_numeric(models[activity], errors="coerce").astype("float64")
        ok = (params.notna() & values.notna() & (classes != UNKNOWN)).to_numpy()
        x, y, c = params.to_numpy()[ok], values.to_numpy()[ok], classes.to_numpy()[ok]
        groups = [y[c == label] for label in sorted(set(c))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy's warnings on ties and small samples
            r, p = _spearman(x, y)
            h, hp = _kruskal(groups)
        rows.append((activity, int(ok.sum()), len(groups), r, p, h, hp))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"n": "int64", "n_classes": "int64"})
