"""Validating disaggregated data and aligning it into :class:`Settings` arrays.

Rows are grouped into settings by the ``by`` columns, sorted within each setting (by
``order`` for ordered dimensions, else kept in input order) and placed into padded
``(settings, max_subgroups)`` arrays with numpy: no Python loop over settings or rows.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import DTypeLike

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods.inequality._settings import Settings


def build_settings(
    df: pd.DataFrame,
    value: str,
    *,
    subgroup: str,
    se: str | None = None,
    population: str | None = None,
    by: _frame.By = None,
    order: str | None = None,
    favourable: bool | str = True,
    reference: Hashable | None = None,
    scale: float = 100,
    setting_average: str | None = None,
) -> Settings:
    """Validate ``df`` and align it as settings × subgroups arrays.

    Parameters are those of :func:`healthgap.methods.inequality.inequality`. ``reference``
    is a boolean column when it names a column of ``df``, otherwise a subgroup label that
    must occur in every setting. The setting average μ is the population-weighted mean of
    the subgroup values when ``population`` is given; otherwise the ``setting_average``
    column (one value per setting) when given, as healthequal does; otherwise missing, so
    measures that need it cannot be computed.

    Raises
    ------
    InputError
        Missing columns, non-numeric or missing values, negative standard errors or
        populations, a setting whose populations are all zero, duplicate subgroups within a
        setting, ``order`` not numbering each setting's subgroups 1…k, ``favourable`` or
        ``setting_average`` varying within a setting, a reference subgroup missing from (or
        marked twice in) a setting, or a reference given for an ordered dimension.

    Examples
    --------
    >>> df = pd.DataFrame({"q": [2, 1, 3], "pct": [60.0, 50.0, 70.0], "n": [10, 10, 20]})
    >>> s = build_settings(df, "pct", subgroup="q", population="n", order="q")
    >>> s.y.tolist(), s.share.tolist(), s.mean.tolist()
    ([[50.0, 60.0, 70.0]], [[0.25, 0.25, 0.5]], [62.5])
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    reference_column = isinstance(reference, str) and reference in df.columns
    favourable_column = favourable if isinstance(favourable, str) else None
    _frame.require_columns(
        df, value, subgroup, se, population, order, favourable_column, setting_average, *by_cols
    )
    if len(df) == 0:
        raise InputError("the data has no rows")
    if not isinstance(favourable, (bool, np.bool_, str)):
        raise InputError(f"favourable must be True, False or a column name, got {favourable!r}")
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, float, np.number)):
        raise InputError(f"scale must be a positive number such as 100 or 1000, got {scale!r}")
    if not np.isfinite(scale) or scale <= 0:
        raise InputError(f"scale must be a positive number such as 100 or 1000, got {scale!r}")
    if order is not None and reference is not None:
        raise InputError(
            "a reference subgroup applies to non-ordered dimensions only; ordered dimensions "
            "compare the most and least advantaged subgroups (drop reference= or order=)"
        )

    y = _frame.numeric(df, value)
    _finite(df, value, y)
    se_values = _frame.numeric(df, se, allow_missing=True) if se else np.full(len(df), np.nan)
    if se:
        _frame.non_negative(df, se, se_values)
        _finite(df, se, se_values)
    labels = df[subgroup]
    if labels.isna().any():
        raise InputError("has missing values", column=subgroup, rows=df.index[labels.isna()])

    keys, codes = _frame.group_keys(df, by_cols)
    n_settings = len(keys)
    counts = np.bincount(codes, minlength=n_settings)

    sub_codes = pd.factorize(labels)[0]
    dup = pd.DataFrame({"g": codes, "s": sub_codes}).duplicated(keep=False).to_numpy()
    if dup.any():
        raise InputError(
            "each subgroup must appear once per setting (check by=)",
            column=subgroup,
            rows=df.index[dup],
        )

    order_values = _frame.numeric(df, order) if order else None
    sort = (
        np.lexsort((order_values, codes))
        if order_values is not None
        else np.argsort(codes, kind="stable")
    )
    sorted_codes = codes[sort]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pos = np.arange(len(df)) - starts[sorted_codes]
    width = int(counts.max())
    if order_values is not None:
        wrong = order_values[sort] != pos + 1
        if wrong.any():
            raise InputError(
                "must number the subgroups of each setting 1, 2, …, k (1 = most disadvantaged)",
                column=order,
                rows=_setting_rows(df, codes, sorted_codes[wrong]),
            )

    def place(values: np.ndarray, fill: Any = np.nan, dtype: DTypeLike = "float64") -> np.ndarray:
        out = np.full((n_settings, width), fill, dtype=dtype)
        out[sorted_codes, pos] = values[sort]
        return out

    mask = place(np.ones(len(df), dtype=bool), False, bool)
    pop = np.full((n_settings, width), np.nan)
    share = np.where(mask, np.nan, 0.0)
    if population:
        pop_values = _frame.numeric(df, population)
        _frame.non_negative(df, population, pop_values)
        _finite(df, population, pop_values)
        totals = np.bincount(codes, weights=pop_values, minlength=n_settings)
        if (totals <= 0).any():
            raise InputError(
                "must be greater than zero in at least one subgroup of each setting",
                column=population,
                rows=_setting_rows(df, codes, np.flatnonzero(totals <= 0)),
            )
        pop = place(pop_values)
        share = np.where(mask, pop / totals[:, None], 0.0)

    y2 = place(y)
    if population:
        mean = np.where(mask, share * y2, 0.0).sum(axis=1)
    elif setting_average:
        mean = _per_setting(df, setting_average, _frame.numeric(df, setting_average), codes)
    else:
        mean = np.full(n_settings, np.nan)

    fav = (
        _per_setting(df, favourable_column, _flags(df, favourable_column), codes).astype(bool)
        if favourable_column
        else np.full(n_settings, bool(favourable))
    )
    ref = _reference(df, subgroup, reference, reference_column, codes, n_settings)

    return Settings(
        keys=keys,
        labels=place(labels.to_numpy(dtype=object), None, object),
        mask=mask,
        y=y2,
        se=place(se_values),
        pop=pop,
        share=share,
        order=place(order_values) if order_values is not None else np.full(mask.shape, np.nan),
        ordered=order is not None,
        favourable=fav,
        reference=place(ref, False, bool),
        mean=mean,
        scale=float(scale),
    )


