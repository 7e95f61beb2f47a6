"""Tests for HEAT's mean differences (MDM, MDB, MDR) and index of disparity (IDIS).

Reference values: tests/reference/heat/expected_aci_sii_md_theil.csv (healthequal
1.0.1's testthat expectations; see PROVENANCE.md) on the inputs testthat_nonordered.csv. The
simulated limits cannot reproduce R's draws, so only estimates are compared with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality import _simulation
from healthgap.methods.inequality.mean_difference import MEASURES
from tests.conftest import REFERENCE
from tests.unit.methods.inequality._settings_factory import LEVEL95, LEVELS, compute, make_settings

CODES = [m.code for m in MEASURES]
PAIRS = [("mdmu", "mdmw"), ("mdbu", "mdbw"), ("mdru", "mdrw"), ("idisu", "idisw")]


def _nonordered():
    df = pd.read_csv(REFERENCE / "heat" / "testthat_nonordered.csv")
    ref = int(np.flatnonzero(df["reference"])[0])
    return make_settings([df["est"]], pop=[df["pop"]], se=[df["se"]], reference=[ref])


@pytest.mark.parametrize("code", CODES)
def test_mean_difference_matches_healthequal_expected(code):
    table = pd.read_csv(REFERENCE / "heat" / "expected_aci_sii_md_theil.csv")
    expected = table.query("data == 'testthat_nonordered.csv' and measure == @code").iloc[0]
    est = compute(MEASURES, code, _nonordered())
    np.testing.assert_allclose(est.value, expected["estimate"], rtol=expected["rtol"])
    assert np.isnan(est.se).all()
    low, high = est.limits[0.95]
    assert np.isfinite(low).all() and (low < high).all()


def _hand_settings(favourable=True):
    # y = 10, 20, 60 with shares 0.5, 0.3, 0.2 (μ = 23); reference = second subgroup
    return make_settings(
        [[10.0, 20, 60]], pop=[[50, 30, 20]], se=[[1.0, 1, 1]], reference=[1], favourable=favourable
    )


@pytest.mark.parametrize(
    ("code", "favourable", "expected"),
    [
        ("mdmu", True, (13 + 3 + 37) / 3),
        ("mdmw", True, 0.5 * 13 + 0.3 * 3 + 0.2 * 37),
        ("mdbu", True, (50 + 40 + 0) / 3),
        ("mdbw", True, 0.5 * 50 + 0.3 * 40),
        ("mdbu", False, (0 + 10 + 50) / 3),
        ("mdbw", False, 0.3 * 10 + 0.2 * 50),
        ("mdru", True, (10 + 0 + 40) / 3),
        ("mdrw", True, 0.5 * 10 + 0.2 * 40),
        ("idisu", True, 100 * (13 + 3 + 37) / 3 / 23),
        ("idisw", True, 100 * (0.5 * 13 + 0.3 * 3 + 0.2 * 37) / 23),
    ],
)
def test_mean_difference_by_hand(code, favourable, expected):
    est = compute(MEASURES, code, _hand_settings(favourable))
    np.testing.assert_allclose(est.value, expected, rtol=1e-13)


def test_mean_difference_from_mean_uses_supplied_setting_average_without_population():
    s = make_settings([[10.0, 20, 60]], se=[[1.0, 1, 1]], mean=[25.0])
    np.testing.assert_allclose(compute(MEASURES, "mdmu", s).value, (15 + 5 + 35) / 3)
    np.testing.assert_allclose(compute(MEASURES, "idisu", s).value, 100 * 55 / 3 / 25)
    assert np.isnan(compute(MEASURES, "mdmw", s).value).all()  # weighted: needs population


@pytest.mark.parametrize("code", CODES)
def test_mean_difference_equal_subgroups_is_null(code):
    s = make_settings([[30.0] * 4], pop=[[1, 2, 3, 4]], se=[[0.0] * 4], reference=[2])
    est = compute(MEASURES, code, s, LEVELS)
    np.testing.assert_allclose(est.value, 0, atol=1e-12)
    np.testing.assert_allclose(est.limits[0.998], 0, atol=1e-12)  # no sampling error


def test_mean_difference_without_reference_is_missing():
    s = make_settings([[10.0, 20, 60]], pop=[[1, 1, 1]], se=[[1.0, 1, 1]])
    for code in ("mdru", "mdrw"):
        est = compute(MEASURES, code, s)
        assert np.isnan(est.value).all() and np.isnan(est.limits[0.95][0]).all()


def test_mean_difference_without_standard_errors_has_no_limits():
    s = make_settings([[10.0, 20, 60]], pop=[[1, 1, 1]], se=[[1.0, np.nan, 1]], reference=[0])
    for code in CODES:
        est = compute(MEASURES, code, s)
        assert np.isfinite(est.value).all()
        assert np.isnan(est.limits[0.95][0]).all() and np.isnan(est.limits[0.95][1]).all()


def test_mean_difference_limits_are_seeded_and_nested():
    s = _nonordered()
    for code in CODES:
        first = compute(MEASURES, code, s, LEVELS, seed=7)
        again = compute(MEASURES, code, s, LEVELS, seed=7)
        other = compute(MEASURES, code, s, LEVELS, seed=8)
        np.testing.assert_array_equal(first.limits[0.95], again.limits[0.95])
        assert not np.array_equal(first.limits[0.95], other.limits[0.95])
        (lo95, hi95), (lo998, hi998) = first.limits[0.95], first.limits[0.998]
        assert (lo998 <= lo95).all() and (lo95 < hi95).all() and (hi95 <= hi998).all()


def test_mean_difference_settings_vectorised_and_chunked(monkeypatch):
    rows = [[10.0, 20, 60, 35], [5.0, 9, 7]]
    kwargs = dict(pop=[[5, 3, 2, 4], [1, 1, 3]], se=[[2.0, 1, 3, 2], [1, 0.5, 1]], reference=[0, 2])
    s = make_settings(rows, **kwargs)
    whole = {c: compute(MEASURES, c, s, LEVELS) for c in CODES}
    monkeypatch.setattr(_simulation, "_CHUNK", 8)  # one repetition per chunk: same draws
    for code in CODES:
        chunked = compute(MEASURES, code, s, LEVELS)
        np.testing.assert_allclose(chunked.limits[0.95], whole[code].limits[0.95], rtol=1e-13)
        alone = compute(
            MEASURES,
            code,
            make_settings([rows[1]], pop=[[1, 1, 3]], se=[[1, 0.5, 1]], reference=[2]),
        )
        np.testing.assert_allclose(whole[code].value[1], alone.value[0], rtol=1e-13)


def test_simulated_limits_stay_within_percentage_bounds():
    # near 0 and 100 the draws are truncated, so MDB cannot exceed the 0–100 range
    s = make_settings([[1.0, 99, 50]], pop=[[1, 1, 1]], se=[[20.0, 20, 20]], favourable=True)
    est = compute(MEASURES, "mdbu", s, LEVELS)
    assert (est.limits[0.998][1] <= 100).all() and (est.limits[0.998][0] >= 0).all()


def test_mean_difference_measures_declare_heat_rules():
    for m in MEASURES:
        assert m.dimensions == "non-ordered" and m.min_subgroups == 3 and m.null == 0
        assert m.kind == ("relative" if m.code.startswith("idis") else "absolute")
        assert m.interpretation.startswith("0 means no inequality")


@st.composite
def nonordered_data(draw):
    k = draw(st.integers(3, 8))
    y = draw(st.lists(st.floats(1, 90), min_size=k, max_size=k))
    tiny = st.sampled_from([0.0, 5e-324, 1e-310])  # including subnormal standard errors
    se = draw(st.lists(tiny | st.floats(1e-3, 5), min_size=k, max_size=k))
    ref = draw(st.integers(0, k - 1))
    return np.array(y), np.array(se), ref


@settings(max_examples=40, deadline=None)
@given(nonordered_data(), st.floats(1, 1e5))
def test_weighted_equals_unweighted_when_shares_are_equal(data, size):
    y, se, ref = data
    s = make_settings([y], pop=[[size] * len(y)], se=[se], reference=[ref])
    for unweighted, weighted in PAIRS:
        u = compute(MEASURES, unweighted, s, LEVEL95, seed=3)
        w = compute(MEASURES, weighted, s, LEVEL95, seed=3)
        np.testing.assert_allclose(w.value, u.value, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(w.limits[0.95], u.limits[0.95], rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(nonordered_data(), st.floats(0.01, 100))
def test_index_of_disparity_is_invariant_to_scaling_y(data, c):
    # a rate (scale 1000: draws truncated at 0 only), y and se scaled together
    y, se, ref = data
    pop = [np.arange(1.0, len(y) + 1)]
    base = make_settings([y], pop=pop, se=[se], reference=[ref], scale=1000)
    scaled = make_settings([c * y], pop=pop, se=[c * se], reference=[ref], scale=1000)
    for code in ("idisu", "idisw"):
        a, b = compute(MEASURES, code, base, seed=5), compute(MEASURES, code, scaled, seed=5)
        np.testing.assert_allclose(b.value, a.value, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(b.limits[0.95], a.limits[0.95], rtol=1e-7, atol=1e-9)
    for code in ("mdmu", "mdbw", "mdru"):
        a, b = compute(MEASURES, code, base, seed=5), compute(MEASURES, code, scaled, seed=5)
        np.testing.assert_allclose(b.value, c * a.value, rtol=1e-9, atol=1e-12)


def test_inequality_end_to_end_nonordered():
    # healthgap.methods.inequality.api.inequality on testthat_nonordered.csv
    from healthgap.methods.inequality.api import inequality

    df = pd.read_csv(REFERENCE / "heat" / "testthat_nonordered.csv")
    codes = [*CODES, "ti", "mld"]
    out = inequality(
        df, "est", subgroup="subgroup", se="se", population="pop", reference="reference",
        measures=codes, seed=11,
    )  # fmt: skip
    again = inequality(
        df, "est", subgroup="subgroup", se="se", population="pop", reference="reference",
        measures=codes, seed=11,
    )  # fmt: skip
    pd.testing.assert_frame_equal(out, again)
    expected = pd.read_csv(REFERENCE / "heat" / "expected_aci_sii_md_theil.csv").set_index(
        "measure"
    )
    got = out.set_index("measure")
    np.testing.assert_allclose(got.loc[codes, "value"], expected.loc[codes, "estimate"], rtol=1e-4)
    assert got.loc[CODES, "se"].isna().all() and got.loc[["ti", "mld"], "se"].notna().all()
    assert (got["lower_ci"] < got["upper_ci"]).all()
