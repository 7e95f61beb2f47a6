import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.inequality_trend import inequality_trend
from healthgap.methods.trend import recent_trend

YEARS = [2019, 2020, 2021, 2022, 2023]


def series(values, se=0.3, **extra):
    return pd.DataFrame({"year": YEARS[: len(values)], "m": values, "se": se, **extra})


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([8.0, 8.6, 9.1, 9.8, 10.4], "Widening"),  # positive gap growing
        ([10.4, 9.8, 9.1, 8.6, 8.0], "Narrowing"),  # positive gap shrinking
        ([-8.0, -8.6, -9.1, -9.8, -10.4], "Widening"),  # negative gap growing in size
        ([-10.4, -9.8, -9.1, -8.6, -8.0], "Narrowing"),
        ([9.0, 9.2, 8.9, 9.1, 9.0], "No significant change"),
    ],
)
def test_inequality_trend_direction_relative_to_no_inequality(values, expected):
    assert inequality_trend(series(values), "m", period="year", se="se")["trend"][0] == expected


def test_inequality_trend_uses_fingertips_rule_on_the_measure():
    data = series([8.0, 8.6, 9.1, 9.8, 10.4])
    ours = inequality_trend(data, "m", period="year", se="se")
    theirs = recent_trend(data, "m", period="year", se="se", polarity="no judgement")
    assert ours["slope"][0] == pytest.approx(theirs["slope"][0], rel=1e-12)
    assert ours["chi_square"][0] == pytest.approx(theirs["chi_square"][0], rel=1e-12)
    # equal weights: slope is the OLS slope, chi-square = slope² Σ(t - t̄)² / se²
    slope = np.polyfit(np.arange(5), data["m"], 1)[0]
    assert ours["slope"][0] == pytest.approx(slope, rel=1e-12)
    assert ours["chi_square"][0] == pytest.approx(slope**2 * 10 / 0.3**2, rel=1e-12)


def test_inequality_trend_unstable_sign_is_not_significant():
    # a big jump at one end drives the fit; dropping it reverses the sign
    data = series([10.0, 9.9, 9.8, 9.7, 14.0], se=0.2)
    result = inequality_trend(data, "m", period="year", se="se")
    assert result["trend"][0] == "No significant change"


def test_inequality_trend_change_between_first_and_last_by_hand():
    data = series([8.0, 8.6, 9.1, 9.8, 10.4], se=[0.3, 0.3, 0.3, 0.3, 0.4])
    result = inequality_trend(data, "m", period="year", se="se", change_confidence=[0.95, 0.998])
    half_width = 1.959963984540054 * np.sqrt(0.3**2 + 0.4**2)  # = 0.98
    assert result["change"][0] == pytest.approx(2.4)
    assert result["change_lower_ci_95"][0] == pytest.approx(2.4 - half_width)
    assert result["change_upper_ci_95"][0] == pytest.approx(2.4 + half_width)
    assert result["change_lower_ci_99_8"][0] < result["change_lower_ci_95"][0]


def test_inequality_trend_ratio_measures_on_the_log_scale():
    rii = [1.20, 1.26, 1.33, 1.40, 1.47]
    lower = [r / 1.05 for r in rii]
    upper = [r * 1.05 for r in rii]
    data = pd.DataFrame({"year": YEARS, "rii": rii, "lo": lower, "hi": upper})
    result = inequality_trend(data, "rii", period="year", lower="lo", upper="hi", ratio=True)
    assert result["trend"][0] == "Widening"
    log_slope = np.polyfit(np.arange(5), np.log(rii), 1)[0]
    assert result["slope"][0] == pytest.approx(log_slope, rel=1e-9)
    assert result["change"][0] == pytest.approx(1.47 / 1.20)
    # a ratio below 1 moving further below 1 is widening too
    inverse = data.assign(rii=1 / data["rii"], lo=1 / data["hi"], hi=1 / data["lo"])
    flipped = inequality_trend(inverse, "rii", period="year", lower="lo", upper="hi", ratio=True)
    assert flipped["trend"][0] == "Widening"


def test_inequality_trend_by_group_and_shuffled_rows():
    a = series([8.0, 8.6, 9.1, 9.8, 10.4]).assign(area="A")
    b = series([10.4, 9.8, 9.1, 8.6, 8.0]).assign(area="B")
    data = pd.concat([a, b]).sample(frac=1, random_state=np.random.default_rng(3).integers(1e9))
    result = inequality_trend(data, "m", period="year", se="se", by="area").set_index("area")
    assert result.loc["A", "trend"] == "Widening"
    assert result.loc["B", "trend"] == "Narrowing"
    assert result.loc["B", "first_value"] == 10.4
    assert result.loc["B", "last_period"] == 2023


def test_inequality_trend_too_few_periods_cannot_be_calculated():
    result = inequality_trend(series([8.0, 9.0, 10.0]), "m", period="year", se="se")
    assert result["trend"][0] == "Cannot be calculated"
    assert result["change"][0] == pytest.approx(2.0)


def test_inequality_trend_needs_an_error_measure():
    with pytest.raises(InputError, match="standard error"):
        inequality_trend(series([1.0] * 5), "m", period="year")


def test_inequality_trend_ratio_must_be_positive():
    with pytest.raises(InputError, match="'m': must be greater than zero"):
        inequality_trend(series([1.0, 0.0, 1.0, 1.0, 1.0]), "m", period="year", se="se", ratio=True)


@given(st.floats(0.1, 3), st.floats(-5, 5).filter(lambda v: abs(v) > 0.5))
def test_inequality_trend_same_verdict_for_mirrored_gaps(step, start):
    values = [start + np.sign(start) * step * t for t in range(5)]
    mirrored = [-v for v in values]
    one = inequality_trend(series(values, se=0.1), "m", period="year", se="se")["trend"][0]
    two = inequality_trend(series(mirrored, se=0.1), "m", period="year", se="se")["trend"][0]
    assert one == two == "Widening"
