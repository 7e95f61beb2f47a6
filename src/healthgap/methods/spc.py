"""Statistical process control: NHS England's "Making Data Count" XmR charts."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame

IMPROVEMENTS = ("up", "down", "neither")
RULES = ("outside limits", "shift", "trend", "two of three near limit")
COMMON_CAUSE = "Common cause"
PASSES = "Consistently passes the target"
FAILS = "Consistently fails the target"
HIT_AND_MISS = "Hit and miss"

LIMIT = 2.66  # 3 / d2 with d2 = 1.128: three sigma from the mean moving range (Wheeler)
NEAR = 2 / 3  # "near a limit": beyond two thirds of the way to it, i.e. beyond two sigma
SHIFT_POINTS = 7  # a run this long on one side of the mean is a shift
TREND_POINTS = 6  # this many points each above (below) the one before is a trend

_OUTPUT = (
    "mean",
    "moving_range",
    "upper_process_limit",
    "lower_process_limit",
    "special_cause",
    "special_cause_direction",
    "variation",
    "assurance",
)


def spc(
    df: pd.DataFrame,
    value: str,
    *,
    order: str,
    by: _frame.By = None,
    improvement: str = "up",
    target: str | float | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    r"""XmR chart of each series, with NHS England's "Making Data Count" rules and icons.

    Within each ``by`` group the rows are put in ``order`` and the first :math:`b` points
    (``baseline``, all of them by default) set the centre line and the process limits:

    .. math::

        \bar x = \frac{1}{b}\sum_{i=1}^{b} x_i, \qquad
        MR_i = |x_i - x_{i-1}|, \qquad
        \overline{MR} = \frac{1}{b - 1}\sum_{i=2}^{b} MR_i,

        \text{UPL}, \text{LPL} = \bar x \pm 2.66\,\overline{MR}, \qquad
        \hat\sigma = \frac{\overline{MR}}{d_2} = \frac{2.66}{3}\,\overline{MR}
        \quad (d_2 = 1.128)

    Every moving range of the baseline counts: large ones are not screened out, as in the
    Making Data Count Excel tools. A point is *special cause* when it is part of

    1. **outside limits**: a point strictly above the UPL or below the LPL (a point
       exactly on a limit is inside);
    2. **shift**: a run of 7 or more consecutive points all above, or all below, the
       mean. A point exactly on the mean is neither, so it ends the run;
    3. **trend**: 6 or more consecutive points each higher than the one before (or each
       lower). Two equal consecutive values end the run;
    4. **two of three near limit**: two or three of three consecutive points beyond
       :math:`\bar x \pm 2\hat\sigma` (two thirds of the way to a limit, or past it), with
       all three points on that side of the mean. As in the Making Data Count tools,
       only the points beyond :math:`2\hat\sigma` are marked, not the third.

    (Making Data Count's Excel tool can be set to 6 or 7 points for shifts and trends; the
    NHSRplotthedots R package uses 7 for both. Here they are :data:`SHIFT_POINTS` and
    :data:`TREND_POINTS`.) Every point of a run that triggers a rule is marked. A point is
    *high* when it is above the mean (rules 1, 2 and 4) or part of a rising trend, *low*
    when below the mean or part of a falling trend. A point signalling both ways (a trend
    against the side of the mean it lies on) is shown as an improvement, as in the Making
    Data Count tools; with ``improvement="neither"`` it takes the side of the mean it lies
    on.

    The variation icon is judged on each series' latest point, as Making Data Count
    does: common cause unless that point is special cause. The assurance icon compares
    the target at the latest point with the process limits: a target outside the limits
    is consistently passed or failed (depending on ``improvement``); a target on or
    between the limits is hit and miss.

    Parameters
    ----------
    df : DataFrame
        One row per point; it is not modified.
    value : str
        Column of the measure plotted (counts, rates, percentages, times...). Every value
        must be present: an XmR chart has no gaps.
    order : str
        Column putting the points in time order: numbers, dates, or sortable labels such
        as ``"2023-04"``. Each may appear once per series.
    by : str or list of str, optional
        Columns identifying the series (area, indicator, ...); without it all rows form
        one series.
    improvement : str
        ``"up"`` when higher is better, ``"down"`` when lower is better, ``"neither"``.
    target : str or float, optional
        A target as a number, or a column of targets (the latest point's target is
        judged); gives the ``assurance`` column. Needs ``improvement`` up or down.
    baseline : int, optional
        How many of the first points of each series set the mean and limits; Making Data
        Count advises at least 15 to 20. A series with fewer points uses all of them.

    Returns
    -------
    DataFrame
        The rows of ``df``, keeping their index, sorted by series (in the order series
        first appear) and ``order``, with ``mean`` (the baseline mean),
        ``moving_range`` (missing at each series' first point),
        ``upper_process_limit``, ``lower_process_limit``, ``special_cause`` (the rules
        the point is part of, from ``"outside limits"``, ``"shift"``, ``"trend"`` and
        ``"two of three near limit"``, joined by ``", "``; empty if none),
        ``special_cause_direction`` (``"high"``, ``"low"`` or empty), and per series
        ``variation`` (``"Common cause"``, ``"Special cause improvement (high)"``,
        ``"Special cause improvement (low)"``, ``"Special cause concern (high)"``,
        ``"Special cause concern (low)"``, or with ``improvement="neither"``
        ``"Special cause (high)"`` and ``"Special cause (low)"``) and, with a target,
        ``assurance`` (``"Consistently passes the target"``, ``"Consistently fails the
        target"``, ``"Hit and miss"``, or empty where the latest target is missing).

    Raises
    ------
    InputError
        Missing columns, no rows, missing, infinite or non-numeric values, missing or repeated
        ``order`` within a series, a series of fewer than 2 points (no moving range, so
        no limits), a bad ``improvement``, ``baseline`` or ``target``, a target with
        ``improvement="neither"``, or an input column named like an output column.

    References
    ----------
    NHS England and NHS Improvement (2019). *Making Data Count: Getting started.*
    NHS England and NHS Improvement (2019). *Making Data Count: Strengthening your
    decisions.* https://www.england.nhs.uk/publication/making-data-count/
    Wheeler DJ (2000). *Understanding Variation: The Key to Managing Chaos*, 2nd edn.
    Knoxville (TN): SPC Press. (Natural process limits :math:`\bar x \pm 2.66\,\overline{MR}`.)

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "month": range(1, 13),
    ...     "waits": [30, 32, 31, 29, 33, 30, 31, 32, 30, 31, 29, 40],
    ... })
    >>> out = spc(df, "waits", order="month", improvement="down", target=35)
    >>> out.loc[0, ["mean", "upper_process_limit", "lower_process_limit"]].round(2).tolist()
    [31.5, 38.75, 24.25]
    >>> out.loc[out["special_cause"] != "", ["month", "waits", "special_cause"]]
        month  waits   special_cause
    11     12     40  outside limits
    >>> out.loc[11, ["special_cause_direction", "variation", "assurance"]].tolist()
    ['high', 'Special cause concern (high)', 'Hit and miss']
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    if improvement not in IMPROVEMENTS:
        choices = ", ".join(map(repr, IMPROVEMENTS))
        raise InputError(f"improvement must be one of {choices}; got {improvement!r}")
    points = _check_baseline(baseline)
    target_column, target_value = _check_target(target, improvement)
    _frame.require_columns(df, value, order, target_column, *by_cols)
    clash = [c for c in (value, order, target_column, *by_cols) if c in _OUTPUT]
    if clash:
        raise InputError(
            f"column(s) {', '.join(map(repr, clash))} would be overwritten by the results; "
            "rename them first"
        )
    if df.empty:
        raise InputError("the data has no rows")

    x_in = _frame.numeric(df, value)
    infinite = np.isinf(x_in)
    if infinite.any():
        raise InputError("must be finite", column=value, rows=df.index[infinite])
    keys, codes = _frame.group_keys(df, by_cols)
    rows = _frame.time_order(df, order, codes, noun="time")
    n_groups = len(keys)
    group, x = codes[rows], x_in[rows]
    sizes = np.bincount(group, minlength=n_groups)
    short = sizes[group] < 2
    if short.any():
        raise InputError(
            "needs at least 2 points in each series to have a moving range and limits",
            column=value,
            rows=df.index[rows[short]],
        )
    starts = np.cumsum(sizes) - sizes
    position = np.arange(len(x)) - starts[group]
    first = position == 0

    used = sizes if points is None else np.minimum(sizes, points)
    in_baseline = position < used[group]
    moving_range = np.abs(np.diff(x, prepend=np.nan))
    moving_range[first] = np.nan
    total, mr_total = _frame.group_sums(
        group,
        n_groups,
        np.where(in_baseline, x, 0.0),
        np.where(in_baseline & ~first, moving_range, 0.0),
    )
    centre = (total / used)[group]
    spread = (LIMIT * mr_total / (used - 1))[group]
    upper, lower = centre + spread, centre - spread

    high, low, flags = _rules(x, centre, spread, first, position, sizes[group])
    both = high & low
    # MDC's tools show improvement; with no better direction, the side of the mean decides
    up = improvement == "up"
    prefer_high = x >= centre if improvement == "neither" else np.full(len(x), up)
    is_high = high & (~both | prefer_high)
    is_low = low & ~is_high
    direction = np.where(is_high, "high", np.where(is_low, "low", ""))

    out = df.iloc[rows].copy()
    out["mean"] = centre
    out["moving_range"] = moving_range
    out["upper_process_limit"] = upper
    out["lower_process_limit"] = lower
    out["special_cause"] = _labels(flags)
    out["special_cause_direction"] = direction.astype(object)
    latest = starts + sizes - 1
    out["variation"] = _variation(direction[latest], improvement)[group]
    if target_column is not None or target_value is not None:
        if target_column is not None:
            goal = _frame.numeric(df, target_column, allow_missing=True)[rows][latest]
        else:
            goal = np.full(n_groups, target_value)
        out["assurance"] = _assurance(goal, upper[latest], lower[latest], improvement)[group]
    return out


