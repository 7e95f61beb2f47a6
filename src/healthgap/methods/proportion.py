"""Proportions with Wilson score confidence limits."""

from __future__ import annotations

import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels


def proportion(
    df: pd.DataFrame,
    numerator: str,
    denominator: str,
    *,
    by: _frame.By = None,
    confidence: Confidence = 0.95,
    multiplier: float = 100,
) -> pd.DataFrame:
    """Proportions with Wilson score confidence limits.

    Each row is its own proportion when ``by`` is None; otherwise numerators and
    denominators are summed within each group first.

    .. math::

        p = \\frac{x}{n} \\times m, \\qquad
        \\text{limits} = \\frac{2x + z^2 \\mp z\\sqrt{z^2 + 4x(1 - x/n)}}{2(n + z^2)} \\times m

    Parameters
    ----------
    df : DataFrame
        The input; it is not modified.
    numerator, denominator : str
        Columns of counts: people with the characteristic, and people in the population.
    by : str or list of str, optional
        Columns to group by.
    confidence : float or list of float
        0.95, 0.998, or both (``[0.95, 0.998]``).
    multiplier : float
        100 for a percentage, 1 for a proportion.

    Returns
    -------
    DataFrame
        ``by`` columns (or the input's columns), the numerator and denominator (summed),
        ``value``, the confidence limits and ``method`` (``"Wilson"``).

    Raises
    ------
    InputError
        Non-numeric values, negative numerators, denominators not greater than
        zero, or numerators greater than denominators.

    References
    ----------
    Wilson EB (1927), *J Am Stat Assoc* 22:209–212. Newcombe RG (1998), *Stat Med*
    17:857–872. Public Health England (2018), *Technical Guide: Confidence Intervals*.
    The same method as ``PHEindicatormethods::phe_proportion``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B"], "vaccinated": [65, 20], "eligible": [100, 100]})
    >>> proportion(df, "vaccinated", "eligible").round(2)
      area  vaccinated  eligible  value  lower_ci  upper_ci  method
    0    A          65       100   65.0     55.25     73.64  Wilson
    1    B          20       100   20.0     13.34     28.88  Wilson
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    _frame.require_columns(df, numerator, denominator, *by_cols)
    ci_levels = levels(confidence)
    x = _frame.numeric(df, numerator, allow_missing=True)
    n = _frame.numeric(df, denominator, allow_missing=True)
    _frame.non_negative(df, numerator, x)
    _frame.positive(df, denominator, n)
    over = x > n
    if over.any():
        raise InputError(
            f"numerator must not exceed the denominator {denominator!r}",
            column=numerator,
            rows=df.index[over],
        )
    out = _frame.totals(df, by_cols, {numerator: x, denominator: n})
    x, n = _frame.values(out, numerator), _frame.values(out, denominator)
    out["value"] = x / n * multiplier
    for level in ci_levels:
        lower, upper = intervals.wilson(x, n, level.level)
        out[level.lower] = lower * multiplier
        out[level.upper] = upper * multiplier
    out["method"] = "Wilson"
    return out
