"""Tests for HEAT's Theil index (TI) and mean log deviation (MLD), both ×1000.

Reference values: tests/reference/heat/expected_aci_sii_md_theil.csv (healthequal
1.0.1's testthat expectations; see PROVENANCE.md) on the inputs testthat_nonordered.csv.
healthequal's standard errors are not multiplied by 1000; ours are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality.theil import MEASURES, theil
from tests.conftest import REFERENCE
from tests.unit.methods.inequality._settings_factory import LEVELS, compute, make_settings


@pytest.mark.parametrize("code", ["ti", "mld"])
def test_theil_matches_healthequal_expected(code):
    df = pd.read_csv(REFERENCE / "heat" / "testthat_nonordered.csv")
    table = pd.read_csv(REFERENCE / "heat" / "expected_aci_sii_md_theil.csv")
    expected = table.query("data == 'testthat_nonordered.csv' and measure == @code").iloc[0]
    est = compute(MEASURES, code, make_settings([df["est"]], pop=[df["pop"]], se=[df["se"]]))
    np.testing.assert_allclose(est.value, expected["estimate"], rtol=expected["rtol"])
    np.testing.assert_allclose(est.se, 1000 * expected["se"], rtol=expected["rtol"])
    low, high = est.limits[0.95]
    np.testing.assert_allclose(high - low, 2 * 1.959963984540054 * est.se, rtol=1e-12)


def test_theil_of_zeros_and_tens_is_known():
    # [0, 0, 0, 10, 10, 10], equal shares: TI ≈ 1000 ln 2; MLD = 500 ln(μ/1e-6 · μ/10)
    y = np.array([0.0, 0, 0, 10, 10, 10])
    s = make_settings([y], pop=[[1] * 6])
    ti, mld = compute(MEASURES, "ti", s), compute(MEASURES, "mld", s)
    mu = (3e-6 + 30) / 6
    exact_ti = 1000 / 6 * (3 * (1e-6 / mu) * np.log(1e-6 / mu) + 3 * (10 / mu) * np.log(10 / mu))
    np.testing.assert_allclose(ti.value, exact_ti, rtol=1e-12)
    np.testing.assert_allclose(ti.value, 1000 * np.log(2), rtol=1e-5)
    np.testing.assert_allclose(mld.value, 500 * np.log(mu / 1e-6 * mu / 10), rtol=1e-12)


def test_theil_by_hand_with_unequal_shares():
    # y = 1, 3, 2 with shares .25, .25, .5: μ = 2, r = .5, 1.5, 1
    s = make_settings([[1.0, 3, 2]], pop=[[25, 25, 50]])
    ti, mld = compute(MEASURES, "ti", s), compute(MEASURES, "mld", s)
    np.testing.assert_allclose(ti.value, 250 * (0.5 * np.log(0.5) + 1.5 * np.log(1.5)))
    np.testing.assert_allclose(mld.value, -250 * (np.log(0.5) + np.log(1.5)))


def _numerical_se(y, p, se, which):
    """Delta-method SE from a central-difference gradient of TI or MLD (×1000)."""
    grad = np.empty(len(y))
    for j in range(len(y)):
        h = 1e-6 * y[j]
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        grad[j] = (
            theil(up[None], p[None], se[None])[which] - theil(down[None], p[None], se[None])[which]
        )[0] / (2 * h)
    return np.sqrt(((grad * se) ** 2).sum())


def test_theil_standard_errors_are_the_delta_method():
    y, p = np.array([12.0, 30, 22, 8, 41]), np.array([0.1, 0.3, 0.25, 0.15, 0.2])
    se = np.array([1.0, 2.5, 0.8, 1.2, 3.0])
    _, ti_se, _, mld_se = theil(y[None], p[None], se[None])
    np.testing.assert_allclose(ti_se, _numerical_se(y, p, se, 0), rtol=1e-6)
    np.testing.assert_allclose(mld_se, _numerical_se(y, p, se, 2), rtol=1e-6)


@pytest.mark.parametrize("code", ["ti", "mld"])
def test_theil_equal_subgroups_is_null(code):
    s = make_settings([[7.0] * 4], pop=[[3, 1, 4, 1]], se=[[1.0, 2, 1, 2]])
    est = compute(MEASURES, code, s, LEVELS)
    np.testing.assert_allclose([est.value, est.se], 0, atol=1e-12)


def test_theil_missing_population_se_or_negative_values():
    no_pop = make_settings([[1.0, 2, 3]], se=[[1.0, 1, 1]])
    assert np.isnan(compute(MEASURES, "ti", no_pop).value).all()
    no_se = compute(MEASURES, "mld", make_settings([[1.0, 2, 3]], pop=[[1, 1, 1]]))
    assert np.isfinite(no_se.value).all() and np.isnan(no_se.se).all()
    assert np.isnan(no_se.limits[0.95][0]).all()
    negative = make_settings([[-1.0, 2, 3]], pop=[[1, 1, 1]], se=[[1.0, 1, 1]])
    assert np.isnan(compute(MEASURES, "ti", negative).value).all()


def test_theil_settings_vectorised_and_limits_nested():
    rows, pops, ses = (
        [[5.0, 9, 14, 2], [30.0, 31, 35]],
        [[1, 2, 3, 4], [5, 5, 1]],
        [[1, 1, 2, 1], [2, 2, 2]],
    )
    both = make_settings(rows, pop=pops, se=ses)
    for code in ("ti", "mld"):
        est = compute(MEASURES, code, both, LEVELS)
        for i in range(2):
            alone = compute(MEASURES, code, make_settings([rows[i]], pop=[pops[i]], se=[ses[i]]))
            np.testing.assert_allclose([est.value[i], est.se[i]], [alone.value[0], alone.se[0]])
        (lo95, hi95), (lo998, hi998) = est.limits[0.95], est.limits[0.998]
        assert (lo998 < lo95).all() and (lo95 < est.value).all() and (hi95 < hi998).all()


def test_theil_measures_declare_heat_rules():
    for m in MEASURES:
        assert m.dimensions == "non-ordered" and m.min_subgroups == 3 and m.kind == "relative"
        assert m.null == 0 and "×1000" in m.interpretation


@st.composite
def positive_data(draw):
    k = draw(st.integers(3, 8))
    y = draw(st.lists(st.floats(0.1, 1000), min_size=k, max_size=k))
    pop = draw(st.lists(st.floats(1, 1e5), min_size=k, max_size=k))
    se = draw(st.lists(st.floats(0, 10), min_size=k, max_size=k))
    return np.array(y), np.array(pop), np.array(se)


@settings(max_examples=60, deadline=None)
@given(positive_data(), st.floats(0.01, 100))
def test_theil_is_invariant_to_scaling_y_and_non_negative(data, c):
    y, pop, se = data
    for code in ("ti", "mld"):
        base = compute(MEASURES, code, make_settings([y], pop=[pop], se=[se]))
        scaled = compute(MEASURES, code, make_settings([c * y], pop=[pop], se=[c * se]))
        np.testing.assert_allclose(scaled.value, base.value, rtol=1e-7, atol=1e-8)
        np.testing.assert_allclose(scaled.se, base.se, rtol=1e-7, atol=1e-8)
        assert (base.value > -1e-9).all()
