"""Crude rates with Byar's (or, below 10 events, exact Poisson) confidence limits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels


def rate(
    df: pd.DataFrame,
    count: str,
    population: str,
    *,
    by: _frame.By = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Crude rates per ``multiplier`` population with Poisson confidence limits.

    Each row is its own rate when ``by`` is None; otherwise counts and populations are
    summed within each group first. Limits use exact Poisson (chi-square) limits when the
    count is below 10 and Byar's approximation otherwise, as PHE does.

    .. math::

        r = \\frac{O}{n} \\times m, \\qquad \\text{limits} = \\frac{O_L, O_U}{n} \\times m

    Parameters
    ----------
    df : DataFrame
        The input; it is not modified.
    count, population : str
        Columns holding the number of events and the population at risk (person-years).
    by : str or list of str, optional
        Columns to group by.
    confidence : float or list of float
        0.95, 0.998, or both.
    multiplier : float
        Rate per this many population, 100,000 by default.

    Returns
    -------
    DataFrame
        ``by`` columns (or the input's columns), count and population (summed), ``value``,
        the confidence limits and ``method`` (``"Exact"`` or ``"Byars"``). A missing count
        or population (in any row of a group) gives missing results, as in PHE's tools.

    Raises
    ------
    InputError
        Non-numeric values, negative counts, or populations not greater than zero.

    References
    ----------
    Breslow NE, Day NE (1987), *Statistical Methods in Cancer Research Vol II*, IARC, p. 69.
    Public Health England (2018), *Technical Guide: Confidence Intervals*. The same method
    as ``PHEindicatormethods::phe_rate``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B"], "deaths": [5, 40], "pop": [1000, 1000]})
    >>> rate(df, "deaths", "pop", multiplier=1000).round(3)
      area  deaths   pop  value  lower_ci  upper_ci method
    0    A       5  1000    5.0     1.623    11.668  Exact
    1    B      40  1000   40.0    28.573    54.470  Byars
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    _frame.require_columns(df, count, population, *by_cols)
    ci_levels = levels(confidence)
    x = _frame.numeric(df, count, allow_missing=True)
    n = _frame.numeric(df, population, allow_missing=True)
    _frame.non_negative(df, count, x)
    _frame.positive(df, population, n)
    out = _frame.totals(df, by_cols, {count: x, population: n})
    x, n = _frame.values(out, count), _frame.values(out, population)
    per_person = multiplier / n
    out["value"] = x * per_person
    for level in ci_levels:
        lower, upper = intervals.poisson(x, level.level)
        out[level.lower] = np.multiply(lower, per_person, out=lower)
        out[level.upper] = np.multiply(upper, per_person, out=upper)
    out["method"] = intervals.poisson_method(x)
    return out
