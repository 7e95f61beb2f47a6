from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality._build import build_settings
from healthgap.methods.inequality.api import inequality
from healthgap.methods.inequality.attributable import reference_subgroup

HEAT = Path(__file__).parents[3] / "reference" / "heat"
Z95 = 1.959963984540054


def _expected(data: str) -> pd.DataFrame:
    ref = pd.read_csv(HEAT / "expected_simple_impact_variance.csv")
    return ref[ref["data"] == data].set_index("measure")


def _impact(df, value, subgroup, **kwargs):
    out = inequality(df, value, subgroup=subgroup, measures=["paf", "par"], **kwargs)
    return out.set_index("measure")


def _check(ours, theirs, *, their_z=Z95, rtol=1e-6):
    # PAR: estimate, se and limits as healthequal. PAF: estimate as healthequal; its se is
    # Walter's SE of the fraction, which healthgap reports in per cent (× 100). The
    # testthat expectations were computed with z = 1.96 rather than qnorm(0.975).
    par, paf = ours.loc["par"], ours.loc["paf"]
    their_par = theirs.loc["par"]
    np.testing.assert_allclose(par["value"], their_par["estimate"], rtol=rtol)
    np.testing.assert_allclose(par["se"], their_par["se"], rtol=rtol)
    for side, sign in (("lower", -1), ("upper", 1)):
        np.testing.assert_allclose(
            their_par[f"{side}ci"],
            their_par["estimate"] + sign * their_z * their_par["se"],
            rtol=rtol,
        )
        np.testing.assert_allclose(
            par[f"{side}_ci"], par["value"] + sign * Z95 * par["se"], rtol=1e-12
        )
    np.testing.assert_allclose(paf["value"], theirs.loc["paf", "estimate"], rtol=rtol)
    np.testing.assert_allclose(paf["se"], 100 * theirs.loc["paf", "se"], rtol=rtol)
    assert paf["lower_ci"] == pytest.approx(paf["value"] - Z95 * paf["se"], rel=1e-12)
    return par


def test_attributable_matches_healthequal_testthat_ordered():
    # testthat_ordered.csv: healthequal tests/testthat/test-paf.R and test-parisk.R
    df = pd.read_csv(HEAT / "testthat_ordered.csv")
    ours = _impact(df, "est", "subgroup", se="se", population="pop", order="subgroup_order")
    _check(ours, _expected("testthat_ordered.csv"), their_z=1.96)


def test_attributable_matches_healthequal_testthat_non_ordered():
    # testthat_nonordered.csv: test-paf-nonordered.R and test-par-nonordered.R
    df = pd.read_csv(HEAT / "testthat_nonordered.csv")
    ours = _impact(df, "est", "subgroup", se="se", population="pop")
    _check(ours, _expected("testthat_nonordered.csv"), their_z=1.96)


def test_attributable_matches_healthequal_ordered_sample_example():
    # ordered_sample.csv: examples of reference/paf.html and reference/parisk.html. The
    # inputs are printed to 7 significant digits, so agreement is to about 1e-6.
    df = pd.read_csv(HEAT / "ordered_sample.csv")
    ours = _impact(
        df, "estimate", "subgroup", se="se", population="population", order="subgroup_order"
    )
    theirs = _expected("ordered_sample.csv")
    par = _check(ours, theirs)
    np.testing.assert_allclose(par["lower_ci"], theirs.loc["par", "lowerci"], rtol=1e-6)
    np.testing.assert_allclose(par["upper_ci"], theirs.loc["par", "upperci"], rtol=1e-6)


def test_attributable_reference_is_most_advantaged_or_best_subgroup():
    df = pd.DataFrame({"g": list("abc"), "o": [1, 2, 3], "y": [10.0, 90.0, 50.0]})
    ordered = build_settings(df, "y", subgroup="g", order="o")
    assert reference_subgroup(ordered).tolist() == [2]  # order 3 whatever the values
    fav = build_settings(df, "y", subgroup="g")
    adv = build_settings(df, "y", subgroup="g", favourable=False)
    assert reference_subgroup(fav).tolist() == [1]
    assert reference_subgroup(adv).tolist() == [0]


