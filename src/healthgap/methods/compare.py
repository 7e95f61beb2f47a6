"""Each area against a benchmark: Fingertips' confidence-interval comparison and PHE's funnel
significance, labelled as Fingertips labels them."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels, suffix
from healthgap.methods.funnel import (
    FUNNELS,
    RATE_TYPES,
    STATISTICS,
    check_benchmark,
    choice,
    counts,
    proportion_limits,
    rate_denominators,
)

POLARITIES = ("higher-is-better", "lower-is-better", "no judgement")
SAME, NOT_COMPARED = "Same", "Not compared"
#: PHE's funnel labels, in PHE's order.
SIGNIFICANCE = ("High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)", "Not significant")
NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"

Benchmark = str | float


def _outcomes(
    directions: list[tuple[float, np.ndarray]], polarity: str
) -> dict[str, pd.Categorical]:
    """Fingertips labels from each level's direction (+1 higher, −1 lower, 0, NaN missing).

    One level gives ``comparison``: Better / Same / Worse (Higher / Same / Lower with no
    judgement). Several levels give ``comparison`` graded by the highest level at which the
    difference is significant — Best / Better / Same / Worse / Worst (with no judgement,
    e.g. "Higher (99.8%)" / Higher / Same / Lower / "Lower (99.8%)") — and one
    ``comparison_<level>`` column per level.
    """
    first, second = ("Higher", "Lower") if polarity == "no judgement" else ("Better", "Worse")
    up, down = (second, first) if polarity == "lower-is-better" else (first, second)
    directions = sorted(directions)
    missing = np.logical_or.reduce([np.isnan(d) for _, d in directions])

    def labels(d: np.ndarray, higher: str, lower: str) -> np.ndarray:
        return np.select([np.isnan(d), d > 0, d < 0], [NOT_COMPARED, higher, lower], SAME)

    single = [first, SAME, second, NOT_COMPARED]
    if len(directions) == 1:
        return {"comparison": pd.Categorical(labels(directions[0][1], up, down), single)}
    top_level = directions[-1][0]
    stronger = {label: _strongest(label, top_level) for label in (first, second)}
    combined = np.full(len(missing), SAME, dtype=object)
    for level, d in directions:
        if level == top_level:
            combined = np.where(
                np.nan_to_num(d) != 0, labels(d, stronger[up], stronger[down]), combined
            )
        else:
            combined = np.where(np.nan_to_num(d) != 0, labels(d, up, down), combined)
    combined = np.where(missing, NOT_COMPARED, combined)
    categories = [stronger[first], first, SAME, second, stronger[second], NOT_COMPARED]
    out: dict[str, pd.Categorical] = {"comparison": pd.Categorical(combined, categories)}
    for level, d in directions:
        out[f"comparison_{suffix(level)}"] = pd.Categorical(labels(d, up, down), single)
    return out


def _strongest(label: str, level: float) -> str:
    """The label for a difference significant at the highest level requested."""
    named = {"Better": "Best", "Worse": "Worst"}
    return named.get(label, f"{label} ({level * 100:.10g}%)")


def _scalar(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise InputError(f"{name} must be a column name or a number, got {value!r}")
    return float(value)


def _limit_columns(given: str | Sequence[str] | None, defaults: list[str], what: str) -> list[str]:
    if given is None:
        return defaults
    names = [given] if isinstance(given, str) else list(given)
    if len(names) != len(defaults):
        raise InputError(f"{what}= needs one column per confidence level ({len(defaults)})")
    return names


def compare(
    df: pd.DataFrame,
    value: str,
    *,
    benchmark: Benchmark,
    lower: str | Sequence[str] | None = None,
    upper: str | Sequence[str] | None = None,
    polarity: str = "higher-is-better",
    confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Compare each area's value with a benchmark by whether its confidence interval
    contains the benchmark, as Fingertips does.

    With limits :math:`(L, U)` for value :math:`y` and benchmark :math:`b`:

    .. math::

        \\text{outcome} = \\begin{cases}
        \\text{Same} & L \\le b \\le U \\\\
        \\text{higher} & b \\notin [L, U],\\ y \\ge b \\\\
        \\text{lower} & b \\notin [L, U],\\ y < b
        \\end{cases}

    "Higher" reads ``"Better"`` when higher is better, ``"Worse"`` when lower is better,
    and ``"Higher"`` with no judgement ("Lower" likewise). With several levels (e.g.
    ``[0.95, 0.998]``) the outcome is graded by the highest level at which the interval
    excludes the benchmark: ``"Best"`` or ``"Worst"`` at the highest level (99.8%),
    ``"Better"`` or ``"Worse"`` at a lower one (95%) only, otherwise ``"Same"``; with no
    judgement, ``"Higher (99.8%)"``, ``"Higher"``, ``"Same"``, ``"Lower"``,
    ``"Lower (99.8%)"``. A missing value, limit or benchmark gives ``"Not compared"``.

    Parameters
    ----------
    df : DataFrame
        One row per area, e.g. the output of :func:`proportion` or :func:`rate`; it is not
        modified.
    value : str
        Column of values.
    benchmark : str or float
        A number (e.g. England's value) or a column holding each row's benchmark.
    lower, upper : str or list of str, optional
        Limit columns, one per confidence level; by default the names the methods write
        (``lower_ci``/``upper_ci``, or ``lower_ci_95``, ``lower_ci_99_8``, …).
    polarity : {"higher-is-better", "lower-is-better", "no judgement"}
    confidence : float or list of float
        The level(s) of the limits: 0.95, 0.998 or both.

    Returns
    -------
    DataFrame
        The input with ``comparison`` (categorical; categories ``Better``, ``Same``,
        ``Worse``, ``Not compared`` or ``Higher``/``Lower``) and, for several levels, one
        ``comparison_95``-style column per level.

    Raises
    ------
    InputError
        Unknown polarity (the message lists the valid ones), missing or non-numeric
        columns, a wrong number of limit columns, or a lower limit above its upper limit.

    References
    ----------
    Public Health England / OHID, *Fingertips technical guidance: public health methods*
    (comparing with a benchmark; the "SingleOverlappingCIs" comparers of the Fingertips
    source). Spiegelhalter DJ (2005). Funnel plots for comparing institutional
    performance. *Stat Med* 24:1185–1202. For the funnel-plot alternative see
    :func:`funnel_significance`.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B", "C"], "value": [70.0, 74.0, 80.0],
    ...                    "lower_ci": [66.0, 70.0, 76.5], "upper_ci": [73.5, 78.0, 83.0]})
    >>> compare(df, "value", benchmark=75.0)["comparison"].tolist()
    ['Worse', 'Same', 'Better']
    >>> compare(df, "value", benchmark=75.0, polarity="no judgement")["comparison"].tolist()
    ['Lower', 'Same', 'Higher']
    """
    df = _frame.require_frame(df)
    polarity = choice("polarity", polarity, POLARITIES)
    ci_levels = levels(confidence)
    lowers = _limit_columns(lower, [lv.lower for lv in ci_levels], "lower")
    uppers = _limit_columns(upper, [lv.upper for lv in ci_levels], "upper")
    column = benchmark if isinstance(benchmark, str) else None
    _frame.require_columns(df, value, column, *lowers, *uppers)
    y = _frame.numeric(df, value, allow_missing=True)
    if column is None:
        b = np.full(len(df), _scalar("benchmark", benchmark))
    else:
        b = _frame.numeric(df, column, allow_missing=True)
    directions = []
    for level, lower_name, upper_name in zip(ci_levels, lowers, uppers, strict=True):
        lo = _frame.numeric(df, lower_name, allow_missing=True)
        hi = _frame.numeric(df, upper_name, allow_missing=True)
        crossed = lo > hi
        if crossed.any():
            message = f"lower limit is above the upper limit {upper_name!r}"
            raise InputError(message, column=lower_name, rows=df.index[crossed])
        outside = (b < lo) | (b > hi)
        direction = np.where(outside, np.where(y < b, -1.0, 1.0), 0.0)
        direction[np.isnan(y) | np.isnan(b) | np.isnan(lo) | np.isnan(hi)] = np.nan
        directions.append((level.level, direction))
    out = df.copy()
    for name, labels in _outcomes(directions, polarity).items():
        out[name] = labels
    return out


