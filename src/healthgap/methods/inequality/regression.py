"""WHO HEAT's regression-based measures: slope and relative index of inequality (SII, RII).

HEAT turns each subgroup's estimate into a count of "cases" among its population,
:math:`n_j = \\lceil N_j \\rceil` and :math:`x_j = \\mathrm{round}(n_j y_j / s)` where
:math:`s` is the indicator's scale (100 for a percentage), ranks subgroups from the most
disadvantaged (rank 0) to the most advantaged (rank 1) at the midpoint
:math:`r_j` of their cumulative population share, and fits the logistic regression

.. math::

    \\operatorname{logit} \\pi_j = \\beta_0 + \\beta_1 r_j

to :math:`x_j / n_j` by maximum likelihood, as R's ``glm(cbind(x, n - x) ~ rank,
weights = n, family = binomial)`` does: each subgroup's prior weight is :math:`n_j^2`
(the ``weights`` argument multiplies the binomial totals). With
:math:`\\pi(r) = \\operatorname{expit}(\\hat\\beta_0 + \\hat\\beta_1 r)`,

.. math::

    SII = s\\,[\\pi(1) - \\pi(0)], \\qquad RII = \\pi(1) / \\pi(0)

Standard errors are by the delta method from the HC1 heteroskedasticity-consistent
("sandwich") covariance of :math:`\\hat\\beta`,
:math:`\\tfrac{n}{n-2} A \\left(\\sum_j u_j^2 x_j x_j^\\top\\right) A` with
:math:`A = (X^\\top W X)^{-1}` and :math:`u_j = n_j^2 (x_j / n_j - \\hat\\pi_j)`, as
``marginaleffects::avg_comparisons(vcov = "HC1")``. SII's limits are
:math:`SII \\pm z\\,SE`; RII's are :math:`\\exp(\\ln RII \\pm z\\,SE_{\\ln RII})`, and the
``se`` reported for RII is that of :math:`\\ln RII`. Neither measure changes sign for
adverse indicators: a positive SII (RII above 1) always means higher values among the
advantaged. Both need subgroup populations; a setting whose estimate exceeds its scale
(a count above its population) gets NaN, as in HEAT.

References
----------
Schlotheuber A, Hosseinpoor AR (2022), *Int J Environ Res Public Health* 19:3697. WHO
(2024), *Health Equity Assessment Toolkit (HEAT) technical notes*. The same as HEAT's
``calc_sii`` / ``calc_rii`` and ``healthequal::sii`` / ``healthequal::rii`` (logistic, the
default) for disaggregated data. PHE's own SII (``methods/sii.py``) is a different method.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
from scipy.special import expit

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._limits import normal_limits, ratio_limits
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation
from healthgap.methods.inequality._subgroups import complete
from healthgap.methods.inequality.concentration import relative_rank

_MAX_ITERATIONS = 100
_TOLERANCE = 1e-12
_ETA_LIMIT = 30.0  # R's logit link clamps the linear predictor (MTHRESH)


def _solve2(
    w: np.ndarray, r: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted least squares of z on (1, r) per row; also the inverse of X'WX."""
    s0, s1, s2 = w.sum(axis=1), (w * r).sum(axis=1), (w * r * r).sum(axis=1)
    t0, t1 = (w * z).sum(axis=1), (w * r * z).sum(axis=1)
    det = s0 * s2 - s1 * s1
    b1 = (s0 * t1 - s1 * t0) / det
    b0 = (t0 - b1 * s1) / s0
    inverse = np.stack([np.stack([s2, -s1], -1), np.stack([-s1, s0], -1)], -2) / det[:, None, None]
    return b0, b1, inverse


