"""The plan as a spreadsheet: export to CSV or Excel, and import it back.

One row per action, in the columns of :data:`COLUMNS`. Lists are joined by ``"; "``;
organisations are written by name, priorities and population groups by key,
localities by code, dates as ``YYYY-MM-DD``.

Import reads the same columns from CSV (UTF-8) or ``.xlsx``. A row without an ``id``
adds an action (:func:`~healthgap.web.plan.actions.create_action`); a row with an
``id`` and ``version`` changes that action (:func:`~healthgap.web.plan.actions.update_action`)
— only the fields that differ, so re-importing an unedited export changes nothing. A row
whose ``id`` is not in the plan (a plan moved to another workspace) adds a new action,
and the result says so. ``latest_update`` is for reading only and is ignored.

Import is all or nothing: every problem in the file is collected — with the file, the
row as a spreadsheet numbers it (the header is row 1), the column and what was
expected — and if there is any, nothing is saved and :class:`PlanImportError` (an
:class:`~healthgap.errors.InputError`) lists them. The one exception is a conflict:
when someone changed an action after the file was exported, that row is reported in
:attr:`ImportResult.conflicts` and not applied (optimistic concurrency), while the
other rows are.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from healthgap.errors import InputError
from healthgap.web.plan.actions import create_action, update_action
from healthgap.web.plan.errors import Conflict, Invalid
from healthgap.web.plan.fields import RELATIONS, clean
from healthgap.web.plan.models import Action, ProgressUpdate

COLUMNS = ("id", "title", "description", "lead", "partners", "priorities", "groups",
           "localities", "indicator_ids", "baseline", "target_value", "target_date",
           "start_date", "due_date", "status", "version", "latest_update")  # fmt: skip
REQUIRED = ("title", "lead")
LISTS = ("partners", "priorities", "groups", "localities", "indicator_ids")
SEPARATOR = "; "
FORMATS = ("csv", "xlsx")

#: What each column holds, for error messages.
EXPECTED = {
    "id": "the action's id (a whole number), or empty for a new action",
    "title": "a short title (at most 200 characters)",
    "lead": "the lead organisation's name",
    "version": "the version the row was exported at (a whole number)",
}
#: A spreadsheet treats a cell starting with one of these as a formula: exported text
#: starting so gets a leading apostrophe (OWASP's advice on CSV injection), taken off
#: again on import.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_TEXT = ("title", "description", "lead", "partners", "latest_update")
_ZIP = b"PK\x03\x04"


# --- export --------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def _latest_updates(ids: list[int]) -> dict[int, ProgressUpdate]:
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(action_id__in=ids).order_by("-date", "-id"):
        latest.setdefault(update.action_id, update)
    return latest


def plan_rows(actions: Iterable[Action] | QuerySet[Action] | None = None) -> list[dict[str, Any]]:
    """The plan as rows of :data:`COLUMNS` (dates as ``date``, numbers as ``float``)."""
    if actions is None:
        chosen: QuerySet[Action] = Action.objects.all()
    elif isinstance(actions, QuerySet):
        chosen = actions
    else:
        chosen = Action.objects.filter(pk__in=[a.pk for a in actions])
    chosen = chosen.order_by("pk").select_related("lead")
    chosen = chosen.prefetch_related("partners", "priorities", "groups", "localities")
    listed = list(chosen)
    latest = _latest_updates([a.pk for a in listed])
    rows = []
    for action in listed:
        update = latest.get(action.pk)
        note = ""
        if update is not None:
            note = f"{update.date.isoformat()} ({update.get_status_display()}): {update.narrative}"
        rows.append(
            {
                "id": action.pk,
                "title": action.title,
                "description": action.description,
                "lead": action.lead.name,
                "partners": SEPARATOR.join(o.name for o in action.partners.all()),
                "priorities": SEPARATOR.join(p.key for p in action.priorities.all()),
                "groups": SEPARATOR.join(g.key for g in action.groups.all()),
                "localities": SEPARATOR.join(p.code for p in action.localities.all()),
                "indicator_ids": SEPARATOR.join(action.indicator_ids or []),
                "baseline": action.baseline,
                "target_value": action.target_value,
                "target_date": action.target_date,
                "start_date": action.start_date,
                "due_date": action.due_date,
                "status": action.status,
                "version": action.version,
                "latest_update": note,
            }
        )
    return rows


def _csv_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return _number(value)
    text = str(value)
    return _safe(text) if name in _TEXT else text


def _format(target: Any, fmt: str | None) -> str:
    if fmt is None:
        name = (
            str(target) if isinstance(target, (str, os.PathLike)) else getattr(target, "name", "")
        )
        fmt = "xlsx" if str(name).lower().endswith(".xlsx") else "csv"
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def export_plan(
    target: str | os.PathLike[str] | IO[Any],
    fmt: str | None = None,
    *,
    actions: Iterable[Action] | QuerySet[Action] | None = None,
) -> int:
    """Write the plan (or ``actions``) to ``target``, a path or an open file.

    Parameters
    ----------
    target : path or file-like
        Where to write. A CSV goes to a binary file (or an HTTP response) as UTF-8 with
        a byte-order mark, so that Excel reads accents right; to a text file as text.
    fmt : {"csv", "xlsx"}, optional
        Default: from the file name's suffix (``.xlsx``), else CSV.
    actions : queryset or iterable of Action, optional
        Default: the whole plan, stopped actions included.

    Returns
    -------
    int
        The number of actions written.
    """
    kind = _format(target, fmt)
    rows = plan_rows(actions)
    if kind == "xlsx":
        _write_xlsx(target, rows)
        return len(rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_cell(name, row[name]) for name in COLUMNS] for row in rows)
    text = buffer.getvalue()
    if isinstance(target, (str, os.PathLike)):
        Path(target).write_bytes(text.encode("utf-8-sig"))
    else:
        try:
            target.write(text.encode("utf-8-sig"))
        except TypeError:  # a text stream
            target.write(text)
    return len(rows)


def _write_xlsx(target: Any, rows: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "plan"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for values in rows:
        sheet.append([values[name] for name in COLUMNS])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    book.save(target)


# --- import --------------------------------------------------------------------------------


def _letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, located as a spreadsheet shows it."""

    file: str
    row: int | None  # the header is row 1
    column: str | None
    message: str
    letter: str | None = None  # the column's spreadsheet letter, when known

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}" + (f" ({self.letter})" if self.letter else ""))
        return f"{', '.join(where)}: {self.message}"


