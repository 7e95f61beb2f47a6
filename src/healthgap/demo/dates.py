"""Dates of the synthetic record: census day, the five-year period, seasons and years.

Inside the generator every date is a number of days since 1970-01-01 (``datetime64[D]``
as an integer); continuous times are floats of the same unit and the date of an event is
the whole day it falls in.
"""

from __future__ import annotations

import numpy as np

#: Census 2021 day: ages in the census age bands are completed years on this day.
CENSUS_DAY = int(np.datetime64("2021-03-21", "D").astype("int64"))

#: First and last day (inclusive) of the five-year record.
PERIOD_START = int(np.datetime64("2021-04-01", "D").astype("int64"))
PERIOD_END = int(np.datetime64("2026-03-31", "D").astype("int64"))

#: The record ends at the start of this day (exclusive upper bound for continuous times).
PERIOD_STOP = PERIOD_END + 1

YEAR = 365.25

#: Financial years 2021/22 … 2025/26 as (label, first day, day after the last).
FINANCIAL_YEARS: tuple[tuple[str, int, int], ...] = tuple(
    (
        f"{y}/{(y + 1) % 100:02d}",
        int(np.datetime64(f"{y}-04-01", "D").astype("int64")),
        int(np.datetime64(f"{y + 1}-04-01", "D").astype("int64")),
    )
    for y in range(2021, 2026)
)


def day(text: str) -> int:
    """Days since 1970-01-01 of an ISO date."""
    return int(np.datetime64(text, "D").astype("int64"))


def age_at(birth: np.ndarray, when: np.ndarray | float) -> np.ndarray:
    """Exact age in years (days / 365.25) at ``when``."""
    return (np.asarray(when, dtype="float64") - birth) / YEAR


def birthday(birth: np.ndarray, years: float) -> np.ndarray:
    """The continuous time at which people born on ``birth`` reach ``years`` of age."""
    return birth + years * YEAR
