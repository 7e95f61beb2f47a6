import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.mean import mean
from tests.unit.methods._phe import PHE_LIMITS, assert_close, read

# test_Mean.csv / test_Mean_Grp.csv and their xlsx exports testdata_Mean__*.csv: the same
# 26 values for Area1 (8) and Area2 (18); the results hold both areas, then "No grouping".
REFERENCE = [
    ("test_Mean.csv", "test_Mean_results.csv"),
    ("test_Mean_Grp.csv", "test_Mean_results.csv"),
    ("testdata_Mean__testdata_Mean.csv", "testdata_Mean__testdata_Mean_results.csv"),
]
SUMMARY = ["value_sum", "value_count", "stdev", "value"]


def _assert_matches(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    for column in SUMMARY:
        assert_close(result[column], expected[column], rtol=1e-10)
    for theirs, ours in PHE_LIMITS.items():
        assert_close(result[ours], expected[theirs], rtol=1e-10)


@pytest.mark.parametrize(("inputs", "results"), REFERENCE)
def test_mean_matches_phe_reference_ungrouped(inputs, results):
    expected = read(results).query("area == 'No grouping'")
    result = mean(read(inputs), "values", confidence=[0.95, 0.998])
    assert len(result) == 1
    _assert_matches(result, expected)


@pytest.mark.parametrize(("inputs", "results"), REFERENCE)
def test_mean_matches_phe_reference_grouped(inputs, results):
    expected = read(results).query("area != 'No grouping'")
    result = mean(read(inputs), "values", by="area", confidence=[0.95, 0.998])
    assert list(result["area"]) == list(expected["area"])
    _assert_matches(result, expected)


def test_mean_single_level_matches_phe_reference_at_99_8():
    expected = read("test_Mean_results.csv").query("area != 'No grouping'")
    result = mean(read("test_Mean_Grp.csv"), "values", by="area", confidence=0.998)
    assert list(result.columns) == ["area", *SUMMARY, "lower_ci", "upper_ci"]
    assert_close(result["lower_ci"], expected["lower99_8cl"], rtol=1e-10)
    assert_close(result["upper_ci"], expected["upper99_8cl"], rtol=1e-10)


def test_mean_hand_calculated_four_values():
    # mean 45, s = √(500/3) = 12.909944, t(0.975, 3) = 3.182446, limits 45 ∓ t·s/2
    result = mean(pd.DataFrame({"x": [30, 40, 50, 60]}), "x")
    row = result.iloc[0]
    assert row["value_sum"] == 180
    assert row["value_count"] == 4
    assert row["value"] == 45
    assert row["stdev"] == pytest.approx(np.sqrt(500 / 3), rel=1e-12)
    assert row["lower_ci"] == pytest.approx(24.457397432394792, rel=1e-12)
    assert row["upper_ci"] == pytest.approx(65.5426025676052, rel=1e-12)


def test_mean_single_value_group_has_missing_stdev_and_limits():
    df = pd.DataFrame({"g": ["A", "B", "B"], "x": [7.0, 1.0, 3.0]})
    result = mean(df, "x", by="g", confidence=[0.95, 0.998])
    single = result.iloc[0]
    assert single["value"] == 7 and single["value_count"] == 1
    assert single[["stdev", "lower_ci_95", "upper_ci_99_8"]].isna().all()
    assert result.iloc[1][["stdev", "lower_ci_95", "upper_ci_99_8"]].notna().all()


def test_mean_constant_values_have_zero_width_limits():
    result = mean(pd.DataFrame({"x": [0.1] * 7}), "x")
    assert result["stdev"].iloc[0] == 0
    assert result["lower_ci"].iloc[0] == pytest.approx(0.1, rel=1e-14)
    assert result["upper_ci"].iloc[0] == pytest.approx(0.1, rel=1e-14)


def test_mean_large_offset_keeps_standard_deviation_accurate():
    # Σx² − (Σx)²/n would lose every digit here; deviations from the mean do not.
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 3, "x": 1e9 + np.array([1, 2, 3, 4, 0, 0, 3])})
    result = mean(df, "x", by="g")
    assert result["stdev"].iloc[0] == pytest.approx(np.sqrt(5 / 3), rel=1e-12)
    assert result["stdev"].iloc[1] == pytest.approx(np.sqrt(3), rel=1e-12)


