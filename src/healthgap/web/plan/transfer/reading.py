"""Reading an imported file (CSV or ``.xlsx``) into rows of cells, and checking its header."""

from __future__ import annotations

import csv
import io
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

from healthgap.web.plan.transfer.columns import COLUMNS, REQUIRED, column_letter
from healthgap.web.plan.transfer.problems import PlanImportError, Problem, fail

_ZIP = b"PK\x03\x04"


def source_name(source: Any) -> str:
    """The file's name for messages: a path's last part, or an upload's (else ``upload``)."""
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return Path(str(getattr(source, "name", "") or "upload")).name


def _read_bytes(source: Any, name: str) -> bytes | str:
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise PlanImportError(
                name, [Problem(name, None, None, f"cannot read: {error}")]
            ) from None
    data = source.read()
    return data if isinstance(data, (bytes, str)) else bytes(data)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise fail(
            name,
            f"line {line}: not UTF-8 text (byte 0x{byte} at position {error.start}): "
            "save the file as 'CSV UTF-8' or as an Excel workbook (.xlsx)",
        ) from None


def _csv_records(text: str, name: str) -> list[list[Any]]:
    records: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records.extend(reader)
    except csv.Error as error:
        row = len(records) + 1
        raise fail(
            name,
            f"broken quoting ({error}, at line {reader.line_num}): a value that holds a comma, "
            'a quote or a line break must be in double quotes, and a quote inside it doubled ("")',
            row=row,
        ) from None
    return records


def _xlsx_records(data: bytes, name: str) -> list[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():  # openpyxl's notes on styles and extensions
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise fail(name, f"not a readable Excel workbook ({error})") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()


def read_records(source: Any, name: str) -> tuple[list[list[Any]], bool]:
    """The file's rows of cells, and whether it is a workbook (else a CSV)."""
    data = _read_bytes(source, name)
    if isinstance(data, bytes) and data.startswith(_ZIP):
        return _xlsx_records(data, name), True
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise fail(name, "not an Excel workbook: the file's contents are not .xlsx")
    if name.lower().endswith(".xls"):
        raise fail(name, "the old Excel format (.xls) is not read: save it as .xlsx or CSV")
    text = data if isinstance(data, str) else _decode(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise fail(name, f"the file is empty: expected a header row with {', '.join(COLUMNS)}")
    return _csv_records(text, name), False


def blank(value: Any) -> bool:
    """Whether a cell is empty: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_header(records: list[list[Any]], name: str) -> list[str]:
    """Row 1's column names (lower case), checked: each known, once, the required ones there."""
    if not records or all(blank(v) for v in records[0]):
        raise fail(name, f"row 1 should be the header: {', '.join(COLUMNS)}", row=1)
    header = ["" if v is None else str(v).strip().lower() for v in records[0]]
    while header and not header[-1]:  # empty cells after the last column
        header.pop()
    if len(header) == 1 and ";" in header[0]:
        raise fail(
            name, "the columns are separated by ';': save the file as comma-separated CSV", row=1
        )
    problems = []
    seen: set[str] = set()
    for index, column in enumerate(header):
        letter = column_letter(index)
        if not column:
            problems.append(Problem(name, 1, None, f"column {letter} has no name", letter))
        elif column not in COLUMNS:
            problems.append(
                Problem(name, 1, column, f"unknown column; expected some of {', '.join(COLUMNS)}",
                        letter)
            )  # fmt: skip
        elif column in seen:
            problems.append(Problem(name, 1, column, "appears twice", letter))
        seen.add(column)
    missing = [c for c in REQUIRED if c not in header]
    if "id" in header and "version" not in header:
        missing.append("version")
    for column in missing:
        why = "needed with the id column" if column == "version" else "required"
        problems.append(Problem(name, 1, column, f"missing: this column is {why}"))
    if problems:
        raise PlanImportError(name, problems)
    return header
