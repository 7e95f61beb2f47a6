"""Tests for the simulated limits shared by BGSD, COV, MD… and IDIS… (``_simulation.py``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from healthgap.methods.inequality import _simulation
from healthgap.methods.inequality._simulation import (
    SIMULATIONS,
    Simulation,
    bounds,
    quantiles,
    truncated_normal,
)
from healthgap.methods.inequality.api import inequality
from tests.conftest import REFERENCE
from tests.unit.methods.inequality._settings_factory import LEVELS, make_settings

SIMULATED = ["bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw"]


def _nonordered(**kwargs):
    # tests/reference/heat/testthat_nonordered.csv: 25 subgroups, one reference
    df = pd.read_csv(REFERENCE / "heat" / "testthat_nonordered.csv")
    kwargs.setdefault("measures", SIMULATED)
    return inequality(
        df, "est", subgroup="subgroup", se="se", population="pop", reference="reference", **kwargs
    ).set_index("measure")


def _spread(y):
    return np.abs(y - y.mean(axis=-1, keepdims=True)).sum(axis=-1)


def test_simulation_truncated_normal_stays_in_bounds_with_the_right_mean():
    rng = np.random.default_rng(7)
    mean = np.array([99.0, 1.0, 50.0, 120.0, -3.0, 70.0])
    sd = np.array([5.0, 5.0, 5.0, 2.0, 0.5, 0.0])
    draws = truncated_normal(rng, mean, sd, 0.0, 100.0, (200_000, 6))
    assert draws.min() >= 0 and draws.max() <= 100
    lo, hi = (0 - mean[:5]) / sd[:5], (100 - mean[:5]) / sd[:5]
    expected = stats.truncnorm.mean(lo, hi, loc=mean[:5], scale=sd[:5])
    np.testing.assert_allclose(draws[:, :5].mean(axis=0), expected, atol=0.03)
    assert (draws[:, 5] == 70.0).all()
    unbounded = truncated_normal(rng, np.array([5.0]), np.array([1.0]), 0.0, np.inf, (100_000, 1))
    assert unbounded.mean() == pytest.approx(5.0, abs=0.02)
    assert unbounded.std() == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("sd", [5e-324, 1e-310, np.finfo(float).tiny])
def test_simulation_truncated_normal_subnormal_sd_gives_the_mean_without_warnings(sd):
    # (lower − mean) / sd overflows for a subnormal sd; warnings are errors in the tests
    rng = np.random.default_rng(3)
    mean = np.array([50.0, 120.0, -3.0, 0.0, 100.0])
    draws = truncated_normal(rng, mean, np.full(5, sd), 0.0, 100.0, (50, 5))
    expected = np.broadcast_to([50.0, 100.0, 0.0, 0.0, 100.0], (50, 5))
    assert draws.min() >= 0 and draws.max() <= 100
    np.testing.assert_allclose(draws, expected, rtol=1e-15, atol=1e-300)


def test_simulation_subnormal_standard_errors_end_to_end():
    df = pd.DataFrame({"g": list("abcd"), "y": [10.0, 20, 30, 40], "n": 1, "se": 5e-324})
    out = inequality(df, "y", subgroup="g", se="se", population="n", measures=SIMULATED[:8],
                     seed=1).set_index("measure")  # fmt: skip
    np.testing.assert_allclose(out["lower_ci"], out["value"], rtol=1e-12)
    np.testing.assert_allclose(out["upper_ci"], out["value"], rtol=1e-12)


def test_simulation_bounds_keep_percentages_in_range():
    assert bounds(100) == (0.0, 100.0)
    assert bounds(1000) == (0.0, np.inf)
    assert bounds(1) == (0.0, np.inf)


def test_simulation_quantiles_are_r_type_7():
    values = np.random.default_rng(2).normal(size=(SIMULATIONS, 40))
    q = [0.001, 0.025, 0.5, 0.975, 0.999]
    np.testing.assert_allclose(quantiles(values, q), np.quantile(values, q, axis=0), rtol=1e-14)


def test_simulation_quantiles_skip_failed_repetitions():
    values = np.array(
        [[1.0, np.nan, 5.0], [2.0, np.nan, 6.0], [np.nan, np.nan, 7.0], [4.0, np.nan, 8.0]]
    )
    out = quantiles(values, (0.0, 0.5))
    np.testing.assert_array_equal(out, [[1.0, np.nan, 5.0], [2.0, np.nan, 6.5]])


@pytest.mark.parametrize("chunk", [60, 8, 1])
def test_simulation_does_not_depend_on_chunking(monkeypatch, chunk):
    # 60: 2 repetitions of 25 subgroups at a time; 8 and 1: one repetition at a time
    whole = _nonordered(seed=5)
    monkeypatch.setattr(_simulation, "_CHUNK", chunk)
    pd.testing.assert_frame_equal(whole, _nonordered(seed=5))


def test_simulation_limits_do_not_depend_on_the_other_measures_asked_for():
    together = _nonordered(seed=9)
    for code in ("bgsd", "mdrw", "idisu"):
        alone = _nonordered(seed=9, measures=[code])
        pd.testing.assert_frame_equal(alone, together.loc[[code]])


def test_simulation_select_sees_the_same_datasets():
    s = make_settings(
        [[10.0, 20, 60, 35], [5.0, 9, 7], [40.0, 41, 42]],
        pop=[[5, 3, 2, 4], [1, 1, 3], [2, 2, 2]],
        se=[[2.0, 1, 3, 2], [1, 0.5, 1], [3, 3, 3]],
    )
    sim = Simulation(s, seed=4)
    rows = np.array([True, False, True])
    full = sim.limits(_spread, LEVELS)
    part = sim.select(rows).limits(_spread, LEVELS)
    again = sim.select(rows).select(np.array([False, True])).limits(_spread, LEVELS)
    for level in (0.95, 0.998):
        np.testing.assert_array_equal(np.array(part[level]), np.array(full[level])[:, rows])
        np.testing.assert_array_equal(np.array(again[level]), np.array(full[level])[:, [2]])


def test_simulation_without_a_seed_still_shares_its_datasets():
    s = make_settings([[10.0, 20, 60]], pop=[[1, 1, 1]], se=[[2.0, 2, 2]])
    sim = Simulation(s)
    first, second = sim.limits(_spread, LEVELS), sim.limits(_spread, LEVELS)
    np.testing.assert_array_equal(np.array(first[0.95]), np.array(second[0.95]))
    other = Simulation(s).limits(_spread, LEVELS)
    assert not np.array_equal(np.array(first[0.95]), np.array(other[0.95]))


def test_simulation_needs_every_standard_error_of_a_setting():
    s = make_settings([[10.0, 20, 60], [10.0, 20, 60]], se=[[1.0, np.nan, 1], [1.0, 1, 1]])
    low, high = Simulation(s, seed=1).limits(_spread, LEVELS)[0.95]
    assert np.isnan([low[0], high[0]]).all() and np.isfinite([low[1], high[1]]).all()
    none = make_settings([[10.0, 20, 60]])
    assert np.isnan(np.array(Simulation(none, seed=1).limits(_spread, LEVELS)[0.998])).all()


@settings(max_examples=30, deadline=None)
@given(
    y=st.lists(st.floats(0, 100), min_size=3, max_size=6),
    sd=st.floats(0, 30) | st.sampled_from([5e-324, 1e-320, 2.2e-308]),
)
def test_simulation_draws_stay_within_percentage_bounds(y, sd):
    s = make_settings([y], se=[[sd] * len(y)])
    low, high = Simulation(s, seed=0).limits(lambda d: d.max(axis=-1), LEVELS)[0.998]
    assert 0 <= low[0] <= high[0] <= 100
