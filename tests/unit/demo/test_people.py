"""People, ethnicity, practices and planted neighbourhoods (healthgap.demo)."""

import itertools

import numpy as np
import pandas as pd
import pytest

from healthgap.demo import ethnicity, persons
from healthgap.demo.dates import CENSUS_DAY
from healthgap.demo.geography import geography, planted_count
from healthgap.demo.persons import make_people
from healthgap.demo.streams import Draws
from healthgap.reference.lsoa import AGE_GROUPS, lsoas
from healthgap.reference.places import find_place


@pytest.fixture(scope="module")
def rutland():
    return geography(find_place("Rutland"), seed=5, scale=1.0)


@pytest.fixture(scope="module")
def people(rutland):
    numbers = rutland.areas["number"].to_numpy()
    return make_people(rutland, 0, len(numbers), 1, Draws(5, numbers, "persons"))


def test_age_weights_sum_to_one_in_every_census_band():
    starts = [lo for lo, _ in AGE_GROUPS.values()]
    band = np.searchsorted(starts, np.arange(persons.MAX_AGE + 1), side="right") - 1
    sums = np.bincount(band, weights=persons.AGE_WEIGHTS)
    np.testing.assert_allclose(sums, 1.0)


def test_people_ages_fall_in_their_census_band(people):
    bounds = np.array(
        [(lo, hi if hi is not None else persons.MAX_AGE) for lo, hi in AGE_GROUPS.values()]
    )
    lo, hi = bounds[people.band].T
    assert np.all((people.age >= lo) & (people.age <= hi))
    assert people.age.max() > 90  # the 65+ band has a tail


def test_birth_dates_are_consistent_with_age_on_census_day(people):
    census = pd.Timestamp(np.datetime64(CENSUS_DAY, "D"))
    birth = pd.to_datetime(people.birth.astype("datetime64[D]"))
    completed = (
        census.year
        - birth.year
        - (
            (birth.month > census.month)
            | ((birth.month == census.month) & (birth.day > census.day))
        )
    )
    np.testing.assert_array_equal(np.asarray(completed), people.age)


def test_people_match_census_counts_and_more_women_at_older_ages(rutland, people):
    census = lsoas().set_index("lsoa_code").loc[rutland.areas["lsoa_code"], list(AGE_GROUPS)]
    counts = np.zeros(census.shape, dtype=int)
    np.add.at(counts, (people.lsoa, people.band), 1)
    np.testing.assert_array_equal(counts, census.to_numpy(dtype=int))
    women = ~people.male
    assert 0.45 < women[people.age < 16].mean() < 0.52
    assert women[people.age >= 85].mean() > 0.58
    assert np.all(np.diff(people.ids) == 1) and people.ids[0] == 1


def test_ethnicity_england_shares_match_census_2021():
    table = lsoas()
    probs = ethnicity.probabilities(seed=123, table=table)  # not the calibration seed
    bands = table[list(AGE_GROUPS)].to_numpy(dtype=float)
    shares = (bands[:, :, None] * probs).sum(axis=(0, 1)) / bands.sum()
    expected = [ethnicity.ENGLAND_SHARES[g] for g in ethnicity.ETHNIC_GROUPS]
    np.testing.assert_allclose(shares, expected, atol=0.004)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    white_by_band = (bands * probs[:, :, 0]).sum(axis=0) / bands.sum(axis=0)
    assert white_by_band[0] < 0.78 < 0.9 < white_by_band[-1]  # minority groups are younger


def test_ethnicity_of_a_place_does_not_depend_on_the_rest_of_england(rutland):
    table = lsoas()
    everywhere = ethnicity.probabilities(5, table)
    rows = np.flatnonzero(table["lsoa_code"].isin(rutland.areas["lsoa_code"]).to_numpy())
    order = np.argsort(table["lsoa_code"].to_numpy()[rows])
    np.testing.assert_allclose(rutland.ethnic, everywhere[rows[order]])


def test_ethnicity_draw_follows_probabilities():
    u = np.array([0.0, 0.5, 0.59, 0.61, 0.999])
    probs = np.tile([0.6, 0.2, 0.1, 0.05, 0.05], (5, 1))
    assert ethnicity.draw(u, probs).tolist() == [0, 0, 0, 1, 4]


def test_practices_two_to_four_per_msoa_with_unique_codes(rutland):
    table = rutland.practices.table
    per_msoa = table.groupby("msoa_code").size()
    assert per_msoa.between(2, 4).all() and len(per_msoa) == len(rutland.msoa_codes)
    assert table["practice_code"].is_unique
    assert table["practice_code"].str.fullmatch(r"Y\d{4}[A-D]").all()


def test_most_people_are_registered_in_their_own_msoa(rutland, people):
    practice_msoa = rutland.practices.table["msoa_code"].to_numpy()[people.practice]
    own = practice_msoa == np.asarray(rutland.msoa_codes)[people.msoa]
    assert 0.88 < own.mean() < 0.97


def test_planted_neighbourhoods_follow_the_rule(rutland):
    older = rutland.areas["census_65_plus"]
    candidates = older >= older.quantile(0.75)
    planted = rutland.areas["planted"]
    assert planted.sum() == planted_count(len(planted), int(candidates.sum()))
    assert candidates[planted].all()
    assert planted_count(125, 32) == 5
    assert planted_count(640, 160) == 10
    assert planted_count(2, 1) == 1


def test_chunks_cover_every_neighbourhood_once(rutland):
    spans = rutland.chunks(5_000)
    assert spans[0][0] == 0 and spans[-1][1] == len(rutland.areas)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert rutland.chunks(10**9) == [(0, len(rutland.areas))]
