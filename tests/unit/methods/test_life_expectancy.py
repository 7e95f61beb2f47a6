import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.methods.life_expectancy import life_expectancy
from tests.unit.methods._phe import assert_close, read

AGES = [0, 1, *range(5, 95, 5)]

# PHE's test area (the input columns of LE_test_df1_expected.csv).
PHE_POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
            50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]  # fmt: skip
PHE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71,
              100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]  # fmt: skip


def area(pops=PHE_POPS, deaths=PHE_DEATHS, ages=AGES, **columns):
    return pd.DataFrame({**columns, "age": ages, "pop": pops, "deaths": deaths})


def le(df, **kwargs):
    return life_expectancy(df, "deaths", "pop", age="age", **kwargs)


def test_life_expectancy_matches_phe_reference_le_test_df1():
    ref = read("LE_test_df1_expected.csv")  # one area, LE at every start age
    result = life_expectancy(ref, "deaths", "pops", age="startage")
    assert list(result.columns) == [
        "start_age", "deaths", "pops", "value", "lower_ci", "upper_ci", "note"
    ]  # fmt: skip
    assert list(result["start_age"]) == list(ref["startage"])
    assert list(result["pops"]) == list(ref["pops_used"])
    assert list(result["deaths"]) == list(ref["dths_used"])
    assert_close(result["value"], ref["value"], rtol=1e-9)
    assert_close(result["lower_ci"], ref["lowercl"], rtol=1e-6)
    assert_close(result["upper_ci"], ref["uppercl"], rtol=1e-6)
    # The file's limits were made with z = 1.96 (PHE's Excel tool); the R package and
    # this function use the exact quantile, so the standard errors agree more tightly.
    ours = (result["upper_ci"] - result["lower_ci"]) / (2 * 1.959963984540054)
    # (1e-7: the file's 10 significant figures leave ~1e-8 in the differences.)
    assert_close(ours, (ref["uppercl"] - ref["lowercl"]) / (2 * 1.96), rtol=1e-7)
    assert result["note"].isna().all()


def test_life_expectancy_row_order_does_not_matter():
    ref = read("LE_test_df1_expected.csv")
    shuffled = ref.sample(frac=1, random_state=np.random.default_rng(7))
    result = life_expectancy(shuffled, "deaths", "pops", age="startage")
    assert_close(result["value"], ref["value"], rtol=1e-9)


def test_life_expectancy_start_ages_selects_rows():
    ref = read("LE_test_df1_expected.csv")
    result = life_expectancy(ref, "deaths", "pops", age="startage", start_ages=[25, 5])
    assert list(result["start_age"]) == [5, 25]
    assert_close(result["value"], ref["value"].iloc[[2, 6]], rtol=1e-9)
    single = life_expectancy(ref, "deaths", "pops", age="startage", start_ages=65)
    assert list(single["start_age"]) == [65]
    assert list(single["pops"]) == [155483]


def test_life_expectancy_single_level_equals_its_part_of_two_levels():
    both = le(area(), confidence=[0.95, 0.998])
    alone = le(area(), confidence=0.998)
    assert_close(alone["lower_ci"], both["lower_ci_99_8"], rtol=1e-12)
    assert_close(alone["upper_ci"], both["upper_ci_99_8"], rtol=1e-12)


