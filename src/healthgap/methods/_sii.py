"""Inputs and fit of :func:`healthgap.methods.sii.sii`: each group's quantiles as
(groups × quantiles) arrays and the weighted least-squares line.

The fit of PHE's model :math:`y\\sqrt{a} = \\beta_0\\sqrt{a} + \\beta_1 b\\sqrt{a}` is weighted
least squares of :math:`y` on the relative rank :math:`b` with weights :math:`a`, so the
slope and intercept are fixed linear combinations :math:`\\sum_j c_j y_j` and
:math:`\\sum_j d_j y_j` of the quantiles' values: one matrix product fits every group and
every simulated repetition at once (see ``_sii_simulation``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from healthgap.errors import InputError
from healthgap.methods import _frame

#: PHE turns 95% limits into a standard error with qnorm(0.975), not 1.96.
Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Quantiles:
    """One row per group, one column per quantile (most deprived first)."""

    keys: pd.DataFrame
    population: np.ndarray
    value: np.ndarray  # on the indicator's scale
    mu: np.ndarray  # on the link scale: log for rates, logit for proportions
    se: np.ndarray  # standard error on the link scale


def prepare(
    df: pd.DataFrame,
    value: str | None,
    population: str,
    quantile: str,
    by: list[str],
    *,
    value_type: str,
    se: str | None,
    lower: str | None,
    upper: str | None,
    count: str | None,
) -> Quantiles:
    """Validate the columns and lay each group's quantiles out in a row, most deprived first.

    Standard errors come from ``se`` if given, else from the 95% limits, else from the
    counts (rates: :math:`1/\\sqrt{x}` for the log; proportions:
    :math:`\\sqrt{1/x + 1/(n - x)}` for the logit).
    """
    _frame.require_columns(df, value, population, quantile, se, lower, upper, count, *by)
    if df.empty:
        raise InputError("the data has no rows")
    pop = _number(df, population)
    _frame.positive(df, population, pop)
    x = np.full(len(df), np.nan)
    if count is not None and (value is None or (se is None and lower is None)):
        x = _number(df, count)
        _frame.non_negative(df, count, x)
        if value_type == "proportion":
            _not_above(df, count, x, pop, population)
    v = x / pop if value is None else _number(df, value)
    _in_domain(df, value or str(count), v, value_type)
    if se is not None:
        s = _number(df, se)
        _frame.non_negative(df, se, s)
    elif lower is not None and upper is not None:
        lo, hi = _number(df, lower), _number(df, upper)
        _not_above(df, lower, lo, hi, upper)
        _in_domain(df, lower, lo, value_type)
        _in_domain(df, upper, hi, value_type)
        s = (link(hi, value_type) - link(lo, value_type)) / (2 * Z95)
    else:
        bad = (x <= 0) | ((x >= pop) if value_type == "proportion" else False)
        if bad.any():
            need = "between zero and the population" if value_type == "proportion" else "above zero"
            raise InputError(
                f"must be {need} to give a standard error", column=count, rows=df.index[bad]
            )
        s = np.sqrt(1 / x + 1 / (pop - x)) if value_type == "proportion" else 1 / np.sqrt(x)
    keys, codes = _frame.group_keys(df, by)
    grid = quantile_grid(df, quantile, keys, codes)
    return Quantiles(keys, pop[grid], v[grid], link(v, value_type)[grid], s[grid])


def _number(df: pd.DataFrame, column: str) -> np.ndarray:
    x = _frame.numeric(df, column)
    infinite = np.isinf(x)
    if infinite.any():
        raise InputError("must be finite", column=column, rows=df.index[infinite])
    return x


def _not_above(df: pd.DataFrame, name: str, x: np.ndarray, y: np.ndarray, other: str) -> None:
    bad = x > y
    if bad.any():
        raise InputError(f"must not exceed {other!r}", column=name, rows=df.index[bad])


def _in_domain(df: pd.DataFrame, name: str, x: np.ndarray, value_type: str) -> None:
    """Rates must have a log and proportions a logit."""
    if value_type == "rate":
        bad, need = x <= 0, "must be greater than zero for a rate (its log is used)"
    elif value_type == "proportion":
        bad = (x <= 0) | (x >= 1)
        need = (
            "must be a proportion strictly between 0 and 1 (its logit is used; "
            "use multiplier=100 to report percentages)"
        )
    else:
        return
    if bad.any():
        raise InputError(need, column=name, rows=df.index[bad])


def link(x: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.log(x)
    if value_type == "proportion":
        return special.logit(x)
    return x


def unlink(x: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.exp(x)
    if value_type == "proportion":
        return special.expit(x)
    return x


def quantile_grid(
    df: pd.DataFrame, quantile: str, keys: pd.DataFrame, codes: np.ndarray
) -> np.ndarray:
    """Row positions of each group's quantiles, shape (groups, quantiles), lowest first."""
    labels = df[quantile]
    missing = labels.isna().to_numpy()
    if missing.any():
        raise InputError("has missing values", column=quantile, rows=df.index[missing])
    if isinstance(labels.dtype, pd.CategoricalDtype) and labels.cat.ordered:
        order = labels.cat.codes.to_numpy()
    elif pd.api.types.is_numeric_dtype(labels) and not pd.api.types.is_bool_dtype(labels):
        order = labels.to_numpy(dtype="float64")
    else:
        raise InputError(
            "must be quantile numbers (1 = most deprived) or an ordered categorical",
            column=quantile,
        )
    distinct, rank = np.unique(order, return_inverse=True)
    k, n_groups = len(distinct), len(keys)
    if not 5 <= k <= 100:
        raise InputError(f"the number of quantiles must be between 5 and 100, got {k}")
    cell = codes * k + rank.ravel()
    seen = np.zeros(n_groups * k, dtype=bool)
    first = np.unique(cell, return_index=True)[1]
    seen[cell[first]] = True
    if len(first) < len(cell):
        repeated = np.ones(len(cell), dtype=bool)
        repeated[first] = False
        raise InputError(
            "has the same quantile more than once within a group",
            column=quantile,
            rows=df.index[repeated],
        )
    incomplete = ~seen.reshape(n_groups, k).all(axis=1)
    if incomplete.any():
        shown = keys[incomplete].head(5).to_dict("records")
        raise InputError(
            f"every group needs all {k} quantiles of {quantile!r}; some are missing for "
            + "; ".join(", ".join(f"{c}={v!r}" for c, v in g.items()) for g in shown)
            + (" and more" if incomplete.sum() > 5 else "")
        )
    grid = np.empty(n_groups * k, dtype=np.intp)
    grid[cell] = np.arange(len(cell))
    return grid.reshape(n_groups, k)


