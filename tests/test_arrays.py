"""hubwh.arrays: unique_sorted is np.unique's result, found another way."""

from __future__ import annotations

import numpy as np
import pytest

from hubwh.arrays import unique_sorted


@pytest.mark.parametrize(
    "values",
    [
        np.zeros(0, dtype=np.int64),
        np.array([7]),
        np.array([3, 3]),
        np.array([5, -2, 5, 0, -2, 9]),
        np.arange(12).reshape(3, 4) % 5,
        np.random.default_rng(1).integers(-(2**40), 2**40, 5000),
        np.random.default_rng(2).integers(0, 30, 5000),
    ],
    ids=["empty", "one", "two equal", "negative", "2-D", "many distinct", "few distinct"],
)
def test_unique_sorted_is_np_unique(values):
    got = unique_sorted(values)
    expected = np.unique(values)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