def test_life_expectancy_phe_wide_ci_case():
    # df_widecis_plus and answer_widecis from PHEindicatormethods 2.1.0's
    # tests/testthat/testLifeExpectancy.R: Area 1 has more deaths than population at 90+,
    # Area 2's values from age 40 have 95% intervals wider than 20 years.
    pops = [270, 235, 246, 248, 243, 238, 246, 257, 261, 355,
            350, 356, 346, 339, 337, 337, 333, 323, 311, 311]  # fmt: skip
    deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 51, 10, 16, 26, 30, 36, 22, 13, 5, 6, 1]
    area1 = area(pops, [*deaths[:-1], 312], area="Area 1")
    df = pd.concat([area1, area(pops, deaths, area="Area 2")], ignore_index=True)
    result = le(df, by="area", confidence=[0.95, 0.998])
    value = [19.22914685, 19.44120610, 18.33467808, 14.67659995, 11.81284556,
             11.63815414, 10.05641628, 9.93152356, 11.95846561] + [np.nan] * 11  # fmt: skip
    lower = [16.43900644, 16.53437505, 15.62922550, 12.08108630, 9.21823373, 8.68414661,
             6.54020385, 4.71570153, 2.37762283, -1.60695210, -10.33328815, -17.16409724,
             -26.91715103, -45.04820928, -76.27067271, -137.12203187, -195.39453664,
             -242.37480291, -266.74198466, -298.54880400]  # fmt: skip
    upper = [22.01928726, 22.34803716, 21.04013066, 17.27211361, 14.40745738, 14.59216167,
             13.57262872, 15.14734559, 21.53930839, 50.29765396, 97.99598549, 107.54413263,
             128.91238524, 181.91668353, 278.06441642, 472.32822039, 649.40455756,
             783.50845564, 841.04259816, 920.54880400]  # fmt: skip
    two = result[result["area"] == "Area 2"]
    assert_close(two["value"], value, rtol=1e-8)
    assert_close(two["lower_ci_95"], lower, rtol=1e-6)
    assert_close(two["upper_ci_95"], upper, rtol=1e-6)
    # PHE's expected limits were typed with z = 1.959964; midpoints and half-widths
    # (life expectancy and standard error, including where the value is suppressed)
    # agree to the 8 decimals given.
    lower, upper = np.array(lower), np.array(upper)
    ours_lower, ours_upper = two["lower_ci_95"].to_numpy(), two["upper_ci_95"].to_numpy()
    assert_close((ours_lower + ours_upper) / 2, (lower + upper) / 2, rtol=1e-8)
    ours_se = (ours_upper - ours_lower) / (2 * 1.959963984540054)
    assert_close(ours_se, (upper - lower) / (2 * 1.959964), rtol=1e-8)
    assert list(two["note"].isna()) == [True] * 9 + [False] * 11
    assert (two["note"].iloc[9:] == "95% confidence interval wider than 20 years").all()
    one = result[result["area"] == "Area 1"]
    assert one[["value", "lower_ci_95", "upper_ci_95"]].isna().all().all()
    assert (one["note"] == "an age band has more deaths than population").all()
    assert list(one["deaths"].iloc[[0, -1]]) == [sum(deaths) - 1 + 312, 312]


def test_life_expectancy_hand_calculated_deaths_only_in_top_band():
    # No deaths below 90: everyone reaches 90 and lives 1/M = 5 more years there, so
    # e_x = 90 - x + 5, and only Silcocks' term contributes: SE = 1 / (M sqrt(D)) = 0.5.
    pops = [1000] * 19 + [500]
    result = le(area(pops, [0] * 19 + [100]))
    assert_close(result["value"], [95 - x for x in AGES], rtol=1e-12)
    z = 1.959963984540054
    assert_close(result["upper_ci"] - result["value"], [0.5 * z] * 20, rtol=1e-9)
    assert_close(result["value"] - result["lower_ci"], [0.5 * z] * 20, rtol=1e-9)


def test_life_expectancy_hand_calculated_infant_deaths():
    pops = [1000] * 19 + [500]
    result = le(area(pops, [10] + [0] * 18 + [100]), start_ages=[0, 1])
    q = 0.01 * 1 / (1 + 0.01 * 1 * 0.9)  # M = 10/1000, n = 1, a = 0.1
    l1 = 1e5 * (1 - q)
    e1 = 89 + 5
    e0 = (1 * (l1 + 0.1 * (1e5 - l1)) + l1 * e1) / 1e5
    var_top = (l1 / 2) ** 2 * 4 / (100 * 0.2**2)
    var_0 = (q**2 * (1 - q) / 10) * 1e5**2 * (0.9 * 1 + e1) ** 2
    se0 = math.sqrt(var_0 + var_top) / 1e5
    assert_close(result["value"], [e0, e1], rtol=1e-12)
    z = 1.959963984540054
    assert_close(result["upper_ci"] - result["value"], [z * se0, z * 0.5], rtol=1e-9)


def test_life_expectancy_top_band_85():
    pops = [1000] * 18 + [400]
    result = le(area(pops, [0] * 18 + [100], ages=AGES[:-1]), top_band=85)
    assert len(result) == 19
    assert_close(result["value"], [85 - x + 4 for x in AGES[:-1]], rtol=1e-12)
    with pytest.raises(InputError, match=r"column 'age': must hold band start ages.*85\+"):
        le(area(), top_band=85)


def test_life_expectancy_groups_match_single_area_and_keep_first_seen_order():
    one = le(area())
    df = pd.concat(
        [area(la="B", sex="F"), area(la="A", sex="F"), area(la="B", sex="M")],
        ignore_index=True,
    ).sample(frac=1, random_state=np.random.default_rng(3))
    result = le(df, by=["la", "sex"])
    first_seen = df[["la", "sex"]].drop_duplicates().to_numpy().tolist()
    assert result[["la", "sex"]].drop_duplicates().to_numpy().tolist() == first_seen
    for _, rows in result.groupby(["la", "sex"]):
        assert_close(rows["value"], one["value"], rtol=1e-12)
        assert list(rows["start_age"]) == AGES


