import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.compare import compare, funnel_significance
from healthgap.methods.proportion import proportion
from tests.unit.methods._phe import read

# --- funnel significance: reference data -------------------------------------------------


def test_funnel_significance_matches_phe_proportions():
    # test_funnel_inputs.csv: Area, numerator, denominator and PHE's significance
    expected = read("test_funnel_inputs.csv")
    result = funnel_significance(expected.drop(columns="significance"), "numerator", "denominator")
    assert result["significance"].astype(str).tolist() == expected["significance"].tolist()


def test_funnel_significance_matches_phe_ratios():
    # test_funnel_ratio_inputs.csv: observed, expected and PHE's significance
    expected = read("test_funnel_ratio_inputs.csv")
    result = funnel_significance(
        expected[["obs", "expected"]], "obs", "expected", statistic="ratio"
    )
    assert result["significance"].astype(str).tolist() == expected["significance"].tolist()


@pytest.mark.parametrize(
    ("column", "rate", "rate_type", "multiplier"),
    [
        ("dsr_per_100000", "rate_dsr", "dsr", 100_000),
        ("dsr_per_100", "rate_dsr", "dsr", 100),
        ("crude_per_100000", "rate_crude_per_100000", "crude", 100_000),
        ("crude_per_100", "rate_crude_per_100", "crude", 100),
    ],
)
@pytest.mark.parametrize("zeros", ["with_0", "without_0"])
def test_funnel_significance_matches_phe_rates(column, rate, rate_type, multiplier, zeros):
    # test_funnel_rate_inputs.csv: one expected column per rate type, multiplier, and with or
    # without the area that has no events (a DSR with under 10 events is not assessed)
    data = read("test_funnel_rate_inputs.csv")
    if zeros == "without_0":
        data = data[data["count"] != 0]
    result = funnel_significance(
        data[["count", rate, "pop"]],
        "count",
        "pop",
        statistic="rate",
        rate=rate,
        rate_type=rate_type,
        multiplier=multiplier,
    )
    expected = data[f"{column}_{zeros}"]
    assert result["significance"].astype(str).tolist() == expected.tolist()


# --- funnel significance: hand-calculated ------------------------------------------------


def test_funnel_significance_proportion_against_benchmark_hand_calculated():
    # p = 0.6 against θ = 0.5 at n = 100: se = 0.05, so 0.5 + 1.96·0.05 = 0.598 < 0.6 but
    # 0.5 + 3.09·0.05 = 0.654 > 0.6 → High (0.025); the mirror image is Low (0.025)
    data = pd.DataFrame({"x": [60, 40, 50, 70, 30], "n": [100] * 5})
    result = funnel_significance(data, "x", "n", benchmark=50, polarity="lower-is-better")
    assert result["significance"].tolist() == [
        "High (0.025)",
        "Low (0.025)",
        "Not significant",
        "High (0.001)",
        "Low (0.001)",
    ]
    assert result["comparison"].tolist() == [
        "Worse",
        "Better",
        "Same",
        "Worst",
        "Best",
    ]
    assert result["comparison_95"].tolist() == ["Worse", "Better", "Same", "Worse", "Better"]
    assert result["comparison_99_8"].tolist() == [
        "Same",
        "Same",
        "Same",
        "Worse",
        "Better",
    ]


def test_funnel_significance_ratio_hand_calculated():
    # against 10 expected, Byar's lower limits: 30 observed → 15.84 (99.8%) > 10, High (0.001);
    # 20 → 12.21 (95%) > 10 but 8.92 (99.8%) < 10, High (0.025). 0 observed vs 4 expected:
    # the exact 95% upper limit of 0 is −ln(0.025) = 3.69 < 4 → Low (0.025)
    data = pd.DataFrame({"o": [30, 20, 0, 10], "e": [10.0, 10.0, 4.0, 10.0]})
    result = funnel_significance(data, "o", "e", statistic="ratio")
    assert result["significance"].tolist() == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.025)",
        "Not significant",
    ]


def test_funnel_significance_dsr_under_ten_events_not_applicable():
    data = pd.DataFrame({"d": [9, 400, 500], "r": [50.0, 100.0, 140.0]})
    result = funnel_significance(
        data, "d", statistic="rate", rate="r", rate_type="dsr", polarity="lower-is-better"
    )
    assert result["significance"].iloc[0] == "Not applicable for events less than 10 for dsrs"
    assert result["comparison"].iloc[0] == "Not compared"
    assert result["comparison"].iloc[2] == "Worst"


