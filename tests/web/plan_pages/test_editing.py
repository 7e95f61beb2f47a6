"""Editing through the form: conflicts (someone saved first) and invalid values."""

from __future__ import annotations

import re

from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import update_action
from healthgap.web.plan.models import Action
from tests.web.plan_pages.conftest import form_data

MESSAGE = (
    "Someone changed this action while you were editing: here is the current version; "
    "your changes were not saved"
)


def hidden_version(html: str) -> int:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert found, "the edit form has no version field"
    return int(found.group(1))


def test_stale_version_is_a_conflict_and_changes_nothing(client_as, plan):
    client = client_as("editor")
    url = f"/plan/actions/{plan.walks.pk}/edit/"
    read = hidden_version(client.get(url).content.decode())
    assert read == 1
    # Meanwhile the planner renames the action (version 1 → 2).
    update_action(plan.walks.pk, {"title": "Walking for health"}, version=1, by=plan.planner)
    stale = form_data(plan.walks, title="Editor's walks", version=read, status="at_risk")
    response = client.post(url, stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in html and 'role="alert"' in html
    action = Action.objects.get(pk=plan.walks.pk)
    assert (action.title, action.status, action.version) == ("Walking for health", "on_track", 2)
    assert AuditEvent.objects.filter(verb="action.update").count() == 1  # the planner's only
    # The form now shows the current version, and lists what the editor had typed.
    assert hidden_version(html) == 2
    assert 'value="Walking for health"' in html
    assert "Editor&#x27;s walks" in html and "At risk" in html
    # Submitting again from the current version saves.
    again = client.post(url, form_data(action, title="Editor's walks", version=2))
    assert again.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.version) == ("Editor's walks", 3)


def test_missing_version_is_refused(client_as, plan):
    data = form_data(plan.walks, title="No version")
    del data["version"]
    response = client_as("editor").post(f"/plan/actions/{plan.walks.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "reload the page" in html
    assert 'href="#id_version"' not in html  # a hidden field: nothing to jump to
    assert Action.objects.get(pk=plan.walks.pk).title == "Health walks for older people"


def test_invalid_values_get_an_error_summary_and_inline_messages(client_as, plan):
    url = f"/plan/actions/{plan.walks.pk}/edit/"
    bad = form_data(plan.walks, title="", due_date="31/03/2026", baseline="lots")
    response = client_as("editor").post(url, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error-summary" role="alert"' in html
    # Django's own check (title) and the actions layer's (date, number) all at once,
    # each linked from the summary to its field.
    for name in ("title", "due_date", "baseline"):
        assert f'href="#id_{name}"' in html, name
        assert f'id="id_{name}_error"' in html, name
        control = re.search(rf'<(?:input|textarea)[^>]*id="id_{name}"[^>]*>', html)
        assert control, name
        assert 'aria-invalid="true"' in control.group(0), name
        assert f"id_{name}_error" in control.group(0).split("aria-describedby=")[1], name
    assert "Enter a title" in html
    assert "Due date: expected a date as YYYY-MM-DD" in html
    assert "<title>Error:" in html
    action = Action.objects.get(pk=plan.walks.pk)
    assert action.version == 1 and action.title == "Health walks for older people"


def test_due_date_before_start_is_refused_by_the_actions_layer(client_as, plan):
    response = client_as("admin").post(
        "/plan/actions/new/",
        {"title": "Backwards", "lead": str(plan.fire.pk), "status": "not_started",
         "start_date": "2026-05-01", "due_date": "2026-04-01"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "Due date is before the start date" in html
    assert not Action.objects.filter(title="Backwards").exists()


def test_checkbox_group_error_links_to_its_first_box(client_as, plan):
    response = client_as("admin").post(
        "/plan/actions/new/",
        {"title": "Odd", "lead": str(plan.fire.pk), "status": "not_started",
         "priorities": ["no_such_priority"]},
    )  # fmt: skip
    html = response.content.decode()
    assert 'href="#id_priorities_0"' in html
    assert '<fieldset class="choices" aria-describedby="id_priorities_error">' in html


def test_edit_saves_relations_and_indicators(client_as, plan):
    url = f"/plan/actions/{plan.walks.pk}/edit/"
    data = form_data(plan.walks, groups=["older_people", "carers"], localities=[],
                     indicator_ids=[], target_value="80")  # fmt: skip
    assert client_as("editor").post(url, data).status_code == 302
    action = Action.objects.get(pk=plan.walks.pk)
    assert sorted(action.groups.values_list("key", flat=True)) == ["carers", "older_people"]
    assert not action.localities.exists() and action.indicator_ids == []
    assert action.target_value == 80
    changes = AuditEvent.objects.get(verb="action.update").details["changes"]
    assert set(changes) == {"groups", "localities", "indicator_ids", "target_value"}


def test_progress_update_without_narrative_is_refused(client_as, plan):
    url = f"/plan/actions/{plan.walks.pk}/updates/new/"
    response = client_as("editor").post(url, {"status": "at_risk", "measured_value": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_narrative"' in html and "Describe what happened" in html
    assert 'href="#id_measured_value"' in html  # checked at once, by the actions layer's rules
    assert not plan.walks.updates.exists()