def test_life_expectancy_float_person_years_and_input_unchanged():
    df = area([p * 2.5 for p in PHE_POPS])
    before = df.copy()
    result = le(df, start_ages=0)
    pd.testing.assert_frame_equal(df, before)
    assert result["pop"].dtype == "float64"
    assert result["pop"].iloc[0] == pytest.approx(787954 * 2.5)


@pytest.mark.parametrize(
    ("band", "pop", "deaths", "note"),
    [
        (5, 0, 0, "an age band has zero population"),
        (18, 119, 1936, "an age band has more deaths than population"),
        (19, 11936, 0, "no deaths in the 90+ band"),
    ],
)
def test_life_expectancy_suppresses_group(band, pop, deaths, note):
    pops, dths = list(PHE_POPS), list(PHE_DEATHS)
    pops[band], dths[band] = pop, deaths
    df = pd.concat([area(pops, dths, g="bad"), area(g="good")], ignore_index=True)
    result = le(df, by="g", confidence=[0.95, 0.998])
    bad = result[result["g"] == "bad"]
    assert bad.filter(regex="value|_ci").isna().all().all()
    assert (bad["note"] == note).all()
    assert bad["pop"].iloc[0] == sum(pops)
    good = result[result["g"] == "good"]
    assert good["value"].notna().all()
    assert good["note"].isna().all()


def test_life_expectancy_total_population_of_5000_or_fewer_is_suppressed():
    deaths = [0] * 19 + [50]
    at_limit = le(area([250] * 20, deaths))
    assert at_limit["value"].isna().all()
    assert (at_limit["note"] == "total population is 5,000 or fewer").all()
    above = le(area([250] * 19 + [251], deaths))
    assert above["value"].notna().all()


def test_life_expectancy_certain_death_leaves_no_survivors():
    # A 5-year band with M > 0.4 gives q = 1: PHE reports 0 with missing limits above it.
    pops, deaths = list(PHE_POPS), list(PHE_DEATHS)
    pops[17], deaths[17] = 100, 45
    result = le(area(pops, deaths))
    assert result["value"].iloc[17] == pytest.approx(2.5)  # die halfway through 80-84
    above = result.iloc[18:]
    assert (above["value"] == 0).all()
    assert above[["lower_ci", "upper_ci"]].isna().all().all()
    assert above["note"].str.startswith("no survivors").all()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(300, 20_000), st.floats(0, 0.3)), min_size=20, max_size=20),
    st.integers(1, 400),
)
def test_life_expectancy_value_lies_within_nested_limits(bands, top_deaths):
    pops = [p for p, _ in bands]
    deaths = [int(p * f) for p, f in bands[:-1]] + [min(top_deaths, pops[-1])]
    r = le(area(pops, deaths), confidence=[0.95, 0.998])
    shown = r["value"].notna()
    assert (r["lower_ci_99_8"][shown] <= r["lower_ci_95"][shown]).all()
    assert (r["lower_ci_95"][shown] <= r["value"][shown]).all()
    assert (r["value"][shown] <= r["upper_ci_95"][shown]).all()
    assert (r["upper_ci_95"][shown] <= r["upper_ci_99_8"][shown]).all()
    assert (r["note"][~shown]).notna().all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deaths": -1}, r"column 'deaths': must not be negative \(row 3\)"),
        ({"pop": -10}, r"column 'pop': must not be negative \(row 3\)"),
        ({"pop": "many"}, r"column 'pop': must be numeric \(row 3\)"),
        ({"deaths": None}, r"column 'deaths': has missing values \(row 3\)"),
        ({"age": 12}, r"column 'age': must hold band start ages 0, 1, 5.*\(row 3\)"),
    ],
)
def test_life_expectancy_bad_values_name_column_and_row(change, message):
    df = area().astype(object)
    for column, value in change.items():
        df.loc[3, column] = value
    with pytest.raises(InputError, match=message):
        le(df)


def test_life_expectancy_missing_band_names_group_and_age():
    df = pd.concat([area(la="A"), area(la="B").drop(index=19)], ignore_index=True)
    with pytest.raises(InputError, match=r"all 20 age bands.*la='B' lacks 90$"):
        le(df, by="la")


def test_life_expectancy_repeated_band_names_rows():
    df = pd.concat([area(), area().iloc[[4]]], ignore_index=True)
    with pytest.raises(InputError, match=r"one row per age band; the data .*\(rows 4, 20\)"):
        le(df)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"top_band": 80}, "top_band must be 90"),
        ({"start_ages": [0, 3]}, r"start_ages must be band start ages .*\[3\]"),
        ({"start_ages": "some"}, "start_ages must be 'all'"),
        ({"start_ages": []}, "start_ages must be band start ages"),
        ({"confidence": 0.5}, "confidence must be between"),
        ({"by": "region"}, "'region' not found"),
    ],
)
def test_life_expectancy_bad_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        le(area(), **kwargs)
