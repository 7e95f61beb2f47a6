import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import intervals
from healthgap.methods.funnel import funnel_limits, poisson_bisection
from tests.unit.methods._phe import assert_close, read

RTOL = 1e-6  # the reference CSVs hold 7–10 significant figures
LEVELS = {"95": "2s", "99_8": "3s"}


def _limit_columns(suffix: str) -> dict[str, str]:
    """Our limit columns → PHE's (``lower_95`` → ``lower_2s_<suffix>``)."""
    return {
        f"{side}_{ours}": f"{side}_{theirs}_{suffix}"
        for ours, theirs in LEVELS.items()
        for side in ("lower", "upper")
    }


def _assert_matches(result, expected, columns):
    for ours, theirs in columns.items():
        assert_close(result[ours], expected[theirs], rtol=RTOL)


def _rate_input():
    return read("test_funnel_rate_funnels_input.csv")


# --- reference data -------------------------------------------------------------------


def test_funnel_limits_matches_phe_proportions():
    # test_funnel_outputs.csv: all of test_funnel_inputs.csv, proportions per 100
    inputs = read("test_funnel_inputs.csv")
    expected = read("test_funnel_outputs.csv")
    result = funnel_limits(inputs, "numerator", "denominator", multiplier=100)
    assert list(result["population"]) == list(expected["Population"])
    _assert_matches(result, expected, {**_limit_columns("limit"), "baseline": "baseline"})


def test_funnel_limits_matches_phe_proportions_axis_variation():
    # test_funnel_outputs_axis_variation.csv: the rows with denominators below 31,000, whose
    # range is narrow enough for the axis to start above zero
    inputs = read("test_funnel_inputs.csv").query("denominator < 31000")
    expected = read("test_funnel_outputs_axis_variation.csv")
    result = funnel_limits(inputs, "numerator", "denominator")
    assert list(result["population"]) == list(expected["Population"])
    _assert_matches(result, expected, {**_limit_columns("limit"), "baseline": "baseline"})
    assert list(result["statistic"]) == list(expected["statistic"])
    assert list(result["method"]) == list(expected["method"])


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_funnel_limits_matches_phe_ratios(ratio_type):
    # test_funnel_ratio_outputs.csv: observed / expected of test_funnel_ratio_inputs.csv
    inputs = read("test_funnel_ratio_inputs.csv")
    expected = read("test_funnel_ratio_outputs.csv")
    result = funnel_limits(inputs, "obs", "expected", statistic="ratio", ratio_type=ratio_type)
    assert list(result["observed"]) == list(expected["Observed_events"])
    columns = _limit_columns(ratio_type)
    for ours, theirs in LEVELS.items():
        for side in ("lower", "upper"):
            columns[f"{side}_{ours}_expected"] = f"{side}_{theirs}_exp_events"
    _assert_matches(result, expected, columns)
    assert set(result["statistic"]) == {f"ratio ({ratio_type})"}
    assert set(result["method"]) == {"Poisson"}


def _rate_columns():
    columns = {**_limit_columns("limit"), "baseline": "baseline"}
    for ours, theirs in LEVELS.items():
        for side in ("lower", "upper"):
            columns[f"{side}_{ours}_population"] = f"{side}_{theirs}_population_1_year"
    return columns


def _check_rate(result, expected):
    assert list(result["events"]) == list(expected["Events"])
    _assert_matches(result, expected, _rate_columns())
    assert list(result["statistic"]) == list(expected["statistic"])


def test_funnel_limits_matches_phe_dsr():
    # test_funnel_rate_funnels.csv: DSRs per 100,000 over 3 years, populations from the rates
    result = funnel_limits(
        _rate_input(),
        "ev",
        statistic="rate",
        rate="rate",
        rate_type="dsr",
        multiplier=100_000,
        years_of_data=3,
    )
    _check_rate(result, read("test_funnel_rate_funnels.csv"))


def test_funnel_limits_matches_phe_crude_rates_with_few_events():
    # test_funnel_rate_funnels_2.csv: crude rates, the area with most events given 5 instead
    data = _rate_input()
    data.loc[data["ev"] == data["ev"].max(), "ev"] = 5
    result = funnel_limits(
        data, "ev", statistic="rate", rate="rate", rate_type="crude", years_of_data=3
    )
    _check_rate(result, read("test_funnel_rate_funnels_2.csv"))