def funnel_significance(
    df: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str = "proportion",
    rate: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
    benchmark: float | None = None,
    polarity: str | None = None,
) -> pd.DataFrame:
    """Whether each area lies outside the 95% and 99.8% funnel-plot limits.

    The limits are those of :func:`healthgap.methods.funnel.funnel_limits`, at the area's
    own denominator, around the pooled average of the data or a given ``benchmark``:

    - proportions :math:`p = x/n` against :math:`\\theta \\pm z\\sqrt{\\theta(1-\\theta)/n}`;
    - ratios: 1 against the Poisson limits of :math:`O` divided by :math:`E` (exact below
      10 events, Byar's otherwise);
    - rates: :math:`\\theta` against the Poisson limits of the events over the population
      implied by the rate (``multiplier × events / rate``). DSRs with fewer than 10 events
      are not assessed.

    Parameters
    ----------
    df : DataFrame
        One row per area; it is not modified.
    numerator, denominator, statistic, rate, rate_type, multiplier
        As for :func:`healthgap.methods.funnel.funnel_limits`.
    benchmark : float, optional
        Compare with this value (per ``multiplier``; for proportions on the multiplier's
        scale, 100 = all) instead of the data's pooled average. Not for ratios, whose
        benchmark is their expected count.
    polarity : {"higher-is-better", "lower-is-better", "no judgement"}, optional
        Also label the result as :func:`compare` does at 95% and 99.8%.

    Returns
    -------
    DataFrame
        The input with ``significance`` (categorical, PHE's labels: ``"High (0.001)"``,
        ``"High (0.025)"``, ``"Low (0.001)"``, ``"Low (0.025)"``, ``"Not significant"``
        and, for rates, ``"Not applicable for events less than 10 for dsrs"``); with
        ``polarity``, also ``comparison``, ``comparison_95`` and ``comparison_99_8``.

    Raises
    ------
    InputError
        As :func:`funnel_limits`; also a non-numeric benchmark, or one for ratios.

    References
    ----------
    Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. *Stat
    Med* 24:1185–1202. Public Health England / OHID, *Fingertips technical guidance*. The
    same method as ``PHEindicatormethods::assign_funnel_significance`` 2.1.0.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [700, 820, 1500], "n": [1000, 1000, 2000]})
    >>> funnel_significance(df, "x", "n")["significance"].tolist()
    ['Low (0.001)', 'High (0.001)', 'Not significant']
    >>> funnel_significance(df, "x", "n", benchmark=80, polarity="higher-is-better")[
    ...     "comparison"].tolist()
    ['Worst', 'Same', 'Worst']
    """
    df = _frame.require_frame(df)
    statistic = choice("statistic", statistic, STATISTICS)
    if polarity is not None:
        polarity = choice("polarity", polarity, POLARITIES)
    if multiplier is None:
        multiplier = 100_000 if statistic == "rate" else 100
    if not multiplier > 0:
        raise InputError(f"multiplier must be greater than zero, got {multiplier!r}")
    if statistic == "rate":
        rate_type = choice("rate_type", rate_type, RATE_TYPES)
        x, n = rate_denominators(df, numerator, denominator, rate, rate_type, multiplier)
    else:
        x, n = counts(df, numerator, denominator, statistic)
    if benchmark is not None:
        average = check_benchmark(benchmark, statistic, multiplier)
    elif statistic == "ratio":
        average = 1.0
    else:
        total = math.fsum(n[~np.isnan(n)])
        if total == 0:
            raise InputError("the pooled average needs at least one row with a denominator")
        average = math.fsum(x) / total
    directions = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for _, level, tail in FUNNELS:
            if statistic == "proportion":
                low_limit, high_limit = proportion_limits(average, n, tail)
                high, low = x / n > high_limit, x / n < low_limit
            else:
                low_count, high_count = intervals.poisson(x, level)
                high, low = average < low_count / n, average > high_count / n
            directions.append((level, np.select([low, high], [-1.0, 1.0], 0.0)))
    (_, d95), (_, d998) = directions
    significance = np.select(
        [d998 < 0, d95 < 0, d998 > 0, d95 > 0],
        [SIGNIFICANCE[i] for i in (2, 3, 0, 1)],
        SIGNIFICANCE[4],
    )
    categories = list(SIGNIFICANCE)
    if statistic == "rate":
        categories.append(NOT_APPLICABLE)
        if rate_type == "dsr":
            few = x < 10
            significance = np.where(few, NOT_APPLICABLE, significance)
            for _, d in directions:
                d[few] = np.nan
    out = df.copy()
    out["significance"] = pd.Categorical(significance, categories)
    if polarity is not None:
        for name, labels in _outcomes(directions, polarity).items():
            out[name] = labels
    return out
