"""Importing OHID Fingertips data downloads into the warehouse.

A Fingertips download (the "Export table as CSV" button, or the API's
``all_data/csv/by_indicator_id``) has one row per indicator, area, sex, age, category and
period. Its rows become warehouse rows with ``source = "fingertips"``, next to the values
healthgap builds, so that local figures can be read against published ones.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.warehouse import _validate
from healthgap.warehouse.schema import TOTAL
from healthgap.warehouse.store import Warehouse

#: The 26 columns of a Fingertips data download, in order.
COLUMNS: tuple[str, ...] = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Region value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
)
#: Newer downloads add a 27th column, e.g. ``1y`` or ``3y``.
TIME_PERIOD_RANGE = "Time period range"
#: The 23rd column names the parent area type it compares with ("Region", "ICBs"…).
_PARENT_COMPARISON = re.compile(r"Compared to .+ value or percentiles")

NUMBERS: dict[str, str] = {
    "Value": "value",
    "Lower CI 95.0 limit": "lower_ci_95",
    "Upper CI 95.0 limit": "upper_ci_95",
    "Lower CI 99.8 limit": "lower_ci_99_8",
    "Upper CI 99.8 limit": "upper_ci_99_8",
    "Count": "count",
    "Denominator": "denominator",
}

#: Fingertips area type names (lower case) → healthgap's area types. Others are kept,
#: lower-cased ("combined authorities", "nhs region"…).
AREA_TYPES: tuple[tuple[str, str], ...] = (
    (r"country|england", "england"),
    (r"regions?( \(statistical\))?", "region"),
    (
        r"ua|utla|ltla|local authorit(y|ies)|(count(y|ies)|districts?) & uas?\b.*"
        r"|(upper|lower) tier local authorit.*",
        "lad",
    ),
    (r"msoas?\b.*|middle (layer )?super output areas?", "msoa"),
    (r"lsoas?\b.*|lower (layer )?super output areas?", "lsoa"),
    (r"gps?|gp practices?|general practices?", "practice"),
)

#: Key of a row: one value per indicator, area, sex, age, category and period.
KEY = ("indicator_id", "area_code", "sex", "age", "breakdown_type", "category", "period")


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote to the warehouse."""

    path: Path
    sha256: str
    build_id: str
    rows: int
    indicators: tuple[str, ...]
    areas: int
    periods: tuple[str, ...]
    duplicates_dropped: int = 0

    def __str__(self) -> str:
        ids = ", ".join(self.indicators[:5]) + (" …" if len(self.indicators) > 5 else "")
        indicators = _plural(len(self.indicators), "indicator")
        span = (
            self.periods[0]
            if len(self.periods) == 1
            else f"{self.periods[0]} to {self.periods[-1]}"
        )
        return (
            f"{_plural(self.rows, 'row')} of {indicators} ({ids}) for "
            f"{_plural(self.areas, 'area')}, {span}, from {self.path.name}"
        )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def import_fingertips(
    path: str | Path,
    warehouse: Warehouse | str | Path,
    *,
    known_areas: Collection[str] | None = None,
) -> ImportSummary:
    """Load a Fingertips data download (CSV) into the warehouse.

    The file is checked completely before anything is written: the header must be
    Fingertips' 26 columns (or 27, with ``Time period range`` last), every area code an
    ONS (GSS) or GP practice code (and in ``known_areas`` when given), and every number a
    number. Re-importing a file replaces the rows it wrote before: Fingertips rows of the
    same indicators *and* areas, so a county download and a district download of one
    indicator sit side by side.

    Parameters
    ----------
    path : str or Path
        The downloaded CSV file.
    warehouse : Warehouse, str or Path
        The workspace's warehouse (it must exist).
    known_areas : collection of str, optional
        Area codes the workspace knows; other codes are an error.

    Returns
    -------
    ImportSummary
        Rows written, indicators, number of areas and periods, the build id.

    Raises
    ------
    InputError
        A wrong header (listing the expected and the found columns), a malformed record,
        an invalid area code, a non-numeric value…, naming the file, row, line and column.
    """
    path = Path(path)
    store = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    digest = _validate.sha256(path) if path.is_file() else ""
    header, loaded = _validate.read_csv(path, last_optional=True)
    check_header(path, header)
    rows, dropped = to_warehouse(loaded, known_areas=known_areas)
    ids = tuple(pd.unique(rows["indicator_id"]))
    with store.change("import fingertips", inputs={str(path.resolve()): digest}) as change:
        for indicator in ids:
            mine = rows[rows["indicator_id"] == indicator]
            where = {
                "source": "fingertips",
                "indicator_id": indicator,
                "area_code": sorted(set(mine["area_code"])),
            }
            change.replace("indicator_values", mine, where=where)
        build_id = change.build_id
    return ImportSummary(
        path=path,
        sha256=digest,
        build_id=build_id,
        rows=len(rows),
        indicators=ids,
        areas=rows["area_code"].nunique(),
        periods=_ordered_periods(rows),
        duplicates_dropped=dropped,
    )