def test_funnel_limits_matches_phe_crude_rates_with_zero_events():
    # test_funnel_rate_funnels_3.csv: populations 1e5·ev/rate, the area with most events
    # set to zero events (so its population comes from the denominator), keeping areas
    # above half the largest population
    data = _rate_input()[["ev", "rate"]].copy()
    data["pop"] = 1e5 * data["ev"] / data["rate"]
    most = data["ev"] == data["ev"].max()
    data.loc[most, ["ev", "rate"]] = 0
    data = data[data["pop"] > data["pop"].max() / 2]
    result = funnel_limits(
        data, "ev", "pop", statistic="rate", rate="rate", rate_type="crude", years_of_data=3
    )
    _check_rate(result, read("test_funnel_rate_funnels_3.csv"))


# --- hand-calculated ---------------------------------------------------------------------


def test_funnel_limits_proportion_hand_calculated():
    # θ = 0.5; one denominator of 100 → axis from 90 (95% of 100, floored) towards 110, but
    # PHE steps by at least 1, so 100 points run from 90 to 189
    result = funnel_limits(pd.DataFrame({"x": [50], "n": [100]}), "x", "n")
    assert list(result["population"]) == list(range(90, 190))
    z95, z998 = stats.norm.ppf(0.975), stats.norm.ppf(0.999)
    se = np.sqrt(0.25 / 90)
    first = result.iloc[0]
    assert first["lower_95"] == pytest.approx(100 * (0.5 - z95 * se), rel=1e-12)
    assert first["upper_99_8"] == pytest.approx(100 * (0.5 + z998 * se), rel=1e-12)
    assert first["baseline"] == 50


def test_funnel_limits_ratio_at_one_event_is_exact_poisson():
    # with one observed event the 95% limits are O/E for E = the exact limits of 1 event:
    # −ln(0.975) and 5.5716 (PHE's bisection agrees to ~10⁻⁷)
    result = funnel_limits(
        pd.DataFrame({"o": [1, 3], "e": [1.0, 3.0]}),
        "o",
        "e",
        statistic="ratio",
        ratio_type="count",
    )
    first = result.iloc[0]
    assert first["observed"] == 1
    assert first["upper_95_expected"] == pytest.approx(-np.log(0.975), rel=1e-5)
    assert first["lower_95_expected"] == pytest.approx(5.571643, rel=1e-6)
    assert first["upper_95"] == pytest.approx(1 / -np.log(0.975) - 1, rel=1e-5)
    assert set(result["baseline"]) == {0.0}


@pytest.mark.parametrize(("tail", "level"), [(0.025, 0.95), (0.001, 0.998)])
def test_poisson_bisection_is_close_to_exact_limits(tail, level):
    observed = np.array([1, 2, 5, 9, 10, 50, 300, 2500])
    exact_lower, exact_upper = intervals.exact_poisson(observed, level)
    assert_close(poisson_bisection(observed, tail, "high"), exact_upper, rtol=1e-6)
    assert_close(poisson_bisection(observed, tail, "low"), exact_lower, rtol=1e-4)


def test_funnel_limits_rate_hand_calculated():
    # 20 events at 200 per 100,000 → 10,000 person-years over 2 years (5,000 a year) each:
    # θ = 0.002; the axis starts at 4,000 a year (95% of 5,000 floored) → 2·4000·θ = 16 events
    data = pd.DataFrame({"d": [20, 20], "pop": [10_000, 10_000], "r": [200.0, 200.0]})
    result = funnel_limits(
        data, "d", statistic="rate", rate="r", rate_type="crude", years_of_data=2
    )
    first = result.iloc[0]
    assert first["events"] == 16
    upper = poisson_bisection(np.array([16.0]), 0.025, "high")[0]
    assert first["lower_95_population"] == pytest.approx(upper / 0.002 / 2, rel=1e-12)
    assert first["lower_95"] == pytest.approx(16 * 0.002 / upper * 100_000, rel=1e-12)
    assert first["baseline"] == pytest.approx(200)
    assert first["statistic"] == "rate (crude per 100,000)"


# --- properties --------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=8),
    st.floats(0.01, 0.99),
)
def test_funnel_limits_proportion_wider_funnel_encloses_narrower(denominators, share):
    n = np.array(denominators)
    data = pd.DataFrame({"x": np.floor(n * share), "n": n})
    result = funnel_limits(data, "x", "n", points=20)
    assert (result["lower_99_8"] <= result["lower_95"]).all()
    assert (result["upper_95"] <= result["upper_99_8"]).all()
    assert (result["lower_95"] <= result["baseline"]).all()
    assert (result["baseline"] <= result["upper_95"]).all()
    assert result["population"].is_monotonic_increasing
    assert result["lower_99_8"].between(0, 100).all()
    assert result["upper_99_8"].between(0, 100).all()


