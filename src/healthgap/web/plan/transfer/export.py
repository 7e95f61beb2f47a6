"""Writing the plan to CSV or Excel, one row per action."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet

from healthgap.errors import InputError
from healthgap.web.plan.models import Action, ProgressUpdate
from healthgap.web.plan.transfer.columns import COLUMNS, FORMATS, FORMULA, SEPARATOR

_TEXT = ("title", "description", "lead", "partners", "latest_update")


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA) else text


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
