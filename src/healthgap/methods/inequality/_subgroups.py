"""Choosing subgroups and checking their data: helpers shared by the family modules.

All work on (settings, subgroups) arrays and return one entry per setting.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from healthgap.methods.inequality._settings import Settings

Choice = Literal["highest", "lowest", "most", "least", "reference"]


def at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[i, index[i]]`` for every setting ``i``.

    >>> at(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1, 0]))
    array([2., 3.])
    """
    return values[np.arange(values.shape[0]), index]


def pick(settings: Settings, which: Choice) -> np.ndarray:
    """Column index, per setting, of a subgroup chosen by HEAT's rules.

    ``which`` is ``"highest"`` or ``"lowest"`` estimate, ``"most"`` or ``"least"``
    advantaged (ordered dimensions: highest or lowest ``order``), or ``"reference"``
    (-1 where a setting has none). Ties go to the first subgroup.
    """
    s = settings
    if which == "highest":
        return np.where(s.mask, s.y, -np.inf).argmax(axis=1)
    if which == "lowest":
        return np.where(s.mask, s.y, np.inf).argmin(axis=1)
    if which == "most":
        return np.where(s.mask, s.order, -np.inf).argmax(axis=1)
    if which == "least":
        return np.where(s.mask, s.order, np.inf).argmin(axis=1)
    if which == "reference":
        return np.where(s.reference.any(axis=1), s.reference.argmax(axis=1), -1)
    raise ValueError(f"unknown subgroup choice {which!r}")


def complete(settings: Settings, *values: np.ndarray) -> np.ndarray:
    """True for the settings whose every subgroup has a finite entry in each of ``values``.

    Padding is ignored, so a setting with fewer subgroups is not penalised.

    >>> from healthgap.methods.inequality._build import build_settings
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": list("abc"), "y": [1.0, 2, 3], "se": [1.0, None, 1]})
    >>> s = build_settings(df, "y", subgroup="g", se="se")
    >>> complete(s, s.y).tolist(), complete(s, s.y, s.se).tolist()
    ([True], [False])
    """
    missing = np.zeros(settings.mask.shape, dtype=bool)
    for array in values:
        missing |= ~np.isfinite(array)
    return ~(settings.mask & missing).any(axis=1)


def weighted_sum(y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Σ_j w_j y_j`` over subgroups (the last axis); ``y`` may carry a leading axis of
    simulated repetitions, ``weights`` (settings, subgroups) is broadcast over it.

    >>> weighted_sum(np.ones((2, 3, 4)), np.full((3, 4), 0.25)).shape
    (2, 3)
    """
    return np.einsum("...k,...k->...", y, weights)
