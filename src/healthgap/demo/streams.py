"""Random numbers that do not depend on how the population is cut into chunks.

Each neighbourhood (LSOA) has its own stream for each step of the model, seeded by
``SeedSequence([seed, step, lsoa_number])``. People are generated neighbourhood by
neighbourhood, so the numbers a person gets depend only on the seed, their neighbourhood
and their place in it, never on which other neighbourhoods share their chunk. Area-level
effects (ethnic mix, practices, planted neighbourhoods) come from England-wide arrays
drawn from ``SeedSequence([seed, step])``, so an area gets the same effect whichever
place it is generated in.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key(step: str) -> int:
    return zlib.crc32(step.encode("utf-8"))


def area_rng(seed: int, step: str) -> np.random.Generator:
    """A generator for England-wide area-level draws of one model step."""
    return np.random.default_rng(np.random.SeedSequence([seed, _key(step)]))


class Draws:
    """Uniform, normal and Poisson draws for rows grouped by neighbourhood.

    Parameters
    ----------
    seed : int
        The run's seed.
    lsoa_numbers : ndarray
        The numeric part of each chunk neighbourhood's code (E01000001 → 1).
    step : str
        Name of the model step; each step has independent streams.

    Rows passed to the draw methods are identified by their chunk-local neighbourhood
    index, which must be non-decreasing (rows of a neighbourhood are contiguous).
    """

    def __init__(self, seed: int, lsoa_numbers: np.ndarray, step: str) -> None:
        key = _key(step)
        self._generators = [
            np.random.default_rng(np.random.SeedSequence([seed, key, int(n)])) for n in lsoa_numbers
        ]

    def _spans(self, lsoa: np.ndarray) -> list[tuple[np.random.Generator, int, int]]:
        lsoa = np.asarray(lsoa)
        if len(lsoa) > 1 and bool(np.any(lsoa[1:] < lsoa[:-1])):
            raise ValueError("rows must be grouped by neighbourhood in chunk order")
        counts = np.bincount(lsoa, minlength=len(self._generators))
        stops = np.cumsum(counts)
        starts = stops - counts
        return [
            (gen, int(a), int(b))
            for gen, a, b in zip(self._generators, starts, stops, strict=True)
            if b > a
        ]

    def uniform(self, lsoa: np.ndarray) -> np.ndarray:
        """One U[0, 1) number per row."""
        out = np.empty(len(lsoa))
        for gen, a, b in self._spans(lsoa):
            out[a:b] = gen.random(b - a)
        return out

    def normal(self, lsoa: np.ndarray) -> np.ndarray:
        """One standard normal number per row."""
        out = np.empty(len(lsoa))
        for gen, a, b in self._spans(lsoa):
            out[a:b] = gen.standard_normal(b - a)
        return out

    def poisson(self, lsoa: np.ndarray, lam: np.ndarray) -> np.ndarray:
        """One Poisson count per row with mean ``lam``."""
        out = np.empty(len(lsoa), dtype="int64")
        for gen, a, b in self._spans(lsoa):
            out[a:b] = gen.poisson(lam[a:b])
        return out


def truncated_exponential(u: np.ndarray, mean: float, limit: float) -> np.ndarray:
    """Inverse-CDF draw from an exponential with ``mean``, truncated to [0, ``limit``)."""
    return -mean * np.log1p(-u * (1 - np.exp(-limit / mean)))
