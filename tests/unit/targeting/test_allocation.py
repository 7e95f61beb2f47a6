"""Proportionate-universalism allocation: sums, limiting cases, hand calculations."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgap.errors import InputError
from healthgap.reference.lsoa import lsoas
from healthgap.targeting.allocation import allocate, allocation_gradient, whole_pounds


def _areas(population, need):
    codes = [f"A{i}" for i in range(len(population))]
    return pd.DataFrame({"area_code": codes, "population": population, "need": need})


def test_allocate_three_areas_by_hand():
    # P = 100, 300, 600; need = 9, 3, 1. Mean need per person = (900+900+600)/1000 = 2.4,
    # so relative need r = 3.75, 1.25, 0.4167. floor 0.2, steepness 2:
    # P r^2 = 1406.25, 468.75, 104.1667 (sum 1979.1667) → need shares .710526, .236842, .052632
    # equal shares .1, .3, .6 → 0.2*equal + 0.8*need = .588421, .249474, .162105 of £10,000:
    # 5884.21, 2494.74, 1621.05 → whole pounds 5884, 2494, 1621 (9,999) and the spare pound
    # to the largest fraction (.74). Need only: 7105.26, 2368.42, 526.32 → 7105, 2369, 526.
    df = _areas([100, 300, 600], [9.0, 3.0, 1.0])
    out = allocate(df, 10_000, population="population", need="need", floor=0.2, steepness=2)
    np.testing.assert_allclose(out["relative_need"], [3.75, 1.25, 5 / 12], rtol=1e-12)
    assert out["allocation"].tolist() == [5884, 2495, 1621]
    assert out["equal_per_head"].tolist() == [1000, 3000, 6000]
    assert out["need_only"].tolist() == [7105, 2369, 526]
    assert out["per_head"].tolist() == [58.84, 8.32, 2.70]


@settings(max_examples=200, deadline=None)
@given(
    population=st.lists(st.integers(0, 50_000), min_size=1, max_size=40),
    budget=st.integers(0, 10**9),
    floor=st.floats(0, 1),
    steepness=st.floats(0, 4),
    data=st.data(),
)
def test_allocate_sums_to_the_budget(population, budget, floor, steepness, data):
    if sum(population) == 0:
        population[0] = 1
    need = data.draw(
        st.lists(st.floats(0.01, 100), min_size=len(population), max_size=len(population))
    )
    out = allocate(
        _areas(population, need),
        budget,
        population="population",
        need="need",
        floor=floor,
        steepness=steepness,
    )
    for column in ("allocation", "equal_per_head", "need_only"):
        assert int(out[column].sum()) == budget
        assert (out[column] >= 0).all()
    assert out["allocation"].dtype == np.int64


def test_allocate_floor_one_is_equal_per_head():
    df = _areas([1000, 2500, 6500], [50.0, 20.0, 5.0])
    out = allocate(df, 1_000_000, population="population", need="need", floor=1)
    assert out["allocation"].tolist() == [100_000, 250_000, 650_000]
    assert out["per_head"].nunique() == 1
    assert out["allocation"].tolist() == out["equal_per_head"].tolist()


def test_allocate_steepness_zero_ignores_need():
    df = _areas([1000, 2500, 6500], [50.0, 20.0, 5.0])
    out = allocate(df, 1_000_000, population="population", need="need", steepness=0, floor=0.3)
    assert out["allocation"].tolist() == out["equal_per_head"].tolist()
    assert out["need_only"].tolist() == out["equal_per_head"].tolist()


def test_allocate_floor_zero_is_proportional_to_population_times_need():
    rng = np.random.default_rng(6)
    population = rng.integers(500, 3000, 50)
    need = rng.uniform(5, 70, 50)
    out = allocate(
        _areas(population, need), 2_345_678, population="population", need="need", floor=0
    )
    exact = 2_345_678 * population * need / (population * need).sum()
    assert np.abs(out["allocation"] - exact).max() < 1
    assert out["allocation"].tolist() == out["need_only"].tolist()


def test_allocate_relative_need_has_person_weighted_mean_one():
    df = _areas([120, 4000, 77], [3.0, 11.0, 40.0])
    out = allocate(df, 5000, population="population", need="need")
    assert float((out["relative_need"] * df["population"]).sum() / df["population"].sum()) == (
        pytest.approx(1.0, rel=1e-12)
    )


def test_allocate_keeps_input_columns_and_does_not_modify_input():
    df = _areas([10, 20], [1.0, 2.0]).assign(name=["x", "y"])
    before = df.copy()
    out = allocate(df, 300, population="population", need="need")
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns[:4]) == ["area_code", "population", "need", "name"]


def test_allocate_empty_area_gets_nothing():
    out = allocate(
        _areas([0, 100, 100], [5.0, 1.0, 1.0]), 1000, population="population", need="need"
    )
    assert out["allocation"].tolist() == [0, 500, 500]
    assert np.isnan(out["per_head"].iloc[0])


def test_whole_pounds_largest_remainder_breaks_ties_by_order():
    assert whole_pounds(np.array([1 / 3, 1 / 3, 1 / 3]), 1).tolist() == [1, 0, 0]
    assert whole_pounds(np.array([2.6, 3.3, 4.1]), 10).tolist() == [3, 3, 4]
    assert whole_pounds(np.array([0.0, 0.0]), 0).tolist() == [0, 0]


def test_gradient_is_monotone_with_deprivation_for_imd_need():
    table = lsoas()
    luton = table[table["lad_name"] == "Luton"]
    df = pd.DataFrame(
        {
            "area_code": luton["lsoa_code"].astype(str).to_numpy(),
            "population": luton["population"].astype(int).to_numpy(),
            "imd_score": luton["imd_score"].astype(float).to_numpy(),
            "imd_decile": luton["imd_decile"].astype(int).to_numpy(),
        }
    )
    out = allocate(df, 1_000_000, population="population", need="imd_score", floor=0.4)
    gradient = allocation_gradient(out)
    assert gradient["imd_decile"].tolist() == sorted(set(df["imd_decile"]))
    assert gradient["allocation"].is_monotonic_decreasing
    assert gradient["need_only"].is_monotonic_decreasing
    np.testing.assert_allclose(
        gradient["equal_per_head"], 1_000_000 / df["population"].sum(), atol=0.01
    )
    # The floor sits between the two comparisons in every decile.
    assert (
        (gradient["allocation"] - gradient["equal_per_head"])
        * (gradient["allocation"] - gradient["need_only"])
        <= 1e-9
    ).all()


def test_gradient_with_a_people_mix_by_hand():
    # Practice P1 (100 people: 60 in decile 1, 40 in decile 5) gets £1,000 → £10 a head;
    # P2 (300 people: 30 in decile 1, 270 in decile 5) gets £1,500 → £5 a head.
    # Decile 1: (60×10 + 30×5) / 90 = 8.333; decile 5: (40×10 + 270×5) / 310 = 5.645.
    areas = pd.DataFrame(
        {
            "area_code": ["P1", "P2"],
            "population": [100, 300],
            "allocation": [1000, 1500],
            "equal_per_head": [625, 1875],
            "need_only": [1375, 1125],
        }
    )
    mix = pd.DataFrame(
        {
            "area_code": ["P1", "P1", "P2", "P2"],
            "imd_decile": [1, 5, 1, 5],
            "population": [60, 40, 30, 270],
        }
    )
    out = allocation_gradient(areas, mix)
    assert out["population"].tolist() == [90, 310]
    np.testing.assert_allclose(out["allocation"], [750 / 90, 1750 / 310], rtol=1e-12)
    np.testing.assert_allclose(out["equal_per_head"], [6.25, 6.25], rtol=1e-12)


def test_gradient_rejects_unknown_areas_in_the_mix():
    areas = allocate(_areas([10, 20], [1.0, 2.0]), 300, population="population", need="need")
    mix = pd.DataFrame({"area_code": ["A0", "ZZ"], "imd_decile": [1, 2], "population": [5, 5]})
    with pytest.raises(InputError, match=r"column 'area_code': names areas .*\(row 1\)"):
        allocation_gradient(areas, mix)


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        ({"population": [10, -1, 5]}, {}, r"column 'population': must not be negative \(row 1\)"),
        ({"need": [1.0, np.nan, 2.0]}, {}, r"column 'need': has missing values \(row 1\)"),
        ({"need": [1.0, -2.0, 2.0]}, {}, r"column 'need': must not be negative"),
        ({"need": ["1", "x", "2"]}, {}, r"column 'need': must be numeric \(row 1\)"),
        ({"area_code": ["A", "A", "B"]}, {}, r"names an area more than once \(rows 0, 1\)"),
        ({"population": [0, 0, 0]}, {}, r"no people in any area"),
        ({"need": [0.0, 0.0, 0.0]}, {}, r"is zero in every area with people"),
        ({}, {"budget": 100.5}, r"whole number of pounds"),
        ({}, {"budget": -5}, r"zero or more pounds"),
        ({}, {"budget": "100"}, r"budget must be a number"),
        ({}, {"floor": 1.2}, r"floor must be from 0 to 1"),
        ({}, {"steepness": -1}, r"steepness must be 0 or more"),
        ({}, {"steepness": float("inf")}, r"steepness must be 0 or more"),
    ],
)
def test_allocate_bad_input_raises(change, kwargs, message):
    df = _areas([10, 20, 30], [1.0, 2.0, 3.0])
    for column, values in change.items():
        df[column] = values
    args = {"budget": 1000, **kwargs}
    budget = args.pop("budget")
    with pytest.raises(InputError, match=message):
        allocate(df, budget, population="population", need="need", **args)


def test_allocate_missing_column_raises():
    with pytest.raises(InputError, match="'deprivation' not found"):
        allocate(_areas([1], [1.0]), 10, population="population", need="deprivation")
