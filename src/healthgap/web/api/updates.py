"""``/api/actions/{id}/updates/``: an action's progress updates — list and post.

Posting goes through :func:`healthgap.web.plan.actions.add_update`: the action's status
becomes the update's and its ``version`` goes up by one (returned as ``action_version``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja import Status as Answer

from healthgap.web.accounts.permissions import Permission
from healthgap.web.api.auth import require
from healthgap.web.api.schemas import ERRORS, Invalid, Message, UpdateIn, UpdateOut
from healthgap.web.plan.actions import add_update
from healthgap.web.plan.models import Action, ProgressUpdate

router = Router(tags=["progress updates"])


def update_out(update: ProgressUpdate, action_version: int) -> dict[str, Any]:
    return {
        "id": update.pk,
        "action": update.action_id,
        "date": update.date,
        "author": update.author.username if update.author else None,
        "status": update.status,
        "narrative": update.narrative,
        "measured_value": update.measured_value,
        "created_at": update.created_at,
        "action_version": action_version,
    }


@router.get("/{int:id}/updates/", response={200: list[UpdateOut], 404: Message, **ERRORS})
def list_updates(request: HttpRequest, id: int) -> list[dict[str, Any]]:
    """The action's progress updates, newest first."""
    require(request, Permission.ACTION_VIEW)
    action = Action.objects.get(pk=id)
    updates = ProgressUpdate.objects.filter(action=action).select_related("author")
    return [update_out(u, action.version) for u in updates]


@router.post(
    "/{int:id}/updates/",
    response={201: UpdateOut, 404: Message, 422: Invalid, **ERRORS},
)
def post_update(request: HttpRequest, id: int, payload: UpdateIn) -> Answer:
    """Record progress on an action its caller may edit; its status becomes ``status``."""
    user = require(request, Permission.ACTION_EDIT)
    update = add_update(
        id,
        by=user,
        narrative=payload.narrative,
        status=payload.status,
        on=payload.date,
        measured_value=payload.measured_value,
    )
    version = Action.objects.values_list("version", flat=True).get(pk=id)
    return Answer(201, update_out(update, version))
