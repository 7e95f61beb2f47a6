"""Project-wide test settings.

- The network is disabled for every test (pytest-socket, see pyproject.toml).
- Any use of Python's or numpy's global random generator fails the test: simulation
  and bootstrap code must take a seeded ``numpy.random.Generator``.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import rich.style  # noqa: F401  rich draws from the global generator once, at import time

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(autouse=True)
def random_should_not_be_used():
    python_state = random.getstate()
    numpy_state = np.random.get_state(legacy=False)  # noqa: NPY002
    yield
    assert random.getstate() == python_state, "the test used Python's global random generator"
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    unchanged = np.array_equal(after["state"]["key"], numpy_state["state"]["key"]) and (
        after["state"]["pos"] == numpy_state["state"]["pos"]
    )
    assert unchanged, "the test used numpy's global random generator"


@pytest.fixture
def phe_reference():
    """Path to PHEindicatormethods 2.1.0's published test data (see its PROVENANCE.md)."""
    return REFERENCE / "phe"
