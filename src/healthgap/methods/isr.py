"""Indirectly standardised ratios (SMRs) and rates with Poisson confidence limits."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels


def isr(
    df: pd.DataFrame,
    count: str,
    population: str,
    *,
    reference_count: str,
    reference_population: str,
    by: _frame.By = None,
    output: Literal["ratio", "rate"] = "ratio",
    ratio_scale: float = 1,
    confidence: Confidence = 0.95,
    multiplier: float = 100_000,
    observed_totals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indirectly standardised ratios or rates with exact or Byar's limits.

    Each group's expected count applies the reference population's age-specific rates to
    the group's population; the observed count :math:`O` is compared with it. Limits
    :math:`O_L, O_U` for the observed count are exact Poisson below 10 events and Byar's
    otherwise, as for :func:`rate`:

    .. math::

        E = \\sum_i \\frac{X_i}{N_i} n_i, \\qquad
        \\text{ratio} = \\frac{O}{E} \\times s, \\qquad
        \\text{rate} = \\frac{O}{E} \\times \\frac{\\sum_i X_i}{\\sum_i N_i} \\times m,

    with the limits :math:`O_L / E` and :math:`O_U / E` scaled the same way.

    Parameters
    ----------
    df : DataFrame
        One row per age band within each group. It is not modified.
    count : str
        Observed events in each age band (missing means zero, as PHE treats it). With
        ``observed_totals`` the column of that frame holding each group's total instead.
    population : str
        Population of each age band (zero or more; missing means zero, as PHE treats it).
    reference_count, reference_population : str
        Columns with the reference population's events (missing means zero) and
        population (greater than zero) in the row's age band.
    by : str or list of str, optional
        Columns identifying the groups (e.g. area); None is one group.
    output : {"ratio", "rate"}
        ``"ratio"``: the standardised ratio :math:`O/E` times ``ratio_scale``;
        ``"rate"``: :math:`O/E` times the reference crude rate per ``multiplier``.
    ratio_scale : float
        1 for a ratio, 100 for an SMR expressed as a percentage.
    confidence : float or list of float
        0.95, 0.998, or both.
    multiplier : float
        For ``output="rate"``: rate per this many population.
    observed_totals : DataFrame, optional
        Observed events per group when they are not broken down by age: the ``by``
        columns and ``count``, one row per group (extra groups are ignored).

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``observed``, ``expected``,
        ``reference_rate`` (rates only), ``value``, the limits and ``method``
        (``"Exact"`` or ``"Byars"``). Value and limits are missing when nothing is
        expected (a group whose population is zero throughout).

    Raises
    ------
    InputError
        Missing columns or values, negative counts or populations, reference
        populations not above zero, an unknown ``output``, or groups lacking an
        observed total.

    References
    ----------
    Breslow NE, Day NE (1987), *Statistical Methods in Cancer Research Vol II*, IARC.
    Armitage P, Berry G (2002), *Statistical Methods in Medical Research*, 4th edn.
    Public Health England (2018), *Technical Guide: Confidence Intervals*. The same
    methods as ``PHEindicatormethods::calculate_ISRatio`` and ``calculate_ISRate``.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "area": ["A", "A", "B", "B"], "deaths": [5, 30, 2, 20], "pop": [1000, 500, 800, 400],
    ...     "ref_deaths": [400, 5000] * 2, "ref_pop": [100_000, 50_000] * 2,
    ... })
    >>> isr(df, "deaths", "pop", reference_count="ref_deaths", reference_population="ref_pop",
    ...     by="area", ratio_scale=100).round(2)
      area  observed  expected  value  lower_ci  upper_ci method
    0    A        35      54.0  64.81     45.14     90.14  Byars
    1    B        22      43.2  50.93     31.90     77.11  Byars
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    if output not in ("ratio", "rate"):
        raise InputError(f"output must be 'ratio' or 'rate', got {output!r}")
    _check_positive_number("ratio_scale", ratio_scale)
    _check_positive_number("multiplier", multiplier)
    _frame.require_columns(
        df,
        None if observed_totals is not None else count,
        population,
        reference_count,
        reference_population,
        *by_cols,
    )
    ci_levels = levels(confidence)

    n = _frame.numeric(df, population, allow_missing=True)
    _frame.non_negative(df, population, n)
    n = np.nan_to_num(n, nan=0.0)
    ref_x = _frame.numeric(df, reference_count, allow_missing=True)
    _frame.non_negative(df, reference_count, ref_x)
    ref_x = np.nan_to_num(ref_x, nan=0.0)
    ref_n = _frame.numeric(df, reference_population)
    _frame.positive(df, reference_population, ref_n)

    keys, group = _frame.group_keys(df, by_cols)
    expected, ref_x_total, ref_n_total = _frame.group_sums(
        group, len(keys), ref_x / ref_n * n, ref_x, ref_n
    )
    if observed_totals is None:
        x = _frame.numeric(df, count, allow_missing=True)
        _frame.non_negative(df, count, x)
        (observed,) = _frame.group_sums(group, len(keys), np.nan_to_num(x, nan=0.0))
        integer = pd.api.types.is_integer_dtype(df[count].dtype)
    else:
        observed, integer = _observed_totals(observed_totals, count, keys, by_cols)

    if output == "rate":
        scale = ref_x_total / ref_n_total * multiplier
    else:
        scale = np.full(len(keys), float(ratio_scale))
    out = keys
    out["observed"] = observed.round().astype("int64") if integer else observed
    out["expected"] = expected
    if output == "rate":
        out["reference_rate"] = scale
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(expected > 0, scale / expected, np.nan)
    out["value"] = observed * factor
    for level in ci_levels:
        lower, upper = intervals.poisson(observed, level.level)
        out[level.lower] = lower * factor
        out[level.upper] = upper * factor
    out["method"] = intervals.poisson_method(observed)
    return out


def _check_positive_number(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise InputError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise InputError(f"{name} must be greater than zero, got {value!r}")


def _observed_totals(
    totals: pd.DataFrame, count: str, keys: pd.DataFrame, by_cols: list[str]
) -> tuple[np.ndarray, bool]:
    """Each group's observed total from ``observed_totals``, in the order of ``keys``."""
    totals = _frame.require_frame(totals)
    _frame.require_columns(totals, count, *by_cols)
    x = _frame.numeric(totals, count)
    _frame.non_negative(totals, count, x)
    integer = pd.api.types.is_integer_dtype(totals[count].dtype)
    if not by_cols:
        if len(totals) != 1:
            raise InputError(f"observed_totals must have one row without by=, it has {len(totals)}")
        return x, integer
    repeated = totals.duplicated(by_cols, keep=False).to_numpy()
    if repeated.any():
        raise InputError(
            "observed_totals has more than one row for the same group",
            column=by_cols[0],
            rows=totals.index[repeated],
        )
    lookup = pd.DataFrame({c: totals[c].to_numpy() for c in by_cols}).assign(_observed=x)
    try:
        matched = keys.merge(lookup, on=by_cols, how="left")
    except (ValueError, TypeError) as error:
        raise InputError(f"observed_totals cannot be matched on {by_cols}: {error}") from None
    absent = matched["_observed"].isna().to_numpy()
    if absent.any():
        shown = keys[absent].head(3).to_dict("records")
        raise InputError(f"observed_totals has no total for {absent.sum()} group(s), e.g. {shown}")
    return matched["_observed"].to_numpy(dtype="float64"), integer
