"""Downloading the plan as CSV or Excel (``plan.transfer.export_plan``).

The plan is not person-level data and every role may read it on screen, so every role
that may view the plan (``ACTION_VIEW``) may download it too; there is nothing to
disclosure-control in it.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.forms import PlanFilter
from healthgap.web.plan.models import Action
from healthgap.web.plan.views._shared import today

#: ``?format=`` → (the exporter's format, content type, file extension, name shown).
FORMATS = {
    "csv": ("csv", "text/csv; charset=utf-8", "csv", "CSV"),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel",
    ),
}


@require(Permission.ACTION_VIEW)
def export(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("format")
    filters = PlanFilter(request.GET)  # the plan page's filters, to download what it shows
    actions = filters.apply(Action.objects.all())
    if not chosen:
        context = {
            "formats": [(key, spec[3], spec[2]) for key, spec in FORMATS.items()],
            "query": urlencode(filters.chosen()),
            "filtered": bool(filters.chosen()),
            "count": actions.count(),
        }
        return render(request, "plan/export.html", context)
    if chosen not in FORMATS:
        raise Http404("no such format")
    from healthgap.web.plan.transfer import export_plan

    fmt, content_type, extension, _ = FORMATS[chosen]
    body = io.BytesIO()
    export_plan(body, fmt=fmt, actions=actions)
    response = HttpResponse(body.getvalue(), content_type=content_type)
    name = f"action-plan-{today().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
