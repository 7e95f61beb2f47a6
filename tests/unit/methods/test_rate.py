import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.rate import rate
from tests.unit.methods._phe import PHE_LIMITS, assert_close, read


def test_rate_matches_phe_reference_rowwise():
    ref = read("test_Rate.csv")  # the same 11 areas per 100 and per 100,000
    for multiplier, expected in ref.groupby("multiplier"):
        inputs = expected[["Area", "Numerator", "Denominator"]]
        result = rate(
            inputs, "Numerator", "Denominator", confidence=[0.95, 0.998], multiplier=multiplier
        )
        assert_close(result["value"], expected["value"])
        for theirs, ours in PHE_LIMITS.items():
            assert_close(result[ours], expected[theirs])
        known = expected["method"].notna()
        assert list(result["method"][known]) == list(expected["method"][known])


def test_rate_matches_phe_reference_grouped():
    # test_Rate_g_results.csv: areas 1-8 doubled, 9-11 with missing values, area 12 with
    # more events than population (allowed for a rate).
    rows = read("test_Rate_g.csv").query("multiplier == 100000")[
        ["Area", "Numerator", "Denominator"]
    ]
    data = pd.concat([rows, rows.iloc[:8]], ignore_index=True)
    expected = read("test_Rate_g_results.csv")
    result = rate(data, "Numerator", "Denominator", by="Area")
    assert list(result["Area"]) == list(expected["Area"])
    assert_close(result["value"], expected["value"])
    assert_close(result["lower_ci"], expected["lowercl"])
    assert_close(result["upper_ci"], expected["uppercl"])


def test_rate_zero_events_uses_exact_limits():
    result = rate(pd.DataFrame({"d": [0], "p": [1000]}), "d", "p", multiplier=1000)
    assert result["value"].iloc[0] == 0
    assert result["lower_ci"].iloc[0] == 0
    assert result["upper_ci"].iloc[0] == pytest.approx(3.688879, rel=1e-6)  # -ln(0.025)
    assert result["method"].iloc[0] == "Exact"


def test_rate_by_multiple_columns_sums_within_groups():
    df = pd.DataFrame(
        {
            "la": ["A", "A", "A", "B"],
            "sex": ["F", "F", "M", "F"],
            "d": [10, 20, 5, 7],
            "p": [1000, 2000, 500, 700],
        }
    )
    result = rate(df, "d", "p", by=["la", "sex"], multiplier=1000)
    assert result[["la", "sex", "d", "p"]].to_dict("records") == [
        {"la": "A", "sex": "F", "d": 30, "p": 3000},
        {"la": "A", "sex": "M", "d": 5, "p": 500},
        {"la": "B", "sex": "F", "d": 7, "p": 700},
    ]
    assert list(result["value"]) == [10.0, 10.0, 10.0]


def test_rate_negative_count_names_column_and_row():
    with pytest.raises(InputError, match=r"column 'd': must not be negative \(row 1\)"):
        rate(pd.DataFrame({"d": [1, -2], "p": [10, 10]}), "d", "p")


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 10**6)), min_size=1, max_size=30))
def test_rate_value_lies_within_nested_limits(pairs):
    r = rate(pd.DataFrame(pairs, columns=["d", "p"]), "d", "p", confidence=[0.95, 0.998])
    tol = 1e-9 * r["value"].abs().max()
    assert (r["lower_ci_99_8"] <= r["lower_ci_95"] + tol).all()
    assert (r["lower_ci_95"] <= r["value"] + tol).all()
    assert (r["value"] <= r["upper_ci_95"] + tol).all()
    assert (r["upper_ci_95"] <= r["upper_ci_99_8"] + tol).all()