def check_header(path: Path, header: list[str]) -> None:
    """Raise unless ``header`` is Fingertips' 26 columns, or 27 with ``Time period range``."""
    expected = list(COLUMNS) + ([TIME_PERIOD_RANGE] if len(header) == 27 else [])
    found = [name.strip() for name in header]
    parent = COLUMNS.index("Compared to Region value or percentiles")
    same = len(found) == len(expected) and all(
        f == e or (i == parent and _PARENT_COMPARISON.fullmatch(f))
        for i, (f, e) in enumerate(zip(found, expected, strict=True))
    )
    if same:
        return

    def known(i: int, name: str) -> bool:
        return name in expected or (i == parent and bool(_PARENT_COMPARISON.fullmatch(name)))

    missing = [
        e
        for i, e in enumerate(expected)
        if e not in found
        and not (i == parent and any(_PARENT_COMPARISON.fullmatch(f) for f in found))
    ]
    unexpected = [f for i, f in enumerate(found) if not known(i, f)]
    differences = [f"missing {', '.join(map(repr, missing))}"] if missing else []
    differences += [f"unexpected {', '.join(map(repr, unexpected))}"] if unexpected else []
    if not differences:
        first = next(i for i, (f, e) in enumerate(zip(found, expected, strict=False)) if f != e)
        differences.append(f"column {first + 1} is {found[first]!r}, expected {expected[first]!r}")
    raise InputError(
        f"{path}: not a Fingertips data download. Expected the columns "
        f"{', '.join(COLUMNS)} (and optionally {TIME_PERIOD_RANGE!r} as a 27th); found "
        f"{', '.join(found)}: {'; '.join(differences)}"
    )


def area_type(names: pd.Series) -> pd.Series:
    """Fingertips area type names → healthgap area types (unknown ones lower-cased).

    Examples
    --------
    >>> area_type(pd.Series(["County & UA", "GPs", "Combined authorities"])).tolist()
    ['lad', 'practice', 'combined authorities']
    """
    codes, uniques = pd.factorize(_validate.text(names))
    lowered = pd.Series(np.asarray(uniques, dtype=object), dtype=object).str.lower()
    result = lowered.copy()
    for pattern, normal in reversed(AREA_TYPES):
        result = result.mask(lowered.str.fullmatch(pattern).astype(bool), normal)
    return pd.Series(result.to_numpy(dtype=object)[codes], index=names.index, dtype=object)


