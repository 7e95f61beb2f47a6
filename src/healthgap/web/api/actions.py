"""``/api/actions/``: the plan's actions — list with filters, create, read, PATCH.

Writes go through :mod:`healthgap.web.plan.actions`, which checks the organisation-scoped
permission, records the audit event and enforces the ``version`` (409 when stale).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Answer

from healthgap.web.accounts.models import Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.api.auth import require
from healthgap.web.api.schemas import ERRORS, ActionIn, ActionOut, ActionPatch, Invalid, Message
from healthgap.web.api.schemas import Stale as StaleOut
from healthgap.web.plan import actions as plan
from healthgap.web.plan.errors import Invalid as InvalidValues
from healthgap.web.plan.models import OPEN, Action, Locality, PopulationGroup, Priority, Status

router = Router(tags=["actions"])


class ActionFilters(Schema):
    organisation: int | None = None
    status: Status | None = None
    priority: str | None = None
    group: str | None = None
    locality: str | None = None
    overdue: bool | None = None


def with_relations(actions: QuerySet[Action]) -> QuerySet[Action]:
    """One query per relation for the whole list, not per action."""
    return actions.select_related("lead").prefetch_related(
        "partners", "priorities", "groups", "localities"
    )


def action_out(action: Action) -> dict[str, Any]:
    """An action as the API shows it (relations as ids, keys and codes)."""
    return {
        "id": action.pk,
        "version": action.version,
        "title": action.title,
        "description": action.description,
        "lead": action.lead_id,
        "partners": [o.pk for o in action.partners.all()],
        "priorities": [p.key for p in action.priorities.all()],
        "groups": [g.key for g in action.groups.all()],
        "localities": [loc.code for loc in action.localities.all()],
        "indicator_ids": list(action.indicator_ids or []),
        "baseline": action.baseline,
        "target_value": action.target_value,
        "target_date": action.target_date,
        "start_date": action.start_date,
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue(timezone.localdate()),
        "created_at": action.created_at,
        "updated_at": action.updated_at,
    }


def fetch(action_id: int) -> Action:
    """The action with its relations (``Action.DoesNotExist`` → 404)."""
    return with_relations(Action.objects.all()).get(pk=action_id)


def known_indicators() -> list[str] | None:
    """The workspace catalogue's indicator ids, to check ``indicator_ids`` against."""
    if settings.WORKSPACE is None:
        return None  # no workspace configured (e.g. a bare test database): nothing to check
    from healthgap.web.dashboard.snapshot import current

    return [indicator.id for indicator in current().workspace.indicators]


def _filter(actions: QuerySet[Action], filters: ActionFilters) -> QuerySet[Action]:
    """Apply the query's filters; an unknown id, key or code is a 422, not an empty list."""
    unknown: dict[str, str] = {}
    lookups = (
        ("organisation", Organisation, "pk"),
        ("priority", Priority, "key"),
        ("group", PopulationGroup, "key"),
        ("locality", Locality, "code"),
    )
    for name, model, field in lookups:
        value = getattr(filters, name)
        if value is not None and not model.objects.filter(**{field: value}).exists():
            unknown[name] = f"unknown {name} {value!r}"
    if unknown:
        raise InvalidValues(unknown)
    if filters.organisation is not None:
        org = filters.organisation
        actions = actions.filter(Q(lead_id=org) | Q(partners__id=org))
    if filters.status is not None:
        actions = actions.filter(status=filters.status)
    if filters.priority is not None:
        actions = actions.filter(priorities__key=filters.priority)
    if filters.group is not None:
        actions = actions.filter(groups__key=filters.group)
    if filters.locality is not None:
        actions = actions.filter(localities__code=filters.locality)
    if filters.overdue is not None:
        late = Q(status__in=OPEN, due_date__lt=timezone.localdate())
        actions = actions.filter(late if filters.overdue else ~late)
    return actions.distinct()


@router.get("/", response={200: list[ActionOut], 422: Invalid, **ERRORS})
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> list[dict[str, Any]]:
    """Every action, filtered: ``organisation`` (lead or partner, by id), ``status``
    (slug), ``priority`` and ``group`` (keys), ``locality`` (code), ``overdue``."""
    require(request, Permission.ACTION_VIEW)
    actions = _filter(Action.objects.all(), filters).order_by("due_date", "title", "pk")
    return [action_out(a) for a in with_relations(actions)]


@router.post("/", response={201: ActionOut, 422: Invalid, **ERRORS})
def create_action(request: HttpRequest, payload: ActionIn) -> Answer:
    """Create an action led by an organisation whose actions the caller may edit."""
    user = require(request, Permission.ACTION_EDIT)
    raw = payload.model_dump(mode="json", exclude_unset=True)
    action = plan.create_action(raw, by=user, indicators=known_indicators())
    return Answer(201, action_out(fetch(action.pk)))


@router.get("/{int:id}/", response={200: ActionOut, 404: Message, **ERRORS})
def read_action(request: HttpRequest, id: int) -> dict[str, Any]:
    """One action, with the ``version`` to send back when changing it."""
    require(request, Permission.ACTION_VIEW)
    return action_out(fetch(id))


@router.patch(
    "/{int:id}/",
    response={200: ActionOut, 404: Message, 409: StaleOut, 422: Invalid, **ERRORS},
)
def patch_action(request: HttpRequest, id: int, payload: ActionPatch) -> dict[str, Any]:
    """Change the fields sent. ``version`` must be the one read: 409 if it is stale."""
    user = require(request, Permission.ACTION_EDIT)
    raw = payload.model_dump(mode="json", exclude_unset=True)
    version = raw.pop("version")
    plan.update_action(id, raw, version=version, by=user, indicators=known_indicators())
    return action_out(fetch(id))
