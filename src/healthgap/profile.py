"""A place's deprivation profile: who lives in its most and least deprived neighbourhoods.

Built from shipped public data only (IoD2025 and Census 2021), so it works for any English
local authority before any local data has been loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.reference.lsoa import lsoas
from healthgap.reference.places import Place, find_place, place_lsoas

#: NHS England's Core20: the most deprived 20% of neighbourhoods nationally (IMD deciles 1–2).
CORE20_DECILES = (1, 2)

NEIGHBOURHOOD_COLUMNS = [
    "lsoa_code",
    "lsoa_name",
    "msoa_name",
    "imd_rank",
    "imd_score",
    "imd_decile",
    "population",
]


@dataclass(frozen=True)
class DeprivationProfile:
    """The deprivation profile of one place.

    Attributes
    ----------
    place : Place
    deciles : DataFrame
        One row per national IMD 2025 decile (1 = most deprived): ``neighbourhoods``,
        ``population``, ``share`` (% of the place's residents) and ``england_share``
        (% of England's residents in that decile).
    neighbourhoods : DataFrame
        The place's LSOAs, most deprived first.
    """

    place: Place
    deciles: pd.DataFrame
    neighbourhoods: pd.DataFrame

    @property
    def population(self) -> int:
        return int(self.deciles["population"].sum())

    @property
    def core20_population(self) -> int:
        in_core20 = self.deciles["imd_decile"].isin(CORE20_DECILES)
        return int(self.deciles.loc[in_core20, "population"].sum())

    @property
    def core20_share(self) -> float:
        """Percentage of residents living in the most deprived 20% of England's LSOAs."""
        return 100 * self.core20_population / self.population


def deprivation_profile(place: str | Place) -> DeprivationProfile:
    """Population of ``place`` by national IMD 2025 decile, with its neighbourhoods.

    Parameters
    ----------
    place : str or Place
        Local authority name or code (2025 boundaries), e.g. ``"Luton"`` or ``"E06000032"``.

    Examples
    --------
    >>> profile = deprivation_profile("Luton")
    >>> profile.place.code, len(profile.neighbourhoods), profile.population
    ('E06000032', 125, 225239)
    """
    found = place if isinstance(place, Place) else find_place(place)
    areas = place_lsoas(found)
    deciles = _by_decile(areas)
    england = _by_decile(lsoas())
    deciles["england_share"] = england["share"].to_numpy()
    return DeprivationProfile(
        place=found, deciles=deciles, neighbourhoods=areas[NEIGHBOURHOOD_COLUMNS].copy()
    )


def _by_decile(areas: pd.DataFrame) -> pd.DataFrame:
    decile = areas["imd_decile"].to_numpy(dtype="int64")
    population = areas["population"].to_numpy(dtype="float64")
    counts = np.bincount(decile, minlength=11)[1:]
    people = np.bincount(decile, weights=population, minlength=11)[1:]
    return pd.DataFrame(
        {
            "imd_decile": np.arange(1, 11),
            "neighbourhoods": counts,
            "population": people.astype("int64"),
            "share": 100 * people / people.sum(),
        }
    )
