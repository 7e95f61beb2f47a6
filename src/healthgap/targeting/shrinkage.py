"""Empirical-Bayes shrinkage of small-area proportions (beta-binomial) and rates
(gamma-Poisson): the prior estimated across all areas, and each area's posterior.

Each area's true uptake :math:`\\theta_i` is drawn from a prior shared by every area; its
observed count is binomial (or Poisson) given :math:`\\theta_i`. The prior is estimated
from the areas themselves — by the method of moments (closed form, the default) or by
maximising the marginal likelihood — and each area's estimate is its posterior: a
weighted average of its own rate and the prior mean, pulled further towards the mean the
fewer people it has.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from healthgap.errors import InputError

PRIOR_METHODS = ("moments", "ml")
#: Prior strengths (α + β, or the gamma rate) beyond this are treated as infinite.
_HUGE = 1e12
_TINY = 1e-8


@dataclass(frozen=True)
class Prior:
    """A prior fitted across areas, in terms of its mean and strength.

    Attributes
    ----------
    family : {"beta", "gamma"}
    mean : float
        Prior mean: a proportion (beta) or a rate per person-year (gamma).
    strength : float
        :math:`M = \\alpha + \\beta` (beta: the prior is worth :math:`M` people) or the
        gamma rate :math:`b` (worth :math:`b` person-years). ``inf``: the areas differ no
        more than chance alone would make them, and every area is shrunk to the mean.
    method : {"moments", "ml"}
    """

    family: str
    mean: float
    strength: float
    method: str

    @property
    def shape(self) -> tuple[float, float]:
        """(α, β) of the beta prior, or (shape, rate) of the gamma prior."""
        if self.family == "beta":
            return self.mean * self.strength, (1 - self.mean) * self.strength
        return self.mean * self.strength, self.strength

    @property
    def variance(self) -> float:
        """Variance of the true rates across areas (0 for complete pooling)."""
        if math.isinf(self.strength):
            return 0.0
        if self.family == "beta":
            return self.mean * (1 - self.mean) / (self.strength + 1)
        return self.mean / self.strength


def _choice(prior: object) -> str:
    if not isinstance(prior, str) or prior not in PRIOR_METHODS:
        raise InputError(
            f"prior must be one of {', '.join(map(repr, PRIOR_METHODS))}; got {prior!r}"
        )
    return prior


def _pooled(x: np.ndarray, n: np.ndarray) -> tuple[float, float, float, int]:
    """Pooled rate, total, :math:`\\sum n_i^2 / N` and the number of areas."""
    if len(x) < 2:
        raise InputError("empirical-Bayes shrinkage needs at least two areas")
    total = math.fsum(n)
    return math.fsum(x) / total, total, float(np.sum(n * n)) / total, len(x)


def beta_prior(x: np.ndarray, n: np.ndarray, method: str = "moments") -> Prior:
    """Beta prior of proportions across areas with ``x`` of ``n`` people reached.

    Moments (Kleinman 1973, weights :math:`n_i`): with :math:`\\hat\\mu = \\sum x_i / N`,
    :math:`S = \\sum n_i (p_i - \\hat\\mu)^2`, :math:`k` areas and
    :math:`N = \\sum n_i`, the intra-area correlation :math:`\\rho = 1/(M + 1)` is

    .. math::

        \\hat\\rho = \\frac{S / \\hat\\mu(1 - \\hat\\mu) - (k - 1)}
                          {N - \\sum n_i^2 / N - (k - 1)}

    (unbiased for :math:`E[S]` under the beta-binomial model). :math:`\\hat\\rho \\le 0`
    gives complete pooling (:math:`M = \\infty`). ``"ml"`` maximises the beta-binomial
    marginal likelihood :math:`\\sum_i \\log B(x_i + \\alpha, n_i - x_i + \\beta) -
    \\log B(\\alpha, \\beta)` from the moment estimate.
    """
    method = _choice(method)
    mean, total, sum_sq, k = _pooled(x, n)
    if mean in (0.0, 1.0):
        return Prior("beta", mean, math.inf, method)
    spread = float(np.sum(n * (x / n - mean) ** 2))
    divisor = total - sum_sq - (k - 1)
    rho = (spread / (mean * (1 - mean)) - (k - 1)) / divisor if divisor > 0 else 0.0
    strength = math.inf if rho <= 0 else max(1 / min(rho, 1.0) - 1, _TINY)
    if method == "ml":
        mean, strength = _maximise(_beta_loglik, x, n, mean, strength)
    return Prior("beta", mean, strength, method)


def gamma_prior(x: np.ndarray, e: np.ndarray, method: str = "moments") -> Prior:
    """Gamma prior of rates across areas with ``x`` events in ``e`` person-years.

    Moments (after Marshall 1991): with :math:`\\hat m = \\sum x_i / E`,
    :math:`S = \\sum e_i (r_i - \\hat m)^2` and :math:`E = \\sum e_i`, the variance of the
    true rates is

    .. math::

        \\hat v = \\frac{S - (k - 1)\\hat m}{E - \\sum e_i^2 / E}

    and the prior is Gamma(shape :math:`\\hat m^2/\\hat v`, rate :math:`b = \\hat m/\\hat v`);
    :math:`\\hat v \\le 0` gives complete pooling. ``"ml"`` maximises the negative-binomial
    marginal likelihood (Clayton & Kaldor 1987).
    """
    method = _choice(method)
    mean, total, sum_sq, k = _pooled(x, e)
    if mean == 0.0:
        return Prior("gamma", mean, math.inf, method)
    spread = float(np.sum(e * (x / e - mean) ** 2))
    divisor = total - sum_sq
    variance = (spread - (k - 1) * mean) / divisor if divisor > 0 else 0.0
    strength = math.inf if variance <= 0 else max(mean / variance, _TINY)
    if method == "ml":
        mean, strength = _maximise(_gamma_loglik, x, e, mean, strength)
    return Prior("gamma", mean, strength, method)


def _beta_loglik(x: np.ndarray, n: np.ndarray, mean: float, strength: float) -> float:
    a, b = mean * strength, (1 - mean) * strength
    return float(np.sum(special.betaln(x + a, n - x + b)) - len(x) * special.betaln(a, b))


def _gamma_loglik(x: np.ndarray, e: np.ndarray, mean: float, strength: float) -> float:
    a, b = mean * strength, strength
    terms = special.gammaln(a + x) - special.gammaln(a) + a * np.log(b) - (a + x) * np.log(b + e)
    return float(np.sum(terms))


LogLik = Callable[[np.ndarray, np.ndarray, float, float], float]


def _maximise(
    loglik: LogLik, x: np.ndarray, n: np.ndarray, mean: float, strength: float
) -> tuple[float, float]:
    """Maximise ``loglik`` over (logit or log of the mean, log strength)."""
    beta = loglik is _beta_loglik
    to_mean = special.expit if beta else np.exp
    start_mean = special.logit(mean) if beta else math.log(mean)
    start = [start_mean, math.log(min(strength, _HUGE / 10))]

    def objective(theta: np.ndarray) -> float:
        value = loglik(x, n, float(to_mean(theta[0])), float(np.exp(theta[1])))
        return -value if np.isfinite(value) else 1e300

    bounds = [(None, None), (math.log(_TINY), math.log(_HUGE))]
    found = optimize.minimize(objective, start, method="L-BFGS-B", bounds=bounds)
    fitted_mean, log_strength = float(to_mean(found.x[0])), float(found.x[1])
    infinite = log_strength >= math.log(_HUGE) - 1e-6
    return fitted_mean, math.inf if infinite else math.exp(log_strength)


def posterior(
    prior: Prior, x: np.ndarray, n: np.ndarray, levels: list[float]
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Posterior means, equal-tailed intervals at each level, and the shrinkage weight.

    Beta: Beta(:math:`\\alpha + x_i`, :math:`\\beta + n_i - x_i`), mean
    :math:`(\\alpha + x_i)/(M + n_i)`; gamma: Gamma(:math:`a + x_i`, rate :math:`b + e_i`),
    mean :math:`(a + x_i)/(b + e_i)`. The shrinkage weight is the prior's share of the
    posterior mean, :math:`M/(M + n_i)` or :math:`b/(b + e_i)`; with complete pooling it
    is 1 and the intervals collapse onto the prior mean. A prior worth less than one
    person (areas at 0% and 100%) can leave a posterior so skewed that its mean falls
    outside its equal-tailed interval.
    """
    if math.isinf(prior.strength):
        point = np.full(len(x), prior.mean)
        return point, [(point, point) for _ in levels], np.ones(len(x))
    a, b = prior.shape
    if prior.family == "beta":
        shape1, shape2 = a + x, b + n - x
        mean = shape1 / (shape1 + shape2)
        quantile = stats.beta(shape1, shape2).ppf
    else:
        shape1, rate = a + x, b + n
        mean = shape1 / rate
        quantile = stats.gamma(shape1, scale=1 / rate).ppf
    intervals = [(quantile((1 - lv) / 2), quantile((1 + lv) / 2)) for lv in levels]
    return mean, intervals, prior.strength / (prior.strength + n)
