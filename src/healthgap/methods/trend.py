"""Fingertips' recent-trend marker: is an indicator getting better or worse lately?"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import levels

POLARITIES = ("higher-is-better", "lower-is-better", "no judgement")
CANNOT = "Cannot be calculated"
NO_CHANGE = "No significant change"
_Z95 = 1.96  # Fingertips turns 95% limits into a standard error with (upper - lower) / 3.92


def recent_trend(
    df: pd.DataFrame,
    value: str | None = None,
    *,
    period: str,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    count: str | None = None,
    denominator: str | None = None,
    by: _frame.By = None,
    points: int = 5,
    polarity: str = "higher-is-better",
    confidence: float = 0.998,
) -> pd.DataFrame:
    """The Fingertips recent-trend marker of each group's latest ``points`` periods.

    Within each ``by`` group the rows are ordered by ``period`` and the most recent
    ``points`` (5, as Fingertips) are scored :math:`t = 1, \\dots, k` in time order.

    *Proportions* (``count`` and ``denominator`` given) use the chi-squared test for
    trend (Cochran–Armitage, as ``prop.trend.test`` in R), with :math:`N = \\sum n_t`,
    :math:`p = \\sum x_t / N` and :math:`\\bar t = \\sum n_t t / N`; the direction and its
    stability come from the unweighted least-squares slope of :math:`\\ln(x_t / (n_t - x_t))`.

    *Other values* (``value`` with ``se``, or with 95% limits giving
    :math:`SE = (U - L) / 3.92`) use weighted least squares with :math:`w_t = 1/SE_t^2`:

    .. math::

        X^2_{prop} = \\frac{\\left(\\sum x_t (t - \\bar t)\\right)^2}
                          {p(1 - p) \\sum n_t (t - \\bar t)^2}, \\qquad
        \\hat\\beta = \\frac{\\sum w_t (t - \\bar t_w)(y_t - \\bar y_w)}
                           {\\sum w_t (t - \\bar t_w)^2}, \\qquad
        X^2_{WLS} = \\hat\\beta^2 \\sum w_t (t - \\bar t_w)^2

    The trend is significant when :math:`X^2` exceeds the ``confidence`` quantile of
    :math:`\\chi^2_1` (9.5495 for 0.998) *and* the slope keeps its sign when each point in
    turn is left out (a slope of exactly zero counts as positive, as in Fingertips).

    Parameters
    ----------
    df : DataFrame
        One row per group and period; it is not modified.
    value : str, optional
        Column of indicator values (rates, ratios, life expectancy, means...). Not used,
        and not allowed, with ``count`` and ``denominator``.
    period : str
        Column ordering the rows in time: years, dates, or sortable labels such as
        ``"2019/20"``. Each period may appear once per group.
    se : str, optional
        Column of standard errors of ``value``.
    lower, upper : str, optional
        Columns of 95% confidence limits of ``value``, used instead of ``se``.
    count, denominator : str, optional
        Columns of numerators and denominators: the proportion method.
    by : str or list of str, optional
        Columns identifying the series (area, sex, ...); one output row per group.
    points : int
        How many of the most recent periods to test (at least 3).
    polarity : str
        ``"higher-is-better"``, ``"lower-is-better"`` or ``"no judgement"``.
    confidence : float
        Significance level of the test, 0.998 in Fingertips.

    Returns
    -------
    DataFrame
        ``by`` columns, ``trend`` (``"Increasing and getting better"``, ``"Increasing and
        getting worse"``, ``"Decreasing and getting better"``, ``"Decreasing and getting
        worse"``, ``"Increasing"`` or ``"Decreasing"`` with no judgement, ``"No significant
        change"`` or ``"Cannot be calculated"``), ``slope`` (per period; on the log-odds
        scale for proportions), ``chi_square``, ``points_used`` (periods examined),
        ``first_period`` and ``last_period``. A group cannot be calculated when it has fewer
        than ``points`` periods or a missing input among them, a standard error (or limit
        width) of zero, or for proportions a count of zero or equal to its denominator;
        its ``slope`` and ``chi_square`` are then missing.

    Raises
    ------
    InputError
        Missing columns or periods, a period repeated within a group, non-numeric
        inputs, negative standard errors, upper limits below lower limits, negative
        counts, denominators not above zero or below the count, a bad ``polarity``,
        ``points`` or ``confidence``, or an ambiguous choice of method.

    References
    ----------
    Office for Health Improvement and Disparities, *Fingertips trend markers*, Public
    Health Technical Guidance,
    https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Presentation/Trend_markers.html
    and its implementation, ``TrendMarkerCalculator`` in ukhsa-collaboration/fingertips-open
    (also dhsc-govuk/FingertipsNext). Armitage P (1955), *Biometrics* 11:375–386.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "area": ["A"] * 5 + ["B"] * 5,
    ...     "year": [2019, 2020, 2021, 2022, 2023] * 2,
    ...     "rate": [50, 52, 55, 57, 60, 50, 49, 51, 50, 50],
    ...     "se": [1.0] * 10,
    ... })
    >>> out = recent_trend(df, "rate", period="year", se="se", by="area",
    ...                    polarity="lower-is-better")
    >>> out[["area", "trend", "slope", "chi_square"]].round(2)
      area                         trend  slope  chi_square
    0    A  Increasing and getting worse    2.5        62.5
    1    B         No significant change    0.1         0.1
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    k = _check_points(points)
    threshold = _threshold(confidence)
    if polarity not in POLARITIES:
        choices = ", ".join(map(repr, POLARITIES))
        raise InputError(f"polarity must be one of {choices}; got {polarity!r}")
    proportions = _check_method(value, se, lower, upper, count, denominator)
    _frame.require_columns(df, period, value, se, lower, upper, count, denominator, *by_cols)
    if df.empty:
        raise InputError("the data has no rows")

    keys, codes = _frame.group_keys(df, by_cols)
    grid = _grid(df, period, codes, len(keys), k)
    complete = grid >= 0
    if proportions:
        assert count is not None and denominator is not None
        x, n = _proportion_inputs(df, count, denominator)
        xs, ns = _take(x, grid), _take(n, grid)
        ok = (complete & np.isfinite(xs) & np.isfinite(ns) & (xs > 0) & (xs < ns)).all(axis=1)
        xs, ns = np.where(ok[:, None], xs, 1.0), np.where(ok[:, None], ns, 2.0)
        slopes, _ = _slopes(np.log(xs / (ns - xs)), np.ones_like(xs))
        chi2 = _armitage(xs, ns)
    else:
        assert value is not None
        y, s = _value_inputs(df, value, se, lower, upper)
        ys, ss = _take(y, grid), _take(s, grid)
        ok = (complete & np.isfinite(ys) & np.isfinite(ss) & (ss > 0)).all(axis=1)
        ys, ss = np.where(ok[:, None], ys, 0.0), np.where(ok[:, None], ss, 1.0)
        unit = ss.min(axis=1, keepdims=True)  # weights relative to the largest, against overflow
        slopes, sxx = _slopes(ys, (unit / ss) ** 2)
        chi2 = slopes[:, 0] ** 2 * sxx / unit[:, 0] ** 2

    slope = slopes[:, 0]
    stable = ((slopes < 0) == (slope < 0)[:, None]).all(axis=1)
    out = keys.copy()
    out["trend"] = _labels(ok, ok & stable & (chi2 > threshold), slope, polarity)
    out["slope"] = np.where(ok, slope, np.nan)
    out["chi_square"] = np.where(ok, chi2, np.nan)
    used = complete.sum(axis=1)
    out["points_used"] = used.astype("int64")
    periods = df[period]
    first = grid[np.arange(len(keys)), k - used]
    out["first_period"] = periods.iloc[first].reset_index(drop=True)
    out["last_period"] = periods.iloc[grid[:, -1]].reset_index(drop=True)
    return out