def test_attributable_hand_calculated_with_walter_standard_error():
    df = pd.DataFrame({"g": list("abc"), "y": [10.0, 20.0, 30.0], "n": [100, 200, 100]})
    out = _impact(df, "y", "g", population="n")
    mu = (1000 + 4000 + 3000) / 400  # 20
    assert out.loc["par", "value"] == pytest.approx(30 - mu)
    assert out.loc["paf", "value"] == pytest.approx(100 * (30 - mu) / mu)
    # Walter (1978): reference c = 30 cases of 100, others a = 50 cases of 300
    a, b, c, d, n = 50.0, 250.0, 30.0, 70.0, 400.0
    se = np.sqrt(c * n * (a * d * (n - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3))
    assert out.loc["paf", "se"] == pytest.approx(100 * se, rel=1e-12)
    assert out.loc["par", "se"] == pytest.approx(mu * se, rel=1e-12)


def test_attributable_floors_at_zero_when_no_gain_is_possible():
    # ordered favourable: the most advantaged subgroup is below the mean
    df = pd.DataFrame({"g": list("abc"), "o": [1, 2, 3], "y": [50.0, 60.0, 40.0], "n": [1] * 3})
    out = _impact(df, "y", "g", population="n", order="o")
    assert out["value"].tolist() == [0.0, 0.0]
    # ordered adverse: the most advantaged subgroup is above the mean
    adverse = _impact(df.assign(y=[40.0, 30.0, 50.0]), "y", "g", population="n", order="o",
                      favourable=False)  # fmt: skip
    assert adverse["value"].tolist() == [0.0, 0.0]


def test_attributable_adverse_non_ordered_is_negative():
    df = pd.DataFrame({"g": list("abc"), "y": [10.0, 20.0, 30.0], "n": [1, 1, 2]})
    out = _impact(df, "y", "g", population="n", favourable=False)
    assert out.loc["par", "value"] == pytest.approx(10 - 22.5)
    assert out.loc["paf", "value"] == pytest.approx(-100 * 12.5 / 22.5)


def test_attributable_uses_setting_average_without_population():
    df = pd.DataFrame({"g": list("abc"), "y": [10.0, 20.0, 30.0], "se": [1.0] * 3, "avg": 24.0})
    out = _impact(df, "y", "g", se="se", setting_average="avg")
    assert out.loc["par", "value"] == 6.0
    assert out.loc["paf", "value"] == 25.0
    assert out[["se", "lower_ci", "upper_ci"]].isna().all().all()  # Walter needs populations


def test_attributable_equal_subgroups_give_zero():
    df = pd.DataFrame({"g": list("abcd"), "y": [30.0] * 4, "n": [5, 6, 7, 8]})
    for kw in ({}, {"favourable": False}):
        out = _impact(df, "y", "g", population="n", **kw)
        assert out["value"].tolist() == pytest.approx([0.0, 0.0], abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.floats(1, 99), st.integers(10, 10_000)), min_size=3, max_size=8),
    factor=st.floats(0.05, 1.0),
    favourable=st.booleans(),
    ordered=st.booleans(),
)
def test_attributable_properties(rows, factor, favourable, ordered):
    k = len(rows)
    df = pd.DataFrame(rows, columns=["y", "n"]).assign(g=range(k), o=range(1, k + 1))
    kw = {"population": "n", "favourable": favourable, "order": "o" if ordered else None}
    base = _impact(df, "y", "g", **kw)
    par, paf = base.loc["par", "value"], base.loc["paf", "value"]
    mu = np.average(df["y"], weights=df["n"])
    assert paf == pytest.approx(100 * par / mu, rel=1e-9, abs=1e-9)
    assert (par >= 0) if favourable else (par <= 0)
    scaled = _impact(df.assign(y=df["y"] * factor), "y", "g", **kw)
    assert scaled.loc["paf", "value"] == pytest.approx(paf, rel=1e-9, abs=1e-9)
    assert scaled.loc["par", "value"] == pytest.approx(par * factor, rel=1e-9, abs=1e-9)