@pytest.mark.parametrize("statistic", ["ratio", "rate"])
def test_funnel_limits_poisson_funnels_nest_and_narrow(statistic):
    data = pd.DataFrame({"o": [5, 40, 300], "e": [6.0, 35.0, 320.0], "r": [80.0, 110.0, 95.0]})
    result = funnel_limits(data, "o", "e", statistic=statistic, rate="r", rate_type="dsr")
    assert (result["lower_99_8"] < result["lower_95"]).all()
    assert (result["upper_95"] < result["upper_99_8"]).all()
    assert (np.diff(result["upper_95"]) < 0).all()
    assert (np.diff(result["lower_95"]) > 0).all()


def test_funnel_limits_points_and_multiplier_one_clip_at_one():
    data = pd.DataFrame({"x": [1, 9], "n": [10, 10]})
    result = funnel_limits(data, "x", "n", multiplier=1, points=10)
    assert len(result) == 10
    assert result["upper_99_8"].max() <= 1
    assert result["lower_99_8"].min() >= 0


def test_funnel_limits_zero_numerators_single_row():
    result = funnel_limits(pd.DataFrame({"x": [0], "n": [500]}), "x", "n")
    assert (result[["lower_95", "upper_95", "baseline"]] == 0).all().all()


def test_funnel_limits_centred_on_a_benchmark():
    data = pd.DataFrame({"x": [10, 20], "n": [100, 150]})
    result = funnel_limits(data, "x", "n", benchmark=50)
    assert set(result["baseline"]) == {50}
    se = np.sqrt(0.25 / result["population"])
    assert_close(result["upper_95"], 100 * (0.5 + stats.norm.ppf(0.975) * se), rtol=1e-12)
    rates = funnel_limits(data, "x", "n", statistic="rate", rate_type="crude", benchmark=20_000)
    assert set(rates["baseline"]) == {20_000}


def test_funnel_limits_does_not_modify_its_input():
    data = pd.DataFrame({"x": [10, 20], "n": [100, 150]})
    before = data.copy()
    funnel_limits(data, "x", "n")
    pd.testing.assert_frame_equal(data, before)


# --- bad input ---------------------------------------------------------------------------

GOOD = pd.DataFrame({"x": [5, 12], "n": [100, 120], "r": [5.0, 10.0]})


@pytest.mark.parametrize(
    ("frame", "kwargs", "match"),
    [
        (GOOD, {"statistic": "mean"}, "statistic must be one of 'proportion', 'rate', 'ratio'"),
        (GOOD, {"statistic": "rate", "rate": "r"}, "rate_type must be one of 'crude', 'dsr'"),
        (GOOD, {"statistic": "ratio", "ratio_type": "smr"}, "ratio_type must be one of"),
        (GOOD, {"points": 1}, "points must be a whole number"),
        (GOOD, {"years_of_data": 0}, "years_of_data must be greater than zero"),
        (GOOD, {"multiplier": -1}, "multiplier must be greater than zero"),
        (GOOD.assign(x=[5, 130]), {}, r"column 'x'.*must not exceed.*row 1"),
        (GOOD.assign(n=[0, 120]), {}, "'n': must be greater than zero"),
        (GOOD.assign(x=[-1, 5]), {}, "'x': must not be negative"),
        (GOOD.assign(x=["a", 5]), {}, "'x': must be numeric"),
        (GOOD, {"denominator": None}, "denominator= is required"),
        (GOOD, {"denominator": "pop"}, "'pop'.* not found"),
        (
            GOOD,
            {"statistic": "rate", "rate_type": "dsr", "denominator": None},
            "rate= is required for DSRs",
        ),
        (
            GOOD.assign(r=[0.0, 10.0]),
            {"statistic": "rate", "rate": "r", "rate_type": "dsr"},
            r"'r': must be greater than zero where there are events \(row 0\)",
        ),
        (
            GOOD.assign(x=[0, 5]),
            {"statistic": "rate", "rate": "r", "rate_type": "crude", "denominator": None},
            "need a population",
        ),
        (
            GOOD.assign(x=[0, 0]),
            {"statistic": "rate", "rate": "r", "rate_type": "crude"},
            "need at least one event",
        ),
        (GOOD.iloc[:0], {}, "at least one row"),
        (GOOD, {"benchmark": 101}, "benchmark 101 is out of range for a proportion"),
        (GOOD, {"benchmark": "England"}, "benchmark must be a number"),
        (GOOD, {"statistic": "ratio", "benchmark": 1}, "omit benchmark="),
    ],
)
def test_funnel_limits_bad_input_raises_input_error(frame, kwargs, match):
    arguments = {"denominator": "n", **kwargs}
    with pytest.raises(InputError, match=match):
        funnel_limits(frame, "x", **arguments)


def test_funnel_limits_rejects_non_frame():
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        funnel_limits([1, 2], "x", "n")  # type: ignore[arg-type]
