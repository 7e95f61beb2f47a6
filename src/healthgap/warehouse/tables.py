"""Importing a user's own aggregate table (CSV or Parquet) into the warehouse.

One row per indicator, area, period (and, optionally, sex, age and category of a
breakdown), with either the value or the numerator and denominator it is computed from.
The format is described in ``docs/import-export.md``; column names are matched after
lower-casing and turning spaces and hyphens into underscores (``Area Code`` is
``area_code``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate
from healthgap.warehouse import _validate
from healthgap.warehouse.fingertips import KEY, ImportSummary, area_type
from healthgap.warehouse.schema import TOTAL
from healthgap.warehouse.store import Warehouse

Method = Literal["proportion", "rate"]

REQUIRED = ("area_code", "period")
TEXT = (
    "indicator_id",
    "indicator_name",
    "area_name",
    "area_type",
    "parent_code",
    "sex",
    "age",
    "breakdown_type",
    "category",
    "value_note",
    "unit",
)
NUMBERS = (
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
    "category_order",
)
COLUMNS = REQUIRED + TEXT + NUMBERS
DEFAULTS = {"sex": "Persons", "age": "All ages"}
MULTIPLIERS: dict[str, float] = {"proportion": 100, "rate": 100_000}
LIMITS = (("lower_ci_95", "upper_ci_95"), ("lower_ci_99_8", "upper_ci_99_8"))


def import_table(
    path: str | Path,
    warehouse: Warehouse | str | Path,
    *,
    indicator_id: str | None = None,
    method: Method | None = None,
    multiplier: float | None = None,
    groups: Sequence[str] = (),
    known_areas: Collection[str] | None = None,
) -> ImportSummary:
    """Load an aggregate table (``.csv`` or ``.parquet``) into the warehouse.

    When the table has no ``value`` column, values and their 95% and 99.8% confidence
    limits are computed from ``numerator`` and ``denominator`` with
    :func:`healthgap.proportion` (Wilson) or :func:`healthgap.rate` (Byar's / exact
    Poisson). The whole file is checked before anything is written; re-importing replaces
    the table rows of the same indicators.

    Parameters
    ----------
    path : str or Path
        The table: ``.csv`` (UTF-8) or ``.parquet``.
    warehouse : Warehouse, str or Path
        The workspace's warehouse (it must exist).
    indicator_id : str, optional
        Indicator id of every row, for a table without an ``indicator_id`` column.
    method : {"proportion", "rate"}, optional
        How to compute values from numerator and denominator (default proportion).
    multiplier : float, optional
        100 for a percentage (the proportion default), 100,000 for a rate per 100,000 (the
        rate default).
    groups : sequence of str
        Columns holding the categories of a breakdown: the column name becomes the
        breakdown type, its values the categories; two or more make a cross-breakdown
        (names and values joined with ``*``). Rows blank in every group column are totals.
    known_areas : collection of str, optional
        Area codes the workspace knows; other codes are an error.

    Returns
    -------
    ImportSummary
        Rows written, indicators, areas, periods and the build id.

    Raises
    ------
    InputError
        Unknown or missing columns, text in a number column, negative counts, a numerator
        above its denominator (proportions), limits that do not enclose the value, invalid
        area codes or repeated rows, naming the file, row and column.
    """
    path = Path(path)
    store = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    rows = read_table(
        path,
        indicator_id=indicator_id,
        method=method,
        multiplier=multiplier,
        groups=groups,
        known_areas=known_areas,
    )
    digest = _validate.sha256(path)
    ids = tuple(pd.unique(rows["indicator_id"]))
    with store.change("import table", inputs={str(path.resolve()): digest}) as change:
        change.replace("indicator_values", rows, where={"source": "table", "indicator_id": ids})
        build_id = change.build_id
    ordered = rows.sort_values(["period_start", "period"], na_position="last")
    return ImportSummary(
        path=path,
        sha256=digest,
        build_id=build_id,
        rows=len(rows),
        indicators=ids,
        areas=rows["area_code"].nunique(),
        periods=tuple(pd.unique(ordered["period"])),
    )


def read_table(
    path: Path,
    *,
    indicator_id: str | None = None,
    method: Method | None = None,
    multiplier: float | None = None,
    groups: Sequence[str] = (),
    known_areas: Collection[str] | None = None,
) -> pd.DataFrame:
    """Read and check a table; return its warehouse rows (nothing is written)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        loaded = _validate.read_csv(path)[1]
    elif suffix in (".parquet", ".pq"):
        loaded = _validate.read_parquet(path)
    else:
        raise _validate.file_error(path, "expected a .csv or .parquet table")
    loaded = _rename(loaded, groups)
    frame = loaded.frame
    if method is not None and method not in MULTIPLIERS:
        raise InputError(f"method must be 'proportion' or 'rate', not {method!r}")
    if multiplier is not None and not (np.isfinite(multiplier) and multiplier > 0):
        raise InputError(f"multiplier must be a positive number, not {multiplier!r}")
    if (indicator_id is None) == ("indicator_id" not in frame.columns):
        raise _validate.file_error(
            path,
            "give the indicator id either as an 'indicator_id' column or as the "
            "indicator_id option, not both or neither",
        )
    rows = pd.DataFrame(index=frame.index)
    for column in TEXT:
        if column in frame.columns:
            rows[column] = _validate.optional(frame[column])
    if indicator_id is not None:
        if not str(indicator_id).strip():
            raise InputError("the indicator id must not be blank")
        rows["indicator_id"] = str(indicator_id).strip()
    for column in ("indicator_id", *REQUIRED):
        values = _validate.optional(frame[column]) if column in frame.columns else rows[column]
        if values.isna().any():
            loaded.fail(column, values.isna(), "a value is required")
        rows[column] = values
    for column, default in DEFAULTS.items():
        rows[column] = rows[column].fillna(default) if column in rows else default
    _validate.area_codes(loaded, "area_code", rows["area_code"], known=known_areas)
    if "parent_code" in rows:
        _validate.area_codes(loaded, "parent_code", rows["parent_code"].fillna(""), required=False)
    rows["area_type"] = _area_types(loaded, rows)
    _breakdowns(loaded, rows, groups)
    for column in NUMBERS:
        if column in frame.columns:
            rows[column] = _validate.numbers(loaded, column)
    _values(loaded, rows, method, multiplier)
    rows["period_start"], rows["period_end"] = _validate.periods(rows["period"])
    rows["source"] = "table"
    rows = rows.rename(columns={"numerator": "count"})
    if "category_order" in rows:
        rows["category_order"] = rows["category_order"].round().astype("Int64")
    clash = rows.duplicated(list(KEY), keep=False).to_numpy()
    if clash.any():
        loaded.fail(None, clash, "the same indicator, area, sex, age, category and period repeat")
    return rows.reset_index(drop=True)


