"""Every plan page opens for every role, needs a login, and offers edits only to editors."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

ROLES = ["viewer", "analyst", "editor", "admin"]


def pages(plan) -> list[str]:
    return [
        "/plan/",
        f"/plan/actions/{plan.walks.pk}/",
        f"/plan/actions/{plan.school.pk}/",
        "/plan/overdue/",
        "/plan/coverage/",
        "/plan/duplicates/",
        "/plan/export/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_plan_page_opens_for_every_role(client_as, plan, role):
    client = client_as(role)
    for path in pages(plan):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'aria-label="Plan pages"' in html, path  # the sub-navigation


def test_plan_pages_need_a_login(plan):
    for path in pages(plan):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_missing_action_is_404(client_as, plan):
    assert client_as("viewer").get("/plan/actions/999999/").status_code == 404


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("analyst", False),
                                             ("editor", True), ("admin", True)])  # fmt: skip
def test_edit_links_only_for_people_who_may_edit(client_as, plan, role, shown):
    client = client_as(role)
    walks = client.get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    assert (f"/plan/actions/{plan.walks.pk}/edit/" in walks) is shown
    assert (f"/plan/actions/{plan.walks.pk}/updates/new/" in walks) is shown
    assert ("/plan/actions/new/" in walks) is shown  # "New action" in the sub-navigation
    # The editor belongs to Luton: the fire service's action offers them no edit.
    school = client.get(f"/plan/actions/{plan.school.pk}/").content.decode()
    assert (f"/plan/actions/{plan.school.pk}/edit/" in school) is (role == "admin")


def test_plan_list_shows_each_action_with_its_facts(client_as, plan):
    html = client_as("viewer").get("/plan/").content.decode()
    assert f'href="/plan/actions/{plan.walks.pk}/"' in html
    for text in ["Health walks for older people", "Fire service", "Older people",
                 "Strengthen the role and impact of ill health prevention"]:  # fmt: skip
        assert text in html
    # status in words inside its tag; the overdue action (open, due date passed) is tagged
    assert '<span class="status-tag status-at_risk">At risk</span>' in html
    assert html.count('<strong class="tag-overdue">Overdue</strong>') == 1


def test_counts_by_status_at_the_top(client_as, plan):
    html = client_as("viewer").get("/plan/").content.decode()
    # one action on track, one at risk, one done, none off track; one overdue
    assert 'status-on_track">On track</span>: <strong>1</strong>' in html
    assert 'status-at_risk">At risk</span>: <strong>1</strong>' in html
    assert 'status-done">Done</span>: <strong>1</strong>' in html
    assert 'status-off_track">Off track</span>: <strong>0</strong>' in html
    assert "Overdue</span>: <strong>1</strong>" in html
    assert "All statuses: <strong>3</strong>" in html


def test_long_plan_is_paginated(client_as, plan):
    from healthgap.web.plan.actions import create_action

    for n in range(30):
        create_action({"title": f"Extra action {n:02d}", "lead": "Luton"}, by=plan.planner)
    client = client_as("viewer")
    first = client.get("/plan/").content.decode()
    assert "33 actions" in first and "page 1 of 2" in first
    assert 'href="?page=2"' in first
    second = client.get("/plan/?page=2").content.decode()
    assert "page 2 of 2" in second
    rows = first.count('<th scope="row">') + second.count('<th scope="row">')
    assert rows == 33


@pytest.mark.parametrize("role", ROLES)
def test_every_role_downloads_the_plan_as_csv(client_as, plan, role):
    response = client_as(role).get("/plan/export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["title"] for r in rows) == sorted(
        ["Health walks for older people", "School readiness support", "Smoke alarm checks"]
    )


def test_download_keeps_the_plan_filters(client_as, plan):
    response = client_as("viewer").get("/plan/export/?status=done&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Smoke alarm checks"]


def test_plan_downloads_as_excel(client_as, plan):
    response = client_as("viewer").get("/plan/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response.content[:4] == b"PK\x03\x04"  # an xlsx file is a zip archive


def test_unknown_download_format_is_404(client_as, plan):
    assert client_as("viewer").get("/plan/export/?format=pdf").status_code == 404
