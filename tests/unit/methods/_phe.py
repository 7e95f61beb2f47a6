"""Helpers for reading PHEindicatormethods' reference CSVs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PHE = Path(__file__).parents[2] / "reference" / "phe"

#: PHE's limit columns → ours when both levels are requested.
PHE_LIMITS = {
    "lower95_0cl": "lower_ci_95",
    "upper95_0cl": "upper_ci_95",
    "lower99_8cl": "lower_ci_99_8",
    "upper99_8cl": "upper_ci_99_8",
}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(PHE / name)


def assert_close(actual, expected, *, rtol: float = 1e-9) -> None:
    """Equal to ``rtol``, with missing values in the same places."""
    np.testing.assert_allclose(
        np.asarray(actual, dtype="float64"), np.asarray(expected, dtype="float64"), rtol=rtol
    )
