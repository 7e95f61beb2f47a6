"""Assigning areas to quantiles (deciles, quintiles, …) by the rank of their values."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame

#: PHE's names for common numbers of quantiles (as in its quantile test data).
QUANTILE_NAMES: Mapping[int, str] = MappingProxyType(
    {
        2: "Half",
        3: "Tertile",
        4: "Quartile",
        5: "Quintile",
        6: "Sextile",
        7: "Septile",
        8: "Octile",
        10: "Decile",
        12: "Duo-decile",
        16: "Hexadecile",
        20: "Ventile",
    }
)


def quantiles(
    df: pd.DataFrame,
    value: str,
    *,
    n: int = 10,
    by: _frame.By = None,
    highest_first: bool | str = True,
) -> pd.DataFrame:
    """Assign areas to ``n`` quantiles of their values, as PHE assigns deprivation deciles.

    Within each group, areas with a value are ranked (tied values share the lowest rank)
    and the rank is turned into a quantile so that each holds about the same number of
    areas; tied areas always share a quantile. With :math:`N` areas in the group and rank
    :math:`r` (1 = the area to go first):

    .. math::

        q = \\left\\lfloor (n + 1) - \\left\\lceil \\frac{(N + 1) - r}{N / n} \\right\\rceil
        \\right\\rfloor, \\quad \\text{then } q = 1 \\text{ where } q = 0

    Parameters
    ----------
    df : DataFrame
        One row per area; it is not modified.
    value : str
        Column of values to rank by (e.g. a deprivation score). Missing values get a
        missing quantile and do not count towards :math:`N`.
    n : int
        Number of quantiles: 10 for deciles, 5 for quintiles (see :data:`QUANTILE_NAMES`).
    by : str or list of str, optional
        Columns whose groups (e.g. regions) each get their own set of quantiles.
    highest_first : bool or str
        True: quantile 1 holds the highest values (PHE's ``invert = TRUE``, as for
        deprivation scores where decile 1 is the most deprived). False: quantile 1 holds
        the lowest values. Or the name of a boolean column saying which, the same for all
        rows of a group (PHE's ``inverttype = "field"``).

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``quantile`` (nullable integer, 1 to ``n``) added.

    Raises
    ------
    InputError
        Non-numeric or infinite values, ``n`` not an integer of at least 2, a
        ``highest_first`` column that is not boolean or differs within a group, or a group
        with some values but fewer than ``n`` (PHE warns and leaves such groups missing).

    References
    ----------
    Public Health England (2018), *Technical Guide: Assigning Deprivation Categories*.
    The same method as ``PHEindicatormethods::phe_quantile``.

    Examples
    --------
    >>> df = pd.DataFrame({"lsoa": list("ABCDEF"), "score": [5.0, 40.1, 12.3, 12.3, 8.8, 25.0]})
    >>> quantiles(df, "score", n=3)
      lsoa  score  quantile
    0    A    5.0         3
    1    B   40.1         1
    2    C   12.3         2
    3    D   12.3         2
    4    E    8.8         3
    5    F   25.0         1
    """
    df = _frame.require_frame(df)
    by_cols = _frame.by_columns(by)
    flag_col = highest_first if isinstance(highest_first, str) else None
    _frame.require_columns(df, value, flag_col, *by_cols)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise InputError(f"n (the number of quantiles) must be an integer of at least 2, got {n!r}")
    x = _frame.numeric(df, value, allow_missing=True)
    infinite = np.isinf(x)
    if infinite.any():
        raise InputError("must be finite", column=value, rows=df.index[infinite])

    keys, codes = _frame.group_keys(df, by_cols)
    n_groups = len(keys)
    has_value = ~np.isnan(x)
    areas = np.bincount(codes[has_value], minlength=n_groups)
    invert = _invert(df, flag_col, codes, n_groups) if flag_col else bool(highest_first)
    _refuse_small_groups(df, value, codes, keys, areas, n)

    ranked = x
    if np.any(invert):
        # PHE ranks max − value within the group, so the highest value ranks first.
        top = pd.Series(x).groupby(codes, sort=False).transform("max").to_numpy()
        ranked = np.where(invert, top - x, x)
    rank = pd.Series(ranked).groupby(codes, sort=False).rank(method="min").to_numpy()

    size = areas[codes].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.floor((n + 1) - np.ceil(((size + 1) - rank) / (size / n)))
    q[q == 0] = 1
    out = df.copy()
    out["quantile"] = pd.array(np.where(has_value, q, np.nan), dtype="Int64")
    return out


def _refuse_small_groups(
    df: pd.DataFrame,
    value: str,
    codes: np.ndarray,
    keys: pd.DataFrame,
    areas: np.ndarray,
    n: int,
) -> None:
    """Raise for groups that have values but too few areas for ``n`` quantiles."""
    small = (areas > 0) & (areas < n)
    if not small.any():
        return
    rows = df.index[small[codes] & df[value].notna().to_numpy()]
    if keys.columns.empty:
        where = f"only {areas[0]} areas have a value"
    else:
        first = keys[small].iloc[0].to_dict()
        where = f"{int(small.sum())} group(s) have too few areas with a value, e.g. {first}"
    raise InputError(f"{where}; at least {n} are needed for {n} quantiles", column=value, rows=rows)


def _invert(df: pd.DataFrame, column: str, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Each row's ``highest_first`` flag from a boolean column, checked constant per group."""
    series = df[column]
    if series.isna().any():
        raise InputError("has missing values", column=column, rows=df.index[series.isna()])
    boolean = pd.api.types.is_bool_dtype(series.dtype) or (
        pd.api.types.infer_dtype(series, skipna=False) == "boolean"
    )
    if not boolean:
        raise InputError("must hold only True or False", column=column)
    flag = series.to_numpy(dtype=bool)
    highest = np.bincount(codes, weights=flag, minlength=n_groups)
    rows = np.bincount(codes, minlength=n_groups)
    mixed = (highest > 0) & (highest < rows)
    if mixed.any():
        raise InputError(
            "must be the same for every row of a group (use by= to separate them)",
            column=column,
            rows=df.index[mixed[codes]],
        )
    return flag
