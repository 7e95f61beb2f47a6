"""Per-neighbourhood random streams (healthgap.demo.streams)."""

import numpy as np
import pytest

from healthgap.demo.streams import Draws, area_rng, truncated_exponential


def test_draws_same_seed_gives_same_numbers():
    lsoa = np.repeat([0, 1, 2], [4, 0, 3])
    a = Draws(7, np.array([11, 12, 13]), "step").uniform(lsoa)
    b = Draws(7, np.array([11, 12, 13]), "step").uniform(lsoa)
    np.testing.assert_array_equal(a, b)


def test_draws_do_not_depend_on_the_other_neighbourhoods_in_the_chunk():
    together = Draws(7, np.array([11, 12]), "step").uniform(np.repeat([0, 1], [5, 6]))
    alone = Draws(7, np.array([12]), "step").uniform(np.zeros(6, dtype=int))
    np.testing.assert_array_equal(together[5:], alone)


def test_draws_differ_by_seed_step_and_neighbourhood():
    rows = np.zeros(5, dtype=int)
    base = Draws(7, np.array([11]), "step").uniform(rows)
    for other in (
        Draws(8, np.array([11]), "step"),
        Draws(7, np.array([12]), "step"),
        Draws(7, np.array([11]), "other"),
    ):
        assert not np.array_equal(base, other.uniform(rows))


def test_draws_normal_and_poisson_have_one_value_per_row():
    draws = Draws(1, np.array([1, 2]), "step")
    lsoa = np.repeat([0, 1], [3, 2])
    assert draws.normal(lsoa).shape == (5,)
    counts = draws.poisson(lsoa, np.array([0.0, 0.0, 1.0, 2.0, 3.0]))
    assert counts.dtype == np.int64
    assert counts[:2].tolist() == [0, 0]


def test_draws_rows_out_of_neighbourhood_order_raise():
    with pytest.raises(ValueError, match="grouped by neighbourhood"):
        Draws(1, np.array([1, 2]), "step").uniform(np.array([1, 0]))


def test_area_rng_is_reproducible():
    assert area_rng(3, "x").random() == area_rng(3, "x").random()
    assert area_rng(3, "x").random() != area_rng(3, "y").random()


def test_truncated_exponential_stays_within_its_limit():
    u = np.linspace(0, 1, 101, endpoint=False)
    x = truncated_exponential(u, 40.0, 200.0)
    assert x[0] == 0 and np.all(np.diff(x) > 0) and x[-1] < 200
