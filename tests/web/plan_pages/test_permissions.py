"""Who may create, edit and post updates through the pages: viewers and analysts never,
editors for their own organisation's actions, administrators for any. A refusal changes
nothing: no action, no update, no audit event."""

from __future__ import annotations

import pytest
from django.test import Client

from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.models import Action, ProgressUpdate
from tests.web.plan_pages.conftest import form_data

NEW = {"title": "Cook and eat sessions", "status": "not_started", "priorities": ["living_standard"]}


def audit_count() -> int:
    return AuditEvent.objects.filter(target_type="plan.action").count()


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_readers_may_not_create(client_as, plan, role):
    client = client_as(role)
    before, events = Action.objects.count(), audit_count()
    assert client.get("/plan/actions/new/").status_code == 403
    lead = str(plan.walks.lead.pk)
    assert client.post("/plan/actions/new/", {**NEW, "lead": lead}).status_code == 403
    assert Action.objects.count() == before and audit_count() == events


def test_editor_creates_for_their_own_organisation(client_as, plan):
    client = client_as("editor")
    form = client.get("/plan/actions/new/").content.decode()
    # Only Luton (the editor's organisation) is offered as lead.
    assert f'<option value="{plan.walks.lead.pk}" selected>Luton</option>' in form
    assert (
        f'<option value="{plan.fire.pk}">Fire service'
        not in form.split('id="id_lead"')[1].split("</select>")[0]
    )
    response = client.post("/plan/actions/new/", {**NEW, "lead": str(plan.walks.lead.pk)})
    created = Action.objects.get(title="Cook and eat sessions")
    assert response.status_code == 302 and response["Location"] == f"/plan/actions/{created.pk}/"
    assert created.lead.name == "Luton"
    event = AuditEvent.objects.get(verb="action.create", target_id=str(created.pk))
    assert event.actor_name == "editor"


def test_editor_may_not_create_for_another_organisation(client_as, plan):
    client = client_as("editor")
    before, events = Action.objects.count(), audit_count()
    response = client.post("/plan/actions/new/", {**NEW, "lead": str(plan.fire.pk)})
    assert response.status_code == 200
    assert "Choose one of the organisations whose actions you may edit" in response.content.decode()
    assert Action.objects.count() == before and audit_count() == events


def test_admin_creates_for_any_organisation(client_as, plan):
    response = client_as("admin").post("/plan/actions/new/", {**NEW, "lead": str(plan.fire.pk)})
    assert response.status_code == 302
    assert Action.objects.get(title="Cook and eat sessions").lead == plan.fire


@pytest.mark.parametrize(
    ("role", "which", "allowed"),
    [
        ("viewer", "walks", False),
        ("analyst", "walks", False),
        ("editor", "school", False),  # led by the fire service, not the editor's Luton
        ("editor", "walks", True),
        ("admin", "school", True),
    ],
)
def test_edit_permission_matrix(client_as, plan, role, which, allowed):
    action = getattr(plan, which)
    client = client_as(role)
    url = f"/plan/actions/{action.pk}/edit/"
    events = audit_count()
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, form_data(action, title="Renamed"))
    action.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert action.title == "Renamed" and action.version == 2
        assert audit_count() == events + 1
    else:
        assert response.status_code == 403
        assert action.title != "Renamed" and action.version == 1
        assert audit_count() == events


@pytest.mark.parametrize(
    ("role", "which", "allowed"),
    [
        ("viewer", "walks", False),
        ("analyst", "walks", False),
        ("editor", "school", False),
        ("editor", "walks", True),
        ("admin", "school", True),
    ],
)
def test_progress_update_permission_matrix(client_as, plan, role, which, allowed):
    action = getattr(plan, which)
    client = client_as(role)
    url = f"/plan/actions/{action.pk}/updates/new/"
    events = audit_count()
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(
        url, {"date": "2025-01-15", "status": "off_track", "narrative": "Venue lost",
              "measured_value": "71.5"}
    )  # fmt: skip
    action.refresh_from_db()
    updates = ProgressUpdate.objects.filter(action=action)
    if allowed:
        assert response.status_code == 302
        update = updates.get()
        assert (update.status, update.narrative, update.measured_value) == (
            "off_track",
            "Venue lost",
            71.5,
        )
        assert update.date.isoformat() == "2025-01-15"
        assert action.status == "off_track" and audit_count() == events + 1
    else:
        assert response.status_code == 403
        assert not updates.exists() and action.version == 1 and audit_count() == events


def test_editor_of_another_organisation_may_edit_its_actions(client_for, user_with, plan):
    fire_editor = user_with("editor", username="fire_editor", organisation="Fire service")
    client = client_for(fire_editor)
    assert client.get(f"/plan/actions/{plan.school.pk}/edit/").status_code == 200
    assert client.get(f"/plan/actions/{plan.walks.pk}/edit/").status_code == 403


def test_forms_carry_a_csrf_token_and_need_it(client_as, plan):
    client = client_as("admin")
    for url in ["/plan/actions/new/", f"/plan/actions/{plan.walks.pk}/edit/",
                f"/plan/actions/{plan.walks.pk}/updates/new/"]:  # fmt: skip
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(plan.planner)
    before = Action.objects.count()
    response = strict.post("/plan/actions/new/", {**NEW, "lead": str(plan.fire.pk)})
    assert response.status_code == 403 and Action.objects.count() == before
