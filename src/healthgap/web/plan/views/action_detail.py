"""One action: its fields, partners, progress, linked insights, outcome trends, history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from healthgap.errors import InputError
from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.models import Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import can_edit
from healthgap.web.plan.fields import FIELDS
from healthgap.web.plan.models import Action, Status
from healthgap.web.plan.views._outcome import outcomes
from healthgap.web.plan.views._shared import today

LABELS = {name: name.replace("_", " ").capitalize() for name in FIELDS} | {
    "lead": "Lead organisation",
    "indicator_ids": "Outcome indicators",
    "groups": "Population groups",
}
STATUS_LABELS = dict(Status.choices)


@require(Permission.ACTION_VIEW)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related("lead").prefetch_related(
            "partners", "priorities", "groups", "localities"
        ),
        pk=pk,
    )
    editor = can_edit(request.user, action.lead)
    from healthgap.web.dashboard.snapshot import current

    try:
        snapshot = current()
    except (InputError, OSError):  # the plan still shows without a warehouse
        snapshot = None
    updates = action.updates.select_related("author").order_by("-date", "-id")
    insights = action.insights.select_related("group", "locality").prefetch_related("themes")
    history = None
    if editor:  # administrators and the lead organisation's editors
        events = AuditEvent.objects.filter(target_type="plan.action", target_id=str(action.pk))
        history = [(event, describe(event)) for event in events.order_by("-created_at", "-id")]
    found = outcomes(action, snapshot)
    return render(
        request,
        "plan/action.html",
        {
            "action": action,
            "overdue": action.is_overdue(today()),
            "may_edit": editor,
            "updates": updates,
            "insights": insights,
            "outcomes": found,
            "has_charts": any(o.chart for o in found),
            "history": history,
        },
    )


def _value(field: str, value: Any, names: dict[str, str]) -> str:
    if field in ("lead", "partners"):
        ids = value if isinstance(value, list) else [value]
        value = [names.get(str(v), str(v)) for v in ids if v is not None]
    if field == "status":
        value = STATUS_LABELS.get(value, value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "none"
    return "none" if value in (None, "") else str(value)


def describe(event: AuditEvent) -> str:
    """An audit event of an action in words: what was created or changed, from what to what."""
    details = event.details or {}
    if event.verb == "action.create":
        return "Created the action."
    if event.verb == "action.update":
        changes = details.get("changes") or {}
        names = _organisation_names(changes)
        parts = [
            f"{LABELS.get(field, field)}: {_value(field, old, names)} → {_value(field, new, names)}"
            for field, (old, new) in changes.items()
        ]
        return ("Changed " + "; ".join(parts) + ".") if parts else "Saved without changes."
    if event.verb == "action.progress":
        before, after = (details.get("status") or [None, None])[:2]
        text = (
            f"Posted a progress update: status {_value('status', before, {})} → "
            f"{_value('status', after, {})}"
        )
        if details.get("measured_value") is not None:
            text += f"; measured value {details['measured_value']:g}"
        return text + "."
    return event.verb


def _organisation_names(changes: dict[str, Any]) -> dict[str, str]:
    ids: set[str] = set()
    for field in ("lead", "partners"):
        for value in changes.get(field, []):
            ids |= {str(v) for v in (value if isinstance(value, list) else [value]) if v}
    found = Organisation.objects.filter(pk__in=[i for i in ids if i.isdigit()])
    return {str(o.pk): o.name for o in found}
