"""Funnel-plot control limits at 95% (about 2 s.d.) and 99.8% (about 3 s.d.) around a
benchmark, as PHE and OHID draw them for Fingertips; :func:`funnel_significance` (in
``compare``) places each area against the same limits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from healthgap.errors import InputError
from healthgap.methods import _frame

STATISTICS = ("proportion", "rate", "ratio")
RATE_TYPES = ("crude", "dsr")
RATIO_TYPES = ("isr", "count")
#: (column suffix, two-sided level, one-sided tail probability) of PHE's two funnels.
FUNNELS = (("95", 0.95, 0.025), ("99_8", 0.998, 0.001))


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else an :class:`InputError` listing them."""
    if not isinstance(value, str) or value not in allowed:
        valid = ", ".join(map(repr, allowed))
        raise InputError(f"{name} must be one of {valid}; got {value!r}")
    return value


def check_benchmark(benchmark: object, statistic: str, multiplier: float) -> float:
    """A benchmark per ``multiplier`` as a proportion or a rate per person."""
    if statistic == "ratio":
        raise InputError("ratios are compared with their expected counts: omit benchmark=")
    if isinstance(benchmark, bool) or not isinstance(benchmark, (int, float, np.number)):
        raise InputError(f"benchmark must be a number, got {benchmark!r}")
    value = float(benchmark) / multiplier
    if not (0 <= value <= 1 if statistic == "proportion" else value > 0):
        raise InputError(f"benchmark {benchmark!r} is out of range for a {statistic}")
    return value


