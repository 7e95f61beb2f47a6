"""Audit completeness: every successful write through the API leaves exactly one event
with its verb; refusals leave none; ``/api/audit/?action=`` lists them in order."""

from __future__ import annotations

import pytest

from healthgap.web.audit.models import AuditEvent

from .conftest import OWN, body

pytestmark = pytest.mark.django_db


def _events(action_id: int) -> list[str]:
    rows = AuditEvent.objects.filter(target_type="plan.action", target_id=str(action_id))
    return list(rows.order_by("created_at", "id").values_list("verb", flat=True))


def test_every_write_is_audited_once_and_listed(api, organisations):
    client = api("editor")
    created = client.post("/api/actions/", {"title": "Walks", "lead": organisations[OWN].pk})
    assert created.status_code == 201
    pk = body(created)["id"]
    steps = [
        (client.patch(f"/api/actions/{pk}/", {"version": 1, "status": "on_track"}), 200),
        (client.post(f"/api/actions/{pk}/updates/",
                     {"narrative": "First walk", "status": "on_track", "measured_value": 12}),
         201),
        (client.patch(f"/api/actions/{pk}/", {"version": 1, "title": "Stale"}), 409),
        (client.patch(f"/api/actions/{pk}/", {"version": 3, "due_date": "soon"}), 422),
        (client.patch(f"/api/actions/{pk}/", {"version": 3, "title": "Health walks"}), 200),
    ]  # fmt: skip
    assert [r.status_code for r, _ in steps] == [status for _, status in steps]
    expected = ["action.create", "action.update", "action.progress", "action.update"]
    assert _events(pk) == expected

    listed = body(api("admin").get("/api/audit/", action=pk))
    assert [e["verb"] for e in listed] == expected
    assert {e["actor"] for e in listed} == {"editor"}
    assert all(e["target_type"] == "plan.action" and e["target_id"] == str(pk) for e in listed)
    assert listed[1]["details"]["changes"] == {"status": ["not_started", "on_track"]}
    assert listed[2]["details"]["status"] == ["on_track", "on_track"]
    assert listed[3]["details"]["changes"] == {"title": ["Walks", "Health walks"]}


def test_audit_lists_only_the_actions_own_events(api, action, organisations):
    other = body(
        api("admin").post("/api/actions/", {"title": "Other", "lead": organisations[OWN].pk})
    )
    listed = body(api("admin").get("/api/audit/", action=action.pk))
    assert [e["target_id"] for e in listed] == [str(action.pk)]
    assert other["id"] != action.pk


def test_audit_of_a_missing_action_is_404_and_the_action_is_required(api):
    client = api("admin")
    assert client.get("/api/audit/", action=999).status_code == 404
    missing = client.get("/api/audit/")
    assert missing.status_code == 422 and "action" in body(missing)["errors"]


def test_insight_creation_is_audited_once(api):
    client = api("analyst")
    response = client.post(
        "/api/insights/", {"date": "2026-02-01", "source": "event", "text": "Clinics shut at 4"}
    )
    assert response.status_code == 201
    events = AuditEvent.objects.filter(verb="insight.create")
    assert events.count() == 1 and events.get().target_id == str(body(response)["id"])
