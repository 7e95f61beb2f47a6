"""``has_permission``: the one place that decides whether a person may do something."""

from __future__ import annotations

from typing import Any

from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.accounts.roles import ROLES


def has_permission(
    user: Any, permission: Permission, *, organisation: Organisation | None = None
) -> bool:
    """Whether ``user`` holds ``permission`` (in ``organisation``, when one is given).

    Without an organisation any membership counts; with one, only the membership in
    that organisation does. Inactive and anonymous users hold nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return permission in permissions_of(user, organisation=organisation)


def permissions_of(user: Any, *, organisation: Organisation | None = None) -> frozenset[str]:
    """Every permission ``user``'s roles grant (cached on the user object per request)."""
    cache: dict[int | None, frozenset[str]] = user.__dict__.setdefault("_hg_permissions", {})
    key = organisation.pk if organisation is not None else None
    if key not in cache:
        memberships = Membership.objects.filter(user=user)
        if organisation is not None:
            memberships = memberships.filter(organisation=organisation)
        granted: set[str] = set()
        for role in memberships.values_list("role", flat=True):
            granted |= ROLES[role].permissions
        cache[key] = frozenset(granted)
    return cache[key]