def proportion_limits(benchmark: float, n: ArrayLike, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions at which the Wilson interval at ``n`` just touches ``benchmark``.

    Solving the Wilson bound for the observed proportion gives the normal-approximation
    limits :math:`\\theta \\pm z\\sqrt{\\theta(1 - \\theta)/n}` (PHE's ``sigma_adjustment``
    expands the same quadratic).
    """
    z = float(stats.norm.isf(tail))
    half = z * np.sqrt(benchmark * (1 - benchmark) / np.asarray(n, dtype="float64"))
    return benchmark - half, benchmark + half


def _series_end(mean: np.ndarray) -> np.ndarray:
    """Last term PHE's Poisson series adds: the first ``k > mean`` whose term is at most
    10⁻¹⁰ of the running total ends the sum (found by vectorised binary search)."""
    low = np.floor(mean) + 1
    high = low + 10 * np.sqrt(mean) + 60  # the term there is far below the cut-off

    def small(k: np.ndarray) -> np.ndarray:
        cutoff = np.log(1e-10) + stats.poisson.logcdf(k - 1, mean)
        return np.asarray(stats.poisson.logpmf(k, mean) <= cutoff)

    while (low < high).any():
        middle = np.floor((low + high) / 2)
        ends = small(middle)
        high = np.where(ends, middle, high)
        low = np.where(ends, low, np.minimum(middle + 1, high))
    return low - 1


def poisson_bisection(observed: ArrayLike, tail: float, side: str) -> np.ndarray:
    """Exact Poisson limit for ``observed`` events, solved as PHE solves it.

    ``side="high"`` gives the mean whose lower tail :math:`P(X \\le O)` is ``tail``
    (the upper limit of :math:`O`), ``side="low"`` the mean whose upper tail
    :math:`P(X \\ge O)` is ``tail`` (the lower limit). PHE bisects on
    :math:`v = \\mu / (\\mu + O + 1)` from 0.5 in halving steps until the step is at most
    10⁻⁷, with tail probabilities from a Poisson series cut off at 10⁻¹⁰ of its total. We
    reproduce both so each bisection takes PHE's steps; the result can differ from the
    exact limit by up to ~10⁻⁴ relative at one event.
    """
    obs = np.asarray(observed, dtype="float64")
    v = np.full(obs.shape, 0.5)
    step = 0.5
    while step > 1e-7:  # 23 halvings, vectorised over all points
        step /= 2
        mean = (1 + obs) * v / (1 - v)
        end = _series_end(mean)
        total = stats.poisson.cdf(end, mean)
        if side == "low":
            upper = stats.poisson.sf(obs - 1, mean) - stats.poisson.sf(end, mean)
            too_high = np.maximum(upper, 0.0) / total > tail
        else:
            too_high = stats.poisson.cdf(np.minimum(obs, end), mean) / total < tail
        v = np.where(too_high, v - step, v + step)
    return (1 + obs) * v / (1 - v)


def rate_denominators(
    df: pd.DataFrame,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    rate_type: str,
    multiplier: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Events and the population implied by each rate, as PHE derives them.

    The population is ``multiplier × events / rate``; without events a DSR's is missing
    (left out) and a crude rate's is taken from ``denominator``.
    """
    _frame.require_columns(df, numerator, denominator, rate)
    x = _frame.numeric(df, numerator)
    _frame.non_negative(df, numerator, x)
    zero = x == 0
    pop = np.full(len(df), np.nan)
    if denominator is not None:
        pop = _frame.numeric(df, denominator, allow_missing=True)
        if (pop <= 0).any():
            raise InputError(
                "must be greater than zero", column=denominator, rows=df.index[pop <= 0]
            )
    if rate is None and rate_type == "dsr":
        raise InputError("rate= is required for DSRs")
    if rate is None:
        derived = pop
    else:
        r = _frame.numeric(df, rate, allow_missing=True)
        if (bad := ~zero & ~(r > 0)).any():
            message = "must be greater than zero where there are events"
            raise InputError(message, column=rate, rows=df.index[bad])
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = np.where(zero, pop if rate_type == "crude" else np.nan, multiplier * x / r)
    if rate_type == "crude" and (need := np.isnan(derived)).any():
        message = "crude rates need a population from denominator= (rows without events)"
        raise InputError(message, column=denominator or numerator, rows=df.index[need])
    return x, derived


def counts(
    df: pd.DataFrame, numerator: str, denominator: str | None, statistic: str
) -> tuple[np.ndarray, np.ndarray]:
    """Validated numerators and denominators for a proportion or a ratio."""
    if denominator is None:
        raise InputError(f"denominator= is required for statistic {statistic!r}")
    _frame.require_columns(df, numerator, denominator)
    x, n = _frame.numeric(df, numerator), _frame.numeric(df, denominator)
    _frame.non_negative(df, numerator, x)
    _frame.positive(df, denominator, n)
    over = x > n
    if statistic == "proportion" and over.any():
        message = f"numerator must not exceed the denominator {denominator!r}"
        raise InputError(message, column=numerator, rows=df.index[over])
    return x, n


def _axis_end(x: float, *, up: bool) -> float:
    """PHE's ``signif.floor`` (95% of ``x`` rounded down to one significant figure) or
    ``signif.ceiling`` (105% of ``x`` rounded up to two)."""
    if x == 0:
        return 0.0
    scaled = x * (1.05 if up else 0.95)
    rounding = math.ceil if up else math.floor
    power = 10.0 ** (len(str(rounding(scaled))) - (2 if up else 1))
    return rounding(scaled / power) * power


def _grid(start: float, stop: float, points: int, shift: int) -> np.ndarray:
    """PHE's x values, whole numbers spaced geometrically from ``start`` towards ``stop``:
    each depends on the rounding of the one before, so a short loop over the plot points."""
    values = [max(1.0, start)]
    for j in range(2, points + 1):
        previous = values[-1]
        step = (stop / previous) ** (1 / (points + 1 + shift - j))
        values.append(max(float(np.round(step * previous)), previous + 1))
    return np.array(values)


def funnel_limits(
    df: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str = "proportion",
    multiplier: float | None = None,
    rate: str | None = None,
    rate_type: str | None = None,
    ratio_type: str = "isr",
    years_of_data: float = 1,
    points: int = 100,
    benchmark: float | None = None,
) -> pd.DataFrame:
    """Funnel-plot control limits at 95% and 99.8% around a benchmark :math:`\\theta`.

    :math:`\\theta` is the pooled value of all rows (total numerator over total
    denominator) or ``benchmark``; the limits are drawn at ``points`` x values spread over
    the range of the data, as PHE does (Spiegelhalter 2005).

    - ``"proportion"``: x is the denominator :math:`n`; the limits are the proportions whose
      Wilson interval just reaches :math:`\\theta`, clipped to [0, ``multiplier``]:

      .. math:: \\theta \\pm z\\sqrt{\\theta(1 - \\theta)/n}, \\quad z = 1.96, 3.09

    - ``"ratio"``: x is the observed count :math:`O`; ``<limit>_expected`` is the expected
      count :math:`E` putting :math:`O` on the limit (an exact Poisson limit of :math:`O`),
      and the limit is :math:`O/E` (× 100 for ``"isr"``, − 1 for ``"count"``).
    - ``"rate"``: x is the number of events :math:`O`; ``<limit>_population`` is the yearly
      population :math:`E/(\\theta \\cdot \\text{years})` at which the limit
      :math:`O\\theta/E \\times m` is reached. Populations are derived from the rates as
      ``multiplier × events / rate``, so DSRs work too.

    Parameters
    ----------
    df : DataFrame
        One row per area; it is not modified.
    numerator : str
        Cases (proportion), observed events (ratio) or events (rate).
    denominator : str, optional
        Population (proportion) or expected events (ratio), both required; for rates, the
        population, needed only by crude rates with zero events.
    statistic : {"proportion", "rate", "ratio"}
    multiplier : float, optional
        Scale of the values: 100 (a percentage, the default) for proportions, per 100,000
        (default) for rates. Not used for ratios (see ``ratio_type``).
    rate : str, optional
        Column of rates per ``multiplier``: required for DSRs.
    rate_type : {"crude", "dsr"}
        Required when ``statistic="rate"``.
    ratio_type : {"isr", "count"}
        Ratios as ISR/SMR × 100, or as (O − E)/E.
    years_of_data : float
        Years the data cover; rate funnels show populations per year.
    points : int
        Number of x values (PHE uses 100).
    benchmark : float, optional
        Centre the funnel on this value (per ``multiplier``, e.g. England's) instead of
        the pooled average. Not for ratios, which are centred on 1.

    Returns
    -------
    DataFrame
        ``points`` rows: the x column (``population``, ``observed`` or ``events``);
        ``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8`` (ratios and rates also
        ``<limit>_expected`` or ``<limit>_population``); ``baseline``; ``statistic`` (PHE's
        label, e.g. ``"rate (dsr per 100,000)"``) and ``method`` (``"Wilson"`` or
        ``"Poisson"``). The same numbers as ``PHEindicatormethods::calculate_funnel_limits``
        (its ``lower_2s_limit`` is our ``lower_95``, ``_3s_`` our ``_99_8``).

    Raises
    ------
    InputError
        Unknown ``statistic``, ``rate_type`` or ``ratio_type``; missing, non-numeric or
        negative counts; denominators or (with events) rates not above zero; numerators
        above denominators for proportions; a benchmark out of range.

    References
    ----------
    Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance.
    *Stat Med* 24:1185–1202. Public Health England / OHID, *Fingertips technical
    guidance: public health methods* (funnel plots). The same method as
    ``PHEindicatormethods::calculate_funnel_limits`` 2.1.0.

    Examples
    --------
    >>> df = pd.DataFrame({"screened": [700, 820, 1500], "eligible": [1000, 1000, 2000]})
    >>> limits = funnel_limits(df, "screened", "eligible")
    >>> limits.iloc[[0, 99], :5].round(2)
        population  lower_95  upper_95  lower_99_8  upper_99_8
    0          900     72.69     78.31       71.07       79.93
    99        2100     73.66     77.34       72.60       78.40
    """
    df = _frame.require_frame(df)
    statistic = choice("statistic", statistic, STATISTICS)
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise InputError(f"points must be a whole number of at least 2, got {points!r}")
    if not years_of_data > 0:
        raise InputError(f"years_of_data must be greater than zero, got {years_of_data!r}")
    if multiplier is None:
        multiplier = 100_000 if statistic == "rate" else 100
    if not multiplier > 0:
        raise InputError(f"multiplier must be greater than zero, got {multiplier!r}")
    if statistic == "rate":
        rate_type = choice("rate_type", rate_type, RATE_TYPES)
        x, n = rate_denominators(df, numerator, denominator, rate, rate_type, multiplier)
        years = years_of_data
    else:
        if statistic == "ratio":
            ratio_type = choice("ratio_type", ratio_type, RATIO_TYPES)
        x, n = counts(df, numerator, denominator, statistic)
        years = 1
    if len(x) == 0 or np.isnan(n).all():
        raise InputError("funnel limits need at least one row with a denominator")
    if benchmark is not None:
        average = check_benchmark(benchmark, statistic, multiplier)
    elif (average := math.fsum(x) / math.fsum(n[~np.isnan(n)])) == 0 and statistic == "rate":
        raise InputError("rate funnels need at least one event (or a benchmark=)")
    low, high = np.nanmin(n) / years, np.nanmax(n) / years
    start = 0.0 if high > 2 * low else _axis_end(low, up=False) * years
    stop = _axis_end(high, up=True) * years
    if statistic == "rate":
        start, stop = math.floor(start * average), math.ceil(stop * average)
    grid = _grid(start, stop, points, shift=1 if statistic == "ratio" else 0)

    if statistic == "proportion":
        out = pd.DataFrame({"population": grid.astype("int64")})
        for name, _, tail in FUNNELS:
            lower, upper = proportion_limits(average, grid, tail)
            out[f"lower_{name}"] = np.maximum(lower * multiplier, 0.0)
            out[f"upper_{name}"] = np.minimum(upper * multiplier, multiplier)
        out["baseline"] = average * multiplier
        label, method = "proportion", "Wilson"
    else:
        x_name, suffix = (
            ("observed", "expected") if statistic == "ratio" else ("events", "population")
        )
        out = pd.DataFrame({x_name: grid.astype("int64")})
        for name, _, tail in FUNNELS:
            for side, solve in (("lower", "high"), ("upper", "low")):
                expected = poisson_bisection(grid, tail, solve)
                if statistic == "ratio":
                    out[f"{side}_{name}_{suffix}"] = expected
                    ratio = grid / expected
                    out[f"{side}_{name}"] = ratio * 100 if ratio_type == "isr" else ratio - 1
                else:
                    out[f"{side}_{name}_{suffix}"] = expected / average / years
                    out[f"{side}_{name}"] = grid * average / expected * multiplier
        if statistic == "ratio":
            out["baseline"] = 100.0 if ratio_type == "isr" else 0.0
            label = f"ratio ({ratio_type})"
        else:
            out["baseline"] = average * multiplier
            label = f"rate ({rate_type} per {multiplier:,.10g})"
        method = "Poisson"
    out["statistic"] = label
    out["method"] = method
    return out
