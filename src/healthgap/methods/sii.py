"""Slope and relative index of inequality (SII, RII) across deprivation quantiles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, _sii, _sii_simulation
from healthgap.methods._confidence import Confidence, levels, suffix

VALUE_TYPES = ("none", "rate", "proportion")
_RUNS = 10  # reliability_stat repeats the simulation this many times, as PHE


def sii(
    df: pd.DataFrame,
    value: str | None,
    population: str,
    *,
    quantile: str,
    by: _frame.By = None,
    value_type: str = "none",
    transform: bool = False,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    count: str | None = None,
    multiplier: float = 1,
    confidence: Confidence = 0.95,
    repetitions: int = 100_000,
    rii: bool = False,
    intercept: bool = False,
    reliability_stat: bool = False,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Slope index of inequality (SII) and relative index of inequality (RII).

    Within each group (e.g. an area) the quantiles are ordered 1 = most deprived first and
    given their share :math:`a_j` of the group's population and a relative rank
    :math:`b_j`, the midpoint of their band of the cumulative population. A line is fitted
    to the values :math:`y_j` by least squares weighted by :math:`a_j` (PHE's regression of
    :math:`y\\sqrt a` on :math:`\\sqrt a` and :math:`b\\sqrt a`):

    .. math::

        a_j = \\frac{P_j}{\\sum_i P_i}, \\quad b_j = \\sum_{i<j} a_i + \\frac{a_j}{2},
        \\quad (\\hat\\beta_0, \\hat\\beta_1) = \\arg\\min \\sum_j a_j
        (y_j - \\beta_0 - \\beta_1 b_j)^2

        \\mathrm{SII} = m\\hat\\beta_1, \\qquad
        \\mathrm{RII} = \\frac{\\hat\\beta_0 + \\hat\\beta_1}{\\hat\\beta_0}

    so the SII is the modelled gap from the most (rank 0) to the least deprived (rank 1):
    positive when values rise towards the least deprived (life expectancy), negative when
    they fall (mortality). With ``transform`` the line is fitted to :math:`g(y)`
    (:math:`g` = log for rates, logit for proportions) and taken back:
    :math:`\\mathrm{SII} = m\\,(g^{-1}(\\hat\\beta_0 + \\hat\\beta_1) - g^{-1}(\\hat\\beta_0))`,
    :math:`\\mathrm{RII} = g^{-1}(\\hat\\beta_0 + \\hat\\beta_1) / g^{-1}(\\hat\\beta_0)`.
    A negative multiplier :math:`m` reverses the polarity and inverts the RII.

    Confidence limits are simulated: each of :math:`R` repetitions draws every quantile's
    value from :math:`N(g(y_j), SE_j^2)` (:math:`g` the identity for ``"none"``), takes it
    back with :math:`g^{-1}` unless ``transform``, and refits the line; the limits are the
    :math:`\\mathrm{round}(R(1-p))`-th and :math:`\\mathrm{round}(Rp)`-th smallest results,
    :math:`p = (1 + \\text{level})/2`. With ``transform`` the limits :math:`s` of the slope on
    the :math:`g` scale are taken back around the fitted midpoint
    :math:`\\mu = \\hat\\beta_0 + \\hat\\beta_1/2`:
    :math:`m(g^{-1}(\\mu + s/2) - g^{-1}(\\mu - s/2))` for the SII and
    :math:`g^{-1}(\\mu + s/2) / g^{-1}(\\mu - s/2)` for the RII.

    Parameters
    ----------
    df : DataFrame
        One row per group and quantile; it is not modified.
    value : str or None
        Column of indicator values: proportions as 0–1 (not percentages). None to use
        ``count / population``.
    population : str
        Column of the quantiles' populations (all greater than zero).
    quantile : str
        Column of quantile numbers (1 = most deprived) or an ordered categorical. Every
        group must have each of the data's 5 to 100 quantiles exactly once.
    by : str or list of str, optional
        Columns identifying the groups; one output row per group.
    value_type : {"none", "rate", "proportion"}
        PHE's ``value_type`` 0, 1 and 2. For rates and proportions, standard errors are
        those of log(value) and logit(value).
    transform : bool
        Fit the line to log rates or logit proportions (needs ``lower`` and ``upper`` or
        ``count``, not ``se``).
    se : str, optional
        Column of standard errors (on the log or logit scale for rates and proportions).
    lower, upper : str, optional
        Columns of 95% confidence limits, used when ``se`` is not given:
        :math:`SE = (g(U) - g(L)) / (2 \\times 1.959964)`.
    count : str, optional
        Column of numerators: gives the value when ``value`` is None and, without ``se``
        or limits, the standard errors (rates :math:`1/\\sqrt{x}`, proportions
        :math:`\\sqrt{1/x + 1/(n - x)}` on the log and logit scales).
    multiplier : float
        Scales the SII and its limits (e.g. 100 for percentage points); negative to
        reverse the polarity.
    confidence : float or list of float
        0.95, 0.998, or both (``[0.95, 0.998]``) from one simulation.
    repetitions : int
        Simulated repetitions, at least 1,000 (PHE's default 100,000).
    rii : bool
        Also return the RII and its limits.
    intercept : bool
        Also return the fitted value at rank 0 (the most deprived end): :math:`\\hat\\beta_0`,
        or :math:`|m|\\,g^{-1}(\\hat\\beta_0)` with ``transform``, as PHE.
    reliability_stat : bool
        Run the simulation 10 times (10 × ``repetitions`` draws) and add ``sii_mad`` (and
        ``rii_mad``): the mean absolute difference of runs 2–10's limits from the first
        run's, whose limits are reported.
    seed : int or numpy.random.Generator, optional
        Seed of the simulation; the same seed gives the same limits.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``sii`` and its limits (``sii_lower_ci``, ``sii_upper_ci`` for
        one level; ``sii_lower_ci_95``, ``sii_upper_ci_95``, ``sii_lower_ci_99_8`` … for
        several), ``rii`` and its limits, ``intercept``, then ``sii_mad`` and ``rii_mad``
        (suffixed by level when there are several).

    Raises
    ------
    InputError
        Missing columns or values, non-numeric inputs, populations not above zero,
        negative standard errors or counts, limits in the wrong order, rates not above
        zero or proportions not strictly between 0 and 1 (nor their limits), a group
        without every quantile or with one twice, fewer than 5 or more than 100
        quantiles, fewer than 1,000 repetitions, or inconsistent options.

    Notes
    -----
    The same method as ``PHEindicatormethods::phe_sii`` 2.1.0 (point estimates agree to
    1e-9; limits within Monte Carlo error). Differences: a group lacking a quantile, or
    with a missing input, is an error (PHE drops it with a warning), and so is giving both
    ``se`` and limits (PHE uses ``se``); PHE's warning that more than 10 quantiles may be
    unstable is left to this note; zero rates and proportions of 0 or 1 are errors (PHE
    returns missing or infinite results); standard errors from counts are an addition;
    with ``transform`` and a multiplier between 0 and 1 PHE swaps the limits of rates, we
    do not. Without ``transform`` PHE's intercept ignores the multiplier, and so does
    ours. When the fit is linear in the draws (``"none"``, or ``transform``), the
    slope and intercept of a repetition are exactly bivariate normal and are drawn as
    such: the same distribution as drawing every quantile, from 2 normal draws instead
    of one per quantile.

    References
    ----------
    Low A, Low A (2004), Measuring the gap: quantifying and comparing local health
    inequalities, *J Public Health* 26:388–395. Office for Health Improvement and
    Disparities, *Public Health Technical Guidance: slope index of inequality*.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "decile": range(1, 11),
    ...     "population": [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
    ...     "le": [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3],
    ...     "se": [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57],
    ... })
    >>> sii(df, "le", "population", quantile="decile", se="se", rii=True,
    ...     repetitions=10_000, seed=1).round(3)
       sii  sii_lower_ci  sii_upper_ci   rii  rii_lower_ci  rii_upper_ci
    0  7.0         3.173        10.792  1.09          1.04         1.142
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    ci_levels = levels(confidence)
    _check_options(value_type, transform, value, se, lower, upper, count)
    m = _check_multiplier(multiplier)
    reps = _check_repetitions(repetitions)
    flags = {"rii": rii, "intercept": intercept, "reliability_stat": reliability_stat}
    for name, flag in flags.items():
        if not isinstance(flag, (bool, np.bool_)):
            raise InputError(f"{name} must be True or False, got {flag!r}")
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError) as error:
        raise InputError(f"seed must be an integer or a numpy Generator: {error}") from None
    q = _sii.prepare(
        df, value, population, quantile, by_cols,
        value_type=value_type, se=se, lower=lower, upper=upper, count=count,
    )  # fmt: skip
    c, d = _sii.fit_weights(q.population)
    runs = _RUNS if reliability_stat else 1
    pairs = _sii_simulation.positions(reps, ci_levels)
    shape = (len(q.keys), runs, len(ci_levels), 2)
    sims = _sii_simulation.simulate(
        q, c, d, back="none" if transform else value_type, total=runs * reps,
        intercepts=rii and not transform, rng=rng,
    )  # fmt: skip
    if transform:  # the slope's limits on the log or logit scale, then taken back
        slope, icpt = (c * q.mu).sum(axis=1), (d * q.mu).sum(axis=1)
        on_link = np.empty(shape)
        for g, slopes, _ in sims:
            on_link[g] = _sii_simulation.order_statistics(slopes, reps, pairs)
        points, limits = _sii.untransform(slope, icpt, on_link, value_type, m)
    else:
        slope, icpt = (c * q.value).sum(axis=1), (d * q.value).sum(axis=1)
        points = {"sii": m * slope, "rii": _sii.ratio(slope, icpt, m), "intercept": icpt}
        limits = {"sii": np.empty(shape), "rii": np.empty(shape)}
        for g, slopes, icpts in sims:
            if icpts is not None:
                ratios = _sii.ratio(slopes, icpts, m)
                limits["rii"][g] = _sii_simulation.order_statistics(ratios, reps, pairs)
            slopes *= m
            limits["sii"][g] = _sii_simulation.order_statistics(slopes, reps, pairs)

    out = q.keys.copy()
    for stat in ("sii", "rii") if rii else ("sii",):
        out[stat] = points[stat]
        for i, level in enumerate(ci_levels):
            out[f"{stat}_{level.lower}"] = limits[stat][:, 0, i, 0]
            out[f"{stat}_{level.upper}"] = limits[stat][:, 0, i, 1]
    if intercept:
        out["intercept"] = points["intercept"]
    if reliability_stat:
        for stat in ("sii", "rii") if rii else ("sii",):
            for i, level in enumerate(ci_levels):
                name = f"{stat}_mad" if len(ci_levels) == 1 else f"{stat}_mad_{suffix(level.level)}"
                out[name] = _sii_simulation.mean_abs_difference(limits[stat][:, :, i, :])
    return out


def _check_options(
    value_type: object,
    transform: object,
    value: str | None,
    se: str | None,
    lower: str | None,
    upper: str | None,
    count: str | None,
) -> None:
    if not isinstance(value_type, str) or value_type not in VALUE_TYPES:
        raise InputError(f"value_type must be one of {VALUE_TYPES!r}; got {value_type!r}")
    if not isinstance(transform, (bool, np.bool_)):
        raise InputError(f"transform must be True or False, got {transform!r}")
    if transform and value_type == "none":
        raise InputError("transform needs value_type 'rate' (log) or 'proportion' (logit)")
    if value is None and count is None:
        raise InputError("give a value column, or count (the value is count / population)")
    if (lower is None) != (upper is None):
        raise InputError("give both lower and upper 95% limits")
    if se is not None and lower is not None:
        raise InputError("give either se or lower and upper 95% limits, not both")
    if transform and se is not None:
        raise InputError("with transform, give lower and upper 95% limits (or count), not se")
    if se is None and lower is None and (count is None or value_type == "none"):
        raise InputError(
            "give se, or lower and upper 95% limits, or (for rates and proportions) count"
        )


def _check_multiplier(multiplier: object) -> float:
    ok = isinstance(multiplier, (int, float, np.number)) and not isinstance(multiplier, bool)
    if not ok or not math.isfinite(float(multiplier)) or float(multiplier) == 0:  # type: ignore[arg-type]
        raise InputError(f"multiplier must be a non-zero number, got {multiplier!r}")
    return float(multiplier)  # type: ignore[arg-type]


def _check_repetitions(repetitions: object) -> int:
    whole = isinstance(repetitions, (int, np.integer)) and not isinstance(repetitions, bool)
    if not whole or int(repetitions) < 1000:  # type: ignore[call-overload]
        raise InputError(
            f"repetitions must be a whole number of at least 1000, got {repetitions!r}"
        )
    return int(repetitions)  # type: ignore[call-overload]
