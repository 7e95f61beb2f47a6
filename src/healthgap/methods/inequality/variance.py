"""Variance measures for non-ordered dimensions: BGV, BGSD and COV.

All three weight subgroups by their population shares ``p_j`` around the
population-weighted mean ``μ = Σ p_j y_j``. BGV has an analytic standard error (Ahn et
al. 2018); BGSD and COV get simulation limits as in healthequal (Ahn et al. 2019).

The simulation helper :func:`simulated_limits` is shared with other family modules.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from scipy import special

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality.pairwise import normal_limits

#: Simulated datasets per confidence interval (healthequal's default).
SIMULATIONS = 100
#: Upper bound on simulated values held at once (repetitions × settings × subgroups).
_CHUNK = 2_000_000

Statistic = Callable[[np.ndarray], np.ndarray]


def truncated_normal(
    rng: np.random.Generator,
    mean: np.ndarray,
    sd: np.ndarray,
    lower: float,
    upper: float,
    size: tuple[int, ...],
) -> np.ndarray:
    """Draws from N(mean, sd²) restricted to [lower, upper], by inverting the CDF.

    The same distribution as healthequal's redraw-until-inside loop. An interval lying
    wholly above the mean is mirrored below it, so the normal CDF is evaluated in its
    lower tail, where it is precise; ``sd = 0`` gives the mean (clipped to the bounds).
    """
    flip = mean < lower
    centre = np.where(flip, -mean, mean)
    lo_bound = np.where(flip, -upper, lower)
    hi_bound = np.where(flip, -lower, upper)
    spread = np.where(sd > 0, sd, 1.0)
    lo = special.ndtr((lo_bound - centre) / spread)
    hi = special.ndtr((hi_bound - centre) / spread)
    u = rng.uniform(size=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = centre + spread * special.ndtri(lo + u * (hi - lo))
    nearest = np.clip(centre, lo_bound, hi_bound)
    draws = np.where((sd > 0) & (hi > lo), np.clip(draws, lo_bound, hi_bound), nearest)
    return np.where(flip, -draws, draws)


def simulated_limits(
    settings: Settings,
    statistic: Statistic,
    levels: Sequence[Level],
    rng: np.random.Generator,
    repetitions: int = SIMULATIONS,
) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Percentile limits of ``statistic`` over datasets simulated from the subgroups.

    Each subgroup estimate is drawn from a normal distribution with its standard error,
    truncated to [0, 100] when the indicator's scale is 100 and to [0, ∞) otherwise, as
    healthequal does. ``statistic`` maps draws of shape (repetitions, settings, subgroups)
    (0 in padding) to values of shape (repetitions, settings). Limits are the
    (1 ± level)/2 quantiles; missing where any subgroup of a setting lacks a standard
    error.
    """
    s = settings
    upper = 100.0 if s.scale == 100 else np.inf
    mean = np.where(s.mask, s.y, 0.0)
    sd = np.where(s.mask, s.se, 0.0)
    known = ~np.isnan(sd).any(axis=1)
    if not known.any():  # no standard errors: nothing to simulate
        missing = np.full(s.n_settings, np.nan)
        return {lv.level: (missing, missing.copy()) for lv in levels}
    sd = np.nan_to_num(sd)
    per_rep = max(mean.size, 1)
    step = max(1, _CHUNK // per_rep)
    results = []
    for start in range(0, repetitions, step):
        size = (min(step, repetitions - start), *mean.shape)
        draws = truncated_normal(rng, mean, sd, 0.0, upper, size)
        results.append(statistic(draws))
    values = np.concatenate(results, axis=0)
    limits = {}
    for lv in levels:
        low, high = _quantiles(values, (lv.alpha / 2, 1 - lv.alpha / 2))
        limits[lv.level] = (np.where(known, low, np.nan), np.where(known, high, np.nan))
    return limits


def _quantiles(values: np.ndarray, q: tuple[float, float]) -> np.ndarray:
    """Quantiles over repetitions (axis 0), skipping failed repetitions as R's
    ``na.rm = TRUE`` does; missing for a setting whose every repetition failed."""
    failed = np.isnan(values).any(axis=0)
    out = np.quantile(np.where(failed, 0.0, values), q, axis=0)
    if failed.any():  # nanquantile loops over settings, so only where needed
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN settings → NaN
            out[:, failed] = np.nanquantile(values[:, failed], q, axis=0)
    return out


def _moments(share: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and between-group variance along the last axis (0 in padding)."""
    mu = (share * y).sum(axis=-1)
    return mu, (share * (y - mu[..., None]) ** 2).sum(axis=-1)


def _filled(settings: Settings) -> np.ndarray:
    return np.where(settings.mask, settings.y, 0.0)


def _bgv(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
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
    known = ~np.isnan(np.where(s.mask, s.se, 0.0)).any(axis=1)
    p2v = p**2 * v
    se2 = 4 * (p2v * dev2).sum(axis=1) + 2 * (
        p2v.sum(axis=1) ** 2 - (p2v**2).sum(axis=1) + (p2v * (1 - p) ** 2 * v).sum(axis=1)
    )
    se = np.where(known, np.sqrt(se2), np.nan)
    return Estimate(value, se, normal_limits(value, se, levels))


def _bgsd(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
    """BGSD = √BGV; simulation limits; no standard error (as healthequal)."""
    p = settings.share
    value = np.sqrt(_moments(p, _filled(settings))[1])

    def statistic(draws: np.ndarray) -> np.ndarray:
        return np.sqrt(_moments(p, draws)[1])

    limits = simulated_limits(settings, statistic, levels, rng)
    return Estimate(value, np.full(value.shape, np.nan), limits)


def _cov(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
    """COV = BGSD / μ × 100 (μ the weighted mean); simulation limits; no standard error."""
    p = settings.share

    def statistic(draws: np.ndarray) -> np.ndarray:
        mu, bgv = _moments(p, draws)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sqrt(bgv) / mu * 100

    value = statistic(_filled(settings))
    limits = simulated_limits(settings, statistic, levels, rng)
    return Estimate(value, np.full(value.shape, np.nan), limits)


MEASURES: tuple[Measure, ...] = (
    Measure(
        code="bgv",
        name="Between-group variance",
        kind="absolute",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        interpretation=(
            "Population-weighted variance of subgroup values around the setting average, in "
            "squared units of the indicator; 0 means no inequality, larger means more."
        ),
        compute=_bgv,
    ),
    Measure(
        code="bgsd",
        name="Between-group standard deviation",
        kind="absolute",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        interpretation=(
            "Population-weighted standard deviation of subgroup values around the setting "
            "average, in the indicator's units; 0 means no inequality, larger means more."
        ),
        compute=_bgsd,
    ),
    Measure(
        code="cov",
        name="Coefficient of variation",
        kind="relative",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        interpretation=(
            "Between-group standard deviation as a percentage of the setting average; "
            "0 means no inequality, larger means more."
        ),
        compute=_cov,
    ),
)