def _rename(loaded: _validate.Loaded, groups: Sequence[str]) -> _validate.Loaded:
    """Normalise column names and reject duplicated and unknown ones."""
    names = [_name(c) for c in loaded.frame]
    wanted = [_name(g) for g in groups]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _validate.file_error(loaded.path, f"repeated column(s) {', '.join(repeated)}")
    missing = [g for g in wanted if g not in names]
    unknown = [n for n in names if n not in COLUMNS and n not in wanted]
    if missing or unknown:
        problem = (f"no group column(s) {', '.join(missing)}; " if missing else "") + (
            f"unknown column(s) {', '.join(unknown)}; " if unknown else ""
        )
        raise _validate.file_error(
            loaded.path,
            f"{problem}a table has the columns {', '.join(COLUMNS)} "
            "(and any group columns named with --group)",
        )
    if wanted and {"breakdown_type", "category"} & set(names):
        raise _validate.file_error(
            loaded.path, "use either group columns or breakdown_type and category, not both"
        )
    if not ("value" in names or {"numerator", "denominator"} <= set(names)):
        raise _validate.file_error(
            loaded.path, "needs a 'value' column or 'numerator' and 'denominator' columns"
        )
    frame = loaded.frame.set_axis(names, axis=1)
    return _validate.Loaded(loaded.path, frame, loaded.csv)


def _name(column: object) -> str:
    return str(column).strip().lower().replace(" ", "_").replace("-", "_")