def _check_points(points: object) -> int:
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 3:
        raise InputError(f"points must be a whole number of at least 3, got {points!r}")
    return int(points)


def _threshold(confidence: object) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating)):
        raise InputError(f"confidence must be one number such as 0.998, got {confidence!r}")
    return float(stats.chi2.ppf(levels(float(confidence))[0].level, 1))


def _check_method(
    value: str | None,
    se: str | None,
    lower: str | None,
    upper: str | None,
    count: str | None,
    denominator: str | None,
) -> bool:
    """True for the proportion method; raise unless exactly one method is fully specified."""
    if count is not None or denominator is not None:
        if count is None or denominator is None:
            raise InputError("the proportion method needs both count and denominator")
        if any(c is not None for c in (value, se, lower, upper)):
            raise InputError(
                "give either count and denominator (proportions) or value with se or "
                "lower and upper (other indicators), not both"
            )
        return True
    if value is None:
        raise InputError("give value with se (or lower and upper), or count and denominator")
    if (lower is None) != (upper is None):
        raise InputError("give both lower and upper 95% limits")
    if (se is None) == (lower is None):
        raise InputError("give either se or lower and upper 95% limits for value, not both")
    return False


def _grid(df: pd.DataFrame, period: str, codes: np.ndarray, n_groups: int, k: int) -> np.ndarray:
    """Row positions of each group's latest ``k`` periods, oldest first, -1 where absent."""
    order = _frame.time_order(df, period, codes, noun="period")
    group = codes[order]
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    from_end = sizes[group] - 1 - (np.arange(len(order)) - starts[group])
    keep = from_end < k
    grid = np.full((n_groups, k), -1, dtype=np.intp)
    grid[group[keep], k - 1 - from_end[keep]] = order[keep]
    return grid


