"""Descriptive summary of one activity (Tables 2–4 of the paper, plus the zero share)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hubwh.stats._values import known


def describe(values: Iterable) -> dict:
    """count, mean, std (sample, ddof 1), min, p25, p50, p75 (linear interpolation, as
    pandas `describe`), max and zero_share of the known values. Statistics are None when
    no value is known (std also when only one is)."""
    x = known(values)
    n = int(x.size)
    if n == 0:
        return {
            "count": 0,
            "mean": None,
            "std": None,
            "min": None,
            "p25": None,
            "p50": None,
            "p75": None,
            "max": None,
            "zero_share": None,
        }
    p25, p50, p75 = np.quantile(x, [0.25, 0.5, 0.75], method="linear")
    return {
        "count": n,
        "mean": float(x.mean()),
        "std": float(x.std(ddof=1)) if n > 1 else None,
        "min": float(x.min()),
        "p25": float(p25),
        "p50": float(p50),
        "p75": float(p75),
        "max": float(x.max()),
        "zero_share": float(np.count_nonzero(x == 0)) / n,
    }
