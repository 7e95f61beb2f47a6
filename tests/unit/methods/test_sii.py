"""Tests for healthgap.methods.sii (PHE's slope and relative index of inequality).

Reference: ``SII_test_data.csv`` (identical to ``SII_test_grouped.csv`` and
``testdata_SII__testdata_SII.csv``), PHEindicatormethods 2.1.0's inputs and expected
results, used with the arguments of its ``tests/testthat/testSII.R``. Its ``sii_*cl_1``
and ``sii_*cl_2`` columns hold the first and second requested confidence level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from healthgap.errors import InputError
from healthgap.methods._confidence import levels
from healthgap.methods._sii_simulation import order_statistics, positions
from healthgap.methods.sii import sii
from tests.unit.methods._phe import read

REFERENCE = "SII_test_data.csv"
LIMITS = "LowerCL", "UpperCL"

# (first record, last record, arguments) as in testSII.R; the expected values are on each
# area's first record.
CASES = {
    "default se": (1, 20, {"se": "StandardError", "rii": True}),
    "default limits": (1, 20, {"limits": True, "rii": True}),
    "99%": (21, 40, {"limits": True, "rii": True, "confidence": 0.99}),
    "10,000 repetitions": (41, 60, {"se": "StandardError", "rii": True}),
    "quintiles": (61, 70, {"se": "StandardError", "rii": True}),
    "rate se": (71, 90, {"value_type": "rate", "se": "StandardError", "rii": True}),
    "rate limits": (71, 90, {"value_type": "rate", "limits": True, "rii": True}),
    "proportion se": (91, 110, {"value_type": "proportion", "se": "StandardError", "rii": True}),
    "proportion limits": (91, 110, {"value_type": "proportion", "limits": True, "rii": True}),
    "proportion x100": (
        111, 130, {"value_type": "proportion", "limits": True, "rii": True, "multiplier": 100}
    ),
    "proportion x-100": (
        131, 150, {"value_type": "proportion", "limits": True, "rii": True, "multiplier": -100}
    ),
    "two levels": (226, 245, {"se": "StandardError", "rii": True, "confidence": [0.95, 0.99]}),
    "intercept": (246, 265, {"limits": True, "rii": True, "intercept": True}),
    "rate intercept": (
        266, 285, {"value_type": "rate", "limits": True, "rii": True, "intercept": True}
    ),
    "proportion intercept": (
        286, 305, {"value_type": "proportion", "limits": True, "rii": True, "intercept": True}
    ),
    "log": (306, 325, {"value_type": "rate", "transform": True, "rii": True, "intercept": True}),
    "logit": (
        326, 345, {"value_type": "proportion", "transform": True, "rii": True, "intercept": True}
    ),
    "logit x-1": (
        346, 365,
        {"value_type": "proportion", "transform": True, "rii": True, "intercept": True,
         "multiplier": -1},
    ),
    "log 95 and 98%": (
        366, 385,
        {"value_type": "rate", "transform": True, "rii": True, "intercept": True,
         "confidence": [0.95, 0.98]},
    ),
    "log x-1": (
        386, 405,
        {"value_type": "rate", "transform": True, "rii": True, "intercept": True,
         "multiplier": -1},
    ),
    "log 98%": (
        406, 425,
        {"value_type": "rate", "transform": True, "rii": True, "intercept": True,
         "confidence": 0.98},
    ),
    "log no rii": (426, 445, {"value_type": "rate", "transform": True}),
    "logit no rii": (446, 465, {"value_type": "proportion", "transform": True}),
    "logit 98%": (
        466, 485,
        {"value_type": "proportion", "transform": True, "rii": True, "intercept": True,
         "confidence": 0.98},
    ),
    "logit 95 and 98%": (
        486, 505,
        {"value_type": "proportion", "transform": True, "rii": True, "intercept": True,
         "confidence": [0.95, 0.98]},
    ),
}  # fmt: skip


def records(first: int, last: int, name: str = REFERENCE) -> pd.DataFrame:
    return read(name).iloc[first - 1 : last]


def run_case(name: str, **extra) -> tuple[pd.DataFrame, pd.DataFrame]:
    first, last, arguments = CASES[name]
    arguments = dict(arguments)
    if arguments.pop("limits", False) or arguments.get("transform"):
        arguments["lower"], arguments["upper"] = LIMITS
    data = records(first, last)
    result = sii(data, "Value", "Population", quantile="Quantile", by="Area", **arguments, **extra)
    expected = data[data["sii"].notna()].reset_index(drop=True)
    return result, expected


def limit_pairs(result: pd.DataFrame, confidence) -> list[tuple[str, str]]:
    """(ours, PHE's) limit columns."""
    pairs = []
    for i, level in enumerate(levels(confidence), start=1):
        for stat in ("sii", "rii"):
            for side in ("lower", "upper"):
                ours = f"{stat}_{getattr(level, side)}"
                if ours in result:
                    pairs.append((ours, f"{stat}_{side}cl_{i}"))
    return pairs


def linear_data(a: float, b: float, population, *, se=0.0) -> tuple[pd.DataFrame, np.ndarray]:
    population = np.asarray(population, dtype=float)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    data = pd.DataFrame(
        {"q": np.arange(1, len(population) + 1), "pop": population, "y": a + b * rank, "se": se}
    )
    return data, rank


# --- PHEindicatormethods reference ------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_sii_point_estimates_match_phe_reference(name):
    result, expected = run_case(name, repetitions=1000, seed=1)
    assert list(result["Area"]) == ["area1", "area2"]
    np.testing.assert_allclose(result["sii"], expected["sii"], rtol=1e-9)
    if "rii" in result:
        np.testing.assert_allclose(result["rii"], expected["rii"], rtol=1e-9)
    if "intercept" in result:
        np.testing.assert_allclose(result["intercept"], expected["Intercept"], rtol=1e-9)


@pytest.mark.parametrize("name", CASES)
def test_sii_limits_match_phe_reference_within_monte_carlo_error(name):
    # PHE's limits are simulated too (100,000 repetitions; 10,000 for that case), so each of
    # ours must lie within 3% of the reference interval's width (observed: under 1%).
    result, expected = run_case(name, seed=20261124)
    _, _, arguments = CASES[name]
    pairs = limit_pairs(result, arguments.get("confidence", 0.95))
    checked = 0
    for ours, theirs in pairs:
        if expected[theirs].isna().any():  # e.g. PHE's quintile case gives only the SII
            continue
        stem = theirs.replace("lower", "{}").replace("upper", "{}")
        width = (expected[stem.format("upper")] - expected[stem.format("lower")]).abs()
        assert (np.abs(result[ours] - expected[theirs]) <= 0.03 * width).all(), ours
        checked += 1
    assert checked > 0 or name == "quintiles"


@pytest.mark.parametrize(
    "name", ["SII_test_data.csv", "SII_test_grouped.csv", "testdata_SII__testdata_SII.csv"]
)
def test_sii_ungrouped_matches_phe_reference_first_area(name):
    data = records(1, 10, name)
    result = sii(data, "Value", "Population", quantile="Quantile", se="StandardError", rii=True)
    assert list(result.columns) == [
        "sii", "sii_lower_ci", "sii_upper_ci", "rii", "rii_lower_ci", "rii_upper_ci",
    ]  # fmt: skip
    np.testing.assert_allclose(result["sii"], data["sii"].iloc[0], rtol=1e-9)
    np.testing.assert_allclose(result["rii"], data["rii"].iloc[0], rtol=1e-9)


def test_sii_value_from_count_matches_phe_reference():
    # testSII.R "test proportion with count provided": x = Count, no value column.
    data = records(91, 110)
    result = sii(
        data.drop(columns="Value"), None, "Population", quantile="Quantile", by="Area",
        count="Count", value_type="proportion", lower="LowerCL", upper="UpperCL", rii=True,
        repetitions=1000, seed=1,
    )  # fmt: skip
    expected = data[data["sii"].notna()]
    np.testing.assert_allclose(result["sii"], expected["sii"], rtol=1e-9)
    np.testing.assert_allclose(result["rii"], expected["rii"], rtol=1e-9)


def test_sii_many_quantiles_phe_reference_runs_without_warning():
    # Records 211-225: 15 quantiles (PHE warns that SII may be unstable; we only document it).
    data = records(211, 225)
    result = sii(data, "Value", "Population", quantile="Quantile", lower="LowerCL",
                 upper="UpperCL", repetitions=1000, seed=1)  # fmt: skip
    assert result["sii_lower_ci"].iloc[0] <= result["sii"].iloc[0] <= result["sii_upper_ci"].iloc[0]


# --- hand calculations ------------------------------------------------------------------


@pytest.mark.parametrize("population", [[1.0] * 10, [7291, 7997, 6105, 7666, 5790]])
def test_sii_linear_gradient_is_the_slope_with_exact_limits_when_se_is_zero(population):
    data, _ = linear_data(70.0, 8.0, population)
    result = sii(data, "y", "pop", quantile="q", se="se", rii=True, intercept=True,
                 confidence=[0.95, 0.998], repetitions=1000, seed=3)  # fmt: skip
    row = result.iloc[0]
    assert row["sii"] == pytest.approx(8.0, rel=1e-12)
    assert row["intercept"] == pytest.approx(70.0, rel=1e-12)
    assert row["rii"] == pytest.approx(78.0 / 70.0, rel=1e-12)
    for column in result.columns.drop(["sii", "rii", "intercept"]):
        assert row[column] == pytest.approx(row[column[:3]], rel=1e-12), column


def test_sii_equal_values_have_no_inequality():
    data = pd.DataFrame({"q": range(1, 11), "pop": range(100, 1100, 100), "y": 5.0, "se": 0.5})
    result = sii(data, "y", "pop", quantile="q", se="se", rii=True, repetitions=1000, seed=1)
    assert result["sii"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert result["rii"].iloc[0] == pytest.approx(1.0, rel=1e-12)
    assert result["sii_lower_ci"].iloc[0] < 0 < result["sii_upper_ci"].iloc[0]


def test_sii_matches_weighted_polyfit():
    rng = np.random.default_rng(5)
    pop, y = rng.integers(1000, 9000, 8).astype(float), rng.normal(50, 5, 8)
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2
    slope, icpt = np.polyfit(rank, y, 1, w=np.sqrt(share))
    data = pd.DataFrame({"q": range(8), "pop": pop, "y": y, "se": 1.0})
    result = sii(data, "y", "pop", quantile="q", se="se", rii=True, intercept=True,
                 multiplier=-2, repetitions=1000, seed=1)  # fmt: skip
    assert result["sii"].iloc[0] == pytest.approx(-2 * slope, rel=1e-10)
    assert result["intercept"].iloc[0] == pytest.approx(icpt, rel=1e-10)  # not multiplied
    assert result["rii"].iloc[0] == pytest.approx(icpt / (icpt + slope), rel=1e-10)


@pytest.mark.parametrize(
    ("value_type", "forward", "back"),
    [("rate", np.log, np.exp), ("proportion", special.logit, special.expit)],
)
def test_sii_transform_of_log_or_logit_linear_values(value_type, forward, back):
    a, b = forward(0.08), -0.9
    data, _ = linear_data(a, b, [300, 500, 400, 600, 450, 350])
    data["y"] = back(data["y"])
    data["low"], data["high"] = data["y"] * 0.99, data["y"] * 1.01
    result = sii(data, "y", "pop", quantile="q", lower="low", upper="high",
                 value_type=value_type, transform=True, rii=True, intercept=True,
                 multiplier=100, repetitions=1000, seed=1)  # fmt: skip
    row = result.iloc[0]
    assert row["sii"] == pytest.approx(100 * (back(a + b) - back(a)), rel=1e-12)
    assert row["rii"] == pytest.approx(back(a + b) / back(a), rel=1e-12)
    assert row["intercept"] == pytest.approx(100 * back(a), rel=1e-12)
    assert row["sii_lower_ci"] < row["sii"] < row["sii_upper_ci"]
    assert row["rii_lower_ci"] < row["rii"] < row["rii_upper_ci"]


def test_sii_negative_multiplier_reverses_polarity_and_inverts_rii():
    data = records(91, 110)
    arguments = dict(quantile="Quantile", by="Area", value_type="proportion",
                     se="StandardError", rii=True, repetitions=2000, seed=9)  # fmt: skip
    plus = sii(data, "Value", "Population", multiplier=100, **arguments)
    minus = sii(data, "Value", "Population", multiplier=-100, **arguments)
    np.testing.assert_allclose(minus["sii"], -plus["sii"], rtol=1e-12)
    np.testing.assert_allclose(minus["rii"], 1 / plus["rii"], rtol=1e-12)
    # The same draws: each limit is the other's, negated or inverted (up to which of two
    # neighbouring order statistics PHE's rounding picks).
    width = plus["sii_upper_ci"] - plus["sii_lower_ci"]
    assert (np.abs(minus["sii_lower_ci"] + plus["sii_upper_ci"]) < 0.01 * width).all()
    assert (np.abs(minus["rii_upper_ci"] - 1 / plus["rii_lower_ci"]) < 0.01).all()


# --- simulation --------------------------------------------------------------------------


def test_sii_same_seed_same_limits_other_seed_close():
    arguments = dict(quantile="Quantile", by="Area", se="StandardError", rii=True,
                     confidence=[0.95, 0.998], repetitions=5000)  # fmt: skip
    data = records(1, 20)
    first = sii(data, "Value", "Population", seed=42, **arguments)
    again = sii(data, "Value", "Population", seed=np.random.default_rng(42), **arguments)
    other = sii(data, "Value", "Population", seed=43, **arguments)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    np.testing.assert_array_equal(first["sii"], other["sii"])
    width = first["sii_upper_ci_95"] - first["sii_lower_ci_95"]
    assert (np.abs(first["sii_lower_ci_95"] - other["sii_lower_ci_95"]) < 0.1 * width).all()


def test_sii_limits_nest_and_contain_the_estimate():
    for name in ("two levels", "log 95 and 98%", "proportion x-100"):
        result, _ = run_case(name, repetitions=2000, seed=2)
        for stat in ("sii", "rii"):
            low = result.filter(like=f"{stat}_lower").to_numpy()
            high = result.filter(like=f"{stat}_upper").to_numpy()
            assert (low <= result[[stat]].to_numpy()).all()
            assert (result[[stat]].to_numpy() <= high).all()
            assert (low[:, -1:] <= low[:, :1]).all() and (high[:, :1] <= high[:, -1:]).all()


def test_sii_bivariate_draws_match_drawing_every_quantile():
    # Ours draws (slope, intercept) directly when the fit is linear in the draws; PHE draws
    # each quantile and refits. Same distribution: compare with a brute-force simulation.
    data = records(1, 10)
    result = sii(data, "Value", "Population", quantile="Quantile", se="StandardError",
                 rii=True, repetitions=100_000, seed=11)  # fmt: skip
    pop, y, se = (data[c].to_numpy(dtype=float) for c in ("Population", "Value", "StandardError"))
    share = pop / pop.sum()
    x = np.column_stack([np.ones(10), np.cumsum(share) - share / 2]) * np.sqrt(share)[:, None]
    draws = np.random.default_rng(12).normal(y, se, size=(100_000, 10)) * np.sqrt(share)
    icpt, slope = np.linalg.lstsq(x, draws.T, rcond=None)[0]
    for stat, sims in (("sii", slope), ("rii", (icpt + slope) / icpt)):
        low, high = np.sort(sims)[[2499, 97499]]
        tolerance = 0.03 * (high - low)
        assert result[f"{stat}_lower_ci"].iloc[0] == pytest.approx(low, abs=tolerance)
        assert result[f"{stat}_upper_ci"].iloc[0] == pytest.approx(high, abs=tolerance)


@pytest.mark.parametrize(("rii", "transform"), [(False, False), (True, False), (True, True)])
def test_sii_reliability_stat_columns(rii, transform):
    data = records(306, 325)
    arguments = dict(quantile="Quantile", by="Area", lower="LowerCL", upper="UpperCL",
                     value_type="rate", transform=transform, rii=rii,
                     repetitions=1000, seed=4)  # fmt: skip
    one = sii(data, "Value", "Population", reliability_stat=True, **arguments)
    two = sii(data, "Value", "Population", reliability_stat=True, confidence=[0.95, 0.998],
              **arguments)  # fmt: skip
    stats = ["sii", "rii"] if rii else ["sii"]
    assert [c for c in one if "mad" in c] == [f"{s}_mad" for s in stats]
    assert [c for c in two if "mad" in c] == [
        f"{s}_mad_{level}" for s in stats for level in ("95", "99_8")
    ]
    for s in stats:
        width = one[f"{s}_upper_ci"] - one[f"{s}_lower_ci"]
        assert ((one[f"{s}_mad"] > 0) & (one[f"{s}_mad"] < width / 2)).all()


def test_sii_reliability_stat_reports_the_first_run():
    # One group, SII only: the first of the 10 runs uses the same draws as a single run.
    data = records(1, 10)
    arguments = dict(quantile="Quantile", se="StandardError", repetitions=1000, seed=8)
    single = sii(data, "Value", "Population", **arguments)
    tenfold = sii(data, "Value", "Population", reliability_stat=True, **arguments)
    pd.testing.assert_frame_equal(tenfold.drop(columns="sii_mad"), single)


def test_order_statistics_match_sorting():
    x = np.random.default_rng(0).normal(size=(3, 4 * 1000))
    expected = np.sort(x.reshape(3, 4, 1000), axis=-1)
    pairs = [(24, 974), (0, 998), (1, 997)]
    found = order_statistics(x.copy(), 1000, pairs)
    assert found.shape == (3, 4, 3, 2)
    for i, (low, high) in enumerate(pairs):
        np.testing.assert_array_equal(found[:, :, i, 0], expected[..., low])
        np.testing.assert_array_equal(found[:, :, i, 1], expected[..., high])


def test_positions_follow_phe_rounding():
    assert positions(100_000, levels([0.95, 0.998])) == [(2499, 97499), (99, 99899)]
    assert positions(1000, levels(0.998)) == [(0, 998)]
    assert positions(1000, levels(0.99)) == [(4, 994)]


# --- other inputs -----------------------------------------------------------------------


def test_sii_limits_or_counts_give_the_same_standard_errors():
    data = records(91, 110).copy()
    z = 1.959963984540054
    data["se_limits"] = (special.logit(data["UpperCL"]) - special.logit(data["LowerCL"])) / (2 * z)
    x, n = data["Count"], data["Population"]
    data["se_counts"] = np.sqrt(1 / x + 1 / (n - x))
    arguments = dict(quantile="Quantile", by="Area", value_type="proportion", rii=True,
                     repetitions=1000, seed=6)  # fmt: skip
    from_limits = sii(data, "Value", "Population", lower="LowerCL", upper="UpperCL", **arguments)
    from_se = sii(data, "Value", "Population", se="se_limits", **arguments)
    pd.testing.assert_frame_equal(from_limits, from_se, rtol=1e-12)
    from_counts = sii(data, None, "Population", count="Count", **arguments)
    from_se = sii(data.assign(v=x / n), "v", "Population", se="se_counts", **arguments)
    pd.testing.assert_frame_equal(from_counts, from_se, rtol=1e-12)


def test_sii_rate_standard_errors_from_counts():
    data = pd.DataFrame({"q": range(1, 6), "pop": [900, 1000, 1100, 950, 1050],
                         "deaths": [30, 25, 22, 18, 12]})  # fmt: skip
    arguments = dict(quantile="q", value_type="rate", multiplier=1000, repetitions=1000, seed=1)
    from_counts = sii(data, None, "pop", count="deaths", **arguments)
    se = data.assign(rate=data["deaths"] / data["pop"], se=1 / np.sqrt(data["deaths"]))
    pd.testing.assert_frame_equal(from_counts, sii(se, "rate", "pop", se="se", **arguments))
    assert from_counts["sii"].iloc[0] < 0


def test_sii_quantile_order_and_labels():
    data = records(1, 20)
    arguments = dict(by="Area", se="StandardError", rii=True, repetitions=1000, seed=1)
    numeric = sii(data, "Value", "Population", quantile="Quantile", **arguments)
    shuffled = data.sample(frac=1, random_state=np.random.RandomState(3))  # not the global one
    reordered = sii(shuffled, "Value", "Population", quantile="Quantile", **arguments)
    reordered = reordered.set_index("Area").loc[["area1", "area2"]].reset_index()
    np.testing.assert_allclose(reordered["sii"], numeric["sii"], rtol=1e-12)
    labels = pd.Categorical(
        data["Quantile"].map(lambda q: f"decile {q}"),
        categories=[f"decile {q}" for q in range(1, 11)],
        ordered=True,
    )
    categorical = sii(data.assign(Quantile=labels), "Value", "Population",
                      quantile="Quantile", **arguments)  # fmt: skip
    pd.testing.assert_frame_equal(categorical, numeric)


def test_sii_does_not_modify_its_input():
    data = records(1, 20)
    before = data.copy()
    sii(data, "Value", "Population", quantile="Quantile", by="Area", se="StandardError",
        repetitions=1000, seed=1)  # fmt: skip
    pd.testing.assert_frame_equal(data, before)


@settings(max_examples=25, deadline=None)
@given(
    pops=st.lists(st.integers(1, 10_000), min_size=5, max_size=12),
    a=st.floats(-50, 50),
    b=st.floats(-20, 20),
    shift=st.floats(-100, 100),
    scale=st.floats(0.1, 10),
)
def test_sii_is_the_slope_and_shifts_and_scales_with_the_values(pops, a, b, shift, scale):
    data, rank = linear_data(a, b, pops, se=0.5)
    data["y"] += np.sin(7 * rank)  # not exactly linear
    arguments = dict(quantile="q", se="se", repetitions=1000, seed=1)
    base = sii(data, "y", "pop", **arguments)["sii"].iloc[0]
    moved = sii(data.assign(y=shift + scale * data["y"]), "y", "pop", **arguments)["sii"].iloc[0]
    assert moved == pytest.approx(scale * base, rel=1e-8, abs=1e-8)
    exact = sii(data.assign(y=a + b * rank), "y", "pop", **arguments)["sii"].iloc[0]
    assert exact == pytest.approx(b, rel=1e-9, abs=1e-9)


# --- bad input ---------------------------------------------------------------------------


def call(data, **changes):
    arguments = dict(value="Value", population="Population", quantile="Quantile",
                     se="StandardError", repetitions=1000, seed=1)  # fmt: skip
    arguments.update(changes)
    return sii(data, **arguments)


@pytest.mark.parametrize(
    ("first", "last", "changes", "match"),
    [
        (151, 160, {}, "'Population': must be greater than zero .row 151"),
        (161, 170, {}, "'StandardError': must not be negative .row 162"),
        (161, 170, {"value": None, "count": "Count", "value_type": "proportion"},
         "'Count': must be a proportion strictly between 0 and 1 .*row 167"),
        (171, 175, {"se": None, "lower": "LowerCL", "upper": "UpperCL",
                    "value_type": "proportion"},
         "'UpperCL': must be a proportion strictly between 0 and 1 .*row 173"),
        (176, 180, {"se": None, "lower": "LowerCL", "upper": "UpperCL",
                    "value_type": "proportion"},
         "'LowerCL': must not exceed 'UpperCL' .row 176"),
        (181, 190, {}, "'Value': has missing values"),
        (191, 200, {}, "'StandardError': has missing values"),
        (191, 200, {"se": None, "lower": "LowerCL", "upper": "UpperCL"},
         "'LowerCL': has missing values"),
        (201, 210, {}, "'Population': has missing values .row 204"),
        (1, 20, {"value_type": "proportion"}, "'Value': must be a proportion strictly"),
        (1, 3, {}, "between 5 and 100, got 3"),
    ],
)  # fmt: skip
def test_sii_bad_data_from_phe_reference(first, last, changes, match):
    # Records 151-210 are PHE's error-handling inputs (one area each); rows are named by
    # their index in the reference file (record number - 1).
    with pytest.raises(InputError, match=match):
        call(records(first, last), **changes)


def test_sii_group_without_every_quantile_is_named():
    data = records(1, 20).drop(index=14)
    with pytest.raises(InputError, match=r"all 10 quantiles .*Area='area2'"):
        call(data, by="Area")
    with pytest.raises(InputError, match="same quantile more than once"):
        call(pd.concat([records(1, 10), records(1, 1)]))


def test_sii_too_many_quantiles():
    data = pd.DataFrame({"Quantile": range(101), "Population": 10, "Value": 1.0,
                         "StandardError": 0.1})  # fmt: skip
    with pytest.raises(InputError, match="between 5 and 100, got 101"):
        call(data)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"repetitions": 999}, "at least 1000"),
        ({"repetitions": 1000.0}, "whole number"),
        ({"value_type": "ratio"}, "value_type must be one of"),
        ({"value_type": 1}, "value_type must be one of"),
        ({"transform": True}, "transform needs value_type"),
        ({"transform": True, "value_type": "rate"}, "not se"),
        ({"transform": "yes", "value_type": "rate"}, "transform must be True or False"),
        ({"rii": 1}, "rii must be True or False"),
        ({"se": None}, "give se, or lower and upper"),
        ({"se": None, "count": "Count"}, "give se, or lower and upper"),
        ({"lower": "LowerCL"}, "give both lower and upper"),
        ({"lower": "LowerCL", "upper": "UpperCL"}, "not both"),
        ({"value": None}, "give a value column, or count"),
        ({"multiplier": 0}, "non-zero number"),
        ({"multiplier": "100"}, "non-zero number"),
        ({"confidence": 0.5}, "between 0.9 and 1"),
        ({"seed": "abc"}, "seed must be"),
        ({"population": "Pop"}, "'Pop'.* not found"),
        ({"population": "Area"}, "'Area': must be numeric"),
        ({"quantile": "Area"}, "'Area': must be quantile numbers"),
    ],
)
def test_sii_bad_arguments(changes, match):
    with pytest.raises(InputError, match=match):
        call(records(1, 20), **changes)


def test_sii_bad_values():
    data = records(71, 80).copy()
    with pytest.raises(InputError, match="'Value': must be greater than zero for a rate"):
        call(data.assign(Value=0.0), value_type="rate")
    with pytest.raises(InputError, match="'LowerCL': must not exceed 'UpperCL'"):
        call(data.assign(LowerCL=data["UpperCL"] + 1), se=None, lower="LowerCL", upper="UpperCL")
    with pytest.raises(InputError, match="'Value': must be finite"):
        call(data.assign(Value=np.inf))
    with pytest.raises(InputError, match="'Count': must be above zero to give a standard error"):
        call(data.assign(Count=0), se=None, count="Count", value_type="rate")
    with pytest.raises(InputError, match="no rows"):
        call(data.iloc[:0])
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        call(data.to_dict())
