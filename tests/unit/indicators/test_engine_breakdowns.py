"""Breakdowns (query groups, category labels, stacking), row labels and the statistics
helpers of the engine, on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from healthgap.indicators.breakdowns import Context, age_band_label, plan, stack
from healthgap.indicators.definition import Indicator, Numerator, Population
from healthgap.indicators.evaluate import EMPTY_BAND, NO_POPULATION, compute
from healthgap.indicators.measures import windows
from healthgap.indicators.rows import age_label, unit
from healthgap.methods.mean import mean

CTX = Context(
    "E06000032",
    "Luton",
    "lad",
    "Persons",
    Population(min_age=40, max_age=74),
    {"E01015698": "Luton 001A", "E02003274": "Luton 001"},
)


def shapes(groups):
    return [(g.grain, g.aged, [b.name for b in g.breakdowns]) for g in groups]


def test_breakdowns_plan_keeps_areas_and_people_apart():
    groups = plan(
        [
            "imd_decile",
            "ethnicity",
            "lsoa",
            "practice",
            "ethnicity*imd_quintile",
            "sex*lsoa",
            "age_band",
            "carer",
        ],
        "proportion",
    )
    assert shapes(groups) == [
        (("l", "pr"), False, ["lsoa", "practice"]),
        (
            ("decile", "pp"),
            False,
            ["total", "imd_decile", "ethnicity", "ethnicity*imd_quintile", "carer"],
        ),
        (("l", "pp"), False, ["sex*lsoa"]),
        ((), True, ["age_band"]),
    ]


def test_breakdowns_plan_gives_standardised_methods_ages_everywhere():
    groups = plan(["imd_quintile", "msoa"], "dsr")
    assert shapes(groups) == [
        (("l",), True, ["msoa"]),
        (("decile",), True, ["total", "imd_quintile"]),
    ]
    assert shapes(plan([], "life_expectancy")) == [((), True, ["total"])]
    assert shapes(plan(["age_band"], "rate")) == [((), False, ["total"]), ((), True, ["age_band"])]


def test_breakdowns_age_bands_are_cut_to_the_population():
    assert age_band_label(35, CTX.population) == ("40-44", 40)
    assert age_band_label(45, CTX.population) == ("45-54", 45)
    assert age_band_label(70, CTX.population) == ("65-74", 65)
    everyone = Population()
    assert age_band_label(1, everyone) == ("0-4", 0)  # a life-table band
    assert age_band_label(90, everyone) == ("85+", 85)
    assert age_band_label(5, Population(min_age=5, max_age=5)) == ("5", 5)


def test_breakdowns_stack_sums_and_labels_categories():
    cube = pd.DataFrame(
        {
            "period_order": [0, 0, 0, 1],
            "imd_decile": [1, 2, 9, 1],
            "sex": ["F", "M", None, "F"],
            "lsoa_code": ["E01015698", "E01015698", None, "E01015698"],
            "x": [1.0, 2.0, 3.0, 4.0],
            "n": [10.0, 20.0, 30.0, 40.0],
        }
    )
    groups = [
        b
        for g in plan(["imd_quintile", "core20", "sex", "lsoa", "sex*imd_quintile"], "proportion")
        for b in g.breakdowns
    ]
    out = stack(cube, groups, CTX, ["period_order"], ["x", "n"])
    first = out[out["period_order"] == 0].set_index(["breakdown_type", "category"])
    assert first.loc[("total", ""), "n"] == 60
    assert first.loc[("imd_quintile", "1 (most deprived)"), "n"] == 30  # deciles 1 and 2
    assert first.loc[("imd_quintile", "5 (least deprived)"), "category_order"] == 5
    assert first.loc[("core20", "Core20"), "x"] == 3 and first.loc[("core20", "Rest"), "x"] == 3
    assert first.loc[("sex", "Unknown"), "category_order"] == 99
    assert first.loc[("sex", "Female"), "sex"] == "Female"
    assert first.loc[("sex*imd_quintile", "Male | 1 (most deprived)"), "category_order"] == 201
    area = first.loc[("lsoa", "")]
    assert (area["area_code"], area["area_name"], area["area_type"], area["parent_code"]) == (
        "E01015698",
        "Luton 001A",
        "lsoa",
        "E06000032",
    )
    assert area["n"] == 30  # the person without an LSOA is in no LSOA row
    assert out["category_order"].dtype == "Int64"


def test_rows_age_labels_and_units():
    assert age_label(Population(min_age=5, max_age=5), "proportion") == "5 yrs"
    assert age_label(Population(min_age=65), "life_expectancy") == "65"
    assert age_label(Population(), "life_expectancy") == "All ages"

    def indicator(method, **kwargs):
        return Indicator("x", "X", method, Numerator("c"), **kwargs)

    assert unit(indicator("proportion")) == "%"
    assert unit(indicator("proportion", multiplier=1000)) == "per 1,000"
    assert unit(indicator("dsr")) == "per 100,000"
    assert unit(indicator("isr")) == "ratio (place = 100)"
    assert unit(indicator("life_expectancy")) == "years"
    assert unit(indicator("rate", unit="per 1,000 births")) == "per 1,000 births"


def test_windows_repeat_rows_for_each_trend_they_enter():
    frame = pd.DataFrame({"period_order": [0, 1, 2, 3, 4, 5], "v": range(6)})
    out = windows(frame, points=5)
    assert sorted(out.groupby("as_of")["period_order"].apply(list).items()) == [
        (4, [0, 1, 2, 3, 4]),
        (5, [1, 2, 3, 4, 5]),
    ]


def test_evaluate_rate_without_population_gets_a_note():
    rows = pd.DataFrame({"gid": [0, 1], "x": [3.0, 2.0], "n": [100.0, 0.0]})
    out = compute(Indicator("r", "R", "rate", Numerator("c")), rows, rows).set_index("gid")
    assert out.loc[0, "value"] == pytest.approx(3000.0)
    assert np.isnan(out.loc[1, "value"]) and out.loc[1, "value_note"] == NO_POPULATION


def test_evaluate_dsr_with_an_empty_age_band_gets_a_note():
    bands = np.arange(0, 95, 5)
    rows = pd.DataFrame(
        {"gid": np.repeat([0, 1], 19), "age_group": np.tile(bands, 2), "x": 5.0, "n": 1000.0}
    )
    rows.loc[(rows["gid"] == 1) & (rows["age_group"] == 90), "n"] = 0.0
    out = compute(Indicator("d", "D", "dsr", Numerator("c")), rows, rows).set_index("gid")
    assert out.loc[0, "value"] == pytest.approx(500.0)
    assert np.isnan(out.loc[1, "value"]) and out.loc[1, "value_note"] == EMPTY_BAND


def test_evaluate_mean_from_sums_equals_the_mean_method():
    rng = np.random.default_rng(5)
    values = pd.DataFrame({"gid": rng.integers(0, 4, 200), "v": rng.normal(120, 15, 200)})
    sums = values.assign(k=1.0, n=1.0, s=values["v"], ss=values["v"] ** 2)
    out = compute(Indicator("m", "M", "mean", Numerator("c", kind="value")), sums, sums)
    want = mean(values, "v", by="gid", confidence=[0.95, 0.998])
    got = out.set_index("gid").loc[want["gid"]]
    for column in ("value", "lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8"):
        np.testing.assert_allclose(got[column], want[column], rtol=1e-9)
    np.testing.assert_array_equal(got["count"], want["value_count"])
