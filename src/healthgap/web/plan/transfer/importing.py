"""Checking the rows of an imported file and applying them to the plan, all or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from healthgap.web.plan.actions import create_action, update_action
from healthgap.web.plan.errors import Conflict, Invalid
from healthgap.web.plan.fields import RELATIONS, clean
from healthgap.web.plan.models import Action
from healthgap.web.plan.transfer.columns import EXPECTED, FORMULA, LISTS, REQUIRED, column_letter
from healthgap.web.plan.transfer.problems import PlanImportError, Problem
from healthgap.web.plan.transfer.reading import blank, read_header, read_records, source_name


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
        if text.startswith("'") and text[1:2] in FORMULA:
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
    letters = {column: column_letter(i) for i, column in enumerate(header)}
    seen_ids: dict[int, int] = {}
    for offset, record in enumerate(records[1:]):
        number = offset + 2

        def problem(column: str | None, message: str, number: int = number) -> None:
            problems.append(Problem(name, number, column, message, letters.get(column or "")))

        if all(blank(v) for v in record):
            continue
        short = len(record) < len(header) and not padded
        if short or any(not blank(v) for v in record[len(header) :]):
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
    name = source_name(source)
    records, workbook = read_records(source, name)
    header = read_header(records, name)
    rows, problems = _rows(records, header, name, padded=workbook)
    if problems:
        raise PlanImportError(name, problems)
    letters = {column: column_letter(i) for i, column in enumerate(header)}
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
