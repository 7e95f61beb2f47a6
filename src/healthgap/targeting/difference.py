"""The difference between two independent proportions with Newcombe's hybrid score interval."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from healthgap.errors import InputError
from healthgap.methods import intervals


def newcombe_difference(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference ``x1/n1 - x2/n2`` with Newcombe's hybrid score confidence interval.

    Each proportion gets its Wilson score limits :math:`(l_i, u_i)`; the limits of the
    difference :math:`d = p_1 - p_2` combine their distances from the estimates:

    .. math::

        L = d - \\sqrt{(p_1 - l_1)^2 + (u_2 - p_2)^2}, \\qquad
        U = d + \\sqrt{(u_1 - p_1)^2 + (p_2 - l_2)^2}

    The interval lies within :math:`[-1, 1]`, is never degenerate (even at 0/n or n/n)
    and keeps close to nominal coverage in small samples, unlike the Wald interval.
    Vectorised: every argument may be an array (broadcast together).

    Parameters
    ----------
    x1, n1 : array_like
        Numerator and denominator of the first proportion (e.g. Core20).
    x2, n2 : array_like
        Numerator and denominator of the second (the comparator, e.g. the rest).
    level : float
        Two-sided confidence level, e.g. 0.95 or 0.998.

    Returns
    -------
    (difference, lower, upper) : tuple of ndarray
        As proportions (multiply by 100 for percentage points); NaN where a
        denominator is 0 or missing.

    Raises
    ------
    InputError
        A negative count, a numerator above its denominator, or a level outside
        [0.9, 1).

    References
    ----------
    Newcombe RG (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Stat Med* 17:873–890 (method 10, the
    score interval without continuity correction). Wilson EB (1927). *J Am Stat Assoc*
    22:209–212.

    Examples
    --------
    Newcombe's (1998) Table II example (a), 56/70 against 48/80:

    >>> d, lower, upper = newcombe_difference(56, 70, 48, 80)
    >>> round(float(d), 4), round(float(lower), 4), round(float(upper), 4)
    (0.2, 0.0524, 0.3339)
    """
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0.9 <= level < 1:
        raise InputError(f"level must be between 0.9 and 1 (e.g. 0.95), got {level!r}")
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype="float64") for a in (x1, n1, x2, n2)))
    a1, m1, a2, m2 = arrays
    for name, x, n in (("x1", a1, m1), ("x2", a2, m2)):
        if (x < 0).any() or (n < 0).any():
            raise InputError(f"counts must not be negative ({name} or its denominator)")
        if (x > n).any():
            raise InputError(f"{name} must not exceed its denominator")
    with np.errstate(divide="ignore", invalid="ignore"):
        empty = (m1 <= 0) | (m2 <= 0)
        p1 = np.where(empty, np.nan, a1 / np.where(m1 > 0, m1, 1.0))
        p2 = np.where(empty, np.nan, a2 / np.where(m2 > 0, m2, 1.0))
        l1, u1 = intervals.wilson(a1, m1, level)
        l2, u2 = intervals.wilson(a2, m2, level)
        d = p1 - p2
        lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lower, upper