def to_warehouse(
    loaded: _validate.Loaded, *, known_areas: Collection[str] | None = None
) -> tuple[pd.DataFrame, int]:
    """Check a read Fingertips table and turn it into warehouse rows (and count duplicates)."""
    frame = loaded.frame
    ids = _validate.text(frame["Indicator ID"])
    numeric = _validate.matches(ids, r"\d+")
    if not numeric.all():
        loaded.fail("Indicator ID", ~numeric, "expected a numeric indicator id")
    codes = _validate.text(frame["Area Code"])
    _validate.area_codes(loaded, "Area Code", codes, known=known_areas)
    parents = _validate.text(frame["Parent Code"])
    _validate.area_codes(loaded, "Parent Code", parents, required=False)
    types = area_type(frame["Area Type"])
    _validate.area_types_match(loaded, "Area Code", types, codes)
    for column in ("Area Type", "Sex", "Age", "Time period"):
        blank = _validate.text(frame[column]) == ""
        if blank.any():
            loaded.fail(column, blank, "a value is required")
    breakdown = _validate.text(frame["Category Type"])
    category = _validate.text(frame["Category"])
    if ((breakdown == "") & (category != "")).any():
        loaded.fail(
            "Category Type", (breakdown == "") & (category != ""), "blank, but Category is not"
        )
    rows = pd.DataFrame(
        {
            "indicator_id": ids,
            "indicator_name": _validate.optional(frame["Indicator Name"]),
            "source": "fingertips",
            "area_code": codes,
            "area_name": _validate.optional(frame["Area Name"]),
            "area_type": types,
            "parent_code": parents.where(parents != "", None),
            "period": _validate.text(frame["Time period"]),
            "sex": _validate.text(frame["Sex"]),
            "age": _validate.text(frame["Age"]),
            "breakdown_type": breakdown.where(breakdown != "", TOTAL),
            "category": category,
        },
        index=frame.index,
    )
    for column, name in NUMBERS.items():
        rows[name] = _validate.numbers(loaded, column)
    rows["period_start"], rows["period_end"] = _validate.periods(rows["period"])
    rows["category_order"] = category_order(rows)
    rows["value_note"] = _validate.optional(frame["Value note"])
    rows["comparison"] = _validate.optional(frame["Compared to England value or percentiles"])
    rows["recent_trend"] = _validate.optional(frame["Recent Trend"])
    return _without_duplicates(loaded, rows)


def category_order(rows: pd.DataFrame) -> pd.Series:
    """1, 2, … for the categories of each breakdown in the order the file lists them.

    Fingertips lists categories in its own order (most deprived first for deprivation
    deciles); the whole population has no order.
    """
    pairs = rows[["indicator_id", "breakdown_type", "category"]].drop_duplicates()
    order = pairs.groupby(["indicator_id", "breakdown_type"], sort=False).cumcount() + 1
    pairs = pairs.assign(category_order=order.astype("Int64"))
    merged = rows[["indicator_id", "breakdown_type", "category"]].merge(
        pairs, how="left", on=["indicator_id", "breakdown_type", "category"]
    )
    result = pd.Series(merged["category_order"].to_numpy(), index=rows.index, dtype="Int64")
    return result.mask(rows["breakdown_type"] == TOTAL)


def _without_duplicates(loaded: _validate.Loaded, rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop rows repeated exactly; the same key with different values is an error."""
    same_key = rows.duplicated(list(KEY), keep=False).to_numpy()
    if not same_key.any():
        return rows.reset_index(drop=True), 0
    repeated = np.zeros(len(rows), dtype=bool)
    repeated[same_key] = rows[same_key].astype(str).duplicated(keep="first").to_numpy()
    unique = rows[~repeated]
    clash = unique.duplicated(list(KEY), keep=False).to_numpy()
    if clash.any():
        loaded.fail(
            None,
            np.isin(loaded.frame.index, unique.index[clash]),
            "the same indicator, area, sex, age, category and period appear twice with "
            "different values",
        )
    return unique.reset_index(drop=True), int(repeated.sum())


def _ordered_periods(rows: pd.DataFrame) -> tuple[str, ...]:
    ordered = rows.sort_values(["period_start", "period"], na_position="last")
    return tuple(pd.unique(ordered["period"]))