def test_funnel_significance_categories_follow_phe():
    data = pd.DataFrame({"x": [5], "n": [10]})
    result = funnel_significance(data, "x", "n")
    assert list(result["significance"].cat.categories) == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
    ]
    assert result["significance"].iloc[0] == "Not significant"  # a single area is its average


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"statistic": "ratio", "benchmark": 1.0}, "ratios are compared with their expected"),
        ({"benchmark": "England"}, "benchmark must be a number"),
        ({"benchmark": -5}, "benchmark -5 is out of range for a proportion"),
        ({"polarity": "high"}, "polarity must be one of 'higher-is-better'"),
        ({"statistic": "rate"}, "rate_type must be one of"),
        ({"multiplier": 0}, "multiplier must be greater than zero"),
    ],
)
def test_funnel_significance_bad_input_raises_input_error(kwargs, match):
    data = pd.DataFrame({"x": [5, 6], "n": [10, 10]})
    with pytest.raises(InputError, match=match):
        funnel_significance(data, "x", "n", **kwargs)


# --- compare: hand-calculated ------------------------------------------------------------

# benchmark 50: A's interval is below it, B and C contain it (at a limit), D is above it,
# E-G miss a value, a limit or the benchmark
ONE_LEVEL = pd.DataFrame(
    {
        "value": [40.0, 45.0, 55.0, 60.0, np.nan, 60.0, 60.0],
        "lower_ci": [35.0, 40.0, 50.0, 55.0, 35.0, np.nan, 55.0],
        "upper_ci": [45.0, 50.0, 60.0, 65.0, 45.0, 65.0, 65.0],
        "england": [50.0, 50.0, 50.0, 50.0, 50.0, 50.0, np.nan],
    }
)
NOT = "Not compared"


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("higher-is-better", ["Worse", "Same", "Same", "Better", NOT, NOT, NOT]),
        ("lower-is-better", ["Better", "Same", "Same", "Worse", NOT, NOT, NOT]),
        ("no judgement", ["Lower", "Same", "Same", "Higher", NOT, NOT, NOT]),
    ],
)
def test_compare_one_level_every_outcome(polarity, expected):
    result = compare(ONE_LEVEL, "value", benchmark="england", polarity=polarity)
    assert result["comparison"].tolist() == expected
    scalar = compare(ONE_LEVEL.iloc[:6], "value", benchmark=50, polarity=polarity)
    assert scalar["comparison"].tolist() == expected[:6]


# rows: benchmark 50 beyond the 99.8% interval below, between the 95% and 99.8% limits
# below, inside, between above, beyond above, and a missing 99.8% limit
TWO_LEVELS = pd.DataFrame(
    {
        "value": [40.0, 46.0, 50.0, 54.0, 60.0, 60.0],
        "lower_ci_95": [36.0, 43.0, 47.0, 51.0, 56.0, 56.0],
        "upper_ci_95": [44.0, 49.0, 53.0, 57.0, 64.0, 64.0],
        "lower_ci_99_8": [33.0, 40.0, 44.0, 48.0, 52.0, np.nan],
        "upper_ci_99_8": [47.0, 52.0, 56.0, 60.0, 68.0, 68.0],
    }
)


@pytest.mark.parametrize(
    ("polarity", "up", "down", "top", "bottom"),
    [
        ("higher-is-better", "Better", "Worse", "Best", "Worst"),
        ("lower-is-better", "Worse", "Better", "Worst", "Best"),
        ("no judgement", "Higher", "Lower", "Higher (99.8%)", "Lower (99.8%)"),
    ],
)
def test_compare_two_levels_every_outcome(polarity, up, down, top, bottom):
    result = compare(TWO_LEVELS, "value", benchmark=50, polarity=polarity, confidence=[0.95, 0.998])
    assert result["comparison"].tolist() == [bottom, down, "Same", up, top, NOT]
    assert result["comparison_95"].tolist() == [down, down, "Same", up, up, up]
    assert result["comparison_99_8"].tolist() == [down, "Same", "Same", "Same", up, NOT]


def test_compare_two_level_categories_run_from_best_to_worst():
    result = compare(
        TWO_LEVELS, "value", benchmark=50, polarity="lower-is-better", confidence=[0.998, 0.95]
    )
    assert list(result["comparison"].cat.categories) == [
        "Best",
        "Better",
        "Same",
        "Worse",
        "Worst",
        NOT,
    ]


