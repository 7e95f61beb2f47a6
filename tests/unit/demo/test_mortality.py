"""The mortality model (healthgap.demo.mortality): calibration and simulation."""

import numpy as np
import pytest

from healthgap.demo import mortality
from healthgap.demo.dates import PERIOD_START, PERIOD_STOP, YEAR


@pytest.fixture(scope="module")
def model_le():
    return mortality.model_life_expectancy()


@pytest.mark.parametrize(("sex", "england", "gap"), [("M", 79.0, 9.0), ("F", 83.0, 7.0)])
def test_model_life_expectancy_meets_its_targets(model_le, sex, england, gap):
    le = model_le[sex]
    assert le["england"] == pytest.approx(england, abs=0.01)
    assert le["10"] - le["1"] == pytest.approx(gap, abs=0.01)
    values = [le[str(d)] for d in range(1, 11)]
    assert np.all(np.diff(values) > 0)


@pytest.mark.parametrize("sex", ["M", "F"])
def test_calibrate_reproduces_the_stored_constants(sex):
    level, gradient = mortality.calibrate(sex)
    assert level == pytest.approx(mortality.HAZARDS[sex].level, rel=1e-6)
    assert gradient == pytest.approx(mortality.HAZARDS[sex].gradient, rel=1e-6)


def test_hazard_is_plausible_for_england():
    men = mortality.HAZARDS["M"].by_decile().mean(axis=0)
    assert 0.003 < men[0] < 0.006  # infant mortality about 4 per 1,000
    assert men[10] < 0.0005
    assert 0.006 < men[60] < 0.012
    assert 0.2 < men[95] < 0.4
    assert np.all(np.diff(men[30:]) > 0)


@pytest.mark.parametrize(
    ("age", "male", "decile"), [(0.4, True, 1), (40.0, False, 5), (85.0, True, 10)]
)
def test_death_times_match_the_cumulative_hazard(age, male, decile):
    n = 200_000
    rng = np.random.default_rng(1)
    birth = np.full(n, PERIOD_START - age * YEAR)
    when = mortality.death_times(birth, np.full(n, male), np.full(n, decile), rng.random(n))
    died = np.isfinite(when)
    assert np.all((when[died] >= PERIOD_START) & (when[died] < PERIOD_STOP))
    # Expected: 1 - exp(-(H(age + 5.0) - H(age))) with H piecewise linear in whole years.
    mu = mortality.HAZARDS["M" if male else "F"].by_decile()[decile - 1]
    cumulative = np.concatenate([[0.0], np.cumsum(mu)])
    years = (PERIOD_STOP - PERIOD_START) / YEAR
    ages = np.arange(len(cumulative))
    h = np.interp(age + years, ages, cumulative) - np.interp(age, ages, cumulative)
    expected = 1 - np.exp(-h)
    se = np.sqrt(expected * (1 - expected) / n)
    assert died.mean() == pytest.approx(expected, abs=4 * se + 1e-4)


def test_band_rates_of_a_constant_hazard_are_that_hazard():
    rates, starts = mortality.band_rates(np.full((1, len(mortality.AGES)), 0.02))
    assert len(starts) == 20
    np.testing.assert_allclose(rates, 0.02, rtol=1e-12)


def test_death_times_of_babies_born_in_the_period_count_from_birth():
    born = PERIOD_START + 100.0
    mu0 = mortality.HAZARDS["M"].by_decile()[0, 0]  # constant through the first year
    # −log(1 − u) = μ0 / 2 → death at exactly half a year old; u = 0 → at birth.
    u = np.array([-np.expm1(-mu0 / 2), 0.0])
    when = mortality.death_times(np.full(2, born), np.ones(2, bool), np.ones(2, "int64"), u)
    np.testing.assert_allclose(when, [born + YEAR / 2, born])
