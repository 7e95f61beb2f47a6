"""Means with confidence limits from Student's t-distribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Confidence, levels


def mean(
    df: pd.DataFrame,
    value: str,
    *,
    by: _frame.By = None,
    confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Means with confidence limits from Student's t-distribution.

    All rows form one group when ``by`` is None; otherwise there is one mean per group.

    .. math::

        \\bar{x} = \\frac{1}{n}\\sum_i x_i, \\qquad
        s = \\sqrt{\\frac{\\sum_i (x_i - \\bar{x})^2}{n - 1}}, \\qquad
        \\text{limits} = \\bar{x} \\mp t_{1 - \\alpha/2,\\, n - 1} \\frac{s}{\\sqrt{n}}

    The sum of squared deviations is taken about each group's mean (two passes, with
    a compensating correction), which stays accurate when values are large compared with
    their spread.

    Parameters
    ----------
    df : DataFrame
        The input; it is not modified.
    value : str
        Column of values to average.
    by : str or list of str, optional
        Columns to group by; without it all rows form one group.
    confidence : float or list of float
        0.95, 0.998, or both (``[0.95, 0.998]``).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``value_sum``, ``value_count`` (rows in the
        group), ``stdev`` (sample standard deviation), ``value`` (the mean) and the
        confidence limits. A group of one row has missing ``stdev`` and limits; a missing
        value makes its group's results missing, as in PHE's tools.

    Raises
    ------
    InputError
        No rows, non-numeric or infinite values.

    References
    ----------
    Student (1908), The probable error of a mean, *Biometrika* 6:1–25. Public Health
    England (2018), *Technical Guide: Confidence Intervals*. The same method as
    ``PHEindicatormethods::phe_mean``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "A", "A", "B", "B"], "bmi": [24, 27, 30, 22, 26]})
    >>> mean(df, "bmi", by="area").round(3)
      area  value_sum  value_count  stdev  value  lower_ci  upper_ci
    0    A       81.0            3  3.000   27.0    19.548    34.452
    1    B       48.0            2  2.828   24.0    -1.412    49.412
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    _frame.require_columns(df, value, *by_cols)
    ci_levels = levels(confidence)
    if len(df) == 0:
        raise InputError("has no rows to average", column=value)
    x = _frame.numeric(df, value, allow_missing=True)
    infinite = np.isinf(x)
    if infinite.any():
        raise InputError("must be finite", column=value, rows=df.index[infinite])

    out, codes = _frame.group_keys(df, by_cols)
    n_groups = len(out)
    count = np.bincount(codes, minlength=n_groups).astype("float64")
    (total,) = _frame.group_sums(codes, n_groups, x)
    centre = total / count
    deviation = x - centre[codes]
    # Corrected two-pass sum of squares: Σd² − (Σd)²/n removes the rounding left in the mean.
    squares, residual = _frame.group_sums(codes, n_groups, deviation**2, deviation)
    sum_squares = np.maximum(squares - residual**2 / count, 0.0)
    several = count > 1
    with np.errstate(divide="ignore", invalid="ignore"):
        stdev = np.where(several, np.sqrt(sum_squares / (count - 1)), np.nan)
    stdev[np.isnan(total)] = np.nan
    standard_error = stdev / np.sqrt(count)

    out["value_sum"] = total
    out["value_count"] = count.astype("int64")
    out["stdev"] = stdev
    out["value"] = centre
    freedom = np.where(several, count - 1, 1.0)
    for level in ci_levels:
        t = np.where(several, stats.t.ppf(0.5 + level.level / 2, freedom), np.nan)
        out[level.lower] = centre - t * standard_error
        out[level.upper] = centre + t * standard_error
    return out
