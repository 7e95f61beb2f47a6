"""A need index: several measures of need combined with weights into one column.

Used by :func:`~healthgap.targeting.allocation.allocate` when need comes from more than
one measure (e.g. the IMD score and an emergency admissions rate). See docs/targeting.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import _frame

Combine = Literal["ratio", "z", "rank"]
COMBINE: tuple[str, ...] = ("ratio", "z", "rank")
#: The IoD's exponential transformation: ranks become scores from about 0 to 100.
_IOD_LAMBDA = 23.0


def need_index(
    df: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    method: Combine = "ratio",
    population: str | None = None,
) -> pd.Series:
    """Combine measures of need (columns, larger = more need) with weights.

    Each measure is put on a common scale, then the scales are averaged with the
    weights :math:`w_k`:

    ``"ratio"`` (default)
        Each measure over its mean (population-weighted when ``population`` is given):
        :math:`N_i = \\sum_k w_k\\,x_{ik}/\\bar x_k \\,/\\, \\sum_k w_k`. The index has
        mean 1 and keeps each measure's own spread, so a single measure gives the same
        allocation as the measure itself. Measures must be zero or more.
    ``"z"``
        z-scores :math:`z_{ik} = (x_{ik} - \\bar x_k)/\\sigma_k` (population-weighted
        mean and standard deviation; a constant measure scores 0), averaged and put on
        the scale of the ONS Health Index: :math:`N_i = 100 + 10\\sum_k w_k z_{ik}/\\sum_k w_k`
        (100 = average, 10 points = one standard deviation). Every measure counts
        equally per standard deviation, whatever its units, but the index's spread is
        narrow (most areas 80–120).
    ``"rank"``
        The English Indices of Deprivation's method: each measure's rank (ties
        averaged; 1 = least need) scaled to :math:`R = \\text{rank}/n`, transformed to
        an exponential distribution :math:`X = -23\\ln\\{1 - R(1 - e^{-100/23})\\}` (0 to
        100, stretching the highest-need end so that low need in one measure does not
        cancel high need in another), then averaged with the weights.

    Parameters
    ----------
    df : DataFrame
        One row per area; it is not modified.
    weights : mapping of str to float
        Column → weight (zero or more, not all zero); weights need not add up to 1.
    method : {"ratio", "z", "rank"}
    population : str, optional
        Column of people per area, weighting the means and standard deviations.

    Returns
    -------
    Series
        The index, named ``"need"``, on ``df``'s index.

    Raises
    ------
    InputError
        No or unknown columns, bad weights, missing or non-numeric values, a negative
        measure (``"ratio"``), or a measure whose mean is zero.

    References
    ----------
    MHCLG (2025) *The English Indices of Deprivation 2025: Technical Report* (ranks,
    exponential transformation and weighted combination of domains; as in Noble M et
    al. (2019) for IoD2019). ONS (2022) *Health Index methods and development: 2015 to
    2020* (z-scores scaled so that 100 is the reference and 10 one standard deviation).
    NHS England (2024) *Technical guide to allocation formulae* (need indices relative
    to the average, combined with weights).

    Examples
    --------
    >>> df = pd.DataFrame({"imd_score": [40.0, 20.0, 10.0, 10.0],
    ...                    "admissions": [1500.0, 1200.0, 900.0, 400.0]})
    >>> need_index(df, {"imd_score": 0.5, "admissions": 0.5}).round(4).tolist()
    [1.75, 1.1, 0.7, 0.45]
    >>> need_index(df, {"imd_score": 1}, method="rank").round(2).tolist()
    [100.0, 31.01, 10.63, 10.63]
    """
    df = _frame.require_frame(df)
    columns, w = _weights(weights)
    if method not in COMBINE:
        raise InputError(f"method must be one of {', '.join(COMBINE)}, got {method!r}")
    _frame.require_columns(df, *columns, population)
    if population is not None:
        people = _frame.numeric(df, population)
        _frame.non_negative(df, population, people)
        if people.sum() <= 0:
            raise InputError("adds up to zero: no people to average over", column=population)
    else:
        people = np.ones(len(df))
    if len(df) == 0:
        return pd.Series([], index=df.index, dtype="float64", name="need")
    scores = np.zeros(len(df))
    for column, weight in zip(columns, w, strict=True):  # a loop over measures, not rows
        x = _frame.numeric(df, column)
        scores += weight * _scale(df, column, x, people, method)
    scores /= w.sum()
    if method == "z":
        scores = 100 + 10 * scores
    return pd.Series(scores, index=df.index, name="need")


def _weights(weights: Mapping[str, float]) -> tuple[list[str], np.ndarray]:
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(
            "weights must map at least one column to its weight, e.g. {'imd_score': 1}"
        )
    values = []
    for column, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, (int, float, np.number)):
            raise InputError(f"the weight of {column!r} must be a number, got {weight!r}")
        if not (np.isfinite(weight) and weight >= 0):
            raise InputError(f"the weight of {column!r} must be zero or more, got {weight!r}")
        values.append(float(weight))
    w = np.asarray(values)
    if w.sum() <= 0:
        raise InputError("the weights are all zero: give at least one measure a weight")
    return [str(c) for c in weights], w


def _scale(
    df: pd.DataFrame, column: str, x: np.ndarray, people: np.ndarray, method: str
) -> np.ndarray:
    if method == "rank":
        r = stats.rankdata(x, method="average") / len(x)
        return -_IOD_LAMBDA * np.log(1 - r * (1 - np.exp(-100 / _IOD_LAMBDA)))
    mean = float(people @ x / people.sum())
    if method == "ratio":
        _frame.non_negative(df, column, x)
        if mean <= 0:
            raise InputError(
                "averages zero, so need cannot be expressed relative to it", column=column
            )
        return x / mean
    sd = float(np.sqrt(people @ (x - mean) ** 2 / people.sum()))
    return (x - mean) / sd if sd > 0 else np.zeros_like(x)
