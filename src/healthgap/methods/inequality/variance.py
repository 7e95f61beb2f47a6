"""Variance measures for non-ordered dimensions: BGV, BGSD and COV.

All three weight subgroups by their population shares ``p_j`` around the
population-weighted mean ``μ = Σ p_j y_j``. BGV has an analytic standard error (Ahn et
al. 2018); BGSD and COV get simulated limits as in healthequal (Ahn et al. 2019; see
``_simulation.py``).
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
from healthgap.methods.inequality._subgroups import complete, weighted_sum


def _moments(share: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and between-group variance along the last axis (0 in padding)."""
    mu = weighted_sum(y, share)
    deviation = y - mu[..., None]
    deviation *= deviation
    return mu, weighted_sum(deviation, share)


def _filled(settings: Settings) -> np.ndarray:
    return np.where(settings.mask, settings.y, 0.0)


def _bgv(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """BGV = Σ p_j (y_j − μ)²; SE from Ahn et al. (2018) as in healthequal; normal limits.

    .. math::

        SE^2 = 4\\sum p_j^2 s_j^2 (y_j - μ)^2
             + 2\\Big[\\big(\\sum p_j^2 s_j^2\\big)^2 - \\sum p_j^4 s_j^4
             + \\sum p_j^2 (1 - p_j)^2 s_j^4\\Big]
    """
    s = settings
    p = s.share
    mu, value = _moments(p, _filled(s))
    dev2 = np.where(s.mask, s.y - mu[:, None], 0.0) ** 2
    v = np.where(s.mask, s.se, 0.0) ** 2
    known = complete(s, s.se)
    p2v = p**2 * v
    se2 = 4 * (p2v * dev2).sum(axis=1) + 2 * (
        p2v.sum(axis=1) ** 2 - (p2v**2).sum(axis=1) + (p2v * (1 - p) ** 2 * v).sum(axis=1)
    )
    se = np.where(known, np.sqrt(se2), np.nan)
    return Estimate(value, se, normal_limits(value, se, levels))


def _bgsd(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """BGSD = √BGV; simulation limits; no standard error (as healthequal)."""
    p = settings.share
    value = np.sqrt(_moments(p, _filled(settings))[1])

    def statistic(draws: np.ndarray) -> np.ndarray:
        return np.sqrt(_moments(p, draws)[1])

    limits = sim.limits(statistic, levels)
    return Estimate(value, np.full(value.shape, np.nan), limits)


def _cov(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """COV = BGSD / μ × 100 (μ the weighted mean); simulation limits; no standard error."""
    p = settings.share

    def statistic(draws: np.ndarray) -> np.ndarray:
        mu, bgv = _moments(p, draws)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sqrt(bgv) / mu * 100

    value = statistic(_filled(settings))
    limits = sim.limits(statistic, levels)
    return Estimate(value, np.full(value.shape, np.nan), limits)


# Non-ordered dimensions, more than two subgroups, population shares.
_measure = partial(
    Measure, dimensions="non-ordered", min_subgroups=3, null=0.0, requires=frozenset({"population"})
)

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="bgv",
        name="Between-group variance",
        kind="absolute",
        interpretation=(
            "Population-weighted variance of subgroup values around the setting average, in "
            "squared units of the indicator; 0 means no inequality, larger means more."
        ),
        compute=_bgv,
    ),
    _measure(
        code="bgsd",
        name="Between-group standard deviation",
        kind="absolute",
        interpretation=(
            "Population-weighted standard deviation of subgroup values around the setting "
            "average, in the indicator's units; 0 means no inequality, larger means more."
        ),
        compute=_bgsd,
    ),
    _measure(
        code="cov",
        name="Coefficient of variation",
        kind="relative",
        interpretation=(
            "Between-group standard deviation as a percentage of the setting average; "
            "0 means no inequality, larger means more."
        ),
        compute=_cov,
    ),
)
