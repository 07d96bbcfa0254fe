"""Concentration of an activity over repos: Pareto share, Gini coefficient, Lorenz curve.

Definitions (also in the activity_pareto / activity_lorenz model descriptions):
- Pareto share at threshold p: sort descending; the smallest k whose top-k sum reaches
  p × total (compared in double precision), as a fraction of the n known values. Ties do not
  matter (k depends on the sorted values only). None when the total is 0.
- Gini: 2 Σ i·x_(i) / (n Σ x) − (n + 1) / n, x sorted ascending, i = 1..n (no small-sample
  correction); 0 for perfect equality, (n − 1) / n when one repo holds everything.
- Lorenz curve: (i / n, cumulative share of the i smallest values), sampled at (0, 0) and at
  the first i reaching each 1/n_points step of i / n (every point when n <= n_points); the last
  point is (1, 1).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hubwh.stats._values import known


def pareto_share(values: Iterable, threshold: float) -> tuple[int | None, float | None]:
    """(n_repos_needed, repo_share) for one threshold in (0, 1]."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    x = np.sort(known(values))[::-1]
    total = float(x.sum())
    if x.size == 0 or total <= 0:
        return None, None
    cum = np.cumsum(x)
    k = int(np.argmax(cum >= threshold * total)) + 1
    return k, k / x.size


def gini(values: Iterable) -> float | None:
    """Gini coefficient of non-negative values; None when the total is 0."""
    x = np.sort(known(values))
    total = float(x.sum())
    if x.size == 0 or total <= 0:
        return None
    n = x.size
    i = np.arange(1, n + 1, dtype="float64")
    return float(2.0 * np.sum(i * x) / (n * total) - (n + 1.0) / n)


def lorenz_points(values: Iterable, n_points: int = 200) -> list[tuple[int, float, float]]:
    """Sampled Lorenz curve as (n_repos, repo_share, activity_share) points, from (0, 0, 0).
    Empty when the total is 0."""
    x = np.sort(known(values))
    total = float(x.sum())
    n = x.size
    if n == 0 or total <= 0:
        return []
    cum = np.cumsum(x)
    i = np.arange(1, n + 1)
    keep = (i * n_points) // n > ((i - 1) * n_points) // n
    points = [(0, 0.0, 0.0)]
    points += [(int(k), k / n, float(c) / total) for k, c in zip(i[keep], cum[keep])]
    return points