def _area_types(loaded: _validate.Loaded, rows: pd.DataFrame) -> pd.Series:
    codes = rows["area_code"]
    if "area_type" in rows:
        types = area_type(rows["area_type"].fillna(""))
        blank = types == ""
    else:
        types = pd.Series("", index=rows.index, dtype=object)
        blank = pd.Series(True, index=rows.index)
    for name, pattern in _validate.AREA_TYPE_CODES.items():  # type from the code
        types = types.mask(blank & _validate.matches(codes, pattern), name)
    if (types == "").any():
        loaded.fail(
            "area_code", types == "", "cannot tell the area type from the code: add area_type"
        )
    _validate.area_types_match(loaded, "area_code", types, codes)
    return types


def _breakdowns(loaded: _validate.Loaded, rows: pd.DataFrame, groups: Sequence[str]) -> None:
    names = [_name(g) for g in groups]
    if names:
        cells = pd.DataFrame({n: _validate.text(loaded.frame[n]) for n in names})
        filled = cells != ""
        partial = filled.any(axis=1) & ~filled.all(axis=1)
        if partial.any():
            loaded.fail(names[0], partial, "group columns must all be filled or all blank")
        total = ~filled.any(axis=1)
        rows["breakdown_type"] = np.where(total, TOTAL, "*".join(names))
        joined = cells[names[0]].str.cat([cells[n] for n in names[1:]], sep="*")
        rows["category"] = joined.where(~total, "")
        return
    for column, default in (("breakdown_type", TOTAL), ("category", "")):
        rows[column] = rows[column].fillna(default) if column in rows else default
    total = rows["breakdown_type"] == TOTAL
    if (total & (rows["category"] != "")).any():
        loaded.fail("category", total & (rows["category"] != ""), "a category needs a breakdown")
    if (~total & (rows["category"] == "")).any():
        loaded.fail("category", ~total & (rows["category"] == ""), "a breakdown needs a category")


def _values(
    loaded: _validate.Loaded, rows: pd.DataFrame, method: Method | None, multiplier: float | None
) -> None:
    for column in ("numerator", "denominator"):
        if column in rows and (rows[column] < 0).any():
            loaded.fail(column, rows[column] < 0, "must not be negative")
    if "value" in rows:
        if method is not None or multiplier is not None:
            raise _validate.file_error(
                loaded.path,
                "has a value column: method and multiplier apply only to tables of "
                "numerators and denominators",
            )
        _check_limits(loaded, rows)
        return
    given = [c for pair in LIMITS for c in pair if c in rows]
    if given:
        raise _validate.file_error(
            loaded.path,
            f"has {', '.join(given)} but no value column: limits are computed with the value",
        )
    method = method or "proportion"
    scale = MULTIPLIERS[method] if multiplier is None else multiplier
    x, n = rows["numerator"], rows["denominator"]
    complete = x.notna() & n.notna()
    if (complete & (n == 0)).any():
        loaded.fail("denominator", complete & (n == 0), "must be greater than zero")
    if method == "proportion" and (x > n).any():
        loaded.fail("numerator", x > n, "exceeds the denominator (use the rate method?)")
    compute = proportion if method == "proportion" else rate
    computed = compute(
        rows.loc[complete, ["numerator", "denominator"]],
        "numerator",
        "denominator",
        confidence=[0.95, 0.998],
        multiplier=scale,
    )
    for column in ("value", *(c for pair in LIMITS for c in pair)):
        rows[column] = computed[column].reindex(rows.index)
    rows["method"] = computed["method"].reindex(rows.index).astype(object)
    unit = "%" if method == "proportion" and scale == 100 else f"per {scale:,g}"
    rows["unit"] = rows["unit"].fillna(unit) if "unit" in rows else unit


def _check_limits(loaded: _validate.Loaded, rows: pd.DataFrame) -> None:
    value = rows["value"]
    for lower_name, upper_name in LIMITS:
        lower = rows.get(lower_name, pd.Series(np.nan, index=rows.index))
        upper = rows.get(upper_name, pd.Series(np.nan, index=rows.index))
        for name, wrong in (
            (lower_name, lower > upper),
            (lower_name, lower > value),
            (upper_name, upper < value),
        ):
            if wrong.any():
                loaded.fail(name, wrong, "confidence limits must enclose the value")
