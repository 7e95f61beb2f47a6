"""Babies born during the record (healthgap.demo.births) and the rules that apply to them."""

import numpy as np
import pytest

from healthgap.demo import births
from healthgap.demo.dates import FINANCIAL_YEARS, PERIOD_START, PERIOD_STOP, YEAR, day
from healthgap.demo.geography import geography
from healthgap.demo.persons import NOT_BORN, People, make_people, move_away
from healthgap.demo.plus import plus_flags
from healthgap.demo.streams import Draws
from healthgap.reference.places import find_place

SEED = 5


@pytest.fixture(scope="module")
def rutland():
    return geography(find_place("Rutland"), seed=SEED, scale=1.0)


def _people(geo, start, stop, first_id=1):
    numbers = geo.areas["number"].to_numpy()[start:stop]
    residents = make_people(geo, start, stop, first_id, Draws(SEED, numbers, "persons"))
    everyone = births.with_births(
        geo, start, stop, residents, first_id, Draws(SEED, numbers, "births")
    )
    return residents, everyone


@pytest.fixture(scope="module")
def people(rutland):
    return _people(rutland, 0, len(rutland.areas))


def _tiny(lsoa, age):
    n = len(lsoa)
    return People(
        ids=np.arange(1, n + 1),
        lsoa=np.asarray(lsoa),
        band=np.zeros(n, dtype="int8"),
        age=np.asarray(age),
        birth=np.zeros(n, dtype="int64"),
        male=np.zeros(n, dtype=bool),
        decile=np.ones(n, dtype="int64"),
        planted=np.zeros(n, dtype=bool),
        msoa=np.zeros(n, dtype="int64"),
    )


def test_yearly_births_are_the_census_0_year_olds_of_each_neighbourhood():
    tiny = _tiny([0, 0, 1, 2, 2, 2], [0, 5, 0, 0, 0, 70])
    assert births.yearly_births(tiny, 4).tolist() == [1, 1, 2, 0]


def test_babies_each_year_match_the_census_0_year_olds(rutland, people):
    residents, everyone = people
    babies = everyone.age == NOT_BORN
    n_areas = len(rutland.areas)
    aged_0 = np.bincount(residents.lsoa[residents.age == 0], minlength=n_areas)
    assert aged_0.sum() > 100  # Rutland: about 6,700 aged 0–15, so about 420 aged 0
    for _, first, after in FINANCIAL_YEARS:
        born = babies & (everyone.birth >= first) & (everyone.birth < after)
        np.testing.assert_array_equal(np.bincount(everyone.lsoa[born], minlength=n_areas), aged_0)
    assert babies.sum() == 5 * aged_0.sum() == len(everyone) - len(residents)
    assert np.all(everyone.birth[babies] >= PERIOD_START)
    assert np.all(everyone.birth[babies] < PERIOD_STOP)
    assert np.all(everyone.band[babies] == 0)
    # Registered from birth.
    np.testing.assert_array_equal(everyone.entry[babies], everyone.birth[babies])
    assert np.all(everyone.entry[~babies] == PERIOD_START)


def test_people_are_ordered_by_neighbourhood_residents_first_then_babies_by_birth(people):
    residents, everyone = people
    assert np.all(np.diff(everyone.lsoa) >= 0)
    assert np.all(np.diff(everyone.ids) == 1) and everyone.ids[0] == 1
    babies = everyone.age == NOT_BORN
    same_area = everyone.lsoa[1:] == everyone.lsoa[:-1]
    # Within a neighbourhood no resident follows a baby, and babies are in birth order.
    assert not np.any(same_area & babies[:-1] & ~babies[1:])
    both = same_area & babies[:-1] & babies[1:]
    assert np.all(np.diff(everyone.birth)[both] >= 0)
    # The residents are those made by make_people, in their order.
    for name in ("lsoa", "age", "birth", "male", "ethnicity", "practice"):
        np.testing.assert_array_equal(getattr(everyone, name)[~babies], getattr(residents, name))
    for name in ("decile", "planted", "msoa", "practice_effect", "ethnicity"):
        assert len(getattr(everyone, name)) == len(everyone)


def test_babies_do_not_depend_on_the_other_neighbourhoods_in_the_chunk(rutland, people):
    _, everyone = people
    start = 7
    first_id = int(everyone.ids[np.searchsorted(everyone.lsoa, start)])
    _, tail = _people(rutland, start, len(rutland.areas), first_id=first_id)
    rows = everyone.lsoa >= start
    np.testing.assert_array_equal(tail.lsoa + start, everyone.lsoa[rows])
    for name in ("ids", "age", "birth", "male", "ethnicity", "practice"):
        np.testing.assert_array_equal(getattr(tail, name), getattr(everyone, name)[rows])


def test_babies_sex_ratio_and_practices_follow_the_childrens_rules(rutland, people):
    _, everyone = people
    babies = everyone.age == NOT_BORN
    n = babies.sum()
    girls = 1 - everyone.male[babies].mean()
    assert abs(girls - 0.487) < 4 * np.sqrt(0.487 * 0.513 / n)
    practice_msoa = rutland.practices.table["msoa_code"].to_numpy()[everyone.practice[babies]]
    own = practice_msoa == np.asarray(rutland.msoa_codes)[everyone.msoa[babies]]
    assert 0.85 < own.mean() < 0.98  # 90% register in their own MSOA


def test_babies_have_no_plus_flags(people):
    _, everyone = people
    flags = plus_flags(everyone, Draws(SEED, np.arange(everyone.lsoa.max() + 1), "plus"))
    babies = everyone.age == NOT_BORN
    for values in flags.values():
        assert not values[babies].any()
    assert flags["learning_disability"][~babies].any()


def test_move_away_counts_from_birth_for_babies():
    born = day("2023-06-01")
    people = _tiny([0, 0, 0], [NOT_BORN, 20, 40])
    people.birth = np.array([born, day("2001-01-01"), day("1981-01-01")])
    # −log(1 − u) = 0.02: two years at 1% a year (babies, and 35+), one year at 2% (18–34).
    u = np.full(3, -np.expm1(-0.02))
    when = move_away(people, u)
    np.testing.assert_allclose(
        when, [born + 2 * YEAR, PERIOD_START + YEAR, PERIOD_START + 2 * YEAR]
    )
