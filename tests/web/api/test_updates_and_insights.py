"""Progress updates and insights through the API."""

from __future__ import annotations

import pytest

from healthgap.web.plan.models import Locality
from healthgap.web.voice.models import Insight

from .conftest import body

pytestmark = pytest.mark.django_db


def test_posting_an_update_sets_the_status_and_bumps_the_version(api, action):
    client = api("editor")
    response = client.post(
        f"/api/actions/{action.pk}/updates/",
        {"narrative": "Behind on visits", "status": "off_track", "date": "2026-02-01",
         "measured_value": 41.5},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    update = body(response)
    assert update["action"] == action.pk and update["author"] == "editor"
    assert update["status"] == "off_track" and update["measured_value"] == 41.5
    assert update["date"] == "2026-02-01" and update["action_version"] == 2
    action.refresh_from_db()
    assert action.status == "off_track" and action.version == 2
    listed = body(client.get(f"/api/actions/{action.pk}/updates/"))
    assert [u["narrative"] for u in listed] == ["Behind on visits"]


def test_an_update_needs_a_narrative_and_a_known_status(api, action):
    client = api("editor")
    blank = client.post(
        f"/api/actions/{action.pk}/updates/", {"narrative": "  ", "status": "on_track"}
    )
    assert blank.status_code == 422 and "narrative" in body(blank)["errors"]
    lost = client.post(f"/api/actions/{action.pk}/updates/", {"narrative": "x", "status": "lost"})
    assert lost.status_code == 422 and "status" in body(lost)["errors"]
    action.refresh_from_db()
    assert action.version == 1 and not action.updates.exists()


def test_updates_of_a_missing_action_are_404(api):
    response = api("admin").post(
        "/api/actions/999/updates/", {"narrative": "x", "status": "on_track"}
    )
    assert response.status_code == 404


INSIGHT = {
    "date": "2026-01-10",
    "source": "healthwatch",
    "group": "carers",
    "themes": ["transport", "cost"],
    "text": "The bus to the clinic costs too much",
}


def test_an_insight_is_recorded_and_listed(api, action):
    Locality.objects.create(code="E02000001", name="North")
    client = api("analyst")
    response = client.post(
        "/api/insights/", {**INSIGHT, "locality": "E02000001", "actions": [action.pk]}
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["group"] == "carers" and data["locality"] == "E02000001"
    assert sorted(data["themes"]) == ["cost", "transport"] and data["actions"] == [action.pk]
    assert data["recorded_by"] == "analyst" and data["source"] == "healthwatch"
    listed = body(api("viewer").get("/api/insights/"))
    assert [i["id"] for i in listed] == [data["id"]]


def test_insight_filters(api, action):
    client = api("analyst")
    client.post("/api/insights/", {**INSIGHT, "actions": [action.pk]})
    client.post("/api/insights/", {**INSIGHT, "group": "men", "themes": ["trust"],
                                   "source": "survey"})  # fmt: skip
    viewer = api("viewer")

    def texts(**query):
        response = viewer.get("/api/insights/", **query)
        assert response.status_code == 200
        return sorted(i["group"] for i in body(response))

    assert texts() == ["carers", "men"]
    assert texts(group="men") == ["men"]
    assert texts(theme="cost") == ["carers"]
    assert texts(source="survey") == ["men"]
    assert texts(action=action.pk) == ["carers"]


def test_text_with_personal_data_is_refused_with_what_was_found(api):
    client = api("editor")
    text = "Call Jo on 07700 900123 or jo@example.org about the bus"
    refused = client.post("/api/insights/", {**INSIGHT, "text": text})
    assert refused.status_code == 422
    found = body(refused)["personal_data"]
    assert {"kind": "phone number", "text": "07700 900123"} in found
    assert {"kind": "email address", "text": "jo@example.org"} in found
    assert "allow_personal_data" in body(refused)["detail"]
    assert not Insight.objects.exists()

    confirmed = client.post("/api/insights/", {**INSIGHT, "text": text,
                                               "allow_personal_data": True})  # fmt: skip
    assert confirmed.status_code == 201
    assert Insight.objects.get().text == text


def test_invalid_insight_fields_are_422(api):
    response = api("analyst").post(
        "/api/insights/", {**INSIGHT, "themes": ["weather"], "actions": [999]}
    )
    assert response.status_code == 422
    assert set(body(response)["errors"]) == {"themes", "actions"}
    missing = api("analyst").post("/api/insights/", {"source": "survey"})
    assert missing.status_code == 422
    assert set(body(missing)["errors"]) == {"date", "text"}
    assert not Insight.objects.exists()