def _finite(df: pd.DataFrame, column: str, values: np.ndarray) -> None:
    bad = np.isinf(values)
    if bad.any():
        raise InputError("must be finite", column=column, rows=df.index[bad])


def _flags(df: pd.DataFrame, column: str) -> np.ndarray:
    """A True/False (or 1/0) column as 0.0/1.0."""
    series = df[column]
    if not pd.api.types.is_bool_dtype(series.dtype):
        series = pd.to_numeric(series, errors="coerce")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        raise InputError("must be True/False (or 1/0)", column=column, rows=df.index[bad])
    return values


def _per_setting(
    df: pd.DataFrame, column: str, values: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """The one value ``column`` takes in each setting (raising if it varies within one)."""
    n = int(codes.max()) + 1
    high = np.full(n, -np.inf)
    low = np.full(n, np.inf)
    np.maximum.at(high, codes, values)
    np.minimum.at(low, codes, values)
    varies = np.flatnonzero(high != low)
    if varies.size:
        raise InputError(
            "must take one value within each setting (the same for all its subgroups)",
            column=column,
            rows=_setting_rows(df, codes, varies),
        )
    return high


def _reference(
    df: pd.DataFrame,
    subgroup: str,
    reference: Hashable | None,
    is_column: bool,
    codes: np.ndarray,
    n_settings: int,
) -> np.ndarray:
    """Each row's reference flag, checked to be at most one per setting."""
    if reference is None:
        return np.zeros(len(df), dtype=bool)
    if is_column:
        column = str(reference)
        flags = _flags(df, column).astype(bool)
        marked = np.bincount(codes, weights=flags, minlength=n_settings)
        twice = np.flatnonzero(marked > 1)
        if twice.size:
            rows = flags & np.isin(codes, twice)
            raise InputError(
                "marks more than one reference subgroup in a setting",
                column=column,
                rows=df.index[rows],
            )
        return flags
    flags = (df[subgroup] == reference).to_numpy(dtype=bool)
    missing = np.flatnonzero(np.bincount(codes, weights=flags, minlength=n_settings) == 0)
    if missing.size:
        raise InputError(
            f"reference subgroup {reference!r} is missing from some settings",
            column=subgroup,
            rows=_setting_rows(df, codes, missing),
        )
    return flags


def _setting_rows(df: pd.DataFrame, codes: np.ndarray, settings: np.ndarray) -> pd.Index:
    """Index labels of all rows belonging to the given settings."""
    return df.index[np.isin(codes, settings)]
