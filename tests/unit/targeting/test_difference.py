"""Newcombe's hybrid score interval for a difference of proportions (method 10)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.targeting.difference import newcombe_difference

# Newcombe RG (1998), Stat Med 17:873-890, Table II, method 10 (score, no continuity
# correction), to 4 decimals. Examples (a) and (b) are also the expected values of the R
# package propint's tests of ci.two.indep.props ("results reported in Newcombe1998").
TABLE_II = [
    # x1, n1, x2, n2, lower, upper
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (6, 7, 2, 7, 0.0582, 0.8062),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0000),
    (10, 10, 0, 10, 0.6075, 1.0000),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lower", "upper"), TABLE_II)
def test_newcombe_difference_matches_newcombe_1998_table_ii(x1, n1, x2, n2, lower, upper):
    d, lo, hi = newcombe_difference(x1, n1, x2, n2)
    assert float(d) == pytest.approx(x1 / n1 - x2 / n2, abs=1e-15)
    assert float(lo) == pytest.approx(lower, abs=5e-5)
    assert float(hi) == pytest.approx(upper, abs=5e-5)


def test_newcombe_difference_vectorised_equals_one_at_a_time():
    x1, n1, x2, n2 = (np.array(c) for c in zip(*[row[:4] for row in TABLE_II], strict=True))
    d, lo, hi = newcombe_difference(x1, n1, x2, n2)
    for i, row in enumerate(TABLE_II):
        one = newcombe_difference(*row[:4])
        np.testing.assert_allclose([d[i], lo[i], hi[i]], [float(v) for v in one], rtol=1e-15)


def test_newcombe_difference_hand_calculation():
    # 30/50 vs 20/50: Wilson limits by the formula, then the hybrid combination.
    z = 1.959963984540054

    def wilson(x, n):
        root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
        return (2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (
            2 * (n + z * z)
        )

    (l1, u1), (l2, u2) = wilson(30, 50), wilson(20, 50)
    d, lo, hi = newcombe_difference(30, 50, 20, 50)
    assert float(d) == pytest.approx(0.2, rel=1e-12)
    assert float(lo) == pytest.approx(0.2 - np.sqrt((0.6 - l1) ** 2 + (u2 - 0.4) ** 2), rel=1e-12)
    assert float(hi) == pytest.approx(0.2 + np.sqrt((u1 - 0.6) ** 2 + (0.4 - l2) ** 2), rel=1e-12)


@given(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_newcombe_difference_properties(first, second):
    (x1, n1), (x2, n2) = first, second
    d, lo, hi = newcombe_difference(x1, n1, x2, n2)
    assert -1 - 1e-12 <= lo <= d <= hi <= 1 + 1e-12
    assert lo < hi  # never degenerate, even at 0/n and n/n
    d2, lo2, hi2 = newcombe_difference(x2, n2, x1, n1)  # swapping the groups mirrors it
    np.testing.assert_allclose([d2, lo2, hi2], [-d, -hi, -lo], atol=1e-12)
    _, lo99, hi99 = newcombe_difference(x1, n1, x2, n2, level=0.998)
    assert lo99 <= lo + 1e-12 and hi99 >= hi - 1e-12


def test_newcombe_difference_empty_group_is_missing():
    d, lo, hi = newcombe_difference([3, 0], [10, 0], [4, 4], [10, 10])
    assert np.isfinite([d[0], lo[0], hi[0]]).all()
    assert np.isnan([d[1], lo[1], hi[1]]).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((11, 10, 1, 10), "x1 must not exceed"),
        ((1, 10, 11, 10), "x2 must not exceed"),
        ((-1, 10, 1, 10), "must not be negative"),
        ((1, 10, 1, -10), "must not be negative"),
    ],
)
def test_newcombe_difference_rejects_impossible_counts(args, message):
    with pytest.raises(InputError, match=message):
        newcombe_difference(*args)


@pytest.mark.parametrize("level", [0.5, 1.0, True, "0.95"])
def test_newcombe_difference_rejects_bad_levels(level):
    with pytest.raises(InputError, match="level must be between"):
        newcombe_difference(1, 10, 2, 10, level=level)
