"""The plan's actions layer: create, update with optimistic concurrency, progress, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from healthgap.web.accounts.actions import create_user
from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import add_update, create_action, update_action
from healthgap.web.plan.errors import Conflict, Invalid
from healthgap.web.plan.models import Action, Priority

PASSWORD = "a-long-test-password-1"
pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return create_user("ed", PASSWORD, role="editor", organisation="Fire service")


def test_seeded_priorities_are_the_eight_marmot_principles():
    assert Priority.objects.filter(kind="marmot").count() == 8


def test_editor_creates_an_action_for_their_organisation(editor):
    action = create_action(
        {"title": "Safe and well visits", "lead": "Fire service", "priorities": "prevention",
         "groups": ["older_people"], "due_date": "2026-03-31", "status": "on_track"},
        by=editor,
    )  # fmt: skip
    assert action.version == 1 and action.lead.name == "Fire service"
    assert list(action.priorities.values_list("key", flat=True)) == ["prevention"]
    event = AuditEvent.objects.get(verb="action.create")
    assert event.target_id == str(action.pk) and event.actor == editor


def test_editor_cannot_create_for_another_organisation(editor):
    create_user("other", PASSWORD, role="editor", organisation="Housing trust")
    with pytest.raises(PermissionDenied):
        create_action({"title": "x", "lead": "Housing trust"}, by=editor)
    assert not Action.objects.exists()


def test_second_editor_with_a_stale_version_gets_a_conflict(editor):
    action = create_action({"title": "Walks", "lead": "Fire service"}, by=editor)
    colleague = create_user("ed2", PASSWORD, role="editor", organisation="Fire service")
    update_action(action.pk, {"title": "Health walks"}, version=1, by=editor)
    with pytest.raises(Conflict):
        update_action(action.pk, {"title": "Walks for health"}, version=1, by=colleague)
    created = action.updated_at
    action.refresh_from_db()
    assert action.title == "Health walks" and action.version == 2
    assert action.updated_at > created
    changes = AuditEvent.objects.filter(verb="action.update").get().details["changes"]
    assert changes == {"title": ["Walks", "Health walks"]}


def test_invalid_fields_are_all_reported(editor):
    with pytest.raises(Invalid) as caught:
        create_action(
            {"title": "", "lead": "Nobody", "due_date": "31/03/2026", "status": "lost"}, by=editor
        )
    assert set(caught.value.errors) == {"title", "lead", "due_date", "status"}


def test_progress_update_sets_the_status_and_is_audited(editor):
    action = create_action({"title": "Walks", "lead": "Fire service"}, by=editor)
    update = add_update(action.pk, by=editor, narrative="Two walks a week", status="at_risk",
                        measured_value="42.5")  # fmt: skip
    action.refresh_from_db()
    assert action.status == "at_risk" and action.version == 2
    assert update.measured_value == 42.5
    assert AuditEvent.objects.filter(verb="action.progress", target_id=str(action.pk)).count() == 1
