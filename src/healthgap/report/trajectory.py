"""Is an action's outcome indicator on target? Its latest value against a straight path.

An action names outcome indicators, a baseline, a target value and a target date. The
report draws the path the partnership committed to: a straight line from the baseline
on the action's start date to the target on the target date, flat at the target after
it. The indicator is **off target** when its latest value for the place (in the report
period, from the disclosure-controlled warehouse) is worse than that path at the end of
the latest value's period:

.. math::

    e(t) = b + (g - b)\\,\\min\\bigl(1, \\max(0, \\tfrac{t - t_0}{t_1 - t_0})\\bigr),
    \\qquad \\text{off target} \\iff (v - e(t))\\,d < 0

with baseline :math:`b` at start :math:`t_0`, target :math:`g` at target date
:math:`t_1`, latest value :math:`v` at :math:`t`, and aim :math:`d = \\operatorname{sign}
(g - b)` (+1: the action aims to raise the indicator). Without a baseline the aim comes
from the indicator's polarity and the path is judged only once the target date has
passed (the value must then have reached the target). A point estimate is compared:
a value just short of the path is flagged, because the Board asks "are we where we
said we would be?", not "is the shortfall statistically significant?". Actions with no
target, no target date, no value in the period or no way to tell the aim are not
assessed.

References
----------
NHS England (2024). *2024/25 priorities and operational planning guidance*: systems
agree a trajectory for each ambition, period by period, and delivery is reviewed
against it; the report applies the same idea with a straight line from baseline to
target.
"""

from __future__ import annotations

import numpy as np


def expected(
    baseline: np.ndarray,
    target: np.ndarray,
    start: np.ndarray,
    target_date: np.ndarray,
    at: np.ndarray,
) -> np.ndarray:
    """The path's value at day ``at`` (dates as day numbers); NaN baseline → target.

    Examples
    --------
    Baseline 60 on day 0, target 70 on day 100: on day 25 the path is at 62.5; before
    the start it is the baseline, after the target date the target.

    >>> expected(np.array([60.0] * 3), np.array([70.0] * 3), np.array([0] * 3),
    ...          np.array([100] * 3), np.array([25, -10, 150]))
    array([62.5, 60. , 70. ])
    """
    span = np.maximum(target_date - start, 1).astype("float64")
    share = np.clip((at - start) / span, 0.0, 1.0)
    path = baseline + (target - baseline) * share
    return np.where(np.isnan(baseline), target, path)


def off_target(
    value: np.ndarray,
    baseline: np.ndarray,
    target: np.ndarray,
    start: np.ndarray,
    target_date: np.ndarray,
    at: np.ndarray,
    higher_is_better: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which actions' latest values fall short of their path.

    Parameters
    ----------
    value : array
        The indicator's latest value (NaN: none in the period).
    baseline, target : array
        The action's baseline (NaN: none) and target value (NaN: none).
    start, target_date, at : array of int
        Day numbers (e.g. ``date.toordinal()``) of the action's start, its target date
        and the end of the latest value's period.
    higher_is_better : array of float
        1 when higher values are better, 0 when lower are, NaN when the indicator has no
        direction.

    Returns
    -------
    (off, assessed, path) : arrays
        ``off`` true where the value is worse than the path; ``assessed`` where a
        judgement could be made; ``path`` the expected value.

    Examples
    --------
    Uptake aims from 60 to 70 over 100 days. On day 50 the path is at 65: a value of 63
    is off target, 66 is on it. With no baseline, the value is judged only after the
    target date (day 120: 68 falls short of 70).

    >>> nan = np.nan
    >>> off, assessed, path = off_target(
    ...     np.array([63.0, 66.0, 68.0, 68.0]), np.array([60.0, 60.0, nan, nan]),
    ...     np.array([70.0] * 4), np.array([0] * 4), np.array([100] * 4),
    ...     np.array([50, 50, 120, 50]), np.array([1.0] * 4))
    >>> off.tolist(), assessed.tolist(), path.tolist()
    ([True, False, True, False], [True, True, True, False], [65.0, 65.0, 70.0, 70.0])
    """
    path = expected(baseline, target, start, target_date, at)
    aim = np.sign(target - baseline)
    from_polarity = np.where(higher_is_better == 1, 1.0, np.where(higher_is_better == 0, -1.0,
                                                                  np.nan))  # fmt: skip
    aim = np.where(np.isnan(baseline) | (aim == 0), from_polarity, aim)
    assessed = ~np.isnan(value) & ~np.isnan(target) & ~np.isnan(aim)
    assessed &= ~np.isnan(baseline) | (at >= target_date)
    with np.errstate(invalid="ignore"):
        off = assessed & ((value - path) * aim < 0)
    return off, assessed, path
