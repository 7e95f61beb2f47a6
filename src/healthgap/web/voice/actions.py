"""Writes to community voice: checked, warned about personal data, audited.

Every function takes the acting user as keyword-only ``by``, runs in one transaction,
needs the ``insight.edit`` permission and records one audit event. An insight's text is
checked for obvious personal data (:func:`~healthgap.web.voice.personal_data.
find_personal_data`) and nothing is saved while any is found, unless the writer has
looked and says it is not personal data (``allow_personal_data``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.permissions import Permission
from healthgap.web.audit.record import record
from healthgap.web.plan.models import Action
from healthgap.web.voice.fields import clean
from healthgap.web.voice.models import Insight
from healthgap.web.voice.personal_data import find_personal_data


class PersonalData(Exception):
    """The text looks as if it holds personal data; ``found`` lists ``(kind, text)`` pairs."""

    def __init__(self, found: list[tuple[str, str]]) -> None:
        kinds = ", ".join(dict.fromkeys(kind for kind, _ in found))
        super().__init__(f"the text looks as if it holds personal data ({kinds})")
        self.found = found


def _require_edit(user: Any) -> None:
    if not has_permission(user, Permission.INSIGHT_EDIT):
        raise PermissionDenied(f"needs the {Permission.INSIGHT_EDIT} permission")


def _snapshot(insight: Insight) -> dict[str, Any]:
    """The insight's fields as plain JSON values for the audit trail.

    The text itself is left out (only its length is kept): if it held personal data that
    someone later removes, the audit trail must not keep a copy.
    """
    return {
        "date": insight.date.isoformat(),
        "source": insight.source,
        "group": insight.group.key if insight.group else None,
        "locality": insight.locality.code if insight.locality else None,
        "themes": sorted(insight.themes.values_list("key", flat=True)),
        "actions": sorted(insight.actions.values_list("pk", flat=True)),
        "text_length": len(insight.text),
    }


@transaction.atomic
def create_insight(
    raw: Mapping[str, Any], *, by: Any, allow_personal_data: bool = False
) -> Insight:
    """Record what a community said.

    Raises ``PermissionDenied`` (``by`` may not record insights),
    :class:`~healthgap.web.plan.errors.Invalid` (every problem with the fields at once) or
    :class:`PersonalData` (the text looks as if it holds personal data and
    ``allow_personal_data`` is false); nothing is saved in any of these cases.
    """
    _require_edit(by)
    values = clean(raw)
    found = find_personal_data(values["text"])
    if found and not allow_personal_data:
        raise PersonalData(found)
    themes, actions = values.pop("themes"), values.pop("actions")
    insight = Insight.objects.create(**values, recorded_by=by if getattr(by, "pk", None) else None)
    insight.themes.set(themes)
    insight.actions.set(actions)
    details: dict[str, Any] = {"fields": _snapshot(insight)}
    if found:
        # What kind of thing the writer confirmed, never the matched text itself.
        details["personal_data_confirmed"] = sorted({kind for kind, _ in found})
    record("insight.create", insight, by=by, **details)
    return insight


@transaction.atomic
def link_action(insight_id: int, action_id: int, *, by: Any) -> Insight:
    """Tie an insight to an action taken in response ("you said, we did").

    Raises ``Insight.DoesNotExist``, ``Action.DoesNotExist`` or ``PermissionDenied``.
    Linking what is already linked changes nothing and records nothing.
    """
    _require_edit(by)
    insight = Insight.objects.select_for_update().get(pk=insight_id)
    action = Action.objects.get(pk=action_id)
    if not insight.actions.filter(pk=action.pk).exists():
        insight.actions.add(action)
        record("insight.link", insight, by=by, action=action.pk)
    return insight
