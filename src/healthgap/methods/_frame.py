"""Shared input handling for the methods: checking columns and grouping rows.

Every method validates its input here so that bad data raises :class:`InputError`
naming the column and the rows at fault, never a bare numpy or pandas traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputError

By = str | Sequence[str] | None


def by_columns(by: By) -> list[str]:
    """Normalise a ``by=`` argument to a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def require_frame(df: object) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(df).__name__}")
    return df


def require_columns(df: pd.DataFrame, *columns: str | None) -> None:
    """Raise if any named column is absent (``None`` entries are ignored)."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        available = ", ".join(map(repr, df.columns[:20]))
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not found; the data has {available}"
        )


def numeric(df: pd.DataFrame, column: str, *, allow_missing: bool = False) -> np.ndarray:
    """Return ``df[column]`` as float64, raising on text or (by default) missing values."""
    series = df[column]
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        array = series.to_numpy(dtype="float64", na_value=np.nan)
        if not allow_missing and np.isnan(array).any():
            missing = np.isnan(array)
            raise InputError("has missing values", column=column, rows=df.index[missing])
        return array
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & series.notna()
    if bad.any():
        raise InputError("must be numeric", column=column, rows=df.index[bad.to_numpy()])
    if not allow_missing and values.isna().any():
        raise InputError("has missing values", column=column, rows=df.index[values.isna()])
    return values.to_numpy(dtype="float64", na_value=np.nan)


def non_negative(df: pd.DataFrame, column: str, values: np.ndarray) -> None:
    bad = values < 0
    if bad.any():
        raise InputError("must not be negative", column=column, rows=df.index[bad])


def positive(df: pd.DataFrame, column: str, values: np.ndarray) -> None:
    bad = values <= 0  # missing values are allowed through; callers decide
    if bad.any():
        raise InputError("must be greater than zero", column=column, rows=df.index[bad])


def group_keys(df: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Distinct groups in first-seen order, and each row's group number.

    Missing values in a ``by`` column form a group of their own.
    """
    if not by:
        return pd.DataFrame(index=pd.RangeIndex(1)), np.zeros(len(df), dtype=np.intp)
    codes = df.groupby(by, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    # Groups are numbered in first-seen order, so each group's first row is its key.
    first = np.unique(codes, return_index=True)[1]
    keys = df[by].iloc[first].reset_index(drop=True)
    return keys, codes.astype(np.intp)


def group_sums(codes: np.ndarray, n_groups: int, *arrays: np.ndarray) -> list[np.ndarray]:
    """Sum each array within groups numbered ``codes`` (vectorised, no loop over groups).

    A missing value makes its group's sum missing, as R's ``sum()`` does.
    """
    sums = []
    for a in arrays:
        missing = np.isnan(a)
        total = np.bincount(codes, weights=np.where(missing, 0.0, a), minlength=n_groups)
        if missing.any():
            total[np.bincount(codes, weights=missing, minlength=n_groups) > 0] = np.nan
        sums.append(total)
    return sums


def totals(df: pd.DataFrame, by: list[str], columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """The frame a row-wise method adds its results to.

    Without ``by`` it is a copy of ``df`` (each row its own unit); with ``by`` it has one
    row per group: the ``by`` columns and the sum of each of ``columns`` (validated values
    of the columns they name) within the group, integer if the input column was.
    """
    if not by:
        return df.copy()
    keys, codes = group_keys(df, by)
    sums = group_sums(codes, len(keys), *columns.values())
    for name, values in zip(columns, sums, strict=True):
        integer = pd.api.types.is_integer_dtype(df[name].dtype) and not np.isnan(values).any()
        keys[name] = values.round().astype("int64") if integer else values
    return keys


def values(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column already validated by :func:`numeric`, as float64."""
    return df[column].to_numpy(dtype="float64", na_value=np.nan)


def time_order(df: pd.DataFrame, column: str, codes: np.ndarray, *, noun: str) -> np.ndarray:
    """Row positions sorted by group (``codes``) then by ``column``'s times.

    Times may be numbers, dates or labels of one sortable kind (labels sort as text).
    Raises InputError for missing times, mixed kinds, or a time repeated within a group;
    ``noun`` names the times in messages ("period", "time").
    """
    times = df[column]
    missing = times.isna().to_numpy()
    if missing.any():
        raise InputError("has missing values", column=column, rows=df.index[missing])
    rank = times.to_numpy()
    if rank.dtype.kind not in "iufmM":  # labels: sort them once, then order by their rank
        if pd.api.types.infer_dtype(times, skipna=False).startswith("mixed"):
            raise InputError(f"must hold {noun}s of one sortable kind", column=column)
        rank, _ = pd.factorize(times, sort=True)
    rows = np.lexsort((rank, codes))
    group, ranked = codes[rows], rank[rows]
    repeated = (group[1:] == group[:-1]) & (ranked[1:] == ranked[:-1])
    if repeated.any():
        raise InputError(
            f"has the same {noun} more than once within a group",
            column=column,
            rows=df.index[rows[1:][repeated]],
        )
    return rows