def _check_baseline(baseline: object) -> int | None:
    if baseline is None:
        return None
    if isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)) or baseline < 2:
        raise InputError(f"baseline must be a whole number of at least 2 points, got {baseline!r}")
    return int(baseline)


def _check_target(target: object, improvement: str) -> tuple[str | None, float | None]:
    """The target's column, or its value; raise if it cannot be judged."""
    if target is None:
        return None, None
    if improvement == "neither":
        raise InputError('a target needs improvement="up" or "down" to say whether it is passed')
    if isinstance(target, str):
        return target, None
    if isinstance(target, bool) or not isinstance(target, Real) or not math.isfinite(target):
        raise InputError(f"target must be a column name or a finite number, got {target!r}")
    return None, float(target)


def _run_lengths(state: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Length of the run of equal ``state`` each point is in; a series' first point starts one."""
    starts = first.copy()
    starts[1:] |= state[1:] != state[:-1]
    run = np.cumsum(starts) - 1
    return np.bincount(run)[run]


def _rules(
    x: np.ndarray,
    centre: np.ndarray,
    spread: np.ndarray,
    first: np.ndarray,
    position: np.ndarray,
    size: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each point's high and low signals, and which of :data:`RULES` it is part of."""
    side = np.sign(x - centre)
    outside_high, outside_low = x > centre + spread, x < centre - spread

    shift = (side != 0) & (_run_lengths(side, first) >= SHIFT_POINTS)
    shift_high, shift_low = shift & (side > 0), shift & (side < 0)

    # A trend of k points is k - 1 steps the same way; mark each step's two ends.
    step = np.sign(np.diff(x, prepend=x[:1]))
    step[first] = 0
    trending = (step != 0) & (_run_lengths(step, first) >= TREND_POINTS - 1)
    rising, falling = trending & (step > 0), trending & (step < 0)
    trend_high = rising | np.append(rising[1:], False)
    trend_low = falling | np.append(falling[1:], False)

    has_window = position + 2 < size  # a window of three starting here stays in the series
    near = NEAR * spread
    near_high = _two_of_three(x > centre + near, side > 0, has_window)
    near_low = _two_of_three(x < centre - near, side < 0, has_window)

    high = outside_high | shift_high | trend_high | near_high
    low = outside_low | shift_low | trend_low | near_low
    flags = [
        outside_high | outside_low,
        shift,
        trend_high | trend_low,
        near_high | near_low,
    ]
    return high, low, flags


def _two_of_three(beyond: np.ndarray, same_side: np.ndarray, has_window: np.ndarray) -> np.ndarray:
    """Points beyond two sigma that, with another such point, lie in three consecutive
    points all on that side of the mean."""
    b = np.append(beyond, [False, False]).astype(np.intp)
    s = np.append(same_side, [False, False])
    window = has_window & (b[:-2] + b[1:-1] + b[2:] >= 2) & s[:-2] & s[1:-1] & s[2:]
    w = np.concatenate([[False, False], window])
    return beyond & (w[2:] | w[1:-1] | w[:-2])  # windows starting here, 1 or 2 points back


def _labels(flags: list[np.ndarray]) -> np.ndarray:
    labels = np.full(len(flags[0]), "", dtype=object)
    for rule, flag in zip(RULES, flags, strict=True):
        labels = np.where(flag, np.where(labels == "", rule, labels + ", " + rule), labels)
    return labels


def _variation(direction: np.ndarray, improvement: str) -> np.ndarray:
    """Making Data Count's variation icon from the latest point's direction."""
    special = direction != ""
    if improvement == "neither":
        kind = np.full(len(direction), "Special cause")
    else:
        better = (direction == "high") == (improvement == "up")
        kind = np.where(better, "Special cause improvement", "Special cause concern")
    named = np.char.add(np.char.add(kind.astype(str), " ("), np.char.add(direction, ")"))
    return np.where(special, named, COMMON_CAUSE).astype(object)


def _assurance(
    goal: np.ndarray, upper: np.ndarray, lower: np.ndarray, improvement: str
) -> np.ndarray:
    """Making Data Count's assurance icon: is the target outside the process limits?"""
    above, below = goal > upper, goal < lower
    if improvement == "up":
        verdict = np.where(above, FAILS, np.where(below, PASSES, HIT_AND_MISS))
    else:
        verdict = np.where(above, PASSES, np.where(below, FAILS, HIT_AND_MISS))
    return np.where(np.isnan(goal), "", verdict).astype(object)
