"""Tests for healthgap.methods.spc (NHS England "Making Data Count" XmR charts).

Expected values are hand calculations from the Making Data Count formulae (mean of the
baseline points, mean moving range, limits at 2.66 mean moving ranges) written out here,
plus one published worked example: the series in NHSRplotthedots' vignette "Deviations
from Excel defaults" (nhs-r-community/NHSRplotthedots, vignettes/deviations.Rmd), whose
chart shows a mean of 1.94 and a single special-cause point, the fifth. The limits that
vignette prints (4.6 and -0.72) screen large moving ranges out, which the Making Data Count
Excel tools (and so this method) do not: with all 17 moving ranges the limits are
35/18 ± 2.66 × 32/17, as the vignette's "replicate the Excel output" chart draws.

Most rule tests use a fixed baseline (``BASE``: 1, -1, ... with mean 0, mean moving range
2, so limits ±5.32 and the near-limit band beyond ±3.5467) and then add the points that
test one rule, so that nothing else can trigger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import healthgap as hg
from healthgap.errors import InputError
from healthgap.methods.spc import spc

BASE = [1.0, -1.0] * 4  # mean 0, moving ranges all 2: limits ±5.32, two sigma ±3.5467
QUARTER = [0.25, -0.25, 0.25, -0.25]  # mean 0, mean moving range 0.5: limits exactly ±1.33


def chart(values, **options):
    df = pd.DataFrame({"t": np.arange(len(values)), "y": np.asarray(values, dtype=float)})
    return spc(df, "y", order="t", **options)


def marked(out, rule=None):
    """Positions of points with any special cause (or with ``rule`` among them)."""
    causes = out["special_cause"].to_numpy()
    hit = causes != "" if rule is None else np.array([rule in c.split(", ") for c in causes])
    return np.flatnonzero(hit).tolist()


# --- limits ------------------------------------------------------------------------------


def test_spc_limits_by_hand():
    out = chart([10, 12, 11, 13, 12])
    # mean 58 / 5 = 11.6; moving ranges 2, 1, 2, 1 with mean 1.5; 2.66 × 1.5 = 3.99
    np.testing.assert_allclose(out["mean"], 11.6, rtol=1e-14)
    np.testing.assert_allclose(out["upper_process_limit"], 15.59, rtol=1e-14)
    np.testing.assert_allclose(out["lower_process_limit"], 7.61, rtol=1e-14)
    np.testing.assert_array_equal(out["moving_range"], [np.nan, 2, 1, 2, 1])
    assert marked(out) == []
    assert set(out["special_cause_direction"]) == {""}
    assert set(out["variation"]) == {"Common cause"}
    assert "assurance" not in out.columns


def test_spc_published_example_nhsrplotthedots_deviations_vignette():
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    out = chart(data)
    mean, mr = 35 / 18, 32 / 17  # sum 35; moving ranges 1, 1, 1, 8, 9 and twelve 1s
    assert round(out["mean"].iloc[0], 2) == 1.94  # as published
    np.testing.assert_allclose(out["upper_process_limit"], mean + 2.66 * mr, rtol=1e-14)
    np.testing.assert_allclose(out["lower_process_limit"], mean - 2.66 * mr, rtol=1e-14)
    assert marked(out) == [4]  # the fifth point, the one special-cause point published
    assert out["special_cause"].iloc[4] == "outside limits"
    assert out["special_cause_direction"].iloc[4] == "high"
    assert out["variation"].iloc[0] == "Common cause"  # judged on the latest point, a 1


def test_spc_baseline_sets_mean_and_limits_from_the_first_points():
    out = chart([1, 3, 1, 3, 10, 20], baseline=4)
    # baseline mean 2, moving ranges 2, 2, 2: limits 2 ± 5.32
    np.testing.assert_allclose(out["mean"], 2.0, rtol=1e-14)
    np.testing.assert_allclose(out["upper_process_limit"], 7.32, rtol=1e-14)
    np.testing.assert_allclose(out["lower_process_limit"], -3.32, rtol=1e-14)
    np.testing.assert_array_equal(out["moving_range"], [np.nan, 2, 2, 2, 7, 10])
    assert marked(out, "outside limits") == [4, 5]


def test_spc_baseline_longer_than_the_series_uses_every_point():
    pd.testing.assert_frame_equal(
        chart([10, 12, 11, 13, 12], baseline=20), chart([10, 12, 11, 13, 12])
    )


def test_spc_two_points_are_enough():
    out = chart([4, 6])  # mean 5, moving range 2
    np.testing.assert_allclose(out["upper_process_limit"], 10.32, rtol=1e-14)
    np.testing.assert_allclose(out["lower_process_limit"], -0.32, atol=1e-14)


def test_spc_constant_series_has_limits_on_the_mean():
    out = chart([5, 5, 5, 5, 5, 5, 5, 5], baseline=3)
    np.testing.assert_allclose(out[["upper_process_limit", "lower_process_limit"]], 5.0)
    assert marked(out) == []  # on the mean: not above, not below, not a trend


# --- rule 1: outside the limits ----------------------------------------------------------


def test_spc_point_exactly_on_a_limit_is_inside():
    out = chart([*QUARTER, 1.33], baseline=4)
    assert out["upper_process_limit"].iloc[-1] == 1.33  # 2.66 × 0.5, exact in binary
    assert marked(out) == []
    out = chart([*QUARTER, -1.33], baseline=4)
    assert out["lower_process_limit"].iloc[-1] == -1.33
    assert marked(out) == []


@pytest.mark.parametrize(("last", "direction"), [(1.34, "high"), (-1.34, "low")])
def test_spc_point_beyond_a_limit_is_special_cause(last, direction):
    out = chart([*QUARTER, last], baseline=4)
    assert marked(out) == [4]
    assert out["special_cause"].iloc[4] == "outside limits"
    assert out["special_cause_direction"].iloc[4] == direction


# --- rule 2: a shift of 7 points on one side of the mean ---------------------------------


@pytest.mark.parametrize("sign", [1, -1])
def test_spc_six_points_on_one_side_are_not_a_shift(sign):
    # the baseline (times sign) ends on the other side of the mean, so the run is 6 long
    run = [0.5, 1.0, 0.5, 1.0, 0.5, 1.0]
    out = chart(sign * np.array([*BASE, *run, -0.5]), baseline=8)
    assert marked(out) == []


@pytest.mark.parametrize(("sign", "direction"), [(1, "high"), (-1, "low")])
def test_spc_seven_points_on_one_side_are_a_shift(sign, direction):
    run = [0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5]
    out = chart(sign * np.array([*BASE, *run, -0.5]), baseline=8)
    assert marked(out) == list(range(8, 15))  # every point of the run
    assert set(out["special_cause"].iloc[8:15]) == {"shift"}
    assert set(out["special_cause_direction"].iloc[8:15]) == {direction}


def test_spc_point_on_the_mean_ends_a_shift():
    around = [0.5, 1.0, 0.5, 1.0]
    assert marked(chart([*BASE, *around, 0.0, *around], baseline=8)) == []
    assert marked(chart([*BASE, *around, 0.2, *around], baseline=8)) == list(range(8, 17))


# --- rule 3: a trend of 6 points ---------------------------------------------------------


def test_spc_five_rising_points_are_not_a_trend():
    out = chart([*BASE, 0.5, -2.0, -1.6, -1.2, -0.8, -0.4], baseline=8)
    assert marked(out) == []


def test_spc_six_rising_points_are_a_trend_judged_by_direction_not_side_of_mean():
    out = chart([*BASE, 0.5, -2.0, -1.6, -1.2, -0.8, -0.4, -0.2], baseline=8)
    assert marked(out) == list(range(9, 15))
    assert set(out["special_cause"].iloc[9:]) == {"trend"}
    # below the mean but rising: a high signal, so an improvement when higher is better
    assert set(out["special_cause_direction"].iloc[9:]) == {"high"}
    assert out["variation"].iloc[0] == "Special cause improvement (high)"


def test_spc_six_falling_points_are_a_low_trend():
    out = chart([*BASE, -0.5, 2.0, 1.6, 1.2, 0.8, 0.4, 0.2], baseline=8, improvement="up")
    assert marked(out) == list(range(9, 15))
    assert set(out["special_cause_direction"].iloc[9:]) == {"low"}
    assert out["variation"].iloc[0] == "Special cause concern (low)"


def test_spc_equal_neighbours_end_a_trend():
    rising = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
    assert marked(chart([*BASE, 0.5, *rising], baseline=8)) == list(range(9, 15))
    tied = [-2.0, -1.0, -0.5, -0.5, 0.5, 1.0, 2.0]
    assert marked(chart([*BASE, 0.5, *tied], baseline=8)) == []  # rises of 3 and 4 points


def test_spc_peak_belongs_to_both_trends():
    up, down = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], [1.0, 0.0, -1.0, -2.0, -3.0]
    out = chart([*BASE, -4.5, *up[1:], *down], baseline=8)
    # -4.5 starts a rise of 6 points to 2.0; 2.0 starts a fall of 6 points to -3.0
    assert marked(out, "trend") == list(range(8, 19))


# --- rule 4: two of three points near a limit --------------------------------------------


def test_spc_two_of_three_near_the_limit_marks_only_the_near_points():
    out = chart([*BASE, 4.0, 1.0, 4.0, -1.0], baseline=8)
    assert marked(out) == [8, 10]  # not the 1.0 between them
    assert set(out["special_cause"].iloc[[8, 10]]) == {"two of three near limit"}
    assert set(out["special_cause_direction"].iloc[[8, 10]]) == {"high"}


def test_spc_two_of_three_below():
    out = chart([*BASE, -4.0, -4.0, 1.0], baseline=8)
    assert marked(out) == [8, 9]
    assert set(out["special_cause_direction"].iloc[[8, 9]]) == {"low"}


@pytest.mark.parametrize(
    "points",
    [
        [4.0, -1.0, 4.0, -1.0],  # the third point is on the other side of the mean
        [4.0, 1.0, 1.0, 4.0, -1.0],  # the near points are not within three
        [4.0, -4.0, 1.0, -1.0],  # near opposite limits
        [3.5, 3.5, -1.0],  # inside two sigma (3.5467)
    ],
)
def test_spc_two_of_three_not_triggered(points):
    assert marked(chart([*BASE, *points], baseline=8)) == []


def test_spc_point_beyond_the_limit_counts_towards_two_of_three():
    out = chart([*BASE, 6.0, 4.0, 1.0, -1.0], baseline=8)
    assert out["special_cause"].iloc[8] == "outside limits, two of three near limit"
    assert out["special_cause"].iloc[9] == "two of three near limit"


# --- directions and icons ----------------------------------------------------------------

ICONS = [
    ("up", 2.0, "Special cause improvement (high)"),
    ("up", -2.0, "Special cause concern (low)"),
    ("down", 2.0, "Special cause concern (high)"),
    ("down", -2.0, "Special cause improvement (low)"),
    ("neither", 2.0, "Special cause (high)"),
    ("neither", -2.0, "Special cause (low)"),
]


@pytest.mark.parametrize(("improvement", "last", "icon"), ICONS)
def test_spc_variation_icon_from_the_latest_point(improvement, last, icon):
    out = chart([*QUARTER, last], improvement=improvement, baseline=4)
    assert set(out["variation"]) == {icon}


@pytest.mark.parametrize("improvement", ["up", "down", "neither"])
def test_spc_variation_is_common_cause_when_the_latest_point_is(improvement):
    out = chart([*QUARTER, 2.0, 0.0], improvement=improvement, baseline=4)
    assert marked(out) == [4]
    assert set(out["variation"]) == {"Common cause"}


@pytest.mark.parametrize(
    ("improvement", "direction", "icon"),
    [
        ("up", "high", "Special cause improvement (high)"),
        ("down", "low", "Special cause improvement (low)"),
        ("neither", "low", "Special cause (low)"),
    ],
)
def test_spc_conflicting_signals_show_improvement(improvement, direction, icon):
    # eight points below the mean (a low shift), the last six rising (a high trend)
    out = chart(
        [*BASE, -0.3, -2.5, -2.1, -1.7, -1.3, -0.9, -0.5], improvement=improvement, baseline=8
    )
    assert marked(out, "shift") == list(range(7, 15))
    assert marked(out, "trend") == list(range(9, 15))
    assert out["special_cause"].iloc[-1] == "shift, trend"
    assert set(out["special_cause_direction"].iloc[9:]) == {direction}
    assert set(out["special_cause_direction"].iloc[7:9]) == {"low"}  # shift only
    assert out["variation"].iloc[0] == icon


# --- assurance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("up", 2.0, "Consistently fails the target"),
        ("up", -2.0, "Consistently passes the target"),
        ("up", 0.0, "Hit and miss"),
        ("up", 1.33, "Hit and miss"),  # on the limit
        ("up", -1.33, "Hit and miss"),
        ("down", 2.0, "Consistently passes the target"),
        ("down", -2.0, "Consistently fails the target"),
        ("down", 1, "Hit and miss"),
    ],
)
def test_spc_assurance_against_a_number(improvement, target, assurance):
    out = chart([*QUARTER, 0.0], baseline=4, improvement=improvement, target=target)
    # limits ±1.33 exactly
    assert set(out["assurance"]) == {assurance}


def test_spc_assurance_uses_the_latest_target_in_a_column():
    df = pd.DataFrame(
        {"t": [4, 3, 2, 1, 0], "y": [0.0, *QUARTER[::-1]], "goal": [2.0, np.nan, -2, -2, -2]}
    )
    assert set(spc(df, "y", order="t", target="goal", baseline=4)["assurance"]) == {
        "Consistently fails the target"
    }
    df.loc[0, "goal"] = np.nan
    assert set(spc(df, "y", order="t", target="goal", baseline=4)["assurance"]) == {""}


# --- grouping and ordering ---------------------------------------------------------------


def test_spc_groups_match_separate_calls():
    a = [*BASE, 4.0, 1.0, 4.0, -1.0]
    b = [10, 12, 11, 13, 12, 30]
    c = [5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 9.0]
    df = pd.DataFrame(
        {
            "area": ["B"] * len(b) + ["A"] * len(a) + ["C"] * len(c),
            "t": [*range(len(b)), *range(len(a)), *range(len(c))],
            "y": np.array([*b, *a, *c], dtype=float),
        }
    ).sample(frac=1, random_state=np.random.default_rng(7))
    together = spc(df, "y", order="t", by="area", target=3.0, improvement="down")
    apart = pd.concat(
        spc(df[df["area"] == area], "y", order="t", target=3.0, improvement="down")
        for area in pd.unique(df["area"])
    )
    pd.testing.assert_frame_equal(together, apart)
    assert list(pd.unique(together["area"])) == list(pd.unique(df["area"]))


def test_spc_groups_by_several_columns_with_their_own_baselines():
    df = pd.DataFrame(
        {
            "area": ["A"] * 6 + ["B"] * 6,
            "sex": ["F", "M"] * 6,
            "t": np.repeat(np.arange(6), 2),
            "y": [1.0, 10.0, 3.0, 20.0, 1.0, 10.0, 3.0, 20.0, 1.0, 10.0, 3.0, 20.0],
        }
    )
    out = spc(df, "y", order="t", by=["area", "sex"], baseline=2)
    series = out.groupby(["area", "sex"], sort=False)
    assert list(series.groups) == [("A", "F"), ("A", "M"), ("B", "F"), ("B", "M")]
    # A/F is 1, 3, 1; A/M 10, 20, 10; B/F 3, 1, 3; B/M 20, 10, 20: the first two set
    # the mean and the one moving range
    np.testing.assert_allclose(series["mean"].first(), [2, 15, 2, 15], rtol=1e-14)
    np.testing.assert_allclose(
        series["upper_process_limit"].first(), [7.32, 41.6, 7.32, 41.6], rtol=1e-14
    )


def test_spc_sorts_by_order_and_keeps_the_index():
    df = pd.DataFrame(
        {"month": ["2024-03", "2024-01", "2024-02"], "y": [12.0, 10.0, 11.0]}, index=[7, 8, 9]
    )
    out = spc(df, "y", order="month")
    assert out.index.tolist() == [8, 9, 7]
    np.testing.assert_array_equal(out["moving_range"], [np.nan, 1, 1])
    dates = df.assign(month=pd.to_datetime(df["month"]))
    pd.testing.assert_frame_equal(
        spc(dates, "y", order="month").drop(columns="month"), out.drop(columns="month")
    )


def test_spc_does_not_modify_the_input():
    df = pd.DataFrame({"t": [2, 1, 0], "y": [1.0, 2.0, 4.0]})
    before = df.copy()
    spc(df, "y", order="t", target=3.0)
    pd.testing.assert_frame_equal(df, before)


def test_spc_is_public():
    assert hg.spc is spc


# --- bad input ---------------------------------------------------------------------------


def frame(**columns):
    data = {"t": [0, 1, 2], "y": [1.0, 2.0, 3.0]} | columns
    return pd.DataFrame(data)


@pytest.mark.parametrize(
    ("df", "options", "message"),
    [
        (frame(y=["1", "x", "3"]), {}, r"column 'y': must be numeric \(row 1\)"),
        (frame(y=[1.0, np.nan, 3.0]), {}, r"column 'y': has missing values \(row 1\)"),
        (frame(y=[1.0, np.inf, 3.0]), {}, r"column 'y': must be finite \(row 1\)"),
        (frame(t=[0, None, 2]), {}, r"column 't': has missing values \(row 1\)"),
        (frame(t=[0, 1, 1]), {}, r"column 't': has the same time more than once .*\(row 2\)"),
        (frame(t=[0, "a", 2]), {}, "column 't': must hold times of one sortable kind"),
        (frame(a=["A", "A", "B"]), {"by": "a"}, r"at least 2 points .*\(row 2\)"),
        (frame(), {"improvement": "higher"}, "improvement must be one of"),
        (frame(), {"baseline": 1}, "baseline"),
        (frame(), {"baseline": True}, "baseline"),
        (frame(), {"baseline": 2.5}, "baseline"),
        (frame(), {"target": np.nan}, "target must be"),
        (frame(), {"target": True}, "target must be"),
        (frame(), {"target": 1.0, "improvement": "neither"}, "target needs improvement"),
        (frame(), {"target": "goal"}, "'goal' not found"),
        (frame(g=["1", "x", "2"]), {"target": "g"}, r"column 'g': must be numeric \(row 1\)"),
        (frame(), {"by": "area"}, "'area' not found"),
        (frame(mean=[1, 2, 3]), {"by": "mean"}, "'mean' would be overwritten"),
        (frame().iloc[:0], {}, "no rows"),
    ],
)
def test_spc_rejects_bad_input(df, options, message):
    with pytest.raises(InputError, match=message):
        spc(df, "y", order="t", **options)


def test_spc_rejects_a_non_frame():
    with pytest.raises(InputError, match="DataFrame"):
        spc([1, 2, 3], "y", order="t")  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------

integers = st.lists(st.integers(-1000, 1000), min_size=2, max_size=40)


def _thresholds(out):
    """The mean, the two-sigma lines and the limits of a one-series chart."""
    centre, upper = out["mean"].iloc[0], out["upper_process_limit"].iloc[0]
    return centre + (upper - centre) * np.array([-1, -2 / 3, 0, 2 / 3, 1])


@given(integers, st.integers(2, 40))
def test_spc_limits_are_symmetric_about_the_mean(values, baseline):
    out = chart(values, baseline=baseline)
    above = out["upper_process_limit"] - out["mean"]
    below = out["mean"] - out["lower_process_limit"]
    np.testing.assert_allclose(above, below, rtol=1e-12, atol=1e-9)
    assert (above >= 0).all()


@given(integers, st.integers(-(10**6), 10**6), st.sampled_from(["up", "down", "neither"]))
def test_spc_adding_a_constant_moves_the_chart_and_keeps_the_signals(values, shift, improvement):
    out = chart(values, improvement=improvement)
    moved = chart(np.add(values, shift), improvement=improvement)
    # Whole numbers and shifts add exactly, so only a point within rounding of a limit or
    # two-sigma line can change sides; the mean of whole numbers is exact when one.
    x = np.asarray(values, float)
    gaps = np.abs(x[:, None] - _thresholds(out)[None, :])
    assume(np.all(gaps[:, [0, 1, 3, 4]] > 1e-6))
    for column in ["mean", "upper_process_limit", "lower_process_limit"]:
        np.testing.assert_allclose(moved[column], out[column] + shift, rtol=0, atol=1e-6)
    np.testing.assert_allclose(moved["moving_range"], out["moving_range"])
    for column in ["special_cause", "special_cause_direction", "variation"]:
        assert moved[column].tolist() == out[column].tolist()
