"""Writes to the plan: checked, audited, and safe against two people editing at once.

Every function takes the acting user as keyword-only ``by``, runs in one transaction,
checks permission against the organisation that owns the action, and records one audit
event. :func:`update_action` needs the ``version`` the caller read: if someone changed
the action since, it raises :class:`~healthgap.web.plan.errors.Conflict` and changes
nothing (optimistic concurrency).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.models import Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.audit.record import record
from healthgap.web.plan.errors import Conflict, Invalid
from healthgap.web.plan.fields import RELATIONS, SCALARS, clean
from healthgap.web.plan.models import Action, ProgressUpdate


def can_edit(user: Any, organisation: Organisation) -> bool:
    """Administrators edit any action; partner editors those their organisation leads."""
    return has_permission(user, Permission.ACTION_EDIT_ANY) or has_permission(
        user, Permission.ACTION_EDIT, organisation=organisation
    )


def _require_edit(user: Any, organisation: Organisation) -> None:
    if not can_edit(user, organisation):
        raise PermissionDenied(f"you may not edit actions led by {organisation}")


def _snapshot(action: Action) -> dict[str, Any]:
    """The action's fields as plain JSON values, for the audit trail."""
    values: dict[str, Any] = {}
    for name in SCALARS:
        value = getattr(action, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    values["lead"] = action.lead_id
    values["partners"] = sorted(action.partners.values_list("pk", flat=True))
    values["priorities"] = sorted(action.priorities.values_list("key", flat=True))
    values["groups"] = sorted(action.groups.values_list("key", flat=True))
    values["localities"] = sorted(action.localities.values_list("code", flat=True))
    return values


@transaction.atomic
def create_action(
    raw: Mapping[str, Any], *, by: Any, indicators: Iterable[str] | None = None
) -> Action:
    """Make an action from raw field values; ``by`` must be able to edit its lead's actions."""
    values = clean(raw, indicators=indicators)
    _require_edit(by, values["lead"])
    relations = {name: values.pop(name) for name in RELATIONS if name in values}
    action = Action.objects.create(**values)
    for name, objects in relations.items():
        getattr(action, name).set(objects)
    record("action.create", action, by=by, fields=_snapshot(action))
    return action


@transaction.atomic
def update_action(
    action_id: int,
    raw: Mapping[str, Any],
    *,
    version: int,
    by: Any,
    indicators: Iterable[str] | None = None,
) -> Action:
    """Change some fields of an action read at ``version``.

    Raises ``Action.DoesNotExist``, ``PermissionDenied`` (``by`` may not edit the
    action, or may not hand it to the new lead), :class:`Invalid` or :class:`Conflict`.
    """
    action = Action.objects.select_for_update().get(pk=action_id)
    _require_edit(by, action.lead)
    values = clean(raw, partial=True, indicators=indicators)
    if "lead" in values and values["lead"] != action.lead:
        _require_edit(by, values["lead"])
    before = _snapshot(action)
    relations = {name: values.pop(name) for name in RELATIONS if name in values}
    scalars = {name: value for name, value in values.items()}
    changed = Action.objects.filter(pk=action_id, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **scalars
    )
    if not changed:
        raise Conflict(version, action.version)
    action.refresh_from_db()
    for name, objects in relations.items():
        getattr(action, name).set(objects)
    after = _snapshot(action)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record("action.update", action, by=by, changes=diff, version=action.version)
    return action


@transaction.atomic
def add_update(
    action_id: int,
    *,
    by: Any,
    narrative: str,
    status: str,
    on: date | str | None = None,
    measured_value: float | str | None = None,
) -> ProgressUpdate:
    """Record progress on an action; its status becomes the update's (version + 1)."""
    action = Action.objects.select_for_update().get(pk=action_id)
    _require_edit(by, action.lead)
    values = clean(
        {"status": status, "baseline": measured_value, "start_date": on or date.today()},
        partial=True,
    )
    errors = {} if narrative and narrative.strip() else {"narrative": "is required"}
    if errors:
        raise Invalid(errors)
    update = ProgressUpdate.objects.create(
        action=action,
        date=values["start_date"],
        author=by,
        status=values["status"],
        narrative=narrative.strip(),
        measured_value=values["baseline"],
    )
    previous = action.status
    Action.objects.filter(pk=action.pk).update(
        status=update.status, version=F("version") + 1, updated_at=timezone.now()
    )
    record(
        "action.progress",
        action,
        by=by,
        update=update.pk,
        status=[previous, update.status],
        measured_value=update.measured_value,
    )
    return update
