"""WHO HEAT's concentration indices: absolute (ACI) and relative (RCI).

Both rank the whole population of a setting from the most disadvantaged subgroup
(order 1) to the most advantaged: subgroup :math:`j`, holding population share
:math:`p_j`, sits at the midpoint of its slice of the cumulative share,

.. math::

    r_j = \\sum_{i < j} p_i + \\tfrac{1}{2} p_j

(subgroups with the same order share one slice). With :math:`\\mu = \\sum_j p_j y_j`,

.. math::

    ACI = \\sum_j p_j (2 r_j - 1) y_j, \\qquad RCI = 100 \\times \\frac{ACI}{\\mu}

HEAT obtains the standard error from the "convenient regression" (Kakwani, Wagstaff &
van Doorslaer 1997; O'Donnell et al. 2008): the weighted least-squares regression of
:math:`2 \\sigma_r^2 y_j` on :math:`r_j` with weights :math:`p_j`, where
:math:`\\sigma_r^2 = \\sum_j p_j (r_j - \\tfrac12)^2`. Its slope is the ACI and its usual
OLS standard error, with :math:`n - 2` residual degrees of freedom for :math:`n`
subgroups, is the ACI's; the limits are :math:`ACI \\pm z \\, SE`. The subgroups' own
standard errors are not used. RCI and its standard error are those of the ACI divided by
:math:`\\mu` (and multiplied by 100, as HEAT reports it). Neither changes sign for
adverse indicators: positive always means higher values among the advantaged. Both need
subgroup populations (shares); without them the result is NaN.

References
----------
Kakwani N, Wagstaff A, van Doorslaer E (1997), *J Econometrics* 77:87–103. O'Donnell O et
al. (2008), *Analyzing Health Equity Using Household Survey Data*, World Bank, ch. 8.
Schlotheuber A, Hosseinpoor AR (2022), *Int J Environ Res Public Health* 19:3697. WHO
(2024), *Health Equity Assessment Toolkit (HEAT) technical notes*. The same as
``healthequal::aci`` / ``healthequal::rci`` and HEAT's ``calc_aci`` / ``calc_rci``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._limits import normal_limits
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation
from healthgap.methods.inequality._subgroups import complete

#: HEAT reports RCI multiplied by 100 (bounded by -100 and 100).
RCI_MULTIPLIER = 100.0


def relative_rank(order: np.ndarray, share: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Midpoint of each subgroup's slice of the cumulative population share.

    Subgroups are taken in increasing ``order`` (1 = most disadvantaged); subgroups with
    the same order share one slice and so one rank. Arrays are (settings, subgroups);
    the result is NaN in padding and where the order is missing.

    >>> relative_rank(np.array([[1.0, 2, 3]]), np.array([[0.2, 0.5, 0.3]]), np.ones((1, 3), bool))
    array([[0.1 , 0.45, 0.85]])
    >>> relative_rank(np.array([[2.0, 1, 2]]), np.array([[0.25, 0.5, 0.25]]), np.ones((1, 3), bool))
    array([[0.75, 0.25, 0.75]])
    """
    valid = mask & np.isfinite(order)
    keys = np.where(valid, order, np.inf)
    idx = np.argsort(keys, axis=1, kind="stable")
    o = np.take_along_axis(keys, idx, axis=1)
    p = np.take_along_axis(np.where(valid, share, 0.0), idx, axis=1)
    after = np.cumsum(p, axis=1)
    before = after - p
    start = np.ones(o.shape, bool)
    start[:, 1:] = o[:, 1:] != o[:, :-1]
    end = np.ones(o.shape, bool)
    end[:, :-1] = start[:, 1:]
    low = np.maximum.accumulate(np.where(start, before, -np.inf), axis=1)
    high = np.minimum.accumulate(np.where(end, after, np.inf)[:, ::-1], axis=1)[:, ::-1]
    rank = np.empty_like(o)
    np.put_along_axis(rank, idx, (low + high) / 2, axis=1)
    return np.where(valid, rank, np.nan)


def concentration_index(
    y: np.ndarray, share: np.ndarray, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """ACI and its convenient-regression standard error for each row (NaN padding ignored).

    >>> y = np.array([[20.0, 30, 40, 50, 60]])
    >>> p = np.array([[78.0, 91, 162, 103, 105]]) / 539
    >>> r = relative_rank(np.arange(1.0, 6)[None], p, np.ones((1, 5), bool))
    >>> [round(float(v[0]), 6) for v in concentration_index(y, p, r)]
    [7.32842, 0.293685]
    """
    present = np.isfinite(rank)
    w = np.where(present, share, 0.0)
    r = np.where(present, rank, 0.0)
    yy = np.where(present, y, 0.0)
    n = present.sum(axis=1)
    aci = (w * (2 * r - 1) * yy).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = (w * (r - 0.5) ** 2).sum(axis=1)
        lhs = 2 * sigma2[:, None] * yy
        w_sum = w.sum(axis=1)
        r_bar = (w * r).sum(axis=1) / w_sum
        l_bar = (w * lhs).sum(axis=1) / w_sum
        dr = np.where(present, r - r_bar[:, None], 0.0)
        sxx = (w * dr**2).sum(axis=1)
        slope = (w * dr * lhs).sum(axis=1) / sxx
        resid = np.where(present, lhs - l_bar[:, None] - slope[:, None] * dr, 0.0)
        rss = (w * resid**2).sum(axis=1)
        se = np.sqrt(rss / (n - 2) / sxx)
    se = np.where(n < 3, np.nan, se)
    return aci, se


def _aci_parts(settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ACI, its SE and the weighted mean μ, NaN for settings that cannot be ranked."""
    share = np.where(settings.mask, settings.share, 0.0)
    usable = complete(settings, settings.y, settings.order, settings.share)
    usable &= share.sum(axis=1) > 0
    y = np.where(settings.mask & usable[:, None], settings.y, 0.0)
    rank = relative_rank(settings.order, share, settings.mask & usable[:, None])
    aci, se = concentration_index(y, share, rank)
    mu = (share * y).sum(axis=1)
    aci = np.where(usable, aci, np.nan)
    se = np.where(usable, se, np.nan)
    return aci, se, mu


def _aci(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    aci, se, _ = _aci_parts(settings)
    return Estimate(aci, se, normal_limits(aci, se, levels))


def _rci(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    aci, se, mu = _aci_parts(settings)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(mu != 0, RCI_MULTIPLIER / mu, np.nan)
    value, se = aci * factor, se * np.abs(factor)
    return Estimate(value, se, normal_limits(value, se, levels))


# Ordered dimensions, more than two subgroups, population shares (for the ranks).
_measure = partial(
    Measure, dimensions="ordered", min_subgroups=3, null=0.0, requires=frozenset({"population"})
)

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="aci",
        name="Absolute concentration index",
        kind="absolute",
        interpretation=(
            "0 means no inequality; positive values mean the indicator is concentrated "
            "among the more advantaged subgroups, negative values among the more "
            "disadvantaged. Larger absolute values mean greater inequality (indicator's units)."
        ),
        compute=_aci,
    ),
    _measure(
        code="rci",
        name="Relative concentration index",
        kind="relative",
        interpretation=(
            "0 means no inequality; values run from -100 to 100. Positive values mean the "
            "indicator is concentrated among the more advantaged subgroups, negative values "
            "among the more disadvantaged."
        ),
        compute=_rci,
    ),
)
