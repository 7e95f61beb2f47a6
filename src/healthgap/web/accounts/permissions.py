"""What a person may do: permissions as data, granted by roles.

Every view declares the permission it needs (:func:`healthgap.web.accounts.decorators.
require`); a person holds a permission when one of their memberships' roles grants it.
Organisation-scoped permissions (editing an action) are checked against the organisation
that owns the thing being changed.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"  # overview, indicators, map
    DATA_DOWNLOAD = "data.download"  # CSV downloads (disclosure-controlled)
    TARGETING_VIEW = "targeting.view"  # ranked communities, segments, allocation
    ACTION_VIEW = "action.view"
    ACTION_EDIT = "action.edit"  # actions of one's own organisation
    ACTION_EDIT_ANY = "action.edit_any"  # any organisation's actions
    INSIGHT_EDIT = "insight.edit"
    PLAN_ADMIN = "plan.admin"  # organisations, priorities, population groups
    USER_MANAGE = "user.manage"  # the admin area
