"""Exporting the warehouse in Fingertips' 26-column layout, with disclosure control applied.

Raw values stay in the warehouse; what leaves it goes through
:func:`healthgap.disclosure.protect` (small counts suppressed, others rounded, secondary
suppression) and, for CSV and Excel, :func:`healthgap.disclosure.render` (suppressed cells
shown as ``*``). Rows from synthetic data carry ``SYNTHETIC`` in their ``Value note``, so
that the file stays readable by anything that reads Fingertips downloads.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap._version import __version__
from healthgap.disclosure import SUPPRESSED, DisclosureRules, protect, render
from healthgap.errors import InputError
from healthgap.warehouse.fingertips import COLUMNS, NUMBERS
from healthgap.warehouse.schema import TOTAL
from healthgap.warehouse.store import Warehouse

FORMATS = (".csv", ".parquet", ".xlsx")
#: Marker put in the ``Value note`` of every row computed from synthetic data.
SYNTHETIC = "SYNTHETIC"
#: healthgap area types → the ``Area Type`` written (read back by the importer).
AREA_TYPE_LABELS = {
    "england": "England",
    "region": "Region",
    "lad": "Local authority",
    "msoa": "MSOA",
    "lsoa": "LSOA",
    "practice": "GP",
}
SIBLINGS = ("source", "indicator_id", "area_code", "period", "sex", "age", "breakdown_type")
_AREA_ORDER = {name: rank for rank, name in enumerate(AREA_TYPE_LABELS)}
_EXCEL_ROWS = 1_048_575
_SORT = [
    "source",
    "indicator_id",
    "_start",
    "period",
    "sex",
    "age",
    "_area",
    "area_code",
    "_total",
    "breakdown_type",
    "category_order",
    "category",
]


def export(
    warehouse: Warehouse | str | Path,
    out_path: str | Path,
    *,
    rules: DisclosureRules | None = None,
    source: str | Sequence[str] | None = None,
    synthetic: bool = False,
) -> Path:
    """Write every value in the warehouse to ``out_path``, disclosure-controlled.

    The format follows the extension: ``.csv`` (Fingertips' 26 columns, suppressed cells
    ``*``), ``.parquet`` (the same columns, typed; suppressed cells missing) or ``.xlsx``
    (a ``Data`` sheet with numbers as numbers and suppressed cells ``*``, and an ``About``
    sheet). The file is written to a temporary file and renamed into place.

    Parameters
    ----------
    warehouse : Warehouse, str or Path
        The warehouse to read.
    out_path : str or Path
        The file to write.
    rules : DisclosureRules, optional
        Disclosure control (the workspace's; default :class:`DisclosureRules()`).
    source : str or sequence of str, optional
        Only rows from these sources (``"build"``, ``"fingertips"``, ``"table"``).
    synthetic : bool
        True marks every row ``SYNTHETIC`` (pass the workspace's ``synthetic`` setting).
        Rows written by builds recorded as synthetic are marked either way.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    InputError
        An unknown extension, no values to export, or more rows than Excel holds.
    """
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{out}: unknown export format {out.suffix or '(no extension)'!r}; "
            f"use one of {', '.join(FORMATS)}"
        )
    store = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    rules = rules if rules is not None else DisclosureRules()
    rows = store.read("indicator_values", where={"source": source} if source else None)
    if rows.empty:
        only = f" from source {source!r}" if source else ""
        raise InputError(f"{store.path}: no values{only} to export: build or import first")
    if suffix == ".xlsx" and len(rows) > _EXCEL_ROWS:
        raise InputError(f"{len(rows):,} rows are more than Excel holds: export .csv or .parquet")
    marked = _synthetic_rows(store, rows, synthetic)
    protected = protect(sort_rows(rows), rules, siblings=SIBLINGS)
    flagged = marked.reindex(protected.index).to_numpy()
    protected = mark_synthetic(protected, flagged)
    about = _about(rules, bool(flagged.any()), len(protected))
    if suffix == ".parquet":
        _atomic(out, lambda path: _parquet(layout(protected), path, about))
    else:
        table = layout(render(protected), text=True)
        if suffix == ".csv":
            _atomic(out, lambda path: table.to_csv(path, index=False, encoding="utf-8"))
        else:
            _atomic(out, lambda path: _excel(table, path, about))
    return out


def mark_synthetic(protected: pd.DataFrame, flagged: np.ndarray | bool) -> pd.DataFrame:
    """Put :data:`SYNTHETIC` first in the ``value_note`` of the flagged rows (a copy)."""
    out = protected.copy()
    flags = np.broadcast_to(np.asarray(flagged, dtype=bool), (len(out),))
    notes = out["value_note"].astype(object).where(out["value_note"].notna(), "")
    marked_notes = np.where(notes == "", SYNTHETIC, SYNTHETIC + "; " + notes.astype(str))
    out["value_note"] = pd.Series(
        np.where(flags, marked_notes, notes), index=out.index, dtype=object
    ).replace("", None)
    return out


def layout(frame: pd.DataFrame, *, text: bool = False) -> pd.DataFrame:
    """Warehouse rows → Fingertips' 26 columns (``text``: numbers as text, ``*`` kept)."""
    named = frame.dropna(subset=["area_name"]).drop_duplicates("area_code")
    names = named.set_index("area_code")["area_name"]
    start = pd.to_datetime(frame["period_start"])
    months = (pd.to_datetime(frame["period_end"]) - start).dt.days // 28
    sortable = (start.dt.year * 10000 + np.where(months >= 12, 0, start.dt.month)).astype("Int64")
    area_type = frame["area_type"]
    out = pd.DataFrame(
        {
            "Indicator ID": frame["indicator_id"],
            "Indicator Name": frame["indicator_name"],
            "Parent Code": frame["parent_code"],
            "Parent Name": frame["parent_code"].map(names),
            "Area Code": frame["area_code"],
            "Area Name": frame["area_name"],
            "Area Type": area_type.map(AREA_TYPE_LABELS).fillna(area_type),
            "Sex": frame["sex"],
            "Age": frame["age"],
            "Category Type": frame["breakdown_type"].where(frame["breakdown_type"] != TOTAL, ""),
            "Category": frame["category"],
            "Time period": frame["period"],
        },
        index=frame.index,
    )
    for column, name in NUMBERS.items():
        out[column] = _number_text(frame[name]) if text else pd.to_numeric(frame[name])
    out["Value note"] = frame["value_note"]
    out["Recent Trend"] = frame["recent_trend"]
    out["Compared to England value or percentiles"] = frame["comparison"]
    out["Compared to Region value or percentiles"] = None
    out["Time period Sortable"] = (
        sortable.astype(str).where(sortable.notna(), "") if text else sortable
    )
    out["New data"] = None
    out["Compared to goal"] = None
    out = out[list(COLUMNS)].reset_index(drop=True)
    words = [c for c in COLUMNS if c not in NUMBERS and c != "Time period Sortable"]
    if text:
        out[words] = out[words].astype(object).where(out[words].notna(), "")
    else:
        out[words] = out[words].astype(pd.StringDtype())
    return out


def _number_text(series: pd.Series) -> pd.Series:
    """Numbers as text (whole numbers without ``.0``); ``*`` and blanks kept."""
    star = series.astype(object).eq(SUPPRESSED)
    values = pd.to_numeric(series.where(~star), errors="coerce").astype("float64")
    whole = values.notna() & (values == values.round()) & (values.abs() < 2**53)
    shown = values.astype(object).where(values.notna(), "").astype(str)
    shown = shown.where(~whole, values.where(whole).astype("Int64").astype(str))
    return shown.where(~star, SUPPRESSED).astype(object)


def sort_rows(rows: pd.DataFrame) -> pd.DataFrame:
    keys = rows.assign(
        _start=pd.to_datetime(rows["period_start"]),
        _area=rows["area_type"].map(_AREA_ORDER).fillna(len(_AREA_ORDER)),
        _total=rows["breakdown_type"] != TOTAL,
    )
    order = keys.sort_values(_SORT, na_position="last", kind="stable").index
    return rows.loc[order].reset_index(drop=True)


def _synthetic_rows(store: Warehouse, rows: pd.DataFrame, synthetic: bool) -> pd.Series:
    if synthetic:
        return pd.Series(True, index=rows.index)
    builds = store.builds()
    made = builds.loc[builds["synthetic"].fillna(False).astype(bool), "build_id"]
    return rows["build_id"].isin(set(made))


def _about(rules: DisclosureRules, synthetic: bool, rows: int) -> dict[str, str]:
    return {
        "generated_by": f"healthgap {__version__}",
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rows": str(rows),
        "disclosure_control": json.dumps(rules.to_mapping()),
        "synthetic": "yes: rows marked SYNTHETIC are not real people" if synthetic else "no",
        "layout": "OHID Fingertips data download (26 columns)",
    }


def _parquet(table: pd.DataFrame, path: Path, about: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    metadata = {**(arrow.schema.metadata or {}), b"healthgap": json.dumps(about).encode()}
    pq.write_table(arrow.replace_schema_metadata(metadata), path)


def _excel(table: pd.DataFrame, path: Path, about: dict[str, str]) -> None:
    numbers = list(NUMBERS)
    data = table.copy()
    for column in numbers:  # numbers as numbers; "*" stays text, blanks stay empty
        cells = table[column]
        values = pd.to_numeric(cells.where(~cells.isin([SUPPRESSED, ""])), errors="coerce")
        data[column] = values.astype(object).where(values.notna(), None)
        data[column] = data[column].mask(cells == SUPPRESSED, SUPPRESSED)
    sortable = pd.to_numeric(data["Time period Sortable"], errors="coerce").astype("Int64")
    data["Time period Sortable"] = sortable
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name="Data", index=False)
        notes = pd.DataFrame({"Item": list(about), "Value": list(about.values())})
        notes.to_excel(writer, sheet_name="About", index=False)
        writer.sheets["Data"].freeze_panes = "A2"


def _atomic(out: Path, write: Callable[[Path], object]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=out.suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
