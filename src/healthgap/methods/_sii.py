"""The inner parts of :func:`healthgap.methods.sii.sii`: each group's quantiles as
(groups × quantiles) arrays, the weighted least-squares fit and the simulation.

The fit of PHE's model :math:`y\\sqrt{a} = \\beta_0\\sqrt{a} + \\beta_1 b\\sqrt{a}` is weighted
least squares of :math:`y` on the relative rank :math:`b` with weights :math:`a`, so the
slope and intercept are fixed linear combinations :math:`\\sum_j c_j y_j` and
:math:`\\sum_j d_j y_j` of the quantiles' values: one matrix product fits every group and
every simulated repetition at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Level

#: PHE turns 95% limits into a standard error with qnorm(0.975), not 1.96.
Z95 = float(stats.norm.ppf(0.975))
_DRAWS = 1 << 20  # normal draws generated at a time
_HELD = 1 << 22  # simulated statistics held at a time (per statistic)


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
    pop = _frame.numeric(df, population)
    _frame.positive(df, population, pop)
    x = None
    if count is not None:
        x = _frame.numeric(df, count)
        _frame.non_negative(df, count, x)
        if value_type == "proportion":
            _not_above(df, count, x, pop, population)
    v = x / pop if value is None and x is not None else _frame.numeric(df, str(value))
    _in_domain(df, value or str(count), v, value_type)
    if se is not None:
        s = _frame.numeric(df, se)
        _frame.non_negative(df, se, s)
    elif lower is not None and upper is not None:
        lo, hi = _frame.numeric(df, lower), _frame.numeric(df, upper)
        _not_above(df, lower, lo, hi, upper)
        _in_domain(df, lower, lo, value_type)
        _in_domain(df, upper, hi, value_type)
        s = (link(hi, value_type) - link(lo, value_type)) / (2 * Z95)
    else:
        assert x is not None and count is not None
        _in_domain(df, count, x, "rate")  # no standard error from a zero count
        if value_type == "proportion":
            _in_domain(df, count, x / pop, value_type)
            s = np.sqrt(1 / x + 1 / (pop - x))
        else:
            s = 1 / np.sqrt(x)
    keys, codes = _frame.group_keys(df, by)
    grid = quantile_grid(df, quantile, keys, codes)
    return Quantiles(keys, pop[grid], v[grid], link(v, value_type)[grid], s[grid])


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


def positions(repetitions: int, ci_levels: Sequence[Level]) -> list[tuple[int, int]]:
    """PHE's limits: the round(R(1-p))-th and round(Rp)-th of R sorted draws, p = (1+level)/2.

    Returned 0-based; Python's ``round`` halves to even, as R's ``round`` does.
    """
    found = []
    for level in ci_levels:
        p = level.level + (1 - level.level) / 2
        low, high = round(repetitions * (1 - p)), round(repetitions * p)
        found.append((min(max(low, 1), repetitions) - 1, min(max(high, 1), repetitions) - 1))
    return found


def order_statistics(x: np.ndarray, repetitions: int, wanted: Sequence[int]) -> np.ndarray:
    """The ``wanted`` order statistics (0-based) of each run of ``repetitions`` in ``x``.

    ``x`` (groups, runs × repetitions) is partitioned in place; returns (groups, runs,
    len(wanted)). One partition of the runs at the innermost low position and one at the
    innermost high position, then small partitions of the tails beyond them, are much
    cheaper than one partition at every position.
    """
    runs = x.reshape(x.shape[0], -1, repetitions)
    found: dict[int, np.ndarray] = {}
    lows = sorted({p for p in wanted if p < repetitions // 2})
    highs = sorted({p for p in wanted if p >= repetitions // 2}, reverse=True)
    for side, is_low in ((lows, True), (highs, False)):
        if not side:
            continue
        cut = side[-1]  # the position nearest the middle
        runs.partition(cut, axis=-1)
        offset = 0 if is_low else cut
        tail = runs[..., : cut + 1] if is_low else runs[..., cut:]
        tail = np.partition(tail, [p - offset for p in side], axis=-1)
        for p in side:
            found[p] = tail[..., p - offset]
    return np.stack([found[p] for p in wanted], axis=-1)


def simulate(
    q: Quantiles,
    c: np.ndarray,
    d: np.ndarray,
    *,
    back: str,
    total: int,
    intercepts: bool,
    rng: np.random.Generator,
) -> Iterator[tuple[slice, np.ndarray, np.ndarray | None]]:
    """Slopes (and intercepts) refitted to ``total`` simulated sets of quantile values.

    Each quantile's value is drawn from :math:`N(\\mu_j, SE_j^2)` on the link scale, taken
    back to the indicator's scale when ``back`` names a value type (``"rate"`` →
    :math:`e^y`, ``"proportion"`` → expit), and the line refitted. Yields, for blocks of
    groups, (group slice, slopes (n, total), intercepts (n, total) or None).

    When nothing is taken back the fit is linear in the draws, so (slope, intercept) is
    exactly bivariate normal with mean :math:`(\\sum c\\mu, \\sum d\\mu)` and covariance
    :math:`\\sum (c, d)^T (c, d) SE^2`: drawing that pair directly (one or two normals per
    repetition instead of one per quantile) gives the same distribution, far faster.
    """
    n_groups, k = q.mu.shape
    block = max(1, min(n_groups, _HELD // total))
    for g0 in range(0, n_groups, block):
        g = slice(g0, min(n_groups, g0 + block))
        if back == "none":
            yield g, *_linear(q.mu[g], q.se[g], c[g], d[g], total, intercepts, rng)
            continue
        n = g.stop - g.start
        slopes = np.empty((n, total))
        icpts = np.empty((n, total)) if intercepts else None
        coef = np.stack([c[g], d[g]], axis=-1)[:, :, : 2 if intercepts else 1]
        chunk = max(1, _DRAWS // (n * k))
        for r0 in range(0, total, chunk):
            r = slice(r0, min(total, r0 + chunk))
            y = rng.standard_normal((n, r.stop - r.start, k))
            y *= q.se[g][:, None, :]
            y += q.mu[g][:, None, :]
            fitted = unlink(y, back) @ coef
            slopes[:, r] = fitted[..., 0]
            if icpts is not None:
                icpts[:, r] = fitted[..., 1]
        yield g, slopes, icpts


def _linear(
    mu: np.ndarray,
    se: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    total: int,
    intercepts: bool,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Slopes and intercepts drawn as a bivariate normal (Cholesky factor of their
    covariance): slope = s0 + z0 sd_s, intercept = i0 + z0 l21 + z1 l22."""
    var = se**2
    sd_s = np.sqrt((c**2 * var).sum(axis=1))[:, None]
    slopes = rng.standard_normal((len(mu), total))
    icpts = None
    if intercepts:
        cov = (c * d * var).sum(axis=1)[:, None]
        l21 = np.divide(cov, sd_s, out=np.zeros_like(cov), where=sd_s > 0)
        l22 = np.sqrt(np.maximum((d**2 * var).sum(axis=1)[:, None] - l21**2, 0.0))
        icpts = rng.standard_normal((len(mu), total))
        icpts *= l22
        icpts += (d * mu).sum(axis=1)[:, None]
        icpts += l21 * slopes
    slopes *= sd_s
    slopes += (c * mu).sum(axis=1)[:, None]
    return slopes, icpts


def mean_abs_difference(limits: np.ndarray) -> np.ndarray:
    """PHE's reliability statistic from (groups, 10 runs, 2) lower and upper limits: the
    mean absolute difference of runs 2–10 from the first run, over both limits."""
    return np.abs(limits[:, 1:] - limits[:, :1]).mean(axis=(1, 2))
