"""What several plan pages share: who may edit for which organisation, the warehouse's
indicators as choices, and today's date in the place's time zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from healthgap.errors import InputError
from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.models import Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.actions import can_edit


def today() -> date:
    """Today where the place is (``TIME_ZONE``), not on the server's clock."""
    return timezone.localdate()


def editable_organisations(user: Any) -> list[Organisation]:
    """The organisations whose actions ``user`` may edit (administrators: all)."""
    if has_permission(user, Permission.ACTION_EDIT_ANY):
        return list(Organisation.objects.all())
    mine = Organisation.objects.filter(memberships__user=user).distinct()
    return [organisation for organisation in mine if can_edit(user, organisation)]


def indicator_choices(keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``(id, title)`` of the warehouse's indicators, plus ``keep`` (ids an action already
    names) so that editing an action never silently drops an indicator the warehouse lost."""
    from healthgap.web.dashboard.snapshot import current

    try:
        indicators = current().indicators()
    except (InputError, OSError):  # no warehouse yet: the plan still works
        indicators = []
    choices = [(i.id, i.title) for i in indicators]
    known = {i.id for i in indicators}
    choices += [(i, f"{i} (not in the warehouse)") for i in keep if i not in known]
    return choices
