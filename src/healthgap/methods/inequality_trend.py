"""Is a gap narrowing? Fingertips' recent-trend rule applied to an inequality measure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Confidence, levels
from healthgap.methods.trend import CANNOT, NO_CHANGE, recent_trend

WIDENING, NARROWING = "Widening", "Narrowing"
_Z95 = 1.959963984540054


def inequality_trend(
    df: pd.DataFrame,
    value: str,
    *,
    period: str,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    by: _frame.By = None,
    ratio: bool = False,
    points: int = 5,
    confidence: float = 0.998,
    change_confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Whether inequality is widening, narrowing or not changing significantly.

    ``value`` is a summary measure of inequality — PHE's or HEAT's SII, a difference
    (D), a ratio (R, RII), a concentration index — computed for several periods with its
    standard error or 95% limits. The latest ``points`` periods are tested with
    Fingertips' recent-trend rule (:func:`healthgap.recent_trend`: weighted least squares
    on :math:`1/SE^2`, significant when :math:`\\chi^2_1` exceeds 9.5495 for
    ``confidence=0.998`` *and* the slope keeps its sign when each point is dropped).

    A significant slope *away from* the no-inequality value (0 for differences, slopes and
    indices; 1 for ratios) is **widening**, one *towards* it **narrowing**. The side is the
    latest period's: a gap that has reversed and keeps growing the other way is widening.

    Ratio measures (``ratio=True``) are tested on the log scale, where 1 becomes 0 and a
    halving counts as much as a doubling; their SE is taken from the limits as
    :math:`(\\ln U - \\ln L) / 3.92`, or from ``se`` by the delta method :math:`SE/R`.

    The change between the first and last period of the whole series is reported with
    its confidence interval, treating the two periods' estimates as independent:

    .. math::

        \\Delta = y_{last} - y_{first}, \\qquad
        SE_\\Delta = \\sqrt{SE_{first}^2 + SE_{last}^2}

    (for ratios, :math:`\\exp(\\ln y_{last} - \\ln y_{first})`, a ratio of ratios).

    Parameters
    ----------
    df : DataFrame
        One row per group and period; not modified.
    value : str
        Column holding the measure.
    period : str
        Column ordering the rows in time (years, or sortable labels such as "2019-21").
    se : str, optional
        Column of standard errors of ``value``.
    lower, upper : str, optional
        Columns of its 95% confidence limits, used when ``se`` is not given.
    by : str or list of str, optional
        Columns identifying each series (area, indicator, measure…).
    ratio : bool
        True for ratio measures (R, RII): tested on the log scale, null value 1.
    points : int
        Periods tested, the most recent first (5 as Fingertips; at least 3).
    confidence : float
        Significance level of the trend test, 0.998 in Fingertips.
    change_confidence : float or list of float
        Level(s) of the interval for the first-to-last change.

    Returns
    -------
    DataFrame
        ``by`` columns; ``trend`` ("Widening", "Narrowing", "No significant change" or
        "Cannot be calculated" — fewer than ``points`` periods, or a missing or zero
        standard error among them); ``slope`` (per period, on the log scale for ratios),
        ``chi_square``, ``points_used``; ``first_period``, ``last_period`` (of the whole
        series), ``first_value``, ``last_value``, ``change`` and its limits
        (``change_lower_ci``, ``change_upper_ci``, or suffixed per level).

    References
    ----------
    Office for Health Improvement and Disparities, *Fingertips trend markers* (Public
    Health Technical Guidance). Public Health England (2018), *Technical Guide: Confidence
    Intervals* (difference of independent estimates). Altman DG, Bland JM (2003).
    Interaction revisited: the difference between two estimates. *BMJ* 326:219.

    Examples
    --------
    >>> sii = pd.DataFrame({
    ...     "year": [2019, 2020, 2021, 2022, 2023],
    ...     "sii": [8.0, 8.6, 9.1, 9.8, 10.4],
    ...     "se": [0.3] * 5,
    ... })
    >>> out = inequality_trend(sii, "sii", period="year", se="se")
    >>> out[["trend", "first_value", "last_value", "change"]].round(2)
          trend  first_value  last_value  change
    0  Widening          8.0        10.4     2.4
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    _frame.require_columns(df, value, period, se, lower, upper, *by_cols)
    if se is None and (lower is None or upper is None):
        raise InputError(
            "give the measure's standard error (se=) or its 95% limits (lower=, upper=)"
        )
    change_levels = levels(change_confidence)
    y = _frame.numeric(df, value, allow_missing=True)
    if se is not None:
        s = _frame.numeric(df, se, allow_missing=True)
        _frame.non_negative(df, se, s)
    if ratio:
        _frame.positive(df, value, y)
        s = s / y if se is not None else _log_se(df, lower, upper)
        y = np.log(y)
    elif se is None:
        assert lower is not None and upper is not None
        lo, up = (
            _frame.numeric(df, lower, allow_missing=True),
            _frame.numeric(df, upper, allow_missing=True),
        )
        s = (up - lo) / (2 * _Z95)
    work = df[[*by_cols, period]].copy()
    work["__y"], work["__se"] = y, s

    tested = recent_trend(
        work,
        "__y",
        period=period,
        se="__se",
        by=by_cols or None,
        points=points,
        polarity="no judgement",
        confidence=confidence,
    )
    keys, codes = _frame.group_keys(df, by_cols)
    first, last = _ends(df, period, codes, len(keys))
    side = np.sign(y[last])  # 0 (or log 1 = 0) is the no-inequality value
    rising = tested["trend"].to_numpy() == "Increasing"
    falling = tested["trend"].to_numpy() == "Decreasing"
    away = (rising & (side > 0)) | (falling & (side < 0))
    towards = (rising & (side < 0)) | (falling & (side > 0))
    trend = np.where(away, WIDENING, np.where(towards, NARROWING, tested["trend"].to_numpy()))
    trend = np.where((rising | falling) & (side == 0), NO_CHANGE, trend)

    out = keys.copy()
    out["trend"] = pd.Categorical(trend, [WIDENING, NARROWING, NO_CHANGE, CANNOT])
    for column in ("slope", "chi_square", "points_used"):
        out[column] = tested[column].to_numpy()
    periods = df[period].reset_index(drop=True)
    out["first_period"] = periods.iloc[first].to_numpy()
    out["last_period"] = periods.iloc[last].to_numpy()
    raw = _frame.numeric(df, value, allow_missing=True)
    out["first_value"], out["last_value"] = raw[first], raw[last]
    delta = y[last] - y[first]
    delta_se = np.sqrt(s[first] ** 2 + s[last] ** 2)
    back = np.exp if ratio else (lambda v: v)
    out["change"] = back(delta)
    for level in change_levels:
        out[f"change_{level.lower}"] = back(delta - level.z * delta_se)
        out[f"change_{level.upper}"] = back(delta + level.z * delta_se)
    return out


def _log_se(df: pd.DataFrame, lower: str | None, upper: str | None) -> np.ndarray:
    assert lower is not None and upper is not None
    lo = _frame.numeric(df, lower, allow_missing=True)
    up = _frame.numeric(df, upper, allow_missing=True)
    _frame.positive(df, lower, lo)
    return (np.log(up) - np.log(lo)) / (2 * _Z95)


def _ends(
    df: pd.DataFrame, period: str, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of each group's first and last period."""
    order = pd.DataFrame({"g": codes, "p": df[period].to_numpy()}).sort_values(
        ["g", "p"], kind="stable"
    )
    g = order["g"].to_numpy()
    positions = order.index.to_numpy()
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:] - 1, len(g) - 1]
    return positions[starts], positions[ends]
