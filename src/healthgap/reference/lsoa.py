"""Neighbourhoods (LSOA 2021) of England with deprivation and population.

One row per LSOA: names and codes of the LSOA, its MSOA and local authority (2025
boundaries, with 2023 codes kept for matching older data), English Indices of
Deprivation 2025 ranks, scores and deciles (IMD and its seven domains; decile 1 is the
most deprived 10% nationally), and Census 2021 usual residents in six age groups.

Sources (Open Government Licence v3.0): MHCLG, English Indices of Deprivation 2025;
ONS, Census 2021; ONS, LSOA (2021) to MSOA to LAD lookups. Rebuilt from the raw files by
``scripts/build_reference_data.py``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

#: Census 2021 age-group columns and the ages each covers (the last is open-ended).
AGE_GROUPS: dict[str, tuple[int, int | None]] = {
    "pop_0_15": (0, 15),
    "pop_16_24": (16, 24),
    "pop_25_34": (25, 34),
    "pop_35_49": (35, 49),
    "pop_50_64": (50, 64),
    "pop_65_plus": (65, None),
}


@cache
def _load() -> pd.DataFrame:
    path = resources.files("healthgap.reference") / "data" / "lsoa21.csv.gz"
    with resources.as_file(path) as file:
        table = pd.read_csv(file, compression="gzip", dtype_backend="numpy_nullable")
    table["population"] = table[list(AGE_GROUPS)].sum(axis=1)
    return table


def lsoas() -> pd.DataFrame:
    """All 33,755 English LSOAs (2021) with deprivation and population (a fresh copy).

    Examples
    --------
    >>> table = lsoas()
    >>> len(table), int(table["imd_decile"].min()), int(table["imd_decile"].max())
    (33755, 1, 10)
    """
    return _load().copy()
