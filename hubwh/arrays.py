"""Array helpers shared by the Python models."""

from __future__ import annotations

import numpy as np


def unique_sorted(values) -> np.ndarray:
    """The distinct values of an array, flattened and sorted: np.unique's result, by a sort
    and a mask. numpy 2.4's np.unique is about twenty times slower on millions of distinct
    integers (9.2 M int64: 12 s against 0.5 s), which the identity candidates meet."""
    values = np.sort(np.asarray(values).ravel())
    if values.size < 2:
        return values
    return values[np.r_[True, values[1:] != values[:-1]]]
