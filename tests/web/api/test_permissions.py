"""The permission matrix: every role × every write, and who may read the audit trail.

A refusal must change nothing (no row, no new version, no audit event); a success must
leave exactly one audit event with the write's verb.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.models import Action, ProgressUpdate
from healthgap.web.voice.models import Insight

from .conftest import OTHER, OWN, Api, body

pytestmark = pytest.mark.django_db

Write = Callable[[Api, Action, dict[str, Any]], Any]

WRITES: dict[str, tuple[Write, str]] = {
    "create action": (
        lambda c, a, orgs: c.post("/api/actions/", {"title": "New", "lead": orgs[OWN].pk}),
        "action.create",
    ),
    "patch action": (
        lambda c, a, orgs: c.patch(f"/api/actions/{a.pk}/", {"version": 1, "title": "Changed"}),
        "action.update",
    ),
    "post update": (
        lambda c, a, orgs: c.post(
            f"/api/actions/{a.pk}/updates/", {"narrative": "Two visits", "status": "at_risk"}
        ),
        "action.progress",
    ),
    "create insight": (
        lambda c, a, orgs: c.post(
            "/api/insights/",
            {
                "date": "2026-01-10",
                "source": "survey",
                "text": "Buses are too rare",
                "themes": ["transport"],
                "actions": [a.pk],
            },
        ),
        "insight.create",
    ),
}

#: Who may do what: the action under test is led by the fire service (``editor``'s).
ALLOWED = {
    "viewer": set(),
    "analyst": {"create insight"},
    "editor": set(WRITES),
    "other_editor": {"create insight"},
    "admin": set(WRITES),
}
SUCCESS = {"create action": 201, "patch action": 200, "post update": 201, "create insight": 201}


def state() -> tuple[Any, ...]:
    """Everything a write could change (token creation aside)."""
    actions = list(Action.objects.order_by("pk").values_list("pk", "version", "title", "status"))
    events = AuditEvent.objects.exclude(verb="token.create").count()
    return actions, ProgressUpdate.objects.count(), Insight.objects.count(), events


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role", list(ALLOWED))
def test_write_matrix(api, action, organisations, role, write):
    client = api(role)
    do, verb = WRITES[write]
    before = state()
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = do(client, action, organisations)
    if write in ALLOWED[role]:
        assert response.status_code == SUCCESS[write], response.content
        new = AuditEvent.objects.exclude(pk__in=events_before)
        assert [e.verb for e in new] == [verb]
        assert new.get().actor_name == role
    else:
        assert response.status_code == 403, response.content
        assert "detail" in body(response)
        assert state() == before


def test_an_editor_creates_for_their_own_organisation_only(api, organisations):
    client = api("other_editor")
    own = client.post("/api/actions/", {"title": "Repairs", "lead": organisations[OTHER].pk})
    assert own.status_code == 201
    theirs = client.post("/api/actions/", {"title": "Repairs", "lead": organisations[OWN].pk})
    assert theirs.status_code == 403
    assert list(Action.objects.values_list("lead__name", flat=True)) == [OTHER]


def test_an_editor_cannot_hand_an_action_to_another_organisation(api, action, organisations):
    response = api("editor").patch(
        f"/api/actions/{action.pk}/", {"version": 1, "lead": organisations[OTHER].pk}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.lead.name == OWN and action.version == 1


def test_a_refused_write_is_refused_even_with_a_stale_version(api, action):
    """Permission is decided before the version: a viewer learns nothing from a 409."""
    response = api("viewer").patch(f"/api/actions/{action.pk}/", {"version": 7, "title": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("analyst", 403), ("editor", 200), ("other_editor", 403), ("admin", 200)],
)
def test_who_may_read_the_audit_trail(api, action, role, status):
    response = api(role).get("/api/audit/", action=action.pk)
    assert response.status_code == status
    if status == 200:
        assert [e["verb"] for e in body(response)] == ["action.create"]


@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_role_reads_the_plan(api, action, role):
    client = api(role)
    for path in ("/api/organisations/", "/api/actions/", f"/api/actions/{action.pk}/",
                 f"/api/actions/{action.pk}/updates/", "/api/insights/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
