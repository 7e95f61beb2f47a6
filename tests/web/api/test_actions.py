"""Actions through the API: the shape of an action, filters, create, PATCH with versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import create_action
from healthgap.web.plan.models import Action, Locality

from .conftest import OTHER, OWN, body

pytestmark = pytest.mark.django_db


def test_an_action_carries_ids_keys_codes_and_its_version(api, action, organisations):
    Locality.objects.create(code="E02000001", name="Somewhere")
    data = body(api("viewer").get(f"/api/actions/{action.pk}/"))
    assert data["id"] == action.pk and data["version"] == 1
    assert data["lead"] == organisations[OWN].pk and data["partners"] == []
    assert data["priorities"] == ["prevention"] and data["groups"] == ["older_people"]
    assert data["localities"] == [] and data["indicator_ids"] == []
    assert data["due_date"] == "2030-03-31" and data["start_date"] is None
    assert data["status"] == "on_track" and data["overdue"] is False
    assert set(data) >= {"title", "description", "baseline", "target_value", "target_date",
                         "created_at", "updated_at"}  # fmt: skip


def test_a_missing_action_is_404(api):
    client = api("viewer")
    assert client.get("/api/actions/999/").status_code == 404
    assert client.get("/api/actions/999/updates/").status_code == 404
    assert body(client.get("/api/actions/999/")) == {"detail": "not found"}


def test_patch_of_a_missing_action_is_404(api):
    assert api("admin").patch("/api/actions/999/", {"version": 1}).status_code == 404


def test_editor_creates_an_action_with_relations(api, organisations):
    Locality.objects.create(code="E02000001", name="Somewhere")
    response = api("editor").post(
        "/api/actions/",
        {"title": "Warm homes", "lead": organisations[OWN].pk,
         "partners": [organisations[OTHER].pk], "priorities": ["living_standard"],
         "groups": ["older_people", "carers"], "localities": ["E02000001"],
         "start_date": "2026-01-01", "due_date": "2026-12-31", "baseline": 12.5},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    data = body(response)
    action = Action.objects.get(pk=data["id"])
    assert action.title == "Warm homes" and action.lead == organisations[OWN]
    assert data["partners"] == [organisations[OTHER].pk]
    assert sorted(data["groups"]) == ["carers", "older_people"]
    assert data["localities"] == ["E02000001"] and data["baseline"] == 12.5
    assert data["version"] == 1 and data["status"] == "not_started"


def test_invalid_fields_are_422_with_field_messages(api, organisations):
    response = api("editor").post(
        "/api/actions/",
        {"title": "x", "lead": organisations[OWN].pk, "priorities": ["nope"],
         "start_date": "2026-06-01", "due_date": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 422
    errors = body(response)["errors"]
    assert set(errors) == {"priorities", "due_date"}
    assert "nope" in errors["priorities"]
    assert {d["loc"][-1] for d in body(response)["detail"]} == {"priorities", "due_date"}
    assert not Action.objects.exists()


def test_malformed_json_types_are_422_too(api, organisations):
    response = api("editor").post(
        "/api/actions/",
        {"lead": organisations[OWN].pk, "due_date": "31/03/2026", "titel": "typo"},
    )
    assert response.status_code == 422
    assert set(body(response)["errors"]) == {"title", "due_date", "titel"}
    assert not Action.objects.exists()


def test_a_lead_that_does_not_exist_is_422(api):
    response = api("admin").post("/api/actions/", {"title": "x", "lead": 9999})
    assert response.status_code == 422
    assert "lead" in body(response)["errors"]


def test_indicator_ids_are_checked_against_the_workspace(api, organisations, workspace_settings):
    client = api("editor")
    bad = client.post(
        "/api/actions/",
        {"title": "x", "lead": organisations[OWN].pk, "indicator_ids": ["no_such_indicator"]},
    )
    assert bad.status_code == 422 and "no_such_indicator" in body(bad)["errors"]["indicator_ids"]
    from healthgap.web.dashboard.snapshot import current

    known = current().workspace.indicators[0].id
    good = client.post(
        "/api/actions/", {"title": "x", "lead": organisations[OWN].pk, "indicator_ids": [known]}
    )
    assert good.status_code == 201 and body(good)["indicator_ids"] == [known]


def test_patch_changes_only_the_fields_sent(api, action):
    response = api("editor").patch(
        f"/api/actions/{action.pk}/", {"version": 1, "status": "at_risk"}
    )
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["version"] == 2 and data["status"] == "at_risk"
    assert data["title"] == "Safe and well visits" and data["groups"] == ["older_people"]


def test_patch_needs_the_version(api, action):
    response = api("editor").patch(f"/api/actions/{action.pk}/", {"status": "at_risk"})
    assert response.status_code == 422 and "version" in body(response)["errors"]
    action.refresh_from_db()
    assert action.version == 1 and action.status == "on_track"


def test_second_patch_with_a_stale_version_is_a_409(api, person, action):
    first, second = api("editor"), api("admin")
    read_1 = body(first.get(f"/api/actions/{action.pk}/"))["version"]
    read_2 = body(second.get(f"/api/actions/{action.pk}/"))["version"]
    assert read_1 == read_2 == 1
    ok = first.patch(f"/api/actions/{action.pk}/", {"version": read_1, "title": "Home visits"})
    assert ok.status_code == 200 and body(ok)["version"] == 2
    stale = second.patch(f"/api/actions/{action.pk}/", {"version": read_2, "title": "Checks"})
    assert stale.status_code == 409
    answer = body(stale)
    assert answer["version"] == 2 and "changed since you read it" in answer["detail"]
    action.refresh_from_db()
    assert action.title == "Home visits" and action.version == 2
    assert AuditEvent.objects.filter(verb="action.update").count() == 1


# --- filters -----------------------------------------------------------------------------


@pytest.fixture
def plan(person, organisations):
    """Four actions with known attributes (built through the actions layer)."""
    admin = person("admin")
    Locality.objects.create(code="E02000001", name="North")
    Locality.objects.create(code="E02000002", name="South")
    past = (date.today() - timedelta(days=30)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    rows = {
        "late": {"lead": OWN, "status": "at_risk", "due_date": past, "groups": ["carers"],
                 "priorities": ["work"], "localities": ["E02000001"]},
        "late_but_done": {"lead": OWN, "status": "done", "due_date": past,
                          "priorities": ["work"]},
        "partnered": {"lead": "Luton Council", "partners": [OTHER], "due_date": future,
                      "groups": ["carers", "men"], "localities": ["E02000002"]},
        "other": {"lead": OTHER, "status": "on_track", "due_date": future,
                  "priorities": ["places"]},
    }  # fmt: skip
    return {
        title: create_action({"title": title, **row}, by=admin).pk for title, row in rows.items()
    }


def _titles(client, **query) -> list[str]:
    response = client.get("/api/actions/", **query)
    assert response.status_code == 200, response.content
    return sorted(a["title"] for a in body(response))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["late", "late_but_done", "other", "partnered"]),
        ({"status": "at_risk"}, ["late"]),
        ({"priority": "work"}, ["late", "late_but_done"]),
        ({"group": "carers"}, ["late", "partnered"]),
        ({"locality": "E02000002"}, ["partnered"]),
        ({"overdue": "true"}, ["late"]),
        ({"overdue": "false"}, ["late_but_done", "other", "partnered"]),
        ({"group": "carers", "locality": "E02000001"}, ["late"]),
    ],
)
def test_filters(api, plan, query, expected):
    assert _titles(api("viewer"), **query) == expected


def test_organisation_filter_matches_lead_or_partner(api, plan, organisations):
    client = api("viewer")
    assert _titles(client, organisation=organisations[OTHER].pk) == ["other", "partnered"]
    assert _titles(client, organisation=organisations[OWN].pk) == ["late", "late_but_done"]


def test_overdue_flag_in_the_list(api, plan):
    flags = {a["title"]: a["overdue"] for a in body(api("viewer").get("/api/actions/"))}
    assert flags == {"late": True, "late_but_done": False, "partnered": False, "other": False}


@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"priority": "nope"}, {"group": "nope"}, {"locality": "X"},
     {"organisation": "9999"}, {"organisation": "fire"}, {"overdue": "maybe"}],
)  # fmt: skip
def test_an_unknown_filter_value_is_422_not_an_empty_list(api, plan, query):
    response = api("viewer").get("/api/actions/", **query)
    assert response.status_code == 422
    assert set(body(response)["errors"]) == set(query)


def test_organisations_list(api, organisations):
    data = body(api("viewer").get("/api/organisations/"))
    assert [o["name"] for o in data] == sorted(organisations)
    assert {o["id"] for o in data} == {o.pk for o in organisations.values()}
    assert set(data[0]) == {"id", "name", "sector"}


@pytest.mark.parametrize("field", ["title", "lead", "status"])
def test_patch_refuses_null_for_a_field_that_always_has_a_value(api, action, field):
    response = api("editor").patch(f"/api/actions/{action.pk}/", {"version": 1, field: None})
    assert response.status_code == 422 and field in body(response)["errors"]
    action.refresh_from_db()
    assert action.version == 1 and action.status == "on_track"


def test_patch_with_null_partners_clears_them(api, action, organisations):
    client = api("editor")
    client.patch(
        f"/api/actions/{action.pk}/", {"version": 1, "partners": [organisations[OTHER].pk]}
    )
    response = client.patch(f"/api/actions/{action.pk}/", {"version": 2, "partners": None})
    assert response.status_code == 200 and body(response)["partners"] == []