class PlanImportError(InputError):
    """The file could not be imported; ``problems`` lists every reason (nothing saved)."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{file}: {count}, nothing was imported:\n{lines}")
        self.problems = problems
        self.rows = [p for p in sorted({p.row for p in problems if p.row is not None})]
        columns = {p.column for p in problems}
        self.column = columns.pop() if len(columns) == 1 else None


@dataclass
class ImportResult:
    """What an import did."""

    file: str
    created: list[Action] = field(default_factory=list)
    updated: list[Action] = field(default_factory=list)
    unchanged: list[Action] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)  # rows not applied
    notes: list[Problem] = field(default_factory=list)  # rows applied, worth knowing

    def summary(self) -> str:
        text = (
            f"{self.file}: {len(self.created)} added, {len(self.updated)} changed, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.conflicts:
            text += f"; {len(self.conflicts)} not applied (changed by someone else since)"
        return text


def _source_name(source: Any) -> str:
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


def _fail(name: str, message: str, row: int | None = None) -> PlanImportError:
    return PlanImportError(name, [Problem(name, row, None, message)])


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise _fail(
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
        raise _fail(
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
        raise _fail(name, f"not a readable Excel workbook ({error})") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()


def _records(source: Any, name: str) -> tuple[list[list[Any]], bool]:
    """The file's rows of cells, and whether it is a workbook (else a CSV)."""
    data = _read_bytes(source, name)
    if isinstance(data, bytes) and data.startswith(_ZIP):
        return _xlsx_records(data, name), True
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _fail(name, "not an Excel workbook: the file's contents are not .xlsx")
    if name.lower().endswith(".xls"):
        raise _fail(name, "the old Excel format (.xls) is not read: save it as .xlsx or CSV")
    text = data if isinstance(data, str) else _decode(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _fail(name, f"the file is empty: expected a header row with {', '.join(COLUMNS)}")
    return _csv_records(text, name), False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(records: list[list[Any]], name: str) -> list[str]:
    if not records or all(_blank(v) for v in records[0]):
        raise _fail(name, f"row 1 should be the header: {', '.join(COLUMNS)}", row=1)
    header = ["" if v is None else str(v).strip().lower() for v in records[0]]
    while header and not header[-1]:  # empty cells after the last column
        header.pop()
    if len(header) == 1 and ";" in header[0]:
        raise _fail(
            name, "the columns are separated by ';': save the file as comma-separated CSV", row=1
        )
    problems = []
    seen: set[str] = set()
    for index, column in enumerate(header):
        letter = _letter(index)
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


def _plain(value: Any) -> Any:
    """A cell as the fields module expects it: text, a number, or an ISO date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("'") and text[1:2] in _FORMULA:
            text = text[1:]
        return text
    return value


def _whole(value: Any) -> int | None:
    """A positive whole number from a cell (``3``, ``"3"``, ``3.0``), else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number > 0 else None


@dataclass
class _Row:
    number: int
    raw: dict[str, Any]
    action_id: int | None
    version: int | None


def _rows(
    records: list[list[Any]], header: list[str], name: str, *, padded: bool
) -> tuple[list[_Row], list[Problem]]:
    """Rows as raw field values; ``padded``: short rows are fine (a workbook's empty
    trailing cells), not a CSV's missing separators."""
    rows: list[_Row] = []
    problems: list[Problem] = []
    letters = {column: _letter(i) for i, column in enumerate(header)}
    seen_ids: dict[int, int] = {}
    for offset, record in enumerate(records[1:]):
        number = offset + 2

        def problem(column: str | None, message: str, number: int = number) -> None:
            problems.append(Problem(name, number, column, message, letters.get(column or "")))

        if all(_blank(v) for v in record):
            continue
        short = len(record) < len(header) and not padded
        if short or any(not _blank(v) for v in record[len(header) :]):
            hint = "a missing comma or an unclosed quote" if short else "a stray comma"
            problem(None, f"has {len(record)} values but the header has {len(header)} "
                          f"columns: check for {hint}")  # fmt: skip
            continue
        padding = [None] * (len(header) - len(record))
        cells = dict(zip(header, [_plain(v) for v in [*record, *padding]], strict=False))
        action_id = version = None
        if cells.get("id", "") != "":
            action_id = _whole(cells["id"])
            version = _whole(cells.get("version", ""))
            if action_id is None:
                problem("id", f"expected {EXPECTED['id']}, got {cells['id']!r}")
            elif action_id in seen_ids:
                problem("id", f"action {action_id} is also in row {seen_ids[action_id]}")
            seen_ids.setdefault(action_id or 0, number)
            if version is None:
                problem("version", f"expected {EXPECTED['version']}, got {cells['version']!r}")
            for column in REQUIRED:  # a change is checked field by field: check these here
                if cells.get(column) == "":
                    problem(column, f"is required: {EXPECTED[column]}")
        raw = {k: v for k, v in cells.items() if k not in ("id", "version", "latest_update")}
        for column in LISTS:
            if isinstance(raw.get(column), str):
                raw[column] = [part.strip() for part in raw[column].split(";") if part.strip()]
        rows.append(_Row(number, raw, action_id, version))
    return rows, problems


def _differences(action: Action, values: Mapping[str, Any]) -> list[str]:
    """The fields of ``values`` (cleaned) that differ from ``action``'s."""
    changed = []
    for name, value in values.items():
        if name == "lead":
            differs = action.lead_id != value.pk
        elif name in RELATIONS:
            current = {o.pk for o in getattr(action, name).all()}  # prefetched
            differs = current != {o.pk for o in value}
        else:
            differs = getattr(action, name) != value
        if differs:
            changed.append(name)
    return changed


def _invalid(name: str, row: _Row, error: Invalid, letters: dict[str, str]) -> list[Problem]:
    problems = []
    for column, message in error.errors.items():
        if message == "is required" and column in EXPECTED:
            message = f"is required: {EXPECTED[column]}"
        problems.append(Problem(name, row.number, column, message, letters.get(column)))
    return problems


def import_plan(
    source: str | os.PathLike[str] | IO[Any],
    *,
    by: Any,
    indicators: Iterable[str] | None = None,
) -> ImportResult:
    """Add and change actions from a CSV or ``.xlsx`` file, all or nothing.

    Parameters
    ----------
    source : path or file-like
        A CSV (UTF-8, comma-separated, header row) or an Excel workbook (first sheet),
        with the columns of :data:`COLUMNS`; ``title`` and ``lead`` are required, and
        ``version`` with ``id``. An uploaded file works too (its ``name`` is used in
        messages; an ``.xlsx`` is recognised by its contents).
    by : user
        Who imports: needs the right to edit the actions of each row's lead.
    indicators : iterable of str, optional
        The warehouse's indicator ids, to check ``indicator_ids`` against.

    Returns
    -------
    ImportResult
        Actions added, changed and unchanged, and rows not applied because of a
        conflict.

    Raises
    ------
    PlanImportError
        An :class:`~healthgap.errors.InputError` listing every problem (file, row,
        column, what was expected); nothing was saved.
    """
    name = _source_name(source)
    records, workbook = _records(source, name)
    header = _header(records, name)
    rows, problems = _rows(records, header, name, padded=workbook)
    if problems:
        raise PlanImportError(name, problems)
    letters = {column: _letter(i) for i, column in enumerate(header)}
    known = list(indicators) if indicators is not None else None
    result = ImportResult(name)
    with transaction.atomic():
        chosen = Action.objects.prefetch_related(*RELATIONS)
        existing = chosen.in_bulk([r.action_id for r in rows if r.action_id])
        for row in rows:
            action = existing.get(row.action_id) if row.action_id else None
            try:
                if action is None:
                    result.created.append(create_action(row.raw, by=by, indicators=known))
                    if row.action_id:
                        result.notes.append(
                            Problem(name, row.number, "id",
                                    f"no action {row.action_id} in this plan: added as a new "
                                    f"action (id {result.created[-1].pk})", letters.get("id"))
                        )  # fmt: skip
                    continue
                values = clean(row.raw, partial=True, indicators=known)
                changed = _differences(action, values)
                if not changed:
                    result.unchanged.append(action)
                    continue
                assert row.version is not None  # checked with the id
                result.updated.append(
                    update_action(action.pk, {k: row.raw[k] for k in changed},
                                  version=row.version, by=by, indicators=known)
                )  # fmt: skip
            except Invalid as error:
                problems += _invalid(name, row, error, letters)
            except PermissionDenied as error:
                problems.append(Problem(name, row.number, "lead", str(error), letters.get("lead")))
            except Conflict as error:
                result.conflicts.append(
                    Problem(name, row.number, "version", str(error), letters.get("version"))
                )
        if problems:
            raise PlanImportError(name, problems)  # leaving the block rolls everything back
    return result
