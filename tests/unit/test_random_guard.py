"""The global-random guard in conftest must catch a test that draws from numpy's global RNG."""

import numpy as np
import pytest

from tests.conftest import random_should_not_be_used

# This file deliberately uses the legacy global generator to prove the guard catches it.
# ruff: noqa: NPY002


def test_guard_fails_when_global_numpy_generator_is_used():
    saved = np.random.get_state()
    guard = random_should_not_be_used.__wrapped__()
    next(guard)
    np.random.random()
    try:
        with pytest.raises(AssertionError, match="numpy's global random generator"):
            next(guard)
    finally:
        np.random.set_state(saved)  # so this test's own guard sees an untouched generator
