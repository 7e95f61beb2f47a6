import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.methods.inequality._build import build_settings
from healthgap.methods.inequality.api import inequality
from healthgap.methods.inequality.pairwise import pair

Z95 = 1.959963984540054


def _dr(df, **kwargs):
    out = inequality(df, "y", subgroup="g", se="se", measures=["d", "r"], **kwargs)
    return out.set_index("measure")


def test_pairwise_two_subgroups_by_hand():
    df = pd.DataFrame({"g": ["F", "M"], "y": [80.0, 64.0], "se": [3.0, 4.0]})
    out = _dr(df)
    d, r = out.loc["d"], out.loc["r"]
    assert d["value"] == 16.0
    assert d["se"] == pytest.approx(5.0, rel=1e-12)
    assert d["lower_ci"] == pytest.approx(16 - Z95 * 5, rel=1e-12)
    assert d["upper_ci"] == pytest.approx(16 + Z95 * 5, rel=1e-12)
    log_se = np.sqrt(3**2 + 1.25**2 * 4**2) / 64 / 1.25  # healthequal: SE(R) / R
    assert r["value"] == 1.25
    assert r["se"] == pytest.approx(log_se, rel=1e-12)
    assert r["lower_ci"] == pytest.approx(1.25 * np.exp(-Z95 * log_se), rel=1e-12)
    assert r["upper_ci"] == pytest.approx(1.25 * np.exp(Z95 * log_se), rel=1e-12)


ORDERED = pd.DataFrame(
    {"g": ["q2", "q1", "q3"], "o": [2, 1, 3], "y": [30.0, 20.0, 60.0], "se": [1.0, 2.0, 3.0]}
)


def test_pairwise_ordered_favourable_is_most_minus_least_advantaged():
    out = _dr(ORDERED, order="o")
    assert out.loc["d", "value"] == 40.0  # q3 (order 3) − q1 (order 1)
    assert out.loc["r", "value"] == 3.0


def test_pairwise_ordered_adverse_is_least_minus_most_advantaged():
    out = _dr(ORDERED, order="o", favourable=False)
    assert out.loc["d", "value"] == -40.0
    assert out.loc["r", "value"] == pytest.approx(1 / 3)


def test_pairwise_ordered_uses_order_not_values():
    df = ORDERED.assign(y=[30.0, 90.0, 60.0])  # q1 highest
    assert _dr(df, order="o").loc["d", "value"] == -30.0


NONORDERED = pd.DataFrame(
    {"g": ["a", "b", "c", "d"], "y": [50.0, 80.0, 20.0, 40.0], "se": [1.0, 1.0, 1.0, 1.0]}
)


@pytest.mark.parametrize("favourable", [True, False])
def test_pairwise_non_ordered_without_reference_is_highest_against_lowest(favourable):
    # healthequal 1.0.1: positive D and R ≥ 1 for both kinds of indicator
    out = _dr(NONORDERED, favourable=favourable)
    assert out.loc["d", "value"] == 60.0
    assert out.loc["r", "value"] == 4.0


def test_pairwise_non_ordered_reference_favourable_is_reference_minus_lowest():
    out = _dr(NONORDERED, reference="a")
    assert out.loc["d", "value"] == 30.0  # a (50) − c (20)
    assert out.loc["r", "value"] == 2.5


def test_pairwise_non_ordered_reference_adverse_is_highest_minus_reference():
    out = _dr(NONORDERED, reference="a", favourable=False)
    assert out.loc["d", "value"] == 30.0  # b (80) − a (50)
    assert out.loc["r", "value"] == 1.6


def test_pairwise_reference_column_applies_per_setting():
    df = pd.concat([NONORDERED.assign(area="A"), NONORDERED.assign(area="B")])
    df["ref"] = [True, False, False, False, False, False, False, False]
    out = inequality(df, "y", subgroup="g", by="area", reference="ref", measures="d")
    assert out["value"].tolist() == [30.0, 60.0]  # B has no reference: highest − lowest


def test_pairwise_pair_picks_first_of_tied_extremes():
    df = pd.DataFrame({"g": list("abc"), "y": [5.0, 5.0, 1.0]})
    first, second = pair(build_settings(df, "y", subgroup="g"))
    assert first.tolist() == [0] and second.tolist() == [2]


def test_pairwise_equal_subgroups_give_null_values():
    df = pd.DataFrame({"g": list("abcd"), "o": [1, 2, 3, 4], "y": [7.0] * 4, "se": [1.0] * 4})
    for kwargs in ({}, {"order": "o"}, {"favourable": False}):
        out = _dr(df, **kwargs)
        assert out.loc["d", "value"] == 0.0
        assert out.loc["r", "value"] == 1.0


def test_pairwise_without_standard_errors_has_no_limits():
    out = inequality(NONORDERED.drop(columns="se"), "y", subgroup="g", measures=["d", "r"])
    assert out[["se", "lower_ci", "upper_ci"]].isna().all().all()
    assert out["value"].tolist() == [60.0, 4.0]


def test_pairwise_ratio_with_zero_denominator_is_infinite_without_limits():
    df = pd.DataFrame({"g": ["a", "b"], "y": [0.0, 5.0], "se": [1.0, 1.0]})
    out = _dr(df)
    assert out.loc["r", "value"] == np.inf
    assert np.isnan(out.loc["r", ["lower_ci", "upper_ci"]].astype(float)).all()
    assert out.loc["d", "value"] == 5.0


values = st.floats(1, 1000)
ses = st.floats(0, 50)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(values, ses), min_size=2, max_size=8),
    factor=st.floats(0.01, 100),
    favourable=st.booleans(),
)
def test_pairwise_properties(rows, factor, favourable):
    k = len(rows)
    df = pd.DataFrame(rows, columns=["y", "se"]).assign(g=range(k), o=range(1, k + 1))
    kw = {"order": "o", "favourable": favourable, "confidence": [0.95, 0.998]}
    base = _dr(df, **kw)
    # value inside nested limits
    for m in ("d", "r"):
        row = base.loc[m]
        tol = 1e-9 * max(1.0, abs(row["value"]))
        assert row["lower_ci_99_8"] <= row["lower_ci_95"] + tol
        assert row["lower_ci_95"] <= row["value"] + tol <= row["upper_ci_95"] + 2 * tol
        assert row["upper_ci_95"] <= row["upper_ci_99_8"] + tol
    # absolute measures scale with the data, relative ones do not
    scaled = _dr(df.assign(y=df["y"] * factor, se=df["se"] * factor), **kw)
    assert scaled.loc["d", "value"] == pytest.approx(base.loc["d", "value"] * factor, rel=1e-9)
    assert scaled.loc["r", "value"] == pytest.approx(base.loc["r", "value"], rel=1e-9)
    assert scaled.loc["r", "upper_ci_95"] == pytest.approx(base.loc["r", "upper_ci_95"], rel=1e-9)
    # reversing the order swaps the two subgroups: D changes sign, R inverts
    flipped = _dr(df.assign(o=k + 1 - df["o"]), **kw)
    assert flipped.loc["d", "value"] == pytest.approx(-base.loc["d", "value"], abs=1e-9)
    assert flipped.loc["r", "value"] == pytest.approx(1 / base.loc["r", "value"], rel=1e-9)
    assert flipped.loc["d", "se"] == pytest.approx(base.loc["d", "se"], rel=1e-12)
