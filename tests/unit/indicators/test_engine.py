"""The indicator engine on hand-made records, checked against an independent row-by-row
reading of the population rules (pandas) and direct calls of the methods."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator, Numerator, Population
from healthgap.indicators.engine import Place, evaluate
from healthgap.methods.dsr import dsr
from healthgap.methods.isr import isr
from healthgap.methods.life_expectancy import life_expectancy
from healthgap.methods.mean import mean
from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate
from tests.unit.indicators.test_engine_fixtures import (
    LSOAS,
    PLACE,
    WINDOW,
    age_on,
    present,
    random_population,
    small_population,
    write,
)

FY = {
    "2022/23": (date(2022, 4, 1), date(2023, 3, 31)),
    "2023/24": (date(2023, 4, 1), date(2024, 3, 31)),
}
MID = {label: s + (e - s) // 2 for label, (s, e) in FY.items()}
LIMITS = ["lower_ci_95", "upper_ci_95", "lower_ci_99_8", "upper_ci_99_8"]
BREAKDOWNS = (
    "imd_decile",
    "imd_quintile",
    "core20",
    "sex",
    "ethnicity",
    "age_band",
    "carer",
    "lsoa",
    "practice",
    "sex*imd_quintile",
)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    persons, events = small_population()
    paths = write(tmp_path_factory.mktemp("small"), persons, events)
    return persons, events, paths


def run(paths, indicators, **kwargs):
    return evaluate(
        indicators,
        persons=paths[0],
        events=paths[1],
        place=Place(*PLACE),
        window=kwargs.pop("window", WINDOW),
        **kwargs,
    )


@pytest.fixture(scope="module")
def small_results(small):
    _, _, paths = small
    flu = Indicator(
        "flu",
        "Flu 65+",
        "proportion",
        Numerator("flu_vaccination"),
        Population(min_age=65),
        polarity="higher-is-better",
        breakdowns=BREAKDOWNS,
    )
    prevalence = Indicator(
        "diab",
        "Diabetes 17+",
        "proportion",
        Numerator("diabetes", kind="condition"),
        Population(min_age=17),
        breakdowns=BREAKDOWNS,
    )
    admissions = Indicator(
        "adm",
        "Admissions",
        "rate",
        Numerator("emergency_admission"),
        polarity="lower-is-better",
        breakdowns=BREAKDOWNS,
    )
    bmi = Indicator(
        "bmi",
        "BMI 18+",
        "mean",
        Numerator("bmi", kind="value"),
        Population(min_age=18),
        breakdowns=BREAKDOWNS,
    )
    return run(paths, [flu, prevalence, admissions, bmi])


def decile_of(persons: pd.DataFrame) -> np.ndarray:
    return persons["lsoa_code"].map(LSOAS).to_numpy()


def rows(result, indicator: str, breakdown: str) -> pd.DataFrame:
    v = result.values
    return v[(v["indicator_id"] == indicator) & (v["breakdown_type"] == breakdown)]


def expected_proportions(persons, events, counted) -> pd.DataFrame:
    """By period and decile: people present and 65+ at the period end, and those counted."""
    frames = []
    for label, (start, end) in FY.items():
        pop = present(persons, events, end) & (age_on(persons["birth_date"], end) >= 65)
        hits = counted(start, end)
        frames.append(
            pd.DataFrame(
                {
                    "period": label,
                    "decile": decile_of(persons)[pop],
                    "x": persons["person_id"][pop].isin(hits).astype(int),
                    "n": 1,
                }
            )
        )
    agg = pd.concat(frames).groupby(["period", "decile"], as_index=False)[["x", "n"]].sum()
    return proportion(agg, "x", "n", by=["period", "decile"], confidence=[0.95, 0.998])


def compare_to(got: pd.DataFrame, want: pd.DataFrame) -> None:
    got = got.assign(decile=got["category_order"].astype(int)).sort_values(["period", "decile"])
    want = want.sort_values(["period", "decile"])
    np.testing.assert_array_equal(got["decile"], want["decile"])
    np.testing.assert_allclose(got["count"], want["x"], rtol=0)
    np.testing.assert_allclose(got["denominator"], want["n"], rtol=0)
    np.testing.assert_allclose(got["value"], want["value"], rtol=1e-12)
    np.testing.assert_allclose(got[LIMITS], want[LIMITS], rtol=1e-12)


def test_engine_proportion_by_decile_matches_row_by_row(small, small_results):
    persons, events, _ = small
    flu = events[events["concept"] == "flu_vaccination"]

    def counted(start, end):
        return flu.loc[(flu["date"] >= start) & (flu["date"] <= end), "person_id"].unique()

    compare_to(
        rows(small_results, "flu", "imd_decile"), expected_proportions(persons, events, counted)
    )


def test_engine_proportion_population_edges(small_results):
    total = rows(small_results, "flu", "total").set_index("period")
    # 2022/23: 65+ on 31 March 2023, alive, registered: 1, 2, 7, 10, 11, 14, 16, 17, 20
    # (6 died in December; 3 and 19 are still 64; 8 joined at 52).
    assert total.loc["2022/23", "denominator"] == 9
    assert total.loc["2022/23", "count"] == 8  # all but 20; 1's second dose counts once
    # 2023/24: 7 died in October; 3 (65 since 1 April 2023) and 19 (65 on 31 March) join;
    # 12, vaccinated, is 64.
    assert total.loc["2023/24", "denominator"] == 10
    assert total.loc["2023/24", "count"] == 8


def test_engine_prevalence_counts_conditions_recorded_by_the_period_end(small, small_results):
    persons, events, _ = small
    first = events[events["concept"] == "diabetes"].groupby("person_id")["date"].min()
    frames = []
    for label, (_, end) in FY.items():
        pop = present(persons, events, end) & (age_on(persons["birth_date"], end) >= 17)
        had = persons["person_id"].map(first)
        x = np.array([pd.notna(f) and f <= end for f in had])[pop]
        frames.append(pd.DataFrame({"period": label, "x": x.astype(int), "n": 1}))
    want = pd.concat(frames).groupby("period")[["x", "n"]].sum()
    got = rows(small_results, "diab", "total").set_index("period")
    np.testing.assert_array_equal(got["count"], want["x"])  # 1 and 12, then 1, 12 and 17
    np.testing.assert_array_equal(got["denominator"], want["n"])
    assert list(got["count"]) == [2, 3]


def test_engine_rate_by_decile_matches_row_by_row(small, small_results):
    persons, events, _ = small
    admitted = events[events["concept"] == "emergency_admission"]
    frames = []
    for label, (start, end) in FY.items():
        pop = present(persons, events, MID[label])
        n = pd.Series(decile_of(persons)[pop]).value_counts()
        inside = admitted[(admitted["date"] >= start) & (admitted["date"] <= end)]
        x = inside["person_id"].map(persons.set_index("person_id")["lsoa_code"].map(LSOAS))
        frame = pd.DataFrame({"n": n, "x": x.value_counts()}).fillna(0)
        frames.append(frame.rename_axis("decile").reset_index().assign(period=label))
    want = rate(pd.concat(frames), "x", "n", by=["period", "decile"], confidence=[0.95, 0.998])
    compare_to(rows(small_results, "adm", "imd_decile"), want)


def test_engine_rate_counts_events_of_people_gone_by_mid_period(small_results):
    total = rows(small_results, "adm", "total").set_index("period")
    # 2022/23: 7 admissions (9 leaves in 2023/24; 6 dies in December, after mid-year, so is
    # in the mid-period population); 2023/24: 6.
    assert list(total["count"]) == [7, 6]
    assert total.loc["2022/23", "denominator"] == 19  # 8 joins in January
    assert total.loc["2023/24", "denominator"] == 18  # 6 dead, 9 gone; 7 dies after 30 Sep


def test_engine_mean_matches_a_direct_mean_of_the_latest_values(small, small_results):
    got = rows(small_results, "bmi", "total").set_index("period")
    # 2022/23: 1 → 30.0 (latest), 4 → 24.2, 11 → 27.0; 2023/24: 11 → 28.0, 16 → 23.5
    # (the larger of one day's two values); 17's "n/a" is not a number.
    for label, values in (("2022/23", [30.0, 24.2, 27.0]), ("2023/24", [28.0, 23.5])):
        want = mean(pd.DataFrame({"bmi": values}), "bmi", confidence=[0.95, 0.998])
        assert got.loc[label, "count"] == len(values)
        np.testing.assert_allclose(got.loc[label, "value"], want["value"].iloc[0], rtol=1e-12)
        np.testing.assert_allclose(
            got.loc[label, LIMITS].to_numpy(dtype=float),
            want[LIMITS].iloc[0].to_numpy(dtype=float),
            rtol=1e-9,
        )


def test_engine_labels_every_breakdown(small_results):
    flu = small_results.values[small_results.values["indicator_id"] == "flu"]
    categories = flu.groupby("breakdown_type")["category"].agg(lambda c: sorted(set(c)))
    assert categories["total"] == [""]
    assert categories["imd_decile"] == ["1 (most deprived)", "2", "5", "9"]
    assert categories["imd_quintile"] == ["1 (most deprived)", "3", "5 (least deprived)"]
    assert categories["core20"] == ["Core20", "Rest"]
    assert categories["sex"] == ["Female", "Male"]
    assert categories["carer"] == ["No", "Yes"]
    assert categories["age_band"] == ["65-74", "75-84"]
    assert "Female | 1 (most deprived)" in categories["sex*imd_quintile"]
    assert categories["lsoa"] == [""] and categories["practice"] == [""]
    order = flu[flu["breakdown_type"] == "imd_decile"]["category_order"]
    assert sorted(set(order)) == [1, 2, 5, 9]
    total = flu[flu["breakdown_type"] == "total"].iloc[0]
    assert (total["area_code"], total["area_type"], total["area_name"]) == (
        "E06000032",
        "lad",
        "Luton",
    )
    assert pd.isna(total["parent_code"]) and total["sex"] == "Persons" and total["age"] == "65+ yrs"
    areas = flu[flu["breakdown_type"] == "lsoa"]
    assert set(areas["area_code"]) <= set(LSOAS) and set(areas["area_type"]) == {"lsoa"}
    assert set(areas["parent_code"]) == {"E06000032"}
    assert set(flu[flu["breakdown_type"] == "practice"]["area_code"]) == {"P1", "P2", "P3"}
    by_sex = flu[flu["breakdown_type"] == "sex"]
    assert (by_sex["sex"] == by_sex["category"]).all()
    assert set(flu["source"]) == {"build"} and set(flu["unit"]) == {"%"}


def test_engine_compares_with_the_place_and_marks_trends(small_results):
    flu = small_results.values[small_results.values["indicator_id"] == "flu"]
    total = flu[flu["breakdown_type"] == "total"]
    assert total["comparison"].isna().all() and total["benchmark_value"].isna().all()
    rest = flu[flu["breakdown_type"] != "total"].merge(
        total[["period", "value"]], on="period", suffixes=("", "_place")
    )
    np.testing.assert_allclose(rest["benchmark_value"], rest["value_place"])
    assert set(rest["comparison"]) <= {"Better", "Same", "Worse", "Best", "Worst", "Not compared"}
    assert set(flu["recent_trend"]) == {"Cannot be calculated"}  # only two periods


def test_engine_sex_specific_indicator_is_labelled(small):
    _, _, paths = small
    women = Indicator(
        "w",
        "Women 65+",
        "proportion",
        Numerator("flu_vaccination"),
        Population(min_age=65, sex="F"),
        breakdowns=("imd_quintile",),
    )
    result = run(paths, [women])
    assert set(result.values["sex"]) == {"Female"}
    assert set(result.values["age"]) == {"65+ yrs"}


def test_engine_rejects_a_breakdown_without_its_column(small, tmp_path):
    persons, events, _ = small
    paths = write(tmp_path, persons.drop(columns="ethnicity"), events)
    bad = Indicator("x", "X", "proportion", Numerator("flu_vaccination"), breakdowns=("ethnicity",))
    with pytest.raises(InputError, match=r"indicator 'x' key 'breakdowns'.*ethnicity"):
        run(paths, [bad])


def test_engine_rejects_missing_files_and_unknown_engines(small, tmp_path):
    _, _, paths = small
    flu = Indicator("x", "X", "proportion", Numerator("flu_vaccination"))
    with pytest.raises(InputError, match="no file"):
        run((tmp_path / "nope.parquet", paths[1]), [flu])
    with pytest.raises(InputError, match="unknown engine 'oracle'"):
        run(paths, [flu], engine="oracle")
    broken = tmp_path / "events.parquet"
    broken.write_bytes(b"PAR1 this is not Parquet")
    with pytest.raises(InputError, match="the records could not be read"):
        run((paths[0], broken), [flu])


def test_engine_rejects_a_window_without_a_complete_period(small):
    _, _, paths = small
    flu = Indicator("x", "X", "proportion", Numerator("flu_vaccination", window_days=2000))
    with pytest.raises(InputError, match=r"indicator 'x' key 'periods'.*no complete"):
        run(paths, [flu])


def test_engine_reports_progress(small):
    _, _, paths = small
    calls = []
    flu = Indicator("x", "X", "proportion", Numerator("flu_vaccination"), breakdowns=())
    run(
        paths,
        [flu, flu.__class__(**{**flu.__dict__, "id": "y"})],
        progress=lambda done, total, name: calls.append((done, total, name)),
    )
    assert calls == [(1, 2, "x"), (2, 2, "y")]


# --- standardised methods on a larger random population ---------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    persons, events = random_population(40_000, seed=7)
    paths = write(tmp_path_factory.mktemp("large"), persons, events)
    deaths = Numerator("death")
    chosen = [
        Indicator("dsr", "Mortality", "dsr", deaths, breakdowns=("imd_quintile", "age_band")),
        Indicator("isr", "SMR", "isr", deaths, breakdowns=("imd_quintile",)),
        Indicator("le", "LE", "life_expectancy", deaths, breakdowns=("imd_quintile", "sex")),
    ]
    window = (date(2021, 4, 1), date(2026, 3, 31))
    return persons, events, run(paths, chosen, window=window)


def banded(persons, events, start, end, bands):
    """Deaths (age at death) and mid-period population by IMD quintile and band start."""
    mid = start + (end - start) // 2
    quintile = (decile_of(persons) + 1) // 2
    pop = present(persons, events, mid)
    ages = age_on(persons["birth_date"], mid)
    band = bands[np.searchsorted(bands, ages, side="right") - 1]
    n = pd.DataFrame({"q": quintile[pop], "band": band[pop]}).value_counts()
    dead = events[
        (events["concept"] == "death") & (events["date"] >= start) & (events["date"] <= end)
    ].merge(persons, on="person_id")
    age_then = np.array(
        [
            dd.year - b.year - ((dd.month, dd.day) < (b.month, b.day))
            for dd, b in zip(dead["date"], dead["birth_date"], strict=True)
        ]
    )
    x = pd.DataFrame(
        {
            "q": (dead["lsoa_code"].map(LSOAS).to_numpy() + 1) // 2,
            "band": bands[np.searchsorted(bands, age_then, side="right") - 1],
        }
    ).value_counts()
    grid = pd.MultiIndex.from_product([sorted(set(quintile)), bands], names=["q", "band"])
    return pd.DataFrame(
        {"x": x.reindex(grid, fill_value=0), "n": n.reindex(grid, fill_value=0)}
    ).reset_index()


def test_engine_dsr_equals_dsr_on_the_same_counts(large):
    persons, events, result = large
    bands = np.arange(0, 95, 5)
    got = rows(result, "dsr", "imd_quintile").set_index(["period", "category_order"])
    for year in range(2021, 2026):
        counts = banded(persons, events, date(year, 4, 1), date(year + 1, 3, 31), bands)
        want = dsr(counts, "x", "n", age="band", by="q", confidence=[0.95, 0.998])
        for q, row in want.set_index("q").iterrows():
            engine = got.loc[(f"{year}/{(year + 1) % 100:02d}", q)]
            np.testing.assert_allclose(
                engine[["value", *LIMITS]].to_numpy(dtype=float),
                row[["value", *LIMITS]].to_numpy(dtype=float),
                rtol=1e-12,
            )
            assert engine["count"] == row["x"] and engine["denominator"] == row["n"]


def test_engine_dsr_age_bands_are_crude_age_specific_rates(large):
    _, _, result = large
    bands = rows(result, "dsr", "age_band")
    assert set(bands["value_note"]) == {"age-specific crude rate"}
    want = rate(bands, "count", "denominator", confidence=[0.95, 0.998])
    np.testing.assert_allclose(bands["value"], want["value"], rtol=1e-12)


def test_engine_isr_uses_the_place_over_all_periods_as_reference(large):
    persons, events, result = large
    bands = np.arange(0, 95, 5)
    years = [(date(y, 4, 1), date(y + 1, 3, 31)) for y in range(2021, 2026)]
    counts = pd.concat(
        banded(persons, events, s, e, bands).assign(year=i) for i, (s, e) in enumerate(years)
    )
    reference = counts.groupby("band")[["x", "n"]].sum().add_prefix("r")
    frame = counts.merge(reference, left_on="band", right_index=True)
    want = isr(
        frame,
        "x",
        "n",
        reference_count="rx",
        reference_population="rn",
        by=["year", "q"],
        ratio_scale=100,
        confidence=[0.95, 0.998],
    )
    got = rows(result, "isr", "imd_quintile").sort_values(["period", "category_order"])
    np.testing.assert_allclose(got["value"], want["value"], rtol=1e-12)
    np.testing.assert_allclose(got[LIMITS], want[LIMITS], rtol=1e-12)
    total = rows(result, "isr", "total")
    pooled = np.average(total["value"], weights=total["denominator"])
    assert 90 < pooled < 110  # 100 is the place over the whole record


def test_engine_life_expectancy_equals_the_method_on_the_same_counts(large):
    persons, events, result = large
    bands = np.array([0, 1, *range(5, 95, 5)])
    got = rows(result, "le", "imd_quintile").set_index(["period", "category_order"])
    counts = banded(persons, events, date(2023, 4, 1), date(2024, 3, 31), bands)
    want = life_expectancy(
        counts, "x", "n", age="band", by="q", start_ages=0, confidence=[0.95, 0.998]
    ).set_index("q")
    for q, row in want.iterrows():
        engine = got.loc[("2023/24", q)]
        np.testing.assert_allclose(
            engine[["value", *LIMITS]].to_numpy(dtype=float),
            row[["value", *LIMITS]].to_numpy(dtype=float),
            rtol=1e-12,
            equal_nan=True,
        )
        assert engine["value_note"] == row["note"] or (
            pd.isna(engine["value_note"]) and pd.isna(row["note"])
        )


def test_engine_inequality_measures_for_ordered_breakdowns(large):
    _, _, result = large
    m = result.measures
    # Life expectancy has none: its least deprived quintile has 5,000 people or fewer.
    assert set(m["indicator_id"]) == {"dsr", "isr"}
    assert set(m["breakdown_type"]) == {"imd_quintile"}
    assert set(m["measure"]) == {"sii", "rii", "gap"}
    values = rows(result, "dsr", "imd_quintile").set_index(["period", "category_order"])
    gap = m[(m["indicator_id"] == "dsr") & (m["measure"] == "gap")].set_index("period")
    for period, row in gap.iterrows():
        most, least = values.loc[(period, 1)], values.loc[(period, 5)]
        assert row["value"] == pytest.approx(most["value"] - least["value"], rel=1e-12)
        se = np.hypot(
            most["upper_ci_95"] - most["lower_ci_95"], least["upper_ci_95"] - least["lower_ci_95"]
        ) / (2 * 1.959963984540054)
        assert row["upper_ci_95"] - row["value"] == pytest.approx(1.959963984540054 * se)
    assert (m["lower_ci_99_8"] <= m["lower_ci_95"]).all()
    sii = m[m["measure"] == "sii"].sort_values("period")
    assert set(sii["trend"].dropna()) <= {
        "Widening",
        "Narrowing",
        "No significant change",
        "Cannot be calculated",
    }
    assert (sii.groupby("indicator_id")["trend"].last() != "Cannot be calculated").all()


def test_engine_five_periods_give_a_recent_trend(large):
    _, _, result = large
    le = rows(result, "le", "total").sort_values("period")
    assert list(le["recent_trend"][:-1]) == ["Cannot be calculated"] * 4
    assert le["recent_trend"].iloc[-1] in {"No significant change", "Increasing", "Decreasing"}


def test_engine_rows_have_the_warehouse_columns(large):
    from healthgap.warehouse import schema

    _, _, result = large
    assert list(result.values.columns) == [
        c for c in schema.column_names("indicator_values") if c != "build_id"
    ]
    assert list(result.measures.columns) == [
        c for c in schema.column_names("inequality_measures") if c != "build_id"
    ]
    assert result.values["period_start"].iloc[0] <= result.values["period_end"].iloc[0]
    assert (result.values["period_end"] - result.values["period_start"]).max() < timedelta(366)
