"""Synthetic GP practices: two to four per MSOA, most people registered in their own MSOA.

Codes are ``"Y"`` + the MSOA number (4 digits) + a letter, e.g. ``Y0123A``: unique in
England, deterministic (the same for every seed) and unlike real ODS practice codes (a
letter and five digits). Each practice has a list-size weight and a small effect on the
uptake of every preventive service (a random intercept on the log-odds), both drawn from
England-wide arrays so a practice is the same whichever place it is generated in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.demo.streams import area_rng

#: Practices per MSOA: Census 2021 residents / this, rounded, kept within 2–4.
RESIDENTS_PER_PRACTICE = 3_500
MIN_PER_MSOA, MAX_PER_MSOA = 2, 4

#: Share of people registered with a practice in their own MSOA (the rest: anywhere in
#: the place, in proportion to list size).
OWN_MSOA_SHARE = 0.9

#: Standard deviation of the practice effect on the log-odds of preventive-service uptake.
PRACTICE_EFFECT_SD = 0.25

_MAX_MSOA = 10_000


@dataclass(frozen=True)
class Practices:
    """The practices of a place.

    Attributes
    ----------
    table : DataFrame
        ``practice_code``, ``msoa_code``, ``weight`` (share of its MSOA's own-MSOA
        registrations) and ``effect`` (log-odds on uptake), one row per practice.
    slots : ndarray
        For each of the place's MSOAs (in the order given), the practice numbers of its
        practices, padded with the last one (MSOA × 4).
    cumulative : ndarray
        Cumulative weights over ``slots`` (MSOA × 4), the last equal to 1.
    """

    table: pd.DataFrame
    slots: np.ndarray
    cumulative: np.ndarray

    @property
    def codes(self) -> np.ndarray:
        return self.table["practice_code"].to_numpy(dtype=object)

    @property
    def effect(self) -> np.ndarray:
        return self.table["effect"].to_numpy(dtype="float64")

    def assign(self, msoa: np.ndarray, u_own: np.ndarray, u_pick: np.ndarray) -> np.ndarray:
        """Practice number of each person from their MSOA number (local) and two uniforms."""
        own = (u_pick[:, None] >= self.cumulative[msoa, :-1]).sum(axis=1)
        chosen = self.slots[msoa, own]
        sizes = self.table["size"].to_numpy(dtype="float64")
        anywhere = np.searchsorted(np.cumsum(sizes) / sizes.sum(), u_pick, side="right")
        anywhere = np.minimum(anywhere, len(sizes) - 1)
        return np.where(u_own < OWN_MSOA_SHARE, chosen, anywhere).astype("int32")


def practices(seed: int, msoa_codes: list[str], residents: np.ndarray) -> Practices:
    """Practices for MSOAs ``msoa_codes`` with Census 2021 ``residents`` each (scale 1)."""
    numbers = np.array([int(code[3:]) for code in msoa_codes], dtype="int64")
    counts = np.clip(np.rint(residents / RESIDENTS_PER_PRACTICE), MIN_PER_MSOA, MAX_PER_MSOA)
    counts = counts.astype("int64")
    weights = area_rng(seed, "practice-size").gamma(4.0, size=(_MAX_MSOA, MAX_PER_MSOA))
    effects = area_rng(seed, "practice-effect").standard_normal((_MAX_MSOA, MAX_PER_MSOA))
    msoa_index = np.repeat(np.arange(len(numbers)), counts)
    slot = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    w = weights[numbers[msoa_index], slot]
    w_in_msoa = w / np.bincount(msoa_index, weights=w)[msoa_index]
    letters = np.array(list("ABCD"))[slot]
    table = pd.DataFrame(
        {
            "practice_code": [
                f"Y{n:04d}{c}" for n, c in zip(numbers[msoa_index], letters, strict=True)
            ],
            "msoa_code": np.asarray(msoa_codes, dtype=object)[msoa_index],
            "weight": w_in_msoa,
            "size": w_in_msoa * residents[msoa_index],
            "effect": PRACTICE_EFFECT_SD * effects[numbers[msoa_index], slot],
        }
    )
    first = np.cumsum(counts) - counts
    columns = np.arange(MAX_PER_MSOA)[None, :]
    slots = first[:, None] + np.minimum(columns, counts[:, None] - 1)
    filled = columns < counts[:, None]
    cumulative = np.cumsum(np.where(filled, w_in_msoa[slots], 0.0), axis=1)
    cumulative[:, -1] = 1.0
    return Practices(table=table, slots=slots, cumulative=cumulative)
