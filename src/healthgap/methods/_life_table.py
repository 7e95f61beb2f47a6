"""Chiang's abridged life table on groups × age-bands arrays (used by life expectancy).

Every function works on 2-D arrays with one row per group and one column per age band,
so that thousands of areas are computed at once with numpy, never a loop over groups.
The arithmetic follows ``PHEindicatormethods::phe_life_expectancy`` 2.1.0 step by step
(including the order of operations), so the results agree to rounding error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Start ages of the abridged bands, 0, 1, 5, 10, …, up to the open-ended top band.
TOP_BANDS = (85, 90)

#: Radix of the life table: survivors to exact age 0.
RADIX = 1e5

#: Fraction of the band lived by those who die in it: 0.1 in the first year, else 0.5.
A_INFANT, A_OTHER = 0.1, 0.5


def band_starts(top_band: int) -> np.ndarray:
    """Start ages 0, 1, 5, 10, …, ``top_band`` (20 bands for 90+, 19 for 85+)."""
    return np.array([0, 1, *range(5, top_band + 1, 5)], dtype="int64")


@dataclass(frozen=True)
class LifeTable:
    """Life expectancy ``e``, its standard error ``se`` and survivors ``l`` at each band."""

    e: np.ndarray
    se: np.ndarray
    l: np.ndarray  # noqa: E741 - the demographers' name for survivors


def _reverse_cumsum(x: np.ndarray) -> np.ndarray:
    """Sum of each band and all bands above it (summed from the top, as PHE does)."""
    return np.cumsum(x[:, ::-1], axis=1)[:, ::-1]


def _next_band(x: np.ndarray, fill: float) -> np.ndarray:
    """Each band's value in the band above (``fill`` for the top band)."""
    return np.concatenate([x[:, 1:], np.full((x.shape[0], 1), fill)], axis=1)


def chiang(deaths: np.ndarray, population: np.ndarray, starts: np.ndarray) -> LifeTable:
    """Chiang II life table with Silcocks' variance for the open-ended top band.

    ``deaths`` and ``population`` are (groups, bands) arrays ordered by ``starts``.
    Invalid groups (zero populations, no deaths in the top band) give non-finite values
    without numpy warnings; the caller masks them.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        m = deaths / population
        width = np.diff(starts).astype("float64")  # n_i of the closed bands
        a = np.where(starts[:-1] == 0, A_INFANT, A_OTHER)

        # Probability of dying in each closed band, 1 when deaths imply it is certain.
        mn = m[:, :-1] * width
        q = np.where(
            deaths[:, :-1] <= population[:, :-1] / width / a,
            mn / (1 + mn * (1 - a)),
            1.0,
        )
        p = 1 - q

        # Survivors to the start of each band: the radix times the running product of p.
        first = np.full((deaths.shape[0], 1), RADIX)
        l = np.cumprod(np.concatenate([first, p], axis=1), axis=1)  # noqa: E741
        l_next = _next_band(l, 0.0)
        d = l - l_next

        # Person-years lived in each band; the top band lives l / M years on average.
        person_years = np.empty_like(l)
        person_years[:, :-1] = width * (l_next[:, :-1] + a * d[:, :-1])
        person_years[:, -1] = l[:, -1] / m[:, -1]
        e = np.where(l == 0, 0.0, _reverse_cumsum(person_years) / l)

        # Variance of p_i (Chiang) and, for the top band, of 1 / M (Silcocks et al.).
        var_p = np.where(d[:, :-1] == 0, 0.0, q**2 * (1 - q) / deaths[:, :-1])
        var_top = 4 / (deaths[:, -1] * m[:, -1] ** 2)
        weighted = np.empty_like(l)
        e_next = e[:, 1:]
        weighted[:, :-1] = var_p * l[:, :-1] ** 2 * ((1 - a) * width + e_next) ** 2
        weighted[:, -1] = (l[:, -1] / 2) ** 2 * var_top
        se = np.sqrt(_reverse_cumsum(weighted) / l**2)
    return LifeTable(e=e, se=se, l=l)
