"""Roles: named sets of permissions, held per organisation.

The slugs (``viewer``, ``analyst``, ``editor``, ``admin``) are what ``healthgap
createuser --role`` and the API accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthgap.errors import InputError
from healthgap.web.accounts.permissions import Permission as P


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    description: str
    permissions: frozenset[P]


_VIEW = frozenset({P.DASHBOARD_VIEW, P.ACTION_VIEW})
_ANALYSE = _VIEW | {P.DATA_DOWNLOAD, P.TARGETING_VIEW, P.INSIGHT_EDIT}

ROLES: dict[str, Role] = {
    role.slug: role
    for role in (
        Role("viewer", "Viewer", "Board members and partners: read the dashboard and plan.", _VIEW),
        Role(
            "analyst",
            "Analyst",
            "Public-health analysts: also download data, see targeting, record insights.",
            _ANALYSE,
        ),
        Role(
            "editor",
            "Partner editor",
            "Partner leads: read everything and edit their own organisation's actions.",
            _VIEW | {P.ACTION_EDIT, P.INSIGHT_EDIT},
        ),
        Role(
            "admin",
            "Administrator",
            "Runs the place's instance: every permission, users and the admin area.",
            frozenset(P),
        ),
    )
}
ROLE_CHOICES = [(role.slug, role.name) for role in ROLES.values()]


def get_role(slug: str) -> Role:
    """The role with this slug, or an error listing the valid ones."""
    try:
        return ROLES[slug]
    except KeyError:
        raise InputError(
            f"unknown role {slug!r}; roles: {', '.join(ROLES)}", column="role"
        ) from None
