"""Turn any sequence of numbers (with None / NaN / pd.NA for missing) into a float array without them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def known(values: Iterable) -> np.ndarray:
    """The non-missing values as a float64 array (None, NaN and pd.NA dropped)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    arr = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
    return arr[~np.isnan(arr)]
