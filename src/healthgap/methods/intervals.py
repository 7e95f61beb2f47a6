"""Confidence limits for a count or a proportion: the building blocks of every method.

All functions take arrays (or scalars) and a two-sided confidence level, and are
vectorised. They are re-used by :func:`proportion`, :func:`rate`, :func:`dsr`,
:func:`isr` and the funnel-plot limits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special, stats

#: Below this many events PHE uses exact Poisson limits, at or above it Byar's method.
EXACT_BELOW = 10


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def wilson(x: ArrayLike, n: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``x / n``.

    .. math::

        \\frac{2x + z^2 \\mp z\\sqrt{z^2 + 4x(1 - x/n)}}{2(n + z^2)}

    References
    ----------
    Wilson EB (1927). Probable inference, the law of succession, and statistical
    inference. *J Am Stat Assoc* 22:209–212. Newcombe RG (1998). Two-sided confidence
    intervals for the single proportion. *Stat Med* 17:857–872 (method 3).

    Examples
    --------
    >>> lower, upper = wilson(65, 100)
    >>> round(float(lower), 6), round(float(upper), 6)
    (0.552544, 0.736358)
    """
    x, n = np.broadcast_arrays(np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64"))
    shape = x.shape
    x, n = x.reshape(-1), n.reshape(-1)
    z = _z(level)
    z2 = z * z
    # In-place operations: this runs on millions of rows.
    with np.errstate(divide="ignore", invalid="ignore"):
        root = x / n
        np.subtract(1, root, out=root)
        root *= x
        root *= 4
        root += z2
        np.maximum(root, 0.0, out=root)  # guards rounding when x == n (the term is z²)
        np.sqrt(root, out=root)
        root *= z
        centre = 2 * x
        centre += z2
        scale = n + z2
        scale *= 2
        lower = centre - root
        lower /= scale
        centre += root
        centre /= scale
    return lower.reshape(shape), centre.reshape(shape)


def byars(x: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to exact Poisson limits for a count ``x``.

    .. math::

        O_L = x\\left(1 - \\frac{1}{9x} - \\frac{z}{3\\sqrt{x}}\\right)^3, \\quad
        O_U = (x + 1)\\left(1 - \\frac{1}{9(x + 1)} + \\frac{z}{3\\sqrt{x + 1}}\\right)^3

    The lower limit is undefined (missing) for ``x = 0`` and wherever the bracket is
    negative (a very small count at high confidence, e.g. ``x = 1`` at 99.8%), as in
    PHEindicatormethods. PHE's methods use exact limits below 10 events, so this only
    matters when the function is called directly.

    References
    ----------
    Breslow NE, Day NE (1987). *Statistical Methods in Cancer Research, Vol II: The
    Design and Analysis of Cohort Studies*. IARC Scientific Publications 82, p. 69.

    Examples
    --------
    >>> lower, upper = byars(65)
    >>> round(float(lower), 6), round(float(upper), 6)
    (50.163188, 82.849139)
    """
    shape = np.shape(x)
    x = np.asarray(x, dtype="float64").reshape(-1)
    z = _z(level)
    # Written with in-place operations: this runs on millions of rows.
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(x)
        bracket = np.divide(-1 / 9, x)
        bracket += 1
        bracket -= np.divide(z / 3, root, out=root)
        lower = bracket * bracket
        lower *= bracket
        lower *= x
        lower[(bracket < 0) | ~(x > 0)] = np.nan
        x1 = x + 1
        root = np.sqrt(x1)
        bracket = np.divide(-1 / 9, x1)
        bracket += 1
        bracket += np.divide(z / 3, root, out=root)
        upper = bracket * bracket
        upper *= bracket
        upper *= x1
    return lower.reshape(shape), upper.reshape(shape)


def exact_poisson(x: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson limits for a count ``x`` from the chi-square distribution.

    .. math::

        O_L = \\tfrac12\\chi^2_{\\alpha/2}(2x), \\quad O_U = \\tfrac12\\chi^2_{1-\\alpha/2}(2x + 2)

    with :math:`O_L = 0` when ``x = 0``.

    References
    ----------
    Garwood F (1936). Fiducial limits for the Poisson distribution. *Biometrika*
    28:437–442. Public Health England (2018). *Technical Guide: Confidence Intervals*,
    section on counts.

    Examples
    --------
    >>> lower, upper = exact_poisson(1)
    >>> round(float(lower), 7), round(float(upper), 6)
    (0.0253178, 5.571643)
    """
    x = np.asarray(x, dtype="float64")
    alpha = 1 - level
    # gammaincinv(k, p) is the chi-square quantile with 2k degrees of freedom, halved.
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, special.gammaincinv(np.where(x > 0, x, 1.0), alpha / 2), 0.0)
        upper = special.gammaincinv(x + 1, 1 - alpha / 2)
    return lower, upper


def poisson(x: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """PHE's limits for a count: exact below :data:`EXACT_BELOW` events, Byar's otherwise.

    Examples
    --------
    >>> lower, upper = poisson([5, 40])
    >>> [round(float(v), 4) for v in lower]
    [1.6235, 28.5733]
    """
    x = np.asarray(x, dtype="float64")
    flat = x.reshape(-1)
    lower, upper = byars(flat, level)
    small = flat < EXACT_BELOW
    if small.any():
        # Exact limits only where needed: the inverse gamma is ~30× slower than Byar's.
        lower[small], upper[small] = exact_poisson(flat[small], level)
    return lower.reshape(x.shape), upper.reshape(x.shape)


def poisson_method(x: ArrayLike) -> pd.Categorical:
    """Name of the method :func:`poisson` uses for each count: ``"Exact"`` or ``"Byars"``.

    Missing counts get a missing method.

    >>> list(poisson_method([3, 10, np.nan]))
    ['Exact', 'Byars', nan]
    """
    x = np.asarray(x, dtype="float64").reshape(-1)
    codes = (x < EXACT_BELOW).astype("int8")
    codes[np.isnan(x)] = -1
    return pd.Categorical.from_codes(codes, categories=["Byars", "Exact"])