def fit_weights(population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients ``c`` and ``d``: slope = Σ c y and intercept = Σ d y, by group.

    Each quantile's share :math:`a_j` of the group's population is its weight and the
    midpoint of its band in the cumulative population, :math:`b_j = \\sum_{i<j} a_i + a_j/2`,
    its relative rank.
    """
    a = population / population.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(a, axis=1)
    b = np.concatenate([np.zeros((len(a), 1)), cumulative[:, :-1]], axis=1) + a / 2
    centred = b - (a * b).sum(axis=1, keepdims=True)
    c = a * centred / (a * centred**2).sum(axis=1, keepdims=True)
    d = a - (a * b).sum(axis=1, keepdims=True) * c
    return c, d


def ratio(slope: np.ndarray, icpt: np.ndarray, m: float) -> np.ndarray:
    """RII = (β0 + β1) / β0, inverted for a negative multiplier."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rii = (slope + icpt) / icpt
        return 1 / rii if m < 0 else rii


def untransform(
    slope: np.ndarray, icpt: np.ndarray, on_link: np.ndarray, value_type: str, m: float
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Points and limits on the indicator's scale from a fit on the log or logit scale."""
    y0, y1 = unlink(icpt, value_type), unlink(icpt + slope, value_type)
    points = {
        "sii": (y1 - y0) * m,
        "rii": y0 / y1 if m < 0 else y1 / y0,
        "intercept": y0 * abs(m),
    }
    mid = (icpt + slope / 2)[:, None, None, None]
    start = unlink(mid - on_link / 2, value_type)
    end = unlink(mid + on_link / 2, value_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap, ratios = (end - start) * m, end / start
        if m < 0:  # the slope's upper limit gives the lower limits
            gap, ratios = gap[..., ::-1], 1 / ratios[..., ::-1]
    return points, {"sii": gap, "rii": ratios}
