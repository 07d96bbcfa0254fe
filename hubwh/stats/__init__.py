"""Statistics of the RQ1 analysis (docs/methods.md §2), on plain sequences of numbers.

Missing values (None / NaN) are dropped first everywhere: every result reports how many
values it used. The SQL marts (activity_summary, activity_pareto, activity_lorenz) compute
the same descriptive and concentration figures independently; the tests check one against
the other. The dbt Python models use only what SQL cannot do well (correlations with
p-values, Mann-Whitney U)."""

from hubwh.stats.concentration import gini, lorenz_points, pareto_share
from hubwh.stats.correlation import ACTIVITY_METHODS, correlation_pairs, point_biserial
from hubwh.stats.descriptive import describe
from hubwh.stats.mann_whitney import mann_whitney

__all__ = [
    "ACTIVITY_METHODS",
    "correlation_pairs",
    "describe",
    "gini",
    "lorenz_points",
    "mann_whitney",
    "pareto_share",
    "point_biserial",
]
