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

from healthgap.web.plan.transfer.columns import (
    COLUMNS,
    EXPECTED,
    FORMATS,
    LISTS,
    REQUIRED,
    SEPARATOR,
)
from healthgap.web.plan.transfer.export import export_plan, plan_rows
from healthgap.web.plan.transfer.importing import ImportResult, import_plan
from healthgap.web.plan.transfer.problems import PlanImportError, Problem

__all__ = [
    "COLUMNS",
    "EXPECTED",
    "FORMATS",
    "LISTS",
    "REQUIRED",
    "SEPARATOR",
    "ImportResult",
    "PlanImportError",
    "Problem",
    "export_plan",
    "import_plan",
    "plan_rows",
]
