"""Tests for the WHO HEAT concentration indices (ACI, RCI).

Reference values: tests/reference/heat/expected_aci_sii_md_theil.csv (healthequal
1.0.1's testthat expectations and pkgdown examples; see PROVENANCE.md), on the inputs
testthat_ordered.csv and ordered_sample.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality.concentration import (
    MEASURES,
    concentration_index,
    relative_rank,
)
from tests.unit.methods.inequality._settings_factory import LEVELS, compute, make_settings

Z95 = 1.959963984540054


def _heat(name: str) -> pd.DataFrame:
    from tests.conftest import REFERENCE

    return pd.read_csv(REFERENCE / "heat" / name)


def _ordered(data: str):
    df = _heat(data)
    if data == "ordered_sample.csv":
        df = df.rename(columns={"estimate": "est", "population": "pop", "subgroup_order": "q"})
    else:
        df = df.rename(columns={"subgroup_order": "q"})
    return make_settings(
        [df["est"].tolist()], pop=[df["pop"].tolist()], se=[df["se"].tolist()], order=[df["q"]]
    )


@pytest.mark.parametrize("data", ["testthat_ordered.csv", "ordered_sample.csv"])
@pytest.mark.parametrize("code", ["aci", "rci"])
def test_concentration_matches_healthequal_expected(data, code):
    # expected_aci_sii_md_theil.csv; healthequal's RCI is on the -1…1 scale, HEAT's (ours) ×100
    expected = (
        _heat("expected_aci_sii_md_theil.csv").query("data == @data and measure == @code").iloc[0]
    )
    factor = 100.0 if code == "rci" else 1.0
    est = compute(MEASURES, code, _ordered(data))
    rtol = expected["rtol"]
    np.testing.assert_allclose(est.value, expected["estimate"] * factor, rtol=rtol)
    np.testing.assert_allclose(est.se, expected["se"] * factor, rtol=rtol)
    lower = expected["lowerci"] if pd.notna(expected["lowerci"]) else None
    if lower is None:  # the test states the limits as estimate ± se · qnorm(0.975)
        lower = expected["estimate"] - Z95 * expected["se"]
        upper = expected["estimate"] + Z95 * expected["se"]
    else:
        upper = expected["upperci"]
    low, high = est.limits[0.95]
    np.testing.assert_allclose([low[0], high[0]], np.array([lower, upper]) * factor, rtol=rtol)


def test_relative_rank_is_midpoint_of_cumulative_share():
    order = np.array([[3.0, 1, 2, np.nan]])
    share = np.array([[0.5, 0.2, 0.3, 0.0]])
    mask = np.array([[True, True, True, False]])
    rank = relative_rank(order, share, mask)
    np.testing.assert_allclose(rank[0, :3], [0.75, 0.1, 0.35], rtol=1e-15)
    assert np.isnan(rank[0, 3])


def test_relative_rank_gives_tied_orders_one_slice():
    rank = relative_rank(np.array([[1.0, 2, 2, 3]]), np.full((1, 4), 0.25), np.ones((1, 4), bool))
    np.testing.assert_allclose(rank, [[0.125, 0.5, 0.5, 0.875]])


def test_aci_equals_twice_weighted_covariance_by_hand():
    y, pop = np.array([12.0, 15, 11, 20, 26]), np.array([300.0, 120, 80, 250, 250])
    p = pop / pop.sum()
    r = np.cumsum(p) - p / 2
    cov = (p * (y - (p * y).sum()) * (r - (p * r).sum())).sum()
    est = compute(MEASURES, "aci", make_settings([y], pop=[pop], order=[[1, 2, 3, 4, 5]]))
    np.testing.assert_allclose(est.value, 2 * cov, rtol=1e-12)
    rci = compute(MEASURES, "rci", make_settings([y], pop=[pop], order=[[1, 2, 3, 4, 5]]))
    np.testing.assert_allclose(rci.value, 100 * 2 * cov / (p * y).sum(), rtol=1e-12)


def test_aci_se_is_wls_slope_se_of_convenient_regression():
    # Independent route: numpy lstsq on the sqrt(pop)-transformed regression
    y, pop = np.array([12.0, 15, 11, 20, 26]), np.array([300.0, 120, 80, 250, 250])
    p = pop / pop.sum()
    r = np.cumsum(p) - p / 2
    lhs = 2 * (p * (r - 0.5) ** 2).sum() * y
    x = np.column_stack([r, np.ones(5)]) * np.sqrt(pop)[:, None]
    beta, rss, *_ = np.linalg.lstsq(x, lhs * np.sqrt(pop), rcond=None)
    cov = rss[0] / 3 * np.linalg.inv(x.T @ x)
    aci, se = concentration_index(y[None], p[None], r[None])
    np.testing.assert_allclose(aci, beta[0], rtol=1e-10)
    np.testing.assert_allclose(se, np.sqrt(cov[0, 0]), rtol=1e-10)


def test_aci_of_linear_gradient_is_known():
    # y = a + b r over k equal subgroups: ACI = 2 b σ_r² = b (1 - 1/k²) / 6, exact fit → SE 0
    k, a, b = 5, 30.0, 10.0
    r = (2 * np.arange(1, k + 1) - 1) / (2 * k)
    s = make_settings([a + b * r], pop=[[1000] * k], order=[range(1, k + 1)])
    est = compute(MEASURES, "aci", s, LEVELS)
    np.testing.assert_allclose(est.value, b * (1 - 1 / k**2) / 6, rtol=1e-12)
    np.testing.assert_allclose(est.se, 0, atol=1e-12)


@pytest.mark.parametrize("code", ["aci", "rci"])
def test_concentration_equal_subgroups_is_null(code):
    s = make_settings([[42.0] * 4], pop=[[10, 30, 20, 40]], order=[[1, 2, 3, 4]])
    est = compute(MEASURES, code, s)
    np.testing.assert_allclose(est.value, 0, atol=1e-12)
    np.testing.assert_allclose(est.limits[0.95], 0, atol=1e-12)


def test_concentration_settings_are_independent_and_padded():
    one = make_settings([[20.0, 30, 45, 50]], pop=[[5, 3, 2, 4]], order=[[1, 2, 3, 4]])
    two = make_settings([[9.0, 7, 2]], pop=[[1, 1, 3]], order=[[1, 2, 3]])
    both = make_settings(
        [[20.0, 30, 45, 50], [9.0, 7, 2]],
        pop=[[5, 3, 2, 4], [1, 1, 3]],
        order=[[1, 2, 3, 4], [1, 2, 3]],
    )
    for code in ("aci", "rci"):
        together = compute(MEASURES, code, both, LEVELS)
        alone = [compute(MEASURES, code, s, LEVELS) for s in (one, two)]
        np.testing.assert_allclose(together.value, [e.value[0] for e in alone], rtol=1e-13)
        np.testing.assert_allclose(together.se, [e.se[0] for e in alone], rtol=1e-12)


def test_concentration_99_8_limits_enclose_95_limits():
    est = compute(MEASURES, "aci", _ordered("ordered_sample.csv"), LEVELS)
    (lo95, hi95), (lo998, hi998) = est.limits[0.95], est.limits[0.998]
    assert (lo998 < lo95).all() and (lo95 < est.value).all() and (est.value < hi95).all()
    assert (hi95 < hi998).all()


def test_concentration_needs_population_and_three_subgroups():
    no_pop = compute(MEASURES, "aci", make_settings([[1.0, 2, 3]], order=[[1, 2, 3]]))
    assert np.isnan(no_pop.value).all() and np.isnan(no_pop.se).all()
    two = compute(MEASURES, "aci", make_settings([[1.0, 2]], pop=[[1, 1]], order=[[1, 2]]))
    np.testing.assert_allclose(two.value, 0.25)  # the index exists; its SE has no df
    assert np.isnan(two.se).all()


def test_rci_of_zero_mean_is_missing():
    est = compute(MEASURES, "rci", make_settings([[0.0, 0, 0]], pop=[[1, 1, 1]], order=[[1, 2, 3]]))
    assert np.isnan(est.value).all()


def test_concentration_measures_declare_heat_rules():
    for m in MEASURES:
        assert m.dimensions == "ordered" and m.min_subgroups == 3 and m.null == 0
        assert m.interpretation.startswith("0 means no inequality")


subgroups = st.integers(3, 8)
positive = st.floats(0.5, 100, allow_nan=False)


@st.composite
def ordered_data(draw):
    k = draw(subgroups)
    y = draw(st.lists(positive, min_size=k, max_size=k))
    pop = draw(st.lists(st.floats(1, 1e4), min_size=k, max_size=k))
    return np.array(y), np.array(pop)


@settings(max_examples=60, deadline=None)
@given(ordered_data(), st.floats(0.01, 100))
def test_rci_is_invariant_to_scaling_y(data, c):
    y, pop = data
    q = [list(range(1, len(y) + 1))]
    base = compute(MEASURES, "rci", make_settings([y], pop=[pop], order=q))
    scaled = compute(MEASURES, "rci", make_settings([c * y], pop=[pop], order=q))
    np.testing.assert_allclose(scaled.value, base.value, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.se, base.se, rtol=1e-7, atol=1e-9)
    aci = compute(MEASURES, "aci", make_settings([y], pop=[pop], order=q))
    aci_c = compute(MEASURES, "aci", make_settings([c * y], pop=[pop], order=q))
    np.testing.assert_allclose(aci_c.value, c * aci.value, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(ordered_data())
def test_concentration_flips_sign_when_order_is_reversed(data):
    y, pop = data
    k = len(y)
    for code in ("aci", "rci"):
        up = compute(MEASURES, code, make_settings([y], pop=[pop], order=[range(1, k + 1)]))
        down = compute(MEASURES, code, make_settings([y], pop=[pop], order=[range(k, 0, -1)]))
        np.testing.assert_allclose(down.value, -up.value, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(down.se, up.se, rtol=1e-7, atol=1e-9)
