"""Proportionate universalism: a budget shared as a universal floor plus a need-weighted part.

:func:`allocate` shares a budget across areas; :func:`allocation_gradient` shows the
result as an amount per head by deprivation decile, next to an equal-per-head split and
an allocation by need alone. Need itself comes from a column of the areas' table, e.g.
an IMD score or an indicator, or a weighted combination
(:func:`~healthgap.targeting.need.need_index`). See docs/targeting.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame

#: The three ways of sharing the budget, as the columns :func:`allocate` adds.
SCHEMES: tuple[str, ...] = ("allocation", "equal_per_head", "need_only")


def allocate(
    df: pd.DataFrame,
    budget: float,
    *,
    population: str,
    need: str,
    floor: float = 0.5,
    steepness: float = 1.0,
    area: str = "area_code",
) -> pd.DataFrame:
    """Share ``budget`` across areas: a universal floor per head plus a need-weighted part.

    A fraction ``floor`` of the budget is shared equally per head; the rest in
    proportion to population × need\\ :sup:`steepness`, with need first divided by its
    average over the people of all areas (so that a relative need of 1 is average):

    .. math::

        A_i = B\\left[f\\,\\frac{P_i}{\\sum_j P_j}
              + (1 - f)\\,\\frac{P_i\\,r_i^{\\,s}}{\\sum_j P_j\\,r_j^{\\,s}}\\right],
        \\qquad r_i = n_i \\Big/ \\frac{\\sum_j P_j n_j}{\\sum_j P_j}

    ``floor=1`` (or ``steepness=0``) gives every person the same amount; ``floor=0`` and
    ``steepness=1`` share the whole budget in proportion to :math:`P_i n_i`. Each
    allocation is rounded to whole pounds by the largest-remainder (Hamilton) method:
    every area gets the whole-pound part of its exact share, and the pounds left over go
    one each to the areas with the largest fractions (ties to the area listed first), so
    the allocations add up to the budget exactly.

    Parameters
    ----------
    df : DataFrame
        One row per area; it is not modified.
    budget : float
        The amount to share, in whole pounds.
    population, need : str
        Columns of people in each area and of each area's need (zero or more; larger
        means more need, e.g. an IMD score).
    floor : float
        Share of the budget given equally per head, from 0 to 1.
    steepness : float
        Exponent of relative need (0 or more): 0 ignores need, 2 weights it more steeply.
    area : str
        Column naming the areas (each once).

    Returns
    -------
    DataFrame
        The input's columns, then ``relative_need`` (need over its person-weighted
        mean), ``allocation`` (whole pounds), ``per_head`` (pounds per person), and the
        whole-pound allocations of two comparisons: ``equal_per_head`` (``floor=1``) and
        ``need_only`` (``floor=0``, same steepness).

    Raises
    ------
    InputError
        Missing columns, repeated or missing area names, a population or need that is
        missing or negative, no people, no need anywhere, or a budget, floor or
        steepness out of range.

    References
    ----------
    Marmot M et al. (2010) *Fair Society, Healthy Lives: The Marmot Review*, Institute
    of Health Equity — proportionate universalism: "actions must be universal, but with
    a scale and intensity that is proportionate to the level of disadvantage". NHS
    England (2024) *Technical guide to allocation formulae and pace of change*: the
    weighted-capitation approach of sharing a budget by need-weighted populations.
    Balinski ML, Young HP (2001) *Fair Representation*, 2nd ed., Brookings (the
    largest-remainder method).

    Examples
    --------
    >>> df = pd.DataFrame({"area_code": ["A", "B", "C"], "population": [1000, 1000, 2000],
    ...                    "imd_score": [40.0, 20.0, 10.0]})
    >>> out = allocate(df, 10_000, population="population", need="imd_score")
    >>> out[["area_code", "relative_need", "allocation", "per_head", "need_only"]]
      area_code  relative_need  allocation  per_head  need_only
    0         A            2.0        3750      3.75       5000
    1         B            1.0        2500      2.50       2500
    2         C            0.5        3750      1.88       2500
    >>> int(out["allocation"].sum())
    10000
    """
    df = _frame.require_frame(df)
    _frame.require_columns(df, area, population, need)
    total = _budget(budget)
    f, s = _fraction("floor", floor), _steepness(steepness)
    _areas(df, area)
    people = _frame.numeric(df, population)
    _frame.non_negative(df, population, people)
    wanted = _frame.numeric(df, need)
    _frame.non_negative(df, need, wanted)
    if people.sum() <= 0:
        raise InputError("no people in any area: the populations add up to zero", column=population)
    mean_need = float(people @ wanted / people.sum())
    if mean_need <= 0:
        raise InputError(
            "is zero in every area with people, so there is nothing to weight by",
            column=need,
        )
    relative = wanted / mean_need
    equal = people / people.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = people * np.power(relative, s)
    weighted = weighted / weighted.sum()
    out = df.copy()
    out["relative_need"] = relative
    out["allocation"] = whole_pounds(total * (f * equal + (1 - f) * weighted), total)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_head"] = np.round(out["allocation"].to_numpy() / people, 2)
    out["equal_per_head"] = whole_pounds(total * equal, total)
    out["need_only"] = whole_pounds(total * weighted, total)
    return out


def whole_pounds(exact: np.ndarray, total: int) -> np.ndarray:
    """Round ``exact`` shares (adding up to ``total``) to integers that add up to ``total``.

    The largest-remainder method: whole parts first, then one more to each of the
    largest fractional parts (ties to the first listed).

    >>> whole_pounds(np.array([1.5, 1.5, 2.0]), 5).tolist()
    [2, 1, 2]
    """
    exact = np.asarray(exact, dtype="float64")
    base = np.floor(exact)
    short = int(np.clip(round(total - base.sum()), 0, len(exact)))
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base.astype("int64")


def allocation_gradient(
    allocation: pd.DataFrame,
    people: pd.DataFrame | None = None,
    *,
    by: str = "imd_decile",
    area: str = "area_code",
    population: str = "population",
) -> pd.DataFrame:
    """Amount per head by deprivation decile (or any category) under the three allocations.

    Each area's money is spread equally over its people, so the amount per head in a
    category is a population-weighted mean of its areas' amounts per head:

    .. math::

        g_d = \\frac{\\sum_i (A_i / P_i)\\,P_{id}}{\\sum_i P_{id}}

    where :math:`P_{id}` is the number of an area's people in category :math:`d`.

    Parameters
    ----------
    allocation : DataFrame
        The output of :func:`allocate`.
    people : DataFrame, optional
        How each area's people split across the categories: columns ``area``, ``by`` and
        ``population`` (e.g. a practice's patients by the IMD decile of their LSOA).
        Default: every area is wholly in the category of its own ``by`` column (LSOAs).
    by, area, population : str
        Column names.

    Returns
    -------
    DataFrame
        One row per category, sorted: ``by``, ``population``, then pounds per head under
        each allocation: ``allocation``, ``equal_per_head`` and ``need_only``.

    Raises
    ------
    InputError
        Missing columns, areas of ``people`` not in ``allocation``, or negative people.

    References
    ----------
    Marmot M et al. (2010) *Fair Society, Healthy Lives*: the social gradient, shown here
    as money per head across deprivation deciles. MHCLG (2025) *English Indices of
    Deprivation 2025* (deciles of LSOAs, 1 = most deprived).

    Examples
    --------
    >>> df = pd.DataFrame({"area_code": ["A", "B", "C"], "population": [1000, 1000, 2000],
    ...                    "imd_score": [40.0, 20.0, 10.0], "imd_decile": [1, 2, 2]})
    >>> out = allocate(df, 10_000, population="population", need="imd_score")
    >>> allocation_gradient(out).round(2)
       imd_decile  population  allocation  equal_per_head  need_only
    0           1        1000        3.75             2.5       5.00
    1           2        3000        2.08             2.5       1.67
    """
    allocation = _frame.require_frame(allocation)
    _frame.require_columns(allocation, area, population, *SCHEMES)
    if people is None:
        _frame.require_columns(allocation, by)
        people = allocation[[area, by, population]]
    people = _frame.require_frame(people)
    _frame.require_columns(people, area, by, population)
    _areas(allocation, area)
    head = _frame.numeric(people, population)
    _frame.non_negative(people, population, head)
    at = pd.Index(allocation[area]).get_indexer(people[area])
    unknown = at < 0
    if unknown.any():
        raise InputError(
            "names areas that are not in the allocation", column=area, rows=people.index[unknown]
        )
    counts = _frame.values(allocation, population)
    keys, codes = _frame.group_keys(people, [by])
    out = keys
    totals = _frame.group_sums(codes, len(keys), head)[0]
    out[population] = totals.round().astype("int64") if np.all(head == head.round()) else totals
    for scheme in SCHEMES:
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(counts > 0, _frame.values(allocation, scheme) / counts, 0.0)
        money = _frame.group_sums(codes, len(keys), rate[at] * head)[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[scheme] = money / totals
    return out.sort_values(by, kind="stable").reset_index(drop=True)


def _budget(budget: object) -> int:
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.integer, np.floating)):
        raise InputError(f"budget must be a number of pounds, got {budget!r}")
    value = float(budget)
    if not math.isfinite(value) or value < 0:
        raise InputError(f"budget must be zero or more pounds, got {budget!r}")
    if value != round(value):
        raise InputError(f"budget must be a whole number of pounds, got {budget!r}")
    return int(value)


def _fraction(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name} must be a number from 0 to 1, got {value!r}")
    if not 0 <= float(value) <= 1:
        raise InputError(f"{name} must be from 0 to 1 (a share of the budget), got {value!r}")
    return float(value)


def _steepness(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"steepness must be a number of 0 or more, got {value!r}")
    if not (math.isfinite(float(value)) and float(value) >= 0):
        raise InputError(f"steepness must be 0 or more (0 ignores need), got {value!r}")
    return float(value)


def _areas(df: pd.DataFrame, area: str) -> None:
    names = df[area]
    missing = names.isna().to_numpy()
    if missing.any():
        raise InputError("has missing area names", column=area, rows=df.index[missing])
    repeated = names.duplicated(keep=False).to_numpy()
    if repeated.any():
        raise InputError("names an area more than once", column=area, rows=df.index[repeated])
