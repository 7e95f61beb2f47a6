"""Equity audit of a service: who it reaches compared with the population it serves.

:func:`equity_audit` takes counts of the service's users (or staff) and of the
population by category, and gives each category's representation ratio — its share of
the service over its share of the population — with confidence limits and a plain
verdict. Reading a service's file and the workspace's population is in
:mod:`healthgap.targeting.audit_data`. See docs/targeting.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame, intervals
from healthgap.methods._confidence import Confidence, levels

#: The dimensions audited by default.
DIMENSIONS: tuple[str, ...] = ("imd_quintile", "ethnicity", "sex", "age_band")
UNDER, EXPECTED, OVER, NO_DATA = "under-represented", "as expected", "over-represented", "no data"


def equity_audit(
    service: pd.DataFrame,
    population: pd.DataFrame,
    *,
    by: Sequence[str] = DIMENSIONS,
    count: str = "count",
    confidence: Confidence = 0.95,
) -> pd.DataFrame:
    """Representation of each category in a service compared with its population.

    Each dimension of ``by`` is audited on its own (the inputs may be cross-tabulated;
    they are summed over the other columns). With :math:`O_k` the service's count in
    category :math:`k`, :math:`N = \\sum_k O_k`, and :math:`\\pi_k` the category's
    share of the population, the representation ratio is the category's share of the
    service over its share of the population, which is observed over expected:

    .. math::

        RR_k = \\frac{O_k / N}{\\pi_k} = \\frac{O_k}{E_k}, \\qquad E_k = N\\pi_k,
        \\qquad \\left(\\frac{O_L}{E_k},\\ \\frac{O_U}{E_k}\\right)

    where :math:`(O_L, O_U)` are Poisson limits for :math:`O_k` — exact below 10,
    Byar's otherwise (:func:`healthgap.methods.intervals.poisson`), the method PHE uses
    for standardised ratios. The population shares are taken as known (a census or a
    complete register); if the population is itself a sample, the limits are too
    narrow. The verdict, at the first confidence level: ``"under-represented"`` when the
    upper limit is below 1, ``"over-represented"`` when the lower limit is above 1,
    otherwise ``"as expected"`` (``"no data"`` when the service has no one with a known
    value in that dimension).

    Parameters
    ----------
    service, population : DataFrame
        Counts: the ``by`` columns and ``count``. Not modified. Rows with a missing
        category are left out of that dimension (unknown ethnicity, say, is not a
        category of the population).
    by : sequence of str
        The dimensions, each a column of both tables.
    count : str
        The column of counts in both tables.
    confidence : float or list of float
        0.95, 0.998, or both.

    Returns
    -------
    DataFrame
        One row per dimension and category (categories in natural order):
        ``dimension``, ``category``, ``service_count``, ``service_share`` (%),
        ``population_count``, ``population_share`` (%), ``expected``, ``ratio``, the
        limits, ``verdict`` and ``method`` (``"Exact"`` or ``"Byars"``).

    Raises
    ------
    InputError
        Missing columns, counts that are missing, non-numeric or negative, or a category
        of the service that the population does not have (often a label mismatch, e.g.
        "F" against "Female").

    References
    ----------
    Department of Health (2003) *Health Equity Audit: A Guide for the NHS*. Breslow NE,
    Day NE (1987) *Statistical Methods in Cancer Research, Vol II*, IARC Scientific
    Publications 82 (Poisson limits for observed/expected). Public Health England
    (2018) *Technical Guide: Confidence Intervals* (exact limits below 10 events,
    Byar's otherwise).

    Examples
    --------
    >>> service = pd.DataFrame({"imd_quintile": [1, 2, 3, 4, 5], "count": [30, 20, 10, 5, 5]})
    >>> people = pd.DataFrame({"imd_quintile": [1, 2, 3, 4, 5], "count": [2000] * 5})
    >>> out = equity_audit(service, people, by=["imd_quintile"])
    >>> out[["category", "service_count", "expected", "ratio", "verdict"]].round(2)
      category  service_count  expected  ratio            verdict
    0        1             30      14.0   2.14   over-represented
    1        2             20      14.0   1.43        as expected
    2        3             10      14.0   0.71        as expected
    3        4              5      14.0   0.36  under-represented
    4        5              5      14.0   0.36  under-represented
    """
    dims = _frame.by_columns(by)
    if not dims:
        raise InputError("by must name at least one dimension, e.g. 'imd_quintile'")
    ci_levels = levels(confidence)
    observed = _long(service, dims, count, "service")
    people = _long(population, dims, count, "population")
    table = people.merge(observed, on=["dimension", "category"], how="outer")
    table = table.fillna({"population_count": 0.0, "service_count": 0.0})
    orphan = (table["population_count"] <= 0) & (table["service_count"] > 0)
    if orphan.any():
        raise InputError(_orphans(table, orphan.to_numpy()))
    table = table[table["population_count"] > 0].copy()
    by_dim = table.groupby("dimension", sort=False)
    n = by_dim["service_count"].transform("sum").to_numpy(dtype="float64")
    total = by_dim["population_count"].transform("sum").to_numpy(dtype="float64")
    o = table["service_count"].to_numpy(dtype="float64")
    share = table["population_count"].to_numpy(dtype="float64") / total
    expected = n * share
    with np.errstate(divide="ignore", invalid="ignore"):
        table["service_share"] = np.where(n > 0, o / n * 100, np.nan)
        table["population_share"] = share * 100
        table["expected"] = expected
        table["ratio"] = np.where(expected > 0, o / expected, np.nan)
        for level in ci_levels:
            lower, upper = intervals.poisson(o, level.level)
            table[level.lower] = np.where(expected > 0, lower / expected, np.nan)
            table[level.upper] = np.where(expected > 0, upper / expected, np.nan)
    first = ci_levels[0]
    low, high = table[first.lower].to_numpy(), table[first.upper].to_numpy()
    table["verdict"] = np.select(
        [~(expected > 0), high < 1, low > 1], [NO_DATA, UNDER, OVER], default=EXPECTED
    )
    table["method"] = np.asarray(intervals.poisson_method(o), dtype=object)
    for column in ("service_count", "population_count"):
        values = table[column].to_numpy(dtype="float64")
        if np.all(values == np.round(values)):
            table[column] = values.astype("int64")
    table = _ordered(table, dims)
    columns = [
        "dimension",
        "category",
        "service_count",
        "service_share",
        "population_count",
        "population_share",
        "expected",
        "ratio",
    ]
    columns += [c for level in ci_levels for c in (level.lower, level.upper)]
    return table[[*columns, "verdict", "method"]].reset_index(drop=True)


def _long(df: pd.DataFrame, dims: list[str], count: str, name: str) -> pd.DataFrame:
    """Counts summed by dimension and category (labels as text, whole numbers as '1')."""
    df = _frame.require_frame(df)
    try:
        _frame.require_columns(df, *dims, count)
    except InputError as error:
        raise InputError(f"the {name} table: {error}") from None
    counts = _frame.numeric(df, count)
    _frame.non_negative(df, count, counts)
    wide = df[dims].copy()
    wide.columns = pd.RangeIndex(len(dims))
    wide["__count"] = counts
    long = wide.melt(id_vars="__count", var_name="dimension", value_name="category")
    long = long[long["category"].notna()]
    long["dimension"] = np.asarray(dims, dtype=object)[long["dimension"].to_numpy(dtype=int)]
    long["category"] = _labels(long["category"])
    long = long[long["category"] != ""]
    summed = long.groupby(["dimension", "category"], sort=False, as_index=False)["__count"].sum()
    return summed.rename(columns={"__count": f"{name}_count"})


def _labels(values: pd.Series) -> pd.Series:
    """Category labels as text: 1, 1.0 and "1" are the same category."""
    number = pd.to_numeric(values, errors="coerce")
    whole = number.notna() & (number == number.round())
    text = values.astype(object).map(str).str.strip()
    as_int = number.where(whole).astype("Int64").astype(object).map(str)
    return pd.Series(np.where(whole, as_int, text), index=values.index, dtype=object)


def _orphans(table: pd.DataFrame, orphan: np.ndarray) -> str:
    parts = []
    for dimension, rows in table[orphan].groupby("dimension", sort=False):  # errors only
        known = table.loc[
            (table["dimension"] == dimension) & (table["population_count"] > 0), "category"
        ]
        parts.append(
            f"{dimension} {', '.join(map(repr, rows['category']))} "
            f"(the population has {', '.join(map(repr, known)) or 'none'})"
        )
    return "the service has categories the population does not: " + "; ".join(parts)


def _ordered(table: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Dimensions in ``by`` order; categories by leading number, then alphabetically."""
    position = table["dimension"].map({d: i for i, d in enumerate(dims)})
    leading = pd.to_numeric(table["category"].str.extract(r"^(\d+)")[0], errors="coerce")
    keys = pd.DataFrame({"p": position, "n": leading.fillna(np.inf), "c": table["category"]})
    return table.loc[keys.sort_values(["p", "n", "c"], kind="stable").index]
