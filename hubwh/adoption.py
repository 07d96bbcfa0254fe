"""RQ3 statistics that SQL does not do well: correlations between a model's
popularity (likes, downloads) and its usage in spaces (docs/methods.md §5, paper §4.3.3).

The correlation itself is RQ1's (hubwh.stats.correlation_pairs: Pearson or Spearman,
two-sided p, rows with a missing value dropped, None when undefined), so a ρ means the
same in activity_correlations and usage_correlations. Called by the dbt Python model
`usage_correlations`; tested in tests/test_rq3_adoption.py."""

from __future__ import annotations

import pandas as pd

from hubwh.errors import HubwhError
from hubwh.stats import ACTIVITY_METHODS, correlation_pairs

POPULARITY_COLUMNS = ("likes", "downloads")
USAGE_COLUMN = "n_spaces"
CORRELATION_COLUMNS = ["subfield", "population", "var_x", "var_y", "method", "r", "p_value", "n"]


def usage_correlations(frame: pd.DataFrame) -> pd.DataFrame:
    """Likes and downloads vs n_spaces, per sub-field, population and method.

    `frame` has one row per (subfield, model) with likes, downloads and n_spaces (0 for
    unused models), as int_model_popularity_usage. Populations: 'listed_models' (every
    listed model of the sub-field, unused ones at 0, like the paper's n_usage_spaces
    column) and 'used_models' (n_spaces >= 1 only)."""
    missing = {"subfield", *POPULARITY_COLUMNS, USAGE_COLUMN} - set(frame.columns)
    if missing:
        raise HubwhError(f"usage_correlations: input lacks columns {sorted(missing)}")
    rows = []
    for subfield, group in frame.groupby("subfield", sort=True):
        populations = {"listed_models": group, "used_models": group[group[USAGE_COLUMN] >= 1]}
        for population, part in populations.items():
            for var_x in POPULARITY_COLUMNS:
                for method in ACTIVITY_METHODS:
                    pairs = correlation_pairs(part, [var_x, USAGE_COLUMN], method)
                    row = pairs[(pairs["var_x"] == var_x) & (pairs["var_y"] == USAGE_COLUMN)].iloc[0]
                    rows.append(
                        (subfield, population, var_x, USAGE_COLUMN, method, row["r"], row["p_value"], int(row["n"]))
                    )
    out = pd.DataFrame(rows, columns=CORRELATION_COLUMNS)
    return out.astype({"r": "float64", "p_value": "float64", "n": "int64"})
