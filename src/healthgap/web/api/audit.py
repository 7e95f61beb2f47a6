"""``GET /api/audit/?action={id}``: the audit trail of one action, oldest first.

Who may read it: administrators and the editors of the action's lead organisation —
the people who can change the action (:func:`healthgap.web.plan.actions.can_edit`).
Viewers, analysts and other organisations' editors get 403: the trail names who
changed what, which the plan itself does not show.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from healthgap.web.accounts.permissions import Permission
from healthgap.web.api.auth import require
from healthgap.web.api.schemas import ERRORS, AuditEventOut, Invalid, Message
from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import can_edit
from healthgap.web.plan.models import Action

router = Router(tags=["audit"])


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "created_at": event.created_at,
        "actor": event.actor_name or None,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "details": event.details,
    }


@router.get("/", response={200: list[AuditEventOut], 404: Message, 422: Invalid, **ERRORS})
def list_audit(request: HttpRequest, action: int) -> list[dict[str, Any]]:
    """Every audit event of the action ``action`` (its id), oldest first."""
    user = require(request, Permission.ACTION_VIEW)
    target = Action.objects.select_related("lead").get(pk=action)
    if not can_edit(user, target.lead):
        raise PermissionDenied("the audit trail is for administrators and the lead's editors")
    events = AuditEvent.objects.filter(
        target_type=Action._meta.label_lower, target_id=str(target.pk)
    ).order_by("created_at", "id")
    return [event_out(e) for e in events]
