"""Every dashboard page: login required, permission checked, content from the warehouse."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from healthgap.disclosure import DisclosureRules, protect
from healthgap.warehouse.export import SIBLINGS
from healthgap.workspace import load_workspace

PAGES = ["/", "/indicators/", "/indicators/flu_65_plus/", "/map/"]


@pytest.mark.parametrize("path", [*PAGES, "/targeting/", "/indicators/flu_65_plus/download.csv"])
def test_page_without_login_redirects_to_login(workspace_settings, db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_health_check_is_public(db):
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["viewer", "analyst", "editor", "admin"])
def test_page_opens_for_every_role_with_the_synthetic_banner(client_as, role, path):
    response = client_as(role).get(path)
    assert response.status_code == 200
    assert "SYNTHETIC DATA" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("editor", 403), ("analyst", 200), ("admin", 200)]
)
def test_download_needs_the_download_permission(client_as, role, status):
    response = client_as(role).get("/indicators/flu_65_plus/download.csv")
    assert response.status_code == status


def test_user_without_membership_is_refused(workspace_settings, db, django_user_model):
    django_user_model.objects.create_user("nobody", password="pw-nobody-123456")
    client = Client()
    client.login(username="nobody", password="pw-nobody-123456")
    assert client.get("/").status_code == 403


def test_download_is_disclosure_controlled(client_as, web_workspace):
    body = client_as("analyst").get("/indicators/flu_65_plus/download.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {r["Indicator ID"] for r in rows} == {"flu_65_plus"}
    counts = [r["Count"] for r in rows if r["Count"] not in ("", "*")]
    assert all(float(c) % 5 == 0 for c in counts)
    assert not any(0 < float(c) <= 7 for c in counts)
    assert any(r["Count"] == "*" for r in rows)
    # Suppressed exactly where the warehouse's raw counts, protected, are suppressed.
    ws = load_workspace(web_workspace)
    raw = ws.warehouse().read("indicator_values")
    expected = protect(raw, DisclosureRules.from_mapping(ws.disclosure), siblings=SIBLINGS)
    expected = expected[expected["indicator_id"] == "flu_65_plus"]
    assert sum(r["Count"] == "*" for r in rows) == int(expected["suppressed"].sum())
    assert all("SYNTHETIC" in r["Value note"] for r in rows)


def test_overview_shows_the_life_expectancy_gap_from_the_warehouse(client_as, web_workspace):
    ws = load_workspace(web_workspace)
    values = (
        ws.warehouse()
        .read(
            "indicator_values",
            where={"indicator_id": "life_expectancy_birth", "breakdown_type": "imd_decile"},
        )
        .dropna(subset=["value"])
    )
    values = values[values.groupby("period")["value"].transform("size") >= 2]  # a gap needs two
    latest = values[values["period_start"] == values["period_start"].max()]
    latest = latest.sort_values("category_order")
    assert len(latest) >= 2
    gap = latest["value"].iloc[-1] - latest["value"].iloc[0]
    page = client_as("viewer").get("/").content.decode()
    assert f"{gap:,.1f} years" in page


def test_unknown_indicator_is_404(client_as):
    assert client_as("viewer").get("/indicators/no_such_thing/").status_code == 404


def test_indicator_filter_by_principle(client_as):
    client = client_as("viewer")
    page = client.get("/indicators/", {"principle": "prevention"}).content.decode()
    assert "Flu vaccination uptake, aged 65 and over" in page
    assert "Life expectancy at birth" not in page
    partial = client.get("/indicators/", {"q": "life"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "Life expectancy at birth" in partial.content.decode()


def test_security_headers(client_as):
    response = client_as("viewer").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_map_draws_every_neighbourhood_of_the_place(client_as):
    page = client_as("viewer").get("/map/", {"indicator": "flu_65_plus", "areas": "lsoa"})
    html = page.content.decode()
    assert page.status_code == 200
    # Luton has 125 LSOAs (2021): one outline each on the place's map
    assert html.count("<path") >= 125
    assert "Contains OS data © Crown copyright" in html


def test_map_falls_back_to_tiles_for_practices(client_as):
    page = client_as("viewer").get("/map/", {"indicator": "flu_65_plus", "areas": "practice"})
    assert page.status_code == 200
    assert "Ordered by value" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"indicator": "nope"}, {"colour": "rainbow"}, {"indicator": "flu_65_plus", "period": "1066"}],
)
def test_map_refuses_unknown_choices(client_as, query):
    response = client_as("viewer").get("/map/", query)
    assert response.status_code == 400
    assert "Check your choices" in response.content.decode()
