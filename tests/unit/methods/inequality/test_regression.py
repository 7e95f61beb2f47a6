"""Tests for HEAT's slope and relative index of inequality (SII, RII).

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
from scipy.special import expit

from healthgap.methods.inequality.regression import MEASURES, logistic_fit
from tests.conftest import REFERENCE
from tests.unit.methods.inequality._settings_factory import LEVELS, compute, make_settings


def _ordered(data: str):
    df = pd.read_csv(REFERENCE / "heat" / data).rename(
        columns={"estimate": "est", "population": "pop", "subgroup_order": "q"}
    )
    return make_settings([df["est"]], pop=[df["pop"]], se=[df["se"]], order=[df["q"]])


@pytest.mark.parametrize("data", ["testthat_ordered.csv", "ordered_sample.csv"])
@pytest.mark.parametrize("code", ["sii", "rii"])
def test_regression_matches_healthequal_expected(data, code):
    # expected_aci_sii_md_theil.csv; healthequal's SII se is on the proportion scale (ours
    # × the scale, 100)
    table = pd.read_csv(REFERENCE / "heat" / "expected_aci_sii_md_theil.csv")
    expected = table.query("data == @data and measure == @code").iloc[0]
    est = compute(MEASURES, code, _ordered(data))
    rtol = expected["rtol"]
    np.testing.assert_allclose(est.value, expected["estimate"], rtol=rtol)
    np.testing.assert_allclose(est.se, expected["se"] * (100 if code == "sii" else 1), rtol=rtol)
    low, high = est.limits[0.95]
    np.testing.assert_allclose(
        [low[0], high[0]], [expected["lowerci"], expected["upperci"]], rtol=rtol
    )


def _logit_gradient(b0: float, b1: float, k: int = 5, n: float = 1e8) -> np.ndarray:
    r = (2 * np.arange(1, k + 1) - 1) / (2 * k)
    return 100 * expit(b0 + b1 * r)


def test_sii_of_logit_linear_gradient_is_known():
    # HEAT's SII is logistic: y_j = 100·expit(-1 + 2 r_j) is fitted exactly, so
    # SII = 100 (expit(1) - expit(-1)) and RII = expit(1) / expit(-1) = e.
    s = make_settings([_logit_gradient(-1, 2)], pop=[[1e8] * 5], order=[[1, 2, 3, 4, 5]])
    sii = compute(MEASURES, "sii", s, LEVELS)
    rii = compute(MEASURES, "rii", s, LEVELS)
    np.testing.assert_allclose(sii.value, 100 * (expit(1) - expit(-1)), rtol=1e-6)
    np.testing.assert_allclose(rii.value, np.e, rtol=1e-6)
    assert (sii.se < 1e-4).all() and (rii.se < 1e-6).all()


def test_logistic_fit_solves_the_score_equations():
    # The ML estimate of glm(cbind(x, n - x) ~ rank, weights = n): Σ n²(x/n - π) (1, r) = 0
    x, n = np.array([[16.0, 27, 65, 52, 63]]), np.array([[78.0, 91, 162, 103, 105]])
    rank = (np.cumsum(n) - n / 2) / n.sum()
    b0, b1, cov = logistic_fit(x, n, rank)
    pi = expit(b0[:, None] + b1[:, None] * rank)
    score = n**2 * (x / n - pi)
    np.testing.assert_allclose([score.sum(), (score * rank).sum()], 0, atol=1e-7)
    assert cov.shape == (1, 2, 2) and np.allclose(cov, cov.transpose(0, 2, 1))


def test_logistic_fit_hc1_matches_explicit_sandwich():
    x, n = np.array([[30.0, 41, 55, 50]]), np.array([[100.0, 120, 90, 60]])
    rank = (np.cumsum(n) - n / 2) / n.sum()
    b0, b1, cov = logistic_fit(x, n, rank)
    design = np.column_stack([np.ones(4), rank[0]])
    pi = expit(design @ [b0[0], b1[0]])
    w = n[0] ** 2
    bread = np.linalg.inv(design.T @ (design * (w * pi * (1 - pi))[:, None]))
    scores = design * (w * (x[0] / n[0] - pi))[:, None]
    expected = 4 / 2 * bread @ scores.T @ scores @ bread
    np.testing.assert_allclose(cov[0], expected, rtol=1e-8)


@pytest.mark.parametrize(("code", "null"), [("sii", 0.0), ("rii", 1.0)])
def test_regression_equal_subgroups_is_null(code, null):
    s = make_settings([[40.0] * 5], pop=[[1000, 2000, 500, 1500, 1000]], order=[range(1, 6)])
    est = compute(MEASURES, code, s, LEVELS)
    np.testing.assert_allclose(est.value, null, atol=1e-10)
    np.testing.assert_allclose(est.limits[0.998], null, atol=1e-8)


def test_regression_settings_are_independent_and_padded():
    rows = [[20.0, 30, 45, 50], [9.0, 7, 2]]
    pops = [[500, 300, 200, 400], [100, 100, 300]]
    orders = [[1, 2, 3, 4], [1, 2, 3]]
    both = make_settings(rows, pop=pops, order=orders)
    for code in ("sii", "rii"):
        together = compute(MEASURES, code, both, LEVELS)
        for i in range(2):
            alone = compute(
                MEASURES, code, make_settings([rows[i]], pop=[pops[i]], order=[orders[i]])
            )
            np.testing.assert_allclose(together.value[i], alone.value[0], rtol=1e-10)
            np.testing.assert_allclose(together.se[i], alone.se[0], rtol=1e-8)


def test_regression_value_inside_limits_and_99_8_enclose_95():
    for code in ("sii", "rii"):
        est = compute(MEASURES, code, _ordered("ordered_sample.csv"), LEVELS)
        (lo95, hi95), (lo998, hi998) = est.limits[0.95], est.limits[0.998]
        assert (lo998 < lo95).all() and (lo95 < est.value).all()
        assert (est.value < hi95).all() and (hi95 < hi998).all()


def test_regression_estimate_above_scale_is_missing():
    # a count above its population cannot be fitted (HEAT returns NA)
    s = make_settings([[50.0, 80, 120]], pop=[[10, 10, 10]], order=[[1, 2, 3]])
    for code in ("sii", "rii"):
        est = compute(MEASURES, code, s)
        assert np.isnan(est.value).all() and np.isnan(est.limits[0.95][0]).all()


def test_regression_needs_population():
    s = make_settings([[50.0, 60, 70]], order=[[1, 2, 3]])
    assert np.isnan(compute(MEASURES, "sii", s).value).all()


def test_regression_rates_use_indicator_scale():
    # Deaths per 1000: the same proportions as a percentage give SII ×10
    y = np.array([[8.0, 12, 15, 21]])
    pop = [[20000, 25000, 30000, 25000]]
    q = [[1, 2, 3, 4]]
    per1000 = compute(MEASURES, "sii", make_settings(y, pop=pop, order=q, scale=1000))
    per100 = compute(MEASURES, "sii", make_settings(y / 10, pop=pop, order=q, scale=100))
    np.testing.assert_allclose(per1000.value, 10 * per100.value, rtol=1e-10)


def test_regression_measures_declare_heat_rules():
    sii, rii = MEASURES
    assert (sii.code, sii.null, rii.code, rii.null) == ("sii", 0.0, "rii", 1.0)
    assert all(m.dimensions == "ordered" and m.min_subgroups == 3 for m in MEASURES)


@st.composite
def ordered_data(draw):
    k = draw(st.integers(3, 7))
    y = draw(st.lists(st.floats(2, 98), min_size=k, max_size=k))
    pop = draw(st.lists(st.integers(200, 20000), min_size=k, max_size=k))
    return np.array(y), np.array(pop, float)


@settings(max_examples=40, deadline=None)
@given(ordered_data())
def test_regression_reversed_order_flips_sii_and_inverts_rii(data):
    y, pop = data
    k = len(y)
    up = make_settings([y], pop=[pop], order=[range(1, k + 1)])
    down = make_settings([y], pop=[pop], order=[range(k, 0, -1)])
    sii_up, sii_down = (compute(MEASURES, "sii", s) for s in (up, down))
    np.testing.assert_allclose(sii_down.value, -sii_up.value, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(sii_down.se, sii_up.se, rtol=1e-6, atol=1e-9)
    rii_up, rii_down = (compute(MEASURES, "rii", s) for s in (up, down))
    np.testing.assert_allclose(rii_down.value, 1 / rii_up.value, rtol=1e-7)


@settings(max_examples=40, deadline=None)
@given(ordered_data(), st.sampled_from([10.0, 1000.0, 1e5]))
def test_regression_scaling_indicator_and_scale_together(data, c):
    # y and its scale scaled together leave the fitted proportions unchanged
    y, pop = data
    q = [range(1, len(y) + 1)]
    base = make_settings([y], pop=[pop], order=q)
    scaled = make_settings([y * c / 100], pop=[pop], order=q, scale=c)
    sii, sii_c = (compute(MEASURES, "sii", s) for s in (base, scaled))
    np.testing.assert_allclose(sii_c.value, sii.value * c / 100, rtol=1e-7, atol=1e-9)
    rii, rii_c = (compute(MEASURES, "rii", s) for s in (base, scaled))
    np.testing.assert_allclose(rii_c.value, rii.value, rtol=1e-7)


def test_inequality_end_to_end_ordered_sample():
    # healthgap.methods.inequality.api.inequality on ordered_sample.csv
    # (expected values: expected_aci_sii_md_theil.csv)
    from healthgap.methods.inequality.api import inequality

    df = pd.read_csv(REFERENCE / "heat" / "ordered_sample.csv")
    out = inequality(
        df, "estimate", subgroup="subgroup", se="se", population="population",
        order="subgroup_order", measures=["aci", "rci", "sii", "rii"], confidence=[0.95, 0.998],
    )  # fmt: skip
    expected = pd.read_csv(REFERENCE / "heat" / "expected_aci_sii_md_theil.csv").query(
        "data == 'ordered_sample.csv'"
    )
    factor = {"aci": 1.0, "rci": 100.0, "sii": 1.0, "rii": 1.0}
    assert out["measure"].tolist() == ["aci", "rci", "sii", "rii"]
    for row, (_, exp) in zip(out.itertuples(), expected.iterrows(), strict=True):
        np.testing.assert_allclose(row.value, exp["estimate"] * factor[row.measure], rtol=1e-5)
        np.testing.assert_allclose(
            [row.lower_ci_95, row.upper_ci_95],
            np.array([exp["lowerci"], exp["upperci"]]) * factor[row.measure],
            rtol=1e-5,
        )
        assert row.lower_ci_99_8 < row.lower_ci_95 and row.upper_ci_95 < row.upper_ci_99_8
    assert out["interpretation"].str.len().gt(40).all()