def logistic_fit(
    x: np.ndarray, n: np.ndarray, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """HEAT's weighted logistic regression of x/n on rank, one fit per row.

    Returns the intercept, the slope and the HC1 covariance matrix (rows × 2 × 2).
    Padding (NaN rank or zero population) is left out.

    >>> x, n = np.array([[16.0, 27, 65, 52, 63]]), np.array([[78.0, 91, 162, 103, 105]])
    >>> rank = (np.cumsum(n) - n / 2) / n.sum()
    >>> b0, b1, cov = logistic_fit(x, n, rank)
    >>> round(float(b0[0]), 6), round(float(b1[0]), 6)
    (-1.350363, 1.970551)
    """
    present = np.isfinite(rank) & (n > 0)
    r = np.where(present, rank, 0.0)
    nn = np.where(present, n, 0.0)
    prop = np.where(present, x / np.where(present, n, 1.0), 0.0)
    prior = nn * nn
    b0 = b1 = np.zeros(len(r))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mu = (nn * prop + 0.5) / (nn + 1)
        eta = np.log(mu / (1 - mu))
        for _ in range(_MAX_ITERATIONS):
            eta = np.clip(eta, -_ETA_LIMIT, _ETA_LIMIT)
            mu = expit(eta)
            var = mu * (1 - mu)
            z = eta + (prop - mu) / var
            new0, new1, _ = _solve2(prior * var, r, np.where(present, z, 0.0))
            step = np.nanmax(np.abs(np.stack([new0 - b0, new1 - b1])), initial=0.0)
            b0, b1 = new0, new1
            eta = b0[:, None] + b1[:, None] * r
            if not step > _TOLERANCE * (1 + np.nanmax(np.abs(b1), initial=0.0)):
                break
        mu = expit(np.clip(eta, -_ETA_LIMIT, _ETA_LIMIT))
        _, _, bread = _solve2(prior * mu * (1 - mu), r, np.zeros_like(r))
        u2 = np.where(present, (prior * (prop - mu)) ** 2, 0.0)
        meat = np.stack(
            [
                np.stack([u2.sum(axis=1), (u2 * r).sum(axis=1)], -1),
                np.stack([(u2 * r).sum(axis=1), (u2 * r * r).sum(axis=1)], -1),
            ],
            -2,
        )
        k = present.sum(axis=1)
        cov = bread @ meat @ bread * (k / (k - 2))[:, None, None]
    cov[k < 3] = np.nan
    return b0, b1, cov


def _delta_se(gradient: np.ndarray, cov: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.einsum("gi,gij,gj->g", gradient, cov, gradient))


def _fit(settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """π(0), π(1), the HC1 covariance and a usable flag for every setting."""
    mask = settings.mask
    pop = np.where(mask, settings.pop, 0.0)
    y = np.where(mask, settings.y, 0.0)
    n = np.ceil(pop)
    usable = complete(settings, settings.pop, settings.y)
    usable &= ~(mask & (pop < 0)).any(axis=1) & (n.sum(axis=1) > 0)
    n = np.where(usable[:, None] & np.isfinite(n), n, 0.0)
    x = np.round(y / settings.scale * n)
    usable &= ~(mask & ((x < 0) | (x > n))).any(axis=1)
    x = np.where(usable[:, None], x, 0.0)
    share = n / np.where(n.sum(axis=1) > 0, n.sum(axis=1), 1.0)[:, None]
    live = mask & usable[:, None]
    rank = relative_rank(settings.order, share, live)
    b0, b1, cov = logistic_fit(x, n, rank)
    usable &= np.isfinite(b0) & np.isfinite(b1)
    return expit(b0), expit(b0 + b1), cov, usable


def _sii(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    p0, p1, cov, usable = _fit(settings)
    gradient = np.stack([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)], -1)
    value = np.where(usable, (p1 - p0) * settings.scale, np.nan)
    se = np.where(usable, _delta_se(gradient, cov) * settings.scale, np.nan)
    return Estimate(value, se, normal_limits(value, se, levels))


def _rii(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    p0, p1, cov, usable = _fit(settings)
    gradient = np.stack([p0 - p1, 1 - p1], -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(usable, np.log(p1) - np.log(p0), np.nan)
    se = np.where(usable, _delta_se(gradient, cov), np.nan)
    return Estimate(np.exp(log_ratio), se, ratio_limits(log_ratio, se, levels))


# Ordered dimensions, more than two subgroups, populations (for ranks and counts).
_measure = partial(
    Measure, dimensions="ordered", min_subgroups=3, requires=frozenset({"population"})
)

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="sii",
        name="Slope index of inequality",
        kind="absolute",
        null=0.0,
        interpretation=(
            "0 means no inequality; it is the modelled difference between the most "
            "advantaged and the most disadvantaged ends of the population (indicator's "
            "units): positive means higher values among the advantaged, negative among the "
            "disadvantaged."
        ),
        compute=_sii,
    ),
    _measure(
        code="rii",
        name="Relative index of inequality",
        kind="relative",
        null=1.0,
        interpretation=(
            "1 means no inequality; it is the modelled ratio of the most advantaged to the "
            "most disadvantaged end of the population: above 1 means higher values among "
            "the advantaged, below 1 among the disadvantaged (2 and 0.5 are equally large)."
        ),
        compute=_rii,
    ),
)
