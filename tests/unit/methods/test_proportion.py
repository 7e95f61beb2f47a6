import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.proportion import proportion
from tests.unit.methods._phe import PHE_LIMITS, assert_close, read


def test_proportion_matches_phe_reference_rowwise():
    ref = read("test_Prop.csv")  # rows 1-11 proportion of 1, then repeated as percentages
    inputs = ref[["Area", "Numerator", "Denominator"]]
    for multiplier, expected in ref.groupby("multiplier"):
        result = proportion(
            inputs.loc[expected.index],
            "Numerator",
            "Denominator",
            confidence=[0.95, 0.998],
            multiplier=multiplier,
        )
        assert_close(result["value"], expected["value"])
        for theirs, ours in PHE_LIMITS.items():
            assert_close(result[ours], expected[theirs])


def test_proportion_matches_phe_reference_grouped():
    # test_Prop_g_results.csv: test_Prop_g.csv's first block grouped by Area after doubling
    # every row, so numerators and denominators double; missing values stay missing.
    rows = read("test_Prop_g.csv").query("multiplier == 1")[["Area", "Numerator", "Denominator"]]
    doubled = pd.concat([rows, rows.iloc[:8]], ignore_index=True)
    expected = read("test_Prop_g_results.csv")
    result = proportion(doubled, "Numerator", "Denominator", by="Area", multiplier=1)
    assert list(result["Area"]) == list(expected["Area"])
    assert_close(result["Numerator"].iloc[:8], expected["Numerator"].iloc[:8])
    assert_close(result["value"], expected["value"])
    assert_close(result["lower_ci"], expected["lowercl"])
    assert_close(result["upper_ci"], expected["uppercl"])


def test_proportion_hand_calculated_wilson():
    # x = 65, n = 100, z = 1.959964: (130 + z² ∓ z√(z² + 4·65·0.35)) / (2(100 + z²))
    z = 1.959963984540054
    lower = (130 + z**2 - z * np.sqrt(z**2 + 91)) / (2 * (100 + z**2))
    result = proportion(pd.DataFrame({"x": [65], "n": [100]}), "x", "n", multiplier=1)
    assert result["lower_ci"].iloc[0] == pytest.approx(lower, rel=1e-12)


def test_proportion_zero_and_full_counts_have_limits_at_the_bounds():
    df = pd.DataFrame({"x": [0, 40], "n": [40, 40]})
    result = proportion(df, "x", "n")
    assert result["lower_ci"].iloc[0] == pytest.approx(0, abs=1e-12)
    assert result["upper_ci"].iloc[1] == pytest.approx(100, abs=1e-12)


def test_proportion_does_not_modify_its_input():
    df = pd.DataFrame({"x": [1, 2], "n": [10, 10]})
    before = df.copy()
    proportion(df, "x", "n", by=None)
    pd.testing.assert_frame_equal(df, before)


def test_proportion_numerator_over_denominator_names_rows():
    df = pd.DataFrame({"x": [5, 11, 12], "n": [10, 10, 10]}, index=["a", "b", "c"])
    with pytest.raises(InputError, match=r"column 'x'.*rows 'b', 'c'"):
        proportion(df, "x", "n")


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"x": [-1], "n": [10]}), "'x': must not be negative"),
        (pd.DataFrame({"x": [1], "n": [0]}), "'n': must be greater than zero"),
        (pd.DataFrame({"x": ["one"], "n": [10]}), "'x': must be numeric"),
        (pd.DataFrame({"x": [1]}), "'n'.* not found"),
    ],
)
def test_proportion_bad_input_raises_input_error(frame, match):
    with pytest.raises(InputError, match=match):
        proportion(frame, "x", "n")


def test_proportion_rejects_unsupported_confidence():
    with pytest.raises(InputError, match=r"between 0\.9 and 1"):
        proportion(pd.DataFrame({"x": [1], "n": [10]}), "x", "n", confidence=95)


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=30))
def test_proportion_value_lies_within_nested_limits(pairs):
    df = pd.DataFrame([(min(x, n), n) for x, n in pairs], columns=["x", "n"])
    r = proportion(df, "x", "n", confidence=[0.95, 0.998])
    tol = 1e-9
    assert (r["lower_ci_99_8"] <= r["lower_ci_95"] + tol).all()
    assert (r["lower_ci_95"] <= r["value"] + tol).all()
    assert (r["value"] <= r["upper_ci_95"] + tol).all()
    assert (r["upper_ci_95"] <= r["upper_ci_99_8"] + tol).all()
