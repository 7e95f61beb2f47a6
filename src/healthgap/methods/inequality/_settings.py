"""The shape every WHO HEAT measure works on: many settings × their subgroups.

A *setting* is one population at one time (e.g. an indicator in one local authority in
one year: one ``by`` group); its *subgroups* are the categories of one dimension of
inequality (IMD deciles, ethnic groups, sexes). Measures are computed for all settings at
once on 2-D arrays of shape ``(settings, max_subgroups)``, padded where a setting has
fewer subgroups (``mask`` is False there and values are NaN), so no measure loops over
settings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Settings:
    """Disaggregated estimates for many settings, aligned as (settings, subgroups) arrays.

    Attributes
    ----------
    keys : DataFrame
        One row per setting: the ``by`` columns (empty columns when ``by`` is None).
    labels : ndarray of object, shape (g, k)
        Subgroup labels; ``None`` in padding.
    mask : ndarray of bool, shape (g, k)
        True where a real subgroup is present.
    y : ndarray of float, shape (g, k)
        Subgroup estimates (NaN in padding).
    se : ndarray of float, shape (g, k)
        Standard errors of ``y`` (NaN where unknown or padding).
    pop : ndarray of float, shape (g, k)
        Subgroup populations (NaN where unknown or padding).
    share : ndarray of float, shape (g, k)
        Population shares ``p_j`` within each setting: each row sums to 1 when
        populations are given; NaN for every real subgroup when they are not. 0 in
        padding either way.
    order : ndarray of float, shape (g, k)
        Rank for ordered dimensions, 1 = most disadvantaged (NaN for non-ordered).
    ordered : bool
        Whether the dimension is ordered (e.g. IMD decile) or not (e.g. ethnicity).
    favourable : ndarray of bool, shape (g,)
        True when higher values are better (coverage), False when adverse (mortality).
    reference : ndarray of bool, shape (g, k)
        The reference subgroup of each setting (at most one True per row).
    mean : ndarray of float, shape (g,)
        Setting average μ: the population-weighted mean of ``y`` (or a supplied national
        or setting value).
    scale : float
        The indicator's scale: 100 for percentages, 1000 or 100,000 for rates.
    """

    keys: pd.DataFrame
    labels: np.ndarray
    mask: np.ndarray
    y: np.ndarray
    se: np.ndarray
    pop: np.ndarray
    share: np.ndarray
    order: np.ndarray
    ordered: bool
    favourable: np.ndarray
    reference: np.ndarray
    mean: np.ndarray
    scale: float

    @property
    def n_settings(self) -> int:
        return self.y.shape[0]

    @property
    def n_subgroups(self) -> np.ndarray:
        """Number of real subgroups in each setting, shape (g,)."""
        return self.mask.sum(axis=1)

    def select(self, rows: np.ndarray) -> Settings:
        """The settings flagged by the boolean array ``rows``, in the same order."""
        arrays = ("labels", "mask", "y", "se", "pop", "share", "order", "favourable",
                  "reference", "mean")  # fmt: skip
        return dataclasses.replace(
            self,
            keys=self.keys[rows].reset_index(drop=True),
            **{name: getattr(self, name)[rows] for name in arrays},
        )


@dataclass
class Estimate:
    """A measure's result for every setting: arrays of shape (g,).

    ``limits`` maps each confidence level (e.g. 0.95) to its (lower, upper) arrays;
    NaN where a limit cannot be computed.
    """

    value: np.ndarray
    se: np.ndarray
    limits: dict[float, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
