"""Array helpers shared by the Python models."""

from __future__ import annotations

import numpy as np


def unique_sorted(values) -> np.ndarray:
    """The distinct values of a 1-D array, sorted: np.unique's result, by a sort and a mask.
    numpy 2.4's np.unique finds distinct values by hashing, and on millions of distinct
    integers that is about twenty times slower (9.2 M int64: 12 s against 0.5 s)."""
    values = np.sort(np.asarray(values).ravel())
    if values.size < 2:
        return values
    return values[np.r_[True, values[1:] != values[:-1]]]
