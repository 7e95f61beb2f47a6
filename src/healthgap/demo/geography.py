"""The place being synthesised: its neighbourhoods, their people per age band, and chunks.

Everything here is area-level and decided before any person is generated: the scaled
Census 2021 counts, the ethnic mix of each neighbourhood, the GP practices and the
planted low-uptake neighbourhoods. Neighbourhoods are ordered by LSOA code; people are
numbered in that order, so person ids do not depend on chunking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.demo import ethnicity
from healthgap.demo.practices import Practices, practices
from healthgap.demo.streams import area_rng
from healthgap.reference.lsoa import AGE_GROUPS
from healthgap.reference.places import Place, place_lsoas

#: Concept whose uptake is cut in the planted neighbourhoods, and by how much (absolute).
PLANTED_CONCEPT = "flu_vaccination"
PLANTED_CUT = 0.25

#: Planted neighbourhoods: about 1.5% of the place's LSOAs, at least 5 and at most 25, and
#: never more than a third of the candidates: LSOAs with at least the place's upper-quartile
#: number of residents aged 65+ (so the cut leaves many older people unvaccinated).
PLANTED_SHARE, PLANTED_MIN, PLANTED_MAX = 0.015, 5, 25
CANDIDATE_QUANTILE = 0.75


@dataclass(frozen=True)
class Geography:
    """Area-level inputs of one run.

    Attributes
    ----------
    place : Place
    areas : DataFrame
        The place's LSOAs sorted by code, with ``number`` (numeric part of the code),
        ``msoa`` (index into ``msoa_codes``), ``imd_decile``, ``planted`` and ``persons``.
    counts : ndarray
        Persons to generate per LSOA and census age band (LSOA × 6).
    ethnic : ndarray
        Probability of each ethnic group per LSOA and census age band (LSOA × 6 × 5).
    practices : Practices
    msoa_codes : list of str
    """

    place: Place
    areas: pd.DataFrame
    counts: np.ndarray
    ethnic: np.ndarray
    practices: Practices
    msoa_codes: list[str]

    @property
    def planted_codes(self) -> list[str]:
        return self.areas.loc[self.areas["planted"], "lsoa_code"].tolist()

    def chunks(self, persons_per_chunk: int) -> list[tuple[int, int]]:
        """LSOA index ranges ``(start, stop)`` holding about ``persons_per_chunk`` people."""
        totals = self.counts.sum(axis=1)
        spans, start, running = [], 0, 0
        for i, n in enumerate(totals.tolist()):
            running += n
            if running >= persons_per_chunk:
                spans.append((start, i + 1))
                start, running = i + 1, 0
        if start < len(totals):
            spans.append((start, len(totals)))
        return spans


def geography(place: Place, *, seed: int, scale: float) -> Geography:
    """Area-level inputs for ``place`` at ``scale`` times its Census 2021 population."""
    areas = place_lsoas(place).sort_values("lsoa_code").reset_index(drop=True)
    census = areas[list(AGE_GROUPS)].to_numpy(dtype="float64")
    counts = np.rint(census * scale).astype("int64")
    msoa_codes = sorted(set(areas["msoa_code"]))
    msoa_residents = (
        areas.groupby("msoa_code")["population"].sum().reindex(msoa_codes).to_numpy("float64")
    )
    out = pd.DataFrame(
        {
            "lsoa_code": areas["lsoa_code"].astype(str),
            "lsoa_name": areas["lsoa_name"].astype(str),
            "msoa_code": areas["msoa_code"].astype(str),
            "number": areas["lsoa_code"].str[3:].astype("int64").to_numpy(),
            "msoa": np.searchsorted(msoa_codes, areas["msoa_code"].astype(str).to_numpy()),
            "imd_decile": areas["imd_decile"].to_numpy(dtype="int64"),
            "imd_score": areas["imd_score"].to_numpy(dtype="float64"),
            "persons": counts.sum(axis=1),
            "census_65_plus": areas["pop_65_plus"].to_numpy(dtype="int64"),
        }
    )
    out["planted"] = _planted(out, seed, place)
    return Geography(
        place=place,
        areas=out,
        counts=counts,
        ethnic=ethnicity.probabilities(seed, areas),
        practices=practices(seed, msoa_codes, msoa_residents),
        msoa_codes=msoa_codes,
    )


def planted_count(n_areas: int, n_candidates: int) -> int:
    """How many neighbourhoods to plant for a place with ``n_areas`` LSOAs."""
    wanted = min(max(round(PLANTED_SHARE * n_areas), PLANTED_MIN), PLANTED_MAX)
    return min(wanted, max(n_candidates // 3, 1), n_candidates)


def _planted(areas: pd.DataFrame, seed: int, place: Place) -> np.ndarray:
    """Deterministic choice (from the seed) among LSOAs with many residents aged 65+."""
    older = areas["census_65_plus"].to_numpy()
    candidates = np.flatnonzero(older >= np.quantile(older, CANDIDATE_QUANTILE))
    n = planted_count(len(areas), len(candidates))
    rng = area_rng(seed, f"planted-{place.code}")
    chosen = rng.choice(candidates, size=n, replace=False) if n else np.array([], dtype=int)
    planted = np.zeros(len(areas), dtype=bool)
    planted[chosen] = True
    return planted
