"""Tests for healthgap.methods.trend (Fingertips' recent-trend marker).

PHEindicatormethods has no trend function, so there is no reference CSV: the method is
checked against hand calculations written out independently here (numpy.polyfit and the
published Fingertips formulae) and against the cases, with the markers shown on the
Fingertips website, in FingertipsNext's own tests of its trend calculator
(dhsc-govuk/FingertipsNext, trend-analysis/TrendAnalysisApp.UnitTests).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.trend import recent_trend

THRESHOLD = 9.54953570608324  # Fingertips' ChiSquareConfidence, chi-square(1) at 99.8%
YEARS = [2019, 2020, 2021, 2022, 2023]
COLUMNS = ["trend", "slope", "chi_square", "points_used", "first_period", "last_period"]


def series(values, se=1.0, years=YEARS, **extra):
    data = {"year": list(years), "value": list(values), "se": np.broadcast_to(se, len(values))}
    return pd.DataFrame(data | extra)


def reference_fit(y, se):
    """Slope, chi-square and leave-one-out slopes by weighted numpy.polyfit."""
    t = np.arange(1.0, len(y) + 1)
    y, w = np.asarray(y, float), 1 / np.asarray(se, float)
    (slope, _), cov = np.polyfit(t, y, 1, w=w, cov="unscaled")
    drops = [
        np.polyfit(np.delete(t, j), np.delete(y, j), 1, w=np.delete(w, j))[0] for j in range(5)
    ]
    return slope, slope**2 / cov[0, 0], np.array(drops)


# --- hand calculations ------------------------------------------------------------------


def test_recent_trend_wls_matches_weighted_polyfit():
    y, se = [12.0, 12.9, 13.1, 14.6, 15.2], [0.4, 0.5, 0.3, 0.6, 0.45]
    out = recent_trend(series(y, se), "value", period="year", se="se")
    slope, chi2, drops = reference_fit(y, se)
    assert out.columns.tolist() == COLUMNS
    np.testing.assert_allclose(out["slope"], slope, rtol=1e-10)
    np.testing.assert_allclose(out["chi_square"], chi2, rtol=1e-10)
    assert (drops > 0).all() and chi2 > THRESHOLD
    assert out.loc[0, "trend"] == "Increasing and getting better"
    assert out.loc[0, ["points_used", "first_period", "last_period"]].tolist() == [5, 2019, 2023]


def test_recent_trend_wls_matches_fingertips_sums():
    # TrendMarkerCalculator.NoOutliersCheck: raw sums of w, w*t*y, w*t, w*y, w*t^2
    y, se = np.array([3.1, 2.8, 2.9, 2.2, 2.0]), np.array([0.2, 0.1, 0.15, 0.12, 0.3])
    t, w = np.arange(1.0, 6), 1 / se**2
    s1, s2, s3, s4, s5 = w.sum(), (w * t * y).sum(), (w * t).sum(), (w * y).sum(), (w * t**2).sum()
    slope = (s1 * s2 - s3 * s4) / (s1 * s5 - s3**2)
    chi2 = (slope / np.sqrt(s1 / (s1 * s5 - s3**2))) ** 2
    out = recent_trend(series(y, se), "value", period="year", se="se", polarity="no judgement")
    np.testing.assert_allclose(out[["slope", "chi_square"]].iloc[0], [slope, chi2], rtol=1e-10)
    assert out.loc[0, "trend"] == "Decreasing"


def test_recent_trend_limits_give_se_by_3_92():
    y, se = np.array([50.0, 51, 53, 52, 55]), np.array([0.8, 0.7, 0.9, 0.8, 0.6])
    df = series(y, se, lower=y - 1.96 * se, upper=y + 1.96 * se)
    by_se = recent_trend(df, "value", period="year", se="se")
    by_limits = recent_trend(df, "value", period="year", lower="lower", upper="upper")
    pd.testing.assert_frame_equal(by_se, by_limits, rtol=1e-12)


def test_recent_trend_proportion_matches_chi_square_for_trend():
    x = np.array([120.0, 131, 150, 149, 171])
    n = np.array([1000.0, 1010, 1020, 990, 1005])
    df = pd.DataFrame({"year": YEARS, "x": x, "n": n})
    out = recent_trend(df, period="year", count="x", denominator="n")
    t, big_n, big_x = np.arange(1.0, 6), n.sum(), x.sum()
    # Fingertips' IsSignificantForProportions, as published
    fingertips = (
        big_n
        * (big_n * (x * t).sum() - big_x * (n * t).sum()) ** 2
        / (big_x * (big_n - big_x) * (big_n * (n * t**2).sum() - (n * t).sum() ** 2))
    )
    # R's prop.trend.test: regression sum of squares of x/n on t with weights n/(p(1-p))
    p = big_x / big_n
    w = n / (p * (1 - p))
    fitted = np.polyval(np.polyfit(t, x / n, 1, w=np.sqrt(w)), t)
    regression_ss = (w * (fitted - (w * x / n).sum() / w.sum()) ** 2).sum()
    np.testing.assert_allclose(out["chi_square"], fingertips, rtol=1e-9)
    np.testing.assert_allclose(out["chi_square"], regression_ss, rtol=1e-9)
    logit_slope = np.polyfit(t, np.log(x / (n - x)), 1)[0]
    np.testing.assert_allclose(out["slope"], logit_slope, rtol=1e-10)
    assert out.loc[0, "trend"] == "Increasing and getting better"


# --- the cases Fingertips shows (FingertipsNext's tests of its trend calculator) ------------

FINGERTIPS_CASES = {
    # indicator 241, diabetes prevalence, England: chi-squared test for trend on counts
    "diabetes_prevalence": (
        {
            "count": [3455176, 3491868, 3625401, 3774801, 3938080],
            "denominator": [48783947, 49122259, 49956777, 50649129, 51441896],
        },
        "no judgement",
        "Increasing",
    ),
    # indicator 30309, MMR one dose at 2, Yorkshire and the Humber: WLS on 95% limits
    "mmr_coverage": (
        {
            "value": [92.6254, 92.3221, 90.8708, 90.017, 90.1013],
            "lower": [92.4168, 92.1072, 90.6358, 89.7694, 89.8578],
            "upper": [92.8288, 92.5315, 91.1004, 90.2594, 90.3396],
        },
        "higher-is-better",
        "Decreasing and getting worse",
    ),
    # indicator 41203, preventable sight loss from diabetic eye disease (crude rate)
    "diabetic_eye_disease": (
        {
            "value": [2.935, 1.93028, 2.7567, 2.8701, 3.0121],
            "lower": [2.7841, 1.8085, 2.6113, 2.7225, 2.8616],
            "upper": [3.0919, 2.058, 2.9082, 3.0237, 3.1683],
        },
        "lower-is-better",
        "Increasing and getting worse",
    ),
    # indicator 40501, under-75 cancer mortality (directly standardised rate), 2019-2023
    "under_75_cancer_mortality": (
        {
            "value": [126.9341, 125.829, 121.5234, 122.3782, 120.7742],
            "lower": [125.9343, 124.8371, 120.5533, 121.4012, 119.8035],
            "upper": [127.94, 126.8268, 122.4993, 123.361, 121.7507],
        },
        "lower-is-better",
        "Decreasing and getting better",
    ),
}


@pytest.mark.parametrize("case", FINGERTIPS_CASES)
def test_recent_trend_agrees_with_fingertips_markers(case):
    columns, polarity, expected = FINGERTIPS_CASES[case]
    df = pd.DataFrame({"year": YEARS} | columns)
    if "count" in columns:
        kwargs = {"count": "count", "denominator": "denominator"}
        out = recent_trend(df, period="year", polarity=polarity, **kwargs)
    else:
        kwargs = {"lower": "lower", "upper": "upper"}
        out = recent_trend(df, "value", period="year", polarity=polarity, **kwargs)
    assert out.loc[0, "trend"] == expected


# --- outcomes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        ([10, 12, 14, 16, 18], "higher-is-better", "Increasing and getting better"),
        ([10, 12, 14, 16, 18], "lower-is-better", "Increasing and getting worse"),
        ([10, 12, 14, 16, 18], "no judgement", "Increasing"),
        ([18, 16, 14, 12, 10], "higher-is-better", "Decreasing and getting worse"),
        ([18, 16, 14, 12, 10], "lower-is-better", "Decreasing and getting better"),
        ([18, 16, 14, 12, 10], "no judgement", "Decreasing"),
    ],
)
def test_recent_trend_clear_trend_labelled_by_polarity(values, polarity, expected):
    out = recent_trend(series(values), "value", period="year", se="se", polarity=polarity)
    assert out.loc[0, "trend"] == expected
    np.testing.assert_allclose(out["slope"].abs(), 2.0, rtol=1e-12)


def test_recent_trend_flat_noisy_series_no_significant_change():
    out = recent_trend(
        series([50.2, 49.1, 50.8, 49.6, 50.3], se=1.0), "value", period="year", se="se"
    )
    assert out.loc[0, "trend"] == "No significant change"
    assert out.loc[0, "chi_square"] < THRESHOLD


def test_recent_trend_sign_unstable_when_one_point_drives_the_rise():
    # falling for four years, then one jump: significant overall, but leaving out the
    # jump gives a falling slope, so Fingertips calls it no significant change
    y = [1.0, 0.5, 0.0, -0.5, 10.0]
    out = recent_trend(series(y), "value", period="year", se="se")
    slope, chi2, drops = reference_fit(y, np.ones(5))
    assert slope > 0 and chi2 > THRESHOLD and drops[4] < 0
    np.testing.assert_allclose(out["chi_square"], chi2, rtol=1e-10)
    assert out.loc[0, "trend"] == "No significant change"


def test_recent_trend_confidence_sets_threshold():
    y = [10.0, 10.5, 10.4, 11.2, 11.1]  # chi-square about 5: significant at 95%, not 99.8%
    df = series(y, se=0.4)
    strict = recent_trend(df, "value", period="year", se="se")
    loose = recent_trend(df, "value", period="year", se="se", confidence=0.95)
    assert 3.8415 < strict.loc[0, "chi_square"] < THRESHOLD
    assert strict.loc[0, "trend"] == "No significant change"
    assert loose.loc[0, "trend"] == "Increasing and getting better"


def test_recent_trend_fewer_points_cannot_be_calculated():
    df = series([10, 12, 14, 16], years=YEARS[1:])
    out = recent_trend(df, "value", period="year", se="se")
    assert out.loc[0, "trend"] == "Cannot be calculated"
    assert np.isnan(out.loc[0, "slope"]) and np.isnan(out.loc[0, "chi_square"])
    assert out.loc[0, ["points_used", "first_period", "last_period"]].tolist() == [4, 2020, 2023]


@pytest.mark.parametrize(
    ("column", "bad"),
    [("value", np.nan), ("se", np.nan), ("se", 0.0)],
)
def test_recent_trend_missing_or_zero_se_cannot_be_calculated(column, bad):
    df = series([10.0, 12, 14, 16, 18])
    df.loc[2, column] = bad
    out = recent_trend(df, "value", period="year", se="se")
    assert out.loc[0, "trend"] == "Cannot be calculated"
    assert out.loc[0, "points_used"] == 5


@pytest.mark.parametrize(("x", "n"), [(0, 100), (100, 100), (np.nan, 100), (20, np.nan)])
def test_recent_trend_proportion_edge_counts_cannot_be_calculated(x, n):
    df = pd.DataFrame({"year": YEARS, "x": [10.0, 20, 30, 40, 50], "n": [100.0] * 5})
    df.loc[1, ["x", "n"]] = [x, n]
    out = recent_trend(df, period="year", count="x", denominator="n")
    assert out.loc[0, "trend"] == "Cannot be calculated"


def test_recent_trend_uses_only_the_latest_points_in_period_order():
    # rows shuffled, two older periods (one of them missing) that must be ignored
    years = [2017, 2018, *YEARS]
    df = series([np.nan, 99.0, 10, 12, 13, 16, 18], years=years).sample(frac=1, random_state=3)
    out = recent_trend(df, "value", period="year", se="se")
    latest = recent_trend(series([10, 12, 13, 16, 18]), "value", period="year", se="se")
    pd.testing.assert_frame_equal(out, latest)
    three = recent_trend(df, "value", period="year", se="se", points=3)
    assert three.loc[0, ["points_used", "first_period"]].tolist() == [3, 2021]


def test_recent_trend_text_periods_sort_as_labels():
    periods = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23"]
    df = series([10, 12, 14, 16, 18], years=periods).iloc[::-1]
    out = recent_trend(df, "value", period="year", se="se")
    assert out.loc[0, "trend"] == "Increasing and getting better"
    assert out.loc[0, ["first_period", "last_period"]].tolist() == ["2018/19", "2022/23"]


def test_recent_trend_groups_match_separate_calls_in_first_seen_order():
    rng = np.random.default_rng(7)
    frames = []
    for area, sex, drift in [("B", "F", 1.5), ("A", "M", 0.0), ("A", "F", -2.0), (None, "M", 3)]:
        y = 40 + drift * np.arange(6) + rng.normal(0, 0.5, 6)
        frames.append(series(y, 0.5, years=range(2018, 2024), area=area, sex=sex))
    df = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=1)
    before = df.copy()
    out = recent_trend(df, "value", period="year", se="se", by=["area", "sex"])
    pd.testing.assert_frame_equal(df, before)
    assert out.columns.tolist() == ["area", "sex", *COLUMNS]
    first_seen = df[["area", "sex"]].drop_duplicates().reset_index(drop=True)
    pd.testing.assert_frame_equal(out[["area", "sex"]], first_seen)
    for i, (area, sex) in enumerate(first_seen.itertuples(index=False)):
        one = df[(df["sex"] == sex) & (df["area"].isna() if area is None else df["area"] == area)]
        alone = recent_trend(one, "value", period="year", se="se")
        pd.testing.assert_frame_equal(
            out.loc[[i], COLUMNS].reset_index(drop=True), alone, check_dtype=False
        )


# --- properties --------------------------------------------------------------------------

values5 = st.lists(st.floats(-100, 100, allow_nan=False), min_size=5, max_size=5)
ses5 = st.lists(st.floats(0.1, 10, allow_nan=False), min_size=5, max_size=5)


def clear_of_boundaries(y, se):
    _, chi2, drops = reference_fit(y, se)
    scale = max(np.abs(y).max(), 1.0)
    return abs(chi2 - THRESHOLD) > 1e-6 * THRESHOLD and np.abs(drops).min() > 1e-9 * scale


@settings(max_examples=200, deadline=None)
@given(values5, ses5)
def test_recent_trend_reversing_time_flips_direction(y, se):
    assume(clear_of_boundaries(y, se))
    forward = series(y, se)
    backward = forward.assign(year=-forward["year"])  # same rows, time running the other way
    kwargs = {"period": "year", "se": "se", "polarity": "no judgement"}
    a = recent_trend(forward, "value", **kwargs).iloc[0]
    b = recent_trend(backward, "value", **kwargs).iloc[0]
    flip = {"Increasing": "Decreasing", "Decreasing": "Increasing"}
    assert b["trend"] == flip.get(a["trend"], a["trend"])
    np.testing.assert_allclose(b["slope"], -a["slope"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b["chi_square"], a["chi_square"], rtol=1e-9, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(values5, ses5, st.floats(1e-3, 1e3))
def test_recent_trend_scaling_values_and_se_keeps_trend(y, se, c):
    assume(clear_of_boundaries(y, se))
    a = recent_trend(series(y, se), "value", period="year", se="se").iloc[0]
    scaled = series(np.array(y) * c, np.array(se) * c)
    b = recent_trend(scaled, "value", period="year", se="se").iloc[0]
    assert b["trend"] == a["trend"]
    np.testing.assert_allclose(b["slope"], c * a["slope"], rtol=1e-9, atol=1e-9 * c)
    np.testing.assert_allclose(b["chi_square"], a["chi_square"], rtol=1e-9, atol=1e-12)


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"polarity": "high is good"}, "polarity must be one of"),
        ({"points": 2}, "points must be a whole number of at least 3"),
        ({"points": 5.0}, "points must be a whole number"),
        ({"confidence": [0.95, 0.998]}, "confidence must be one number"),
        ({"confidence": 0.5}, "confidence must be between"),
        ({"se": None}, "give either se or lower and upper"),
        ({"lower": "value", "upper": "value"}, "give either se or lower and upper"),
        ({"se": None, "lower": "value"}, "give both lower and upper"),
        ({"count": "value"}, "needs both count and denominator"),
        ({"count": "value", "denominator": "se"}, "not both"),
        ({"by": "area"}, "'area' not found"),
    ],
)
def test_recent_trend_bad_arguments_raise(kwargs, message):
    arguments = {"period": "year", "se": "se"} | kwargs
    with pytest.raises(InputError, match=message):
        recent_trend(series([1, 2, 3, 4, 5]), "value", **arguments)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"se": [1, 1, -1, 1, 1]}, "se", "must not be negative"),
        ({"value": ["1", "2", "x", "4", "5"]}, "value", "must be numeric"),
        ({"year": [2019, 2020, 2020, 2022, 2023]}, "year", "same period more than once"),
        ({"year": [2019, np.nan, 2021, 2022, 2023]}, "year", "has missing values"),
        ({"year": [2019, "2020", 2021, 2022, 2023]}, "year", "one sortable kind"),
    ],
)
def test_recent_trend_bad_values_raise(change, column, message):
    df = series([1.0, 2, 3, 4, 5]).assign(**change)
    with pytest.raises(InputError, match=message) as info:
        recent_trend(df, "value", period="year", se="se")
    assert info.value.column == column


def test_recent_trend_upper_below_lower_raises():
    df = series([1.0, 2, 3, 4, 5], lower=[0.5] * 5, upper=[1.5, 2.5, 0.4, 4.5, 5.5])
    with pytest.raises(InputError, match="must not be below 'lower'") as info:
        recent_trend(df, "value", period="year", lower="lower", upper="upper")
    assert info.value.rows == [2]


@pytest.mark.parametrize(
    ("x", "n", "column", "message"),
    [
        (-1, 100, "x", "must not be negative"),
        (10, 0, "n", "must be greater than zero"),
        (101, 100, "x", "must not exceed the denominator"),
    ],
)
def test_recent_trend_bad_counts_raise(x, n, column, message):
    df = pd.DataFrame({"year": YEARS, "x": [10.0] * 5, "n": [100.0] * 5})
    df.loc[3, ["x", "n"]] = [x, n]
    with pytest.raises(InputError, match=message) as info:
        recent_trend(df, period="year", count="x", denominator="n")
    assert (info.value.column, info.value.rows) == (column, [3])


def test_recent_trend_empty_or_not_a_frame_raises():
    with pytest.raises(InputError, match="no rows"):
        recent_trend(series([], years=[]), "value", period="year", se="se")
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        recent_trend({"value": [1]}, "value", period="year", se="se")  # type: ignore[arg-type]
