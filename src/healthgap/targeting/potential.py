"""Potential to benefit: which communities have the most people not reached by a
preventive service, against a benchmark, with small-area noise shrunk away."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Confidence, levels
from healthgap.methods.compare import funnel_significance
from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate
from healthgap.targeting.shrinkage import beta_prior, gamma_prior, posterior

KINDS = ("proportion", "rate")
POLARITIES = ("higher-is-better", "lower-is-better")
NAMED_BENCHMARKS = ("best_quintile", "pooled")
RANK_BY = ("shrunk", "raw")
#: Share of the eligible population whose best areas make the ``"best_quintile"`` benchmark.
BEST_SHARE = 0.2

Benchmark = str | float


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InputError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def potential_to_benefit(
    df: pd.DataFrame,
    reached: str,
    eligible: str,
    *,
    area: str | Sequence[str] = "area_code",
    benchmark: Benchmark = "best_quintile",
    kind: str = "proportion",
    confidence: Confidence = 0.95,
    multiplier: float | None = None,
    polarity: str = "higher-is-better",
    prior: str = "moments",
    rank_by: str = "shrunk",
) -> pd.DataFrame:
    """Rank areas by the people not reached against a benchmark, with empirical-Bayes
    shrinkage of each area's uptake and funnel-plot flags.

    For area :math:`i` with :math:`x_i` of :math:`n_i` eligible people reached (or
    :math:`x_i` events in :math:`n_i` person-years, ``kind="rate"``) and benchmark
    :math:`b` (a proportion or a rate per person):

    .. math::

        \\text{not reached}_i = \\max(0,\\; b\\,n_i - x_i), \\qquad
        \\text{not reached (shrunk)}_i = \\max(0,\\; n_i (b - \\tilde p_i))

    where :math:`\\tilde p_i` is the posterior mean of a beta-binomial (proportions) or
    gamma-Poisson (rates) model whose prior is estimated across the areas (see
    :mod:`healthgap.targeting.shrinkage`):

    .. math::

        \\tilde p_i = \\frac{\\alpha + x_i}{\\alpha + \\beta + n_i}
                   = w_i \\frac{x_i}{n_i} + (1 - w_i)\\,\\mu, \\qquad
        w_i = \\frac{n_i}{n_i + M}

    Areas are ranked by the shrunk shortfall (``rank_by="shrunk"``, the default: a
    small area's chance low is not mistaken for a large gap), ties by the lower shrunk
    uptake, then by the raw shortfall. ``below_95`` / ``below_99_8`` flag raw uptake
    below the 95% / 99.8% funnel limits around :math:`b` at the area's :math:`n_i`
    (:func:`healthgap.funnel_significance`).

    Parameters
    ----------
    df : DataFrame
        One row per area (rows repeating an area are summed); it is not modified.
    reached, eligible : str
        Columns of people reached (events) and people eligible (person-years).
    area : str or list of str
        Column(s) naming the area or community.
    benchmark : float, "best_quintile" or "pooled"
        A number on the ``multiplier`` scale (e.g. 75 for 75% or the indicator's target);
        ``"pooled"``: all areas' total uptake; ``"best_quintile"``: the pooled uptake of the
        best areas (by shrunk uptake) that together hold a fifth of the eligible people —
        an achievable benchmark (Kiefe et al. 2001, with 20% in place of 10%).
    kind : {"proportion", "rate"}
    confidence : float or list of float
        Levels of the intervals (raw: Wilson or Poisson; shrunk: equal-tailed posterior).
    multiplier : float, optional
        Scale of uptake and benchmark: 100 (percent) for proportions, 100,000 for rates.
    polarity : {"higher-is-better", "lower-is-better"}
        For lower-is-better indicators the columns are ``excess``, ``excess_shrunk``,
        ``above_95`` and ``above_99_8`` (events above the benchmark), and the best areas
        are those with the lowest rates.
    prior : {"moments", "ml"}
        Estimate the prior by the method of moments or by marginal maximum likelihood.
    rank_by : {"shrunk", "raw"}
        Rank on ``not_reached_shrunk`` or ``not_reached``.

    Returns
    -------
    DataFrame
        One row per area in rank order: the ``area`` columns, ``eligible`` and ``reached``
        totals (under their input names), ``uptake`` with its limits
        (``uptake_lower_ci``, ``uptake_upper_ci`` for one level; suffixed ``_95``,
        ``_99_8`` for several), ``uptake_shrunk`` with ``uptake_shrunk_lower_ci`` …,
        ``shrinkage`` (the prior's weight :math:`1 - w_i`), ``benchmark``,
        ``not_reached``, ``not_reached_shrunk``, ``below_95``, ``below_99_8``, ``rank``
        and ``method`` (of the raw limits). ``attrs["prior"]`` holds the fitted prior.

    Raises
    ------
    InputError
        Missing or non-numeric columns, negative counts, eligible not above zero,
        reached above eligible (proportions), fewer than two areas, an unknown option or
        a benchmark out of range.

    References
    ----------
    Efron B, Morris C (1975). Data analysis using Stein's estimator and its
    generalizations. *J Am Stat Assoc* 70:311–319. Kleinman JC (1973). Proportions with
    extraneous variance: single and independent samples. *J Am Stat Assoc* 68:46–54.
    Clayton D, Kaldor J (1987). Empirical Bayes estimates of age-standardized relative
    risks for use in disease mapping. *Biometrics* 43:671–681. Marshall RJ (1991).
    Mapping disease and mortality rates using empirical Bayes estimators. *Appl Stat*
    40:283–294. Greenland S (2000). Principles of multilevel modelling. *Int J Epidemiol*
    29:158–167. Spiegelhalter DJ (2005). Funnel plots for comparing institutional
    performance. *Stat Med* 24:1185–1202. Kiefe CI et al. (2001). Improving quality
    improvement using achievable benchmarks for physician feedback. *JAMA* 285:2871–2879.

    Examples
    --------
    >>> df = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "vaccinated": [150, 60, 9, 160],
    ...                    "eligible": [200, 100, 10, 200]})
    >>> out = potential_to_benefit(df, "vaccinated", "eligible", benchmark=80)
    >>> out[["area_code", "uptake", "uptake_shrunk", "not_reached_shrunk", "rank"]].round(1)
      area_code  uptake  uptake_shrunk  not_reached_shrunk  rank
    0         B    60.0           62.9                17.1     1
    1         A    75.0           74.9                10.2     2
    2         D    80.0           79.4                 1.3     3
    3         C    90.0           78.7                 0.1     4

    C's 9 of 10 is pulled most towards the areas' mean (74.3%): it has the fewest people.
    """
    df = _frame.require_frame(df)
    area_cols = _frame.by_columns(area)
    if not area_cols:
        raise InputError("area must name the column(s) identifying each area")
    _frame.require_columns(df, reached, eligible, *area_cols)
    kind = _choice("kind", kind, KINDS)
    polarity = _choice("polarity", polarity, POLARITIES)
    rank_by = _choice("rank_by", rank_by, RANK_BY)
    ci_levels = levels(confidence)
    scale = float(multiplier if multiplier is not None else 100 if kind == "proportion" else 1e5)
    if not scale > 0:
        raise InputError(f"multiplier must be greater than zero, got {multiplier!r}")
    x, n = _frame.numeric(df, reached), _frame.numeric(df, eligible)
    _frame.non_negative(df, reached, x)
    _frame.positive(df, eligible, n)
    if kind == "proportion" and (over := x > n).any():
        message = f"reached must not exceed the eligible column {eligible!r}"
        raise InputError(message, column=reached, rows=df.index[over])
    out = _frame.totals(df, area_cols, {eligible: n, reached: x})
    x, n = _frame.values(out, reached), _frame.values(out, eligible)
    fit = (beta_prior if kind == "proportion" else gamma_prior)(x, n, prior)

    method = proportion if kind == "proportion" else rate
    raw = method(out, reached, eligible, confidence=confidence, multiplier=scale)
    out["uptake"] = raw["value"].to_numpy()
    for level in ci_levels:
        out[f"uptake_{level.lower}"] = raw[level.lower].to_numpy()
        out[f"uptake_{level.upper}"] = raw[level.upper].to_numpy()
    mean, intervals, weight = posterior(fit, x, n, [lv.level for lv in ci_levels])
    out["uptake_shrunk"] = mean * scale
    for level, (lower, upper) in zip(ci_levels, intervals, strict=True):
        out[f"uptake_shrunk_{level.lower}"] = lower * scale
        out[f"uptake_shrunk_{level.upper}"] = upper * scale
    out["shrinkage"] = weight

    higher = polarity == "higher-is-better"
    target = _benchmark(benchmark, kind, scale, x, n, mean, higher)
    out["benchmark"] = target * scale
    sign = 1.0 if higher else -1.0
    gap, flag = ("not_reached", "below") if higher else ("excess", "above")
    out[gap] = np.maximum(sign * (target * n - x), 0.0)
    out[f"{gap}_shrunk"] = np.maximum(sign * n * (target - mean), 0.0)
    significance = _significance(out, reached, eligible, kind, scale, target)
    label = "Low" if higher else "High"
    out[f"{flag}_95"] = significance.str.startswith(label).to_numpy(dtype=bool)
    out[f"{flag}_99_8"] = (significance == f"{label} (0.001)").to_numpy(dtype=bool)

    key = out[f"{gap}_shrunk" if rank_by == "shrunk" else gap].to_numpy()
    order = np.lexsort((-out[gap].to_numpy(), sign * mean, -key))
    out = out.iloc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["method"] = raw["method"].to_numpy()[order]
    out.attrs["prior"] = {"family": fit.family, "mean": fit.mean * scale,
                          "strength": fit.strength, "method": fit.method}  # fmt: skip
    return out


def _benchmark(
    benchmark: object,
    kind: str,
    scale: float,
    x: np.ndarray,
    n: np.ndarray,
    shrunk: np.ndarray,
    higher: bool,
) -> float:
    """The benchmark as a proportion or a rate per person."""
    if isinstance(benchmark, str):
        name = _choice("benchmark", benchmark, NAMED_BENCHMARKS)
        if name == "pooled":
            return math.fsum(x) / math.fsum(n)
        # Best areas first; keep those before the one that takes the total past a fifth.
        order = np.argsort(-shrunk if higher else shrunk, kind="stable")
        before = np.cumsum(n[order]) - n[order]
        best = order[before < BEST_SHARE * math.fsum(n)]
        return math.fsum(x[best]) / math.fsum(n[best])
    if isinstance(benchmark, bool) or not isinstance(benchmark, (int, float, np.number)):
        raise InputError(
            f"benchmark must be a number, 'best_quintile' or 'pooled'; got {benchmark!r}"
        )
    value = float(benchmark) / scale
    if not (0 <= value <= 1 if kind == "proportion" else value >= 0):
        top = f" (0 to {scale:g})" if kind == "proportion" else ""
        raise InputError(f"benchmark {benchmark!r} is out of range for a {kind}{top}")
    return value


def _significance(
    out: pd.DataFrame, reached: str, eligible: str, kind: str, scale: float, target: float
) -> pd.Series:
    """PHE's funnel labels of each area against the benchmark."""
    if kind == "rate" and target == 0:  # nothing is below a zero rate; all are above it
        label = "High (0.001)"
        return pd.Series(np.where(out[reached].to_numpy() > 0, label, "Not significant"))
    statistic = {"statistic": kind, "rate_type": "crude" if kind == "rate" else None}
    result = funnel_significance(out, reached, eligible, multiplier=scale,
                                 benchmark=target * scale, **statistic)  # type: ignore[arg-type]  # fmt: skip
    return result["significance"].astype(str).reset_index(drop=True)
