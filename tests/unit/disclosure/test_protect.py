"""Primary suppression, rounding and the columns protect() hides (no sibling structure)."""

import numpy as np
import pandas as pd
import pytest

from healthgap.disclosure import SUPPRESSED_NOTE, DisclosureRules, protect
from healthgap.errors import InputError

NAN = np.nan


def plain(counts, **columns):
    """A table with only counts (and the given columns): no sibling or total columns."""
    return pd.DataFrame({"count": counts, **columns})


def test_protect_hand_example_counts_0_1_7_8_12():
    out = protect(plain([0, 1, 7, 8, 12]))
    np.testing.assert_array_equal(out["count"], [0, NAN, NAN, 10, 10])
    assert out["suppressed"].tolist() == [False, True, True, False, False]
    notes = out["value_note"]
    assert notes[out["suppressed"]].eq(SUPPRESSED_NOTE).all()
    assert notes[~out["suppressed"]].isna().all()


def test_protect_suppresses_zero_when_asked():
    out = protect(plain([0, 1, 7, 8, 12]), DisclosureRules(suppress_zero=True))
    np.testing.assert_array_equal(out["count"], [NAN, NAN, NAN, 10, 10])


@pytest.mark.parametrize(
    ("count", "rounded"),
    [(8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (100, 100), (1234, 1235)],
)
def test_protect_rounds_to_the_nearest_5(count, rounded):
    assert protect(plain([count]))["count"].iloc[0] == rounded


def test_protect_rounds_halves_upwards_to_the_nearest_10():
    out = protect(plain([15, 24, 25, 96]), DisclosureRules(rounding=10))
    np.testing.assert_array_equal(out["count"], [20, 20, 30, 100])


@pytest.mark.parametrize("rounding", [0, 1])
def test_protect_rounding_0_or_1_leaves_counts_unrounded(rounding):
    out = protect(plain([8, 13, 999]), DisclosureRules(rounding=rounding))
    np.testing.assert_array_equal(out["count"], [8, 13, 999])


def test_protect_threshold_is_configurable():
    out = protect(plain([3, 8, 10, 11]), DisclosureRules(threshold=10, rounding=0))
    np.testing.assert_array_equal(out["count"], [NAN, NAN, NAN, 11])


def test_protect_threshold_0_suppresses_nothing():
    out = protect(plain([0, 1, 2]), DisclosureRules(threshold=0, rounding=0))
    np.testing.assert_array_equal(out["count"], [0, 1, 2])
    assert not out["suppressed"].any()


def test_protect_hides_rates_and_limits_computed_on_a_suppressed_count():
    df = plain(
        [3, 40],
        denominator=[120, 800],
        value=[2.5, 5.0],
        lower_ci_95=[0.9, 3.7],
        upper_ci_95=[7.1, 6.7],
        lower_ci_99_8=[0.4, 3.2],
        upper_ci_99_8=[10.2, 7.6],
        comparison=["Similar", "Worse"],
        recent_trend=["No significant change", "Increasing"],
        area_name=["Small place", "Big place"],
    )
    out = protect(df)
    hidden = ["value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8"]
    assert out.loc[0, hidden].isna().all()
    assert out.loc[0, ["comparison", "recent_trend"]].isna().all()
    pd.testing.assert_series_equal(out.loc[1, hidden], df.loc[1, hidden])
    assert out.loc[1, "comparison"] == "Worse"
    assert out["area_name"].tolist() == ["Small place", "Big place"]
    assert out["denominator"].tolist() == [120, 800]  # a count's denominator stays


def test_protect_rounds_denominators():
    out = protect(plain([10, 20], denominator=[1021, 12.4]))
    np.testing.assert_array_equal(out["denominator"], [1020, 10])


def test_protect_hides_a_row_whose_denominator_is_small():
    # Four people in the group: the denominator counts people, and bounds the count.
    out = protect(plain([0, 10], denominator=[4, 50], value=[0.0, 20.0]))
    np.testing.assert_array_equal(out["denominator"], [NAN, 50])
    np.testing.assert_array_equal(out["count"], [NAN, 10])
    assert out["suppressed"].tolist() == [True, False]
    assert np.isnan(out.loc[0, "value"])


def test_protect_hides_a_large_count_over_a_small_denominator():
    # e.g. 12 admissions among 5 residents: the 5 is disclosive, so the row goes.
    out = protect(plain([12], denominator=[5]))
    assert out["suppressed"].tolist() == [True]
    assert np.isnan(out.loc[0, "count"])


def test_protect_keeps_a_zero_denominator_unless_zeros_are_suppressed():
    df = plain([0], denominator=[0])
    assert protect(df)["denominator"].tolist() == [0]
    assert protect(df, DisclosureRules(suppress_zero=True))["denominator"].isna().all()


def test_protect_without_a_denominator_column():
    out = protect(plain([3, 9], value=[1.0, 2.0]))
    assert "denominator" not in out.columns
    np.testing.assert_array_equal(out["value"], [NAN, 2.0])


def test_protect_leaves_missing_counts_alone():
    out = protect(plain([NAN, 9], value=[1.5, 2.0]))
    assert np.isnan(out.loc[0, "count"])
    assert out.loc[0, "value"] == 1.5
    assert out["suppressed"].tolist() == [False, False]


def test_protect_keeps_existing_value_notes_of_published_rows():
    df = plain([3, 50, 60], value_note=["old note", "Provisional", None])
    out = protect(df)
    assert out["value_note"].tolist()[:2] == [SUPPRESSED_NOTE, "Provisional"]
    assert pd.isna(out["value_note"].iloc[2])


def test_protect_does_not_modify_its_input():
    df = plain([1, 20], denominator=[100, 200], value=[1.0, 10.0])
    before = df.copy()
    out = protect(df)
    pd.testing.assert_frame_equal(df, before)
    assert out is not df


def test_protect_keeps_the_index_and_row_order():
    df = plain([20, 2, 30], value=[1.0, 2.0, 3.0]).set_axis(["c", "a", "b"])
    out = protect(df)
    assert out.index.tolist() == ["c", "a", "b"]
    assert out["suppressed"].tolist() == [False, True, False]


def test_protect_an_empty_table():
    out = protect(plain(pd.Series([], dtype=float)))
    assert len(out) == 0
    assert {"suppressed", "value_note"} <= set(out.columns)


def test_protect_without_secondary_suppression_only_hides_small_counts():
    df = pd.DataFrame(
        {
            "breakdown_type": ["total", "sex", "sex"],
            "category": ["", "Male", "Female"],
            "count": [25, 3, 22],
        }
    )
    out = protect(df, DisclosureRules(secondary=False, rounding=0))
    np.testing.assert_array_equal(out["count"], [25, NAN, 22])


def test_protect_twice_keeps_what_was_suppressed():
    df = pd.DataFrame(
        {
            "breakdown_type": ["total", "sex", "sex"],
            "category": ["", "Male", "Female"],
            "count": [25, 3, 22],
        }
    )
    once = protect(df)
    twice = protect(once)
    assert twice["suppressed"].tolist() == once["suppressed"].tolist() == [False, True, True]


def test_protect_rejects_a_non_frame():
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        protect([1, 2, 3])  # type: ignore[arg-type]


def test_protect_rejects_bad_rules():
    with pytest.raises(InputError, match="rules must be DisclosureRules"):
        protect(plain([1]), {"threshold": 7})  # type: ignore[arg-type]


def test_protect_needs_a_count_column():
    with pytest.raises(InputError, match=r"'count'.* not found"):
        protect(pd.DataFrame({"n": [1]}))


def test_protect_rejects_text_counts():
    with pytest.raises(InputError, match="column 'count': must be numeric") as error:
        protect(plain(["5", "many"]))
    assert error.value.rows == [1]


def test_protect_rejects_negative_counts_and_denominators():
    with pytest.raises(InputError, match="column 'count': must not be negative"):
        protect(plain([-1, 5]))
    with pytest.raises(InputError, match="column 'denominator': must not be negative"):
        protect(plain([1, 5], denominator=[10, -10]))


def test_protect_rejects_a_non_boolean_suppressed_column():
    with pytest.raises(InputError, match="column 'suppressed': must be true or false"):
        protect(plain([10], suppressed=["no"]))


def test_protect_uses_the_given_column_names():
    df = pd.DataFrame({"events": [2, 30], "people": [90, 95], "rate": [2.2, 31.6]})
    out = protect(df, count="events", denominator="people", values=["rate"])
    np.testing.assert_array_equal(out["events"], [NAN, 30])
    np.testing.assert_array_equal(out["people"], [90, 95])
    np.testing.assert_array_equal(out["rate"], [NAN, 31.6])
