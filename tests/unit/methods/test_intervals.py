import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.methods import intervals
from tests.unit.methods._phe import assert_close, read

LEVEL = {"95%": 0.95, "99.8%": 0.998}


@pytest.mark.parametrize("name", ["test_BW.csv", "testdata_Byars_Wilson__testdata_B_W.csv"])
def test_byars_matches_phe_reference(name):
    ref = read(name).query("method == 'Byars'")
    for label, group in ref.groupby("confidence"):
        lower, upper = intervals.byars(group["x"], LEVEL[label])
        assert_close(lower, group["lowercl"])
        assert_close(upper, group["uppercl"])


@pytest.mark.parametrize("name", ["test_BW.csv", "testdata_Byars_Wilson__testdata_B_W.csv"])
def test_wilson_matches_phe_reference(name):
    ref = read(name).query("method == 'Wilson'")
    for label, group in ref.groupby("confidence"):
        lower, upper = intervals.wilson(group["x"], group["n"], LEVEL[label])
        assert_close(lower, group["lowercl"])
        assert_close(upper, group["uppercl"])


def test_exact_poisson_for_zero_has_zero_lower_limit_and_known_upper():
    lower, upper = intervals.exact_poisson([0])
    # upper = -ln(0.025) for x = 0 (chi-square with 2 df halved)
    assert lower[0] == 0
    assert upper[0] == pytest.approx(-np.log(0.025), rel=1e-12)


def test_poisson_switches_from_exact_to_byars_at_ten_events():
    lower, upper = intervals.poisson([9, 10])
    exact = intervals.exact_poisson([9])
    byars = intervals.byars([10])
    assert (lower[0], upper[0]) == (exact[0][0], exact[1][0])
    assert (lower[1], upper[1]) == (byars[0][0], byars[1][0])
    assert list(intervals.poisson_method([9, 10])) == ["Exact", "Byars"]


def test_wilson_at_zero_and_at_n_touches_the_bounds():
    lower, upper = intervals.wilson([0, 50], [50, 50])
    assert lower[0] == pytest.approx(0, abs=1e-15)
    assert upper[1] == pytest.approx(1, abs=1e-15)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_limits_enclose_the_proportion_and_widen_with_confidence(x, n):
    x = min(x, n)
    lo95, up95 = intervals.wilson(x, n, 0.95)
    lo998, up998 = intervals.wilson(x, n, 0.998)
    p = x / n
    assert lo998 - 1e-12 <= lo95 <= p + 1e-12
    assert p - 1e-12 <= up95 <= up998 + 1e-12


@given(st.integers(0, 100_000))
def test_poisson_limits_enclose_the_count_and_widen_with_confidence(x):
    lo95, up95 = intervals.poisson(x, 0.95)
    lo998, up998 = intervals.poisson(x, 0.998)
    assert lo998 <= lo95 <= x <= up95 <= up998