def test_compare_named_limit_columns_and_single_99_8_level():
    data = TWO_LEVELS.rename(columns={"lower_ci_99_8": "lo", "upper_ci_99_8": "hi"})
    result = compare(data.iloc[:5], "value", benchmark=50, lower="lo", upper="hi", confidence=0.998)
    assert result["comparison"].tolist() == ["Worse", "Same", "Same", "Same", "Better"]


def test_compare_output_of_proportion_with_both_levels():
    # 70/100 vs an England value of 60%: Wilson 95% (60.4, 77.8) excludes 60, 99.8% does not
    areas = pd.DataFrame({"area": ["A"], "x": [70], "n": [100]})
    limits = proportion(areas, "x", "n", confidence=[0.95, 0.998])
    result = compare(limits, "value", benchmark=60, confidence=[0.95, 0.998])
    assert result["comparison"].tolist() == ["Better"]
    assert list(result.columns[: len(limits.columns)]) == list(limits.columns)


def test_compare_does_not_modify_its_input():
    before = ONE_LEVEL.copy()
    compare(ONE_LEVEL, "value", benchmark="england")
    pd.testing.assert_frame_equal(ONE_LEVEL, before)


# --- compare: properties -----------------------------------------------------------------

SWAP = {"Better": "Worse", "Worse": "Better"}


@given(
    st.lists(
        st.tuples(st.floats(-100, 100), st.floats(0, 20), st.floats(0, 20), st.floats(0, 10)),
        min_size=1,
        max_size=20,
    ),
    st.floats(-100, 100),
)
def test_compare_flipping_polarity_swaps_better_and_worse(rows, benchmark):
    value = np.array([r[0] for r in rows])
    data = pd.DataFrame(
        {
            "value": value,
            "lower_ci_95": value - [r[1] for r in rows],
            "upper_ci_95": value + [r[2] for r in rows],
        }
    )
    data["lower_ci_99_8"] = data["lower_ci_95"] - [r[3] for r in rows]
    data["upper_ci_99_8"] = data["upper_ci_95"] + [r[3] for r in rows]
    kwargs = {"benchmark": benchmark, "confidence": [0.95, 0.998]}
    high = compare(data, "value", polarity="higher-is-better", **kwargs)
    low = compare(data, "value", polarity="lower-is-better", **kwargs)
    plain = compare(data, "value", polarity="no judgement", **kwargs)
    for column in ["comparison_95", "comparison_99_8"]:
        assert [SWAP.get(v, v) for v in high[column]] == low[column].tolist()
        names = {"Better": "Higher", "Worse": "Lower"}
        assert [names.get(v, v) for v in high[column]] == plain[column].tolist()
    # nested limits: significant at 99.8% implies significant at 95%
    strict = high["comparison_99_8"] != "Same"
    assert (high.loc[strict, "comparison_95"] != "Same").all()
    assert set(high["comparison"]) <= {
        "Best",
        "Better",
        "Same",
        "Worse",
        "Worst",
    }


# --- compare: bad input ------------------------------------------------------------------


@pytest.mark.parametrize("polarity", ["Higher-is-better", "high", "RAG - Low is good", None])
def test_compare_unknown_polarity_lists_the_valid_ones(polarity):
    match = "polarity must be one of 'higher-is-better', 'lower-is-better', 'no judgement'"
    with pytest.raises(InputError, match=match):
        compare(ONE_LEVEL, "value", benchmark=50, polarity=polarity)


@pytest.mark.parametrize(
    ("frame", "kwargs", "match"),
    [
        (ONE_LEVEL.assign(lower_ci=70.0), {}, r"'lower_ci': lower limit is above.*rows 0"),
        (ONE_LEVEL, {"benchmark": "wales"}, "'wales'.* not found"),
        (ONE_LEVEL, {"benchmark": [50]}, "benchmark must be a column name or a number"),
        (ONE_LEVEL, {"benchmark": True}, "benchmark must be a column name or a number"),
        (ONE_LEVEL.assign(value="x"), {}, "'value': must be numeric"),
        (ONE_LEVEL, {"confidence": [0.95, 0.998], "lower": "lower_ci"}, "one column per"),
        (ONE_LEVEL, {"confidence": 0.5}, "confidence must be between"),
    ],
)
def test_compare_bad_input_raises_input_error(frame, kwargs, match):
    arguments = {"benchmark": 50, **kwargs}
    with pytest.raises(InputError, match=match):
        compare(frame, "value", **arguments)
