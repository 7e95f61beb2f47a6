"""The board report, downloaded from the web app: ``/report/?period=2025-26&format=pdf``.

Permission: ``dashboard.view`` (every role). The report is the Board's published
document and Board members hold the viewer role; everything in it has passed the same
disclosure control as the dashboard and ``healthgap target``'s CSV, and its targeting
section is the short published summary (top five communities), not the analyst's
interactive targeting pages.

Without ``period`` the latest financial year with data is reported; ``format`` is
``pdf`` (the default, downloaded) or ``html`` (shown in the browser). A report takes
seconds to make, so the last few are kept for the warehouse version they were made
from, the day, and the state of the plan and community voice (the latest change to any
of their tables), and made afresh when any of these changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from django.http import HttpRequest, HttpResponse

from healthgap.errors import InputError
from healthgap.report.output import FORMATS, render
from healthgap.report.period import available
from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard.lru import LRU
from healthgap.web.dashboard.snapshot import current

KEPT = 4
CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@require(Permission.DASHBOARD_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    from healthgap.report.gather import gather

    snapshot = current()
    years = available(snapshot.values)
    fmt = request.GET.get("format") or "pdf"
    if fmt not in FORMATS:
        return _bad(request, f"Choose a format: {' or '.join(FORMATS)}.")
    if not years:
        return _bad(request, "The warehouse has no values yet: build it first.")
    period = request.GET.get("period") or years[-1].label
    today = date.today()
    kept: LRU[bytes] = snapshot.memo("board-reports", lambda: LRU(KEPT))
    key = (period, fmt, today, _plan_version())
    try:
        body = kept.get(key, lambda: render(gather(snapshot, period, today=today), fmt))
    except InputError as error:
        return _bad(request, f"{error}.")
    label = period.replace("/", "-")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    disposition = "attachment" if fmt == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="board-report-{label}.{fmt}"'
    return response


def _plan_version() -> Hashable:
    """What changes whenever the plan or community voice does: each table's size and
    latest row id, and the latest action edit and audit event."""
    from django.db.models import Count, Max

    from healthgap.web.audit.models import AuditEvent
    from healthgap.web.plan.models import (
        Action,
        Locality,
        PopulationGroup,
        Priority,
        ProgressUpdate,
    )
    from healthgap.web.voice.models import Insight, Theme

    stamps: list[object] = []
    for model in (Action, ProgressUpdate, Priority, PopulationGroup, Locality, Insight, Theme):
        found = model.objects.aggregate(n=Count("pk"), last=Max("pk"))
        stamps += [found["n"], found["last"]]
    stamps.append(Action.objects.aggregate(last=Max("updated_at"))["last"])
    stamps.append(AuditEvent.objects.aggregate(last=Max("pk"))["last"])
    return tuple(stamps)


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    from django.shortcuts import render as render_page

    return render_page(request, "dashboard/bad_request.html", {"message": message}, status=400)