def _take(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    return np.where(grid >= 0, values[grid], np.nan)


def _value_inputs(
    df: pd.DataFrame, value: str, se: str | None, lower: str | None, upper: str | None
) -> tuple[np.ndarray, np.ndarray]:
    y = _frame.numeric(df, value, allow_missing=True)
    if se is not None:
        s = _frame.numeric(df, se, allow_missing=True)
        _frame.non_negative(df, se, s)
        return y, s
    assert lower is not None and upper is not None
    lo = _frame.numeric(df, lower, allow_missing=True)
    hi = _frame.numeric(df, upper, allow_missing=True)
    inverted = hi < lo
    if inverted.any():
        raise InputError(f"must not be below {lower!r}", column=upper, rows=df.index[inverted])
    return y, (hi - lo) / (2 * _Z95)


def _proportion_inputs(
    df: pd.DataFrame, count: str, denominator: str
) -> tuple[np.ndarray, np.ndarray]:
    x = _frame.numeric(df, count, allow_missing=True)
    n = _frame.numeric(df, denominator, allow_missing=True)
    _frame.non_negative(df, count, x)
    if (n <= 0).any():
        raise InputError("must be greater than zero", column=denominator, rows=df.index[n <= 0])
    over = x > n
    if over.any():
        raise InputError(
            f"must not exceed the denominator {denominator!r}", column=count, rows=df.index[over]
        )
    return x, n


def _slopes(y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least-squares slopes on t = 1..k of all points and with each left out.

    Returns the slopes (groups x (k + 1): column 0 uses every point, column j + 1 leaves
    point j out) and :math:`\\sum w (t - \\bar t_w)^2` of the full fit. Centring t and y on
    their full weighted means first keeps the leave-one-out sums, found by subtracting
    the dropped point, free of cancellation.
    """
    t = np.arange(1.0, y.shape[1] + 1)
    sw = w.sum(axis=1, keepdims=True)
    dt = t - (w @ t)[:, None] / sw
    dy = y - (w * y).sum(axis=1, keepdims=True) / sw
    wt, wy = w * dt, w * dy
    stt = (wt * dt).sum(axis=1, keepdims=True)
    sty = (wt * dy).sum(axis=1, keepdims=True)
    # Without point j: sum w = sw - w_j, sum w dt = -wt_j, sum w dy = -wy_j, and so on.
    rest = sw - w
    loo = (rest * (sty - wt * dy) - wt * wy) / (rest * (stt - wt * dt) - wt**2)
    return np.hstack([sty / stt, loo]), stt[:, 0]


def _armitage(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Chi-squared test for trend in proportions, scores t = 1..k (no N/(N-1) factor)."""
    t = np.arange(1.0, x.shape[1] + 1)
    total = n.sum(axis=1)
    p = x.sum(axis=1) / total
    dt = t - (n @ t / total)[:, None]
    return (x * dt).sum(axis=1) ** 2 / (p * (1 - p) * (n * dt**2).sum(axis=1))


def _labels(
    ok: np.ndarray, significant: np.ndarray, slope: np.ndarray, polarity: str
) -> np.ndarray:
    up = slope > 0
    if polarity == "no judgement":
        moving = np.where(up, "Increasing", "Decreasing")
    else:
        better = up == (polarity == "higher-is-better")
        moving = np.char.add(
            np.where(up, "Increasing and getting ", "Decreasing and getting "),
            np.where(better, "better", "worse"),
        )
    return np.where(significant, moving, np.where(ok, NO_CHANGE, CANNOT)).astype(object)