def test_mean_missing_value_makes_only_its_group_missing():
    # As R's sum() and sd(): the group's results are missing; value_count counts its rows.
    df = pd.DataFrame({"g": ["A", "A", "B", "B"], "x": [1.0, None, 2.0, 4.0]})
    result = mean(df, "x", by="g")
    assert result["value_count"].tolist() == [2, 2]
    assert result.iloc[0][["value_sum", "stdev", "value", "lower_ci", "upper_ci"]].isna().all()
    assert result["value"].iloc[1] == 3


def test_mean_by_two_columns_keeps_first_seen_order():
    df = pd.DataFrame({"la": ["B", "A", "B", "A"], "sex": ["F", "M", "F", "M"], "x": [1, 2, 3, 6]})
    result = mean(df, "x", by=["la", "sex"])
    assert result[["la", "sex", "value"]].to_dict("records") == [
        {"la": "B", "sex": "F", "value": 2.0},
        {"la": "A", "sex": "M", "value": 4.0},
    ]


def test_mean_does_not_modify_its_input():
    df = pd.DataFrame({"g": ["A", "A"], "x": [1, 2]})
    before = df.copy()
    mean(df, "x", by="g")
    pd.testing.assert_frame_equal(df, before)


def test_mean_text_value_names_column_and_row():
    with pytest.raises(InputError, match=r"column 'x': must be numeric \(row 1\)"):
        mean(pd.DataFrame({"x": ["1", "two"]}), "x")


def test_mean_infinite_value_is_refused():
    with pytest.raises(InputError, match=r"column 'x': must be finite \(row 0\)"):
        mean(pd.DataFrame({"x": [np.inf, 1.0]}), "x")


def test_mean_empty_frame_is_refused():
    with pytest.raises(InputError, match="no rows"):
        mean(pd.DataFrame({"x": pd.Series([], dtype=float)}), "x")


def test_mean_missing_column_is_named():
    with pytest.raises(InputError, match="'area'"):
        mean(pd.DataFrame({"x": [1.0]}), "x", by="area")


def test_mean_bad_confidence_is_refused():
    with pytest.raises(InputError, match="confidence"):
        mean(pd.DataFrame({"x": [1.0, 2.0]}), "x", confidence=0.5)


values = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.lists(st.tuples(st.sampled_from("ABC"), values), min_size=1, max_size=40))
def test_mean_value_lies_within_nested_limits(rows):
    df = pd.DataFrame(rows, columns=["g", "x"])
    r = mean(df, "x", by="g", confidence=[0.95, 0.998]).dropna()
    tol = 1e-9 * (1 + df["x"].abs().max())
    assert (r["lower_ci_99_8"] <= r["lower_ci_95"] + tol).all()
    assert (r["lower_ci_95"] <= r["value"] + tol).all()
    assert (r["value"] <= r["upper_ci_95"] + tol).all()
    assert (r["upper_ci_95"] <= r["upper_ci_99_8"] + tol).all()


@given(st.lists(values, min_size=2, max_size=40), st.floats(-1e8, 1e8))
def test_mean_stdev_matches_numpy_and_ignores_a_shift(xs, shift):
    x = np.array(xs)
    result = mean(pd.DataFrame({"x": x}), "x")
    scale = 1e-9 * (1 + np.abs(x).max())
    assert result["stdev"].iloc[0] == pytest.approx(np.std(x, ddof=1), abs=scale)
    shifted = mean(pd.DataFrame({"x": x + shift}), "x")
    assert shifted["stdev"].iloc[0] == pytest.approx(
        result["stdev"].iloc[0], abs=1e-12 * (abs(shift) + np.abs(x).max()) + scale
    )
