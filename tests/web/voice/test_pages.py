"""The community voice pages: who may open them, what they show, and the insight form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from healthgap.web.voice.matrix import NOT_RECORDED, theme_matrix
from healthgap.web.voice.models import Insight

ROLES = ["viewer", "analyst", "editor", "admin"]
READ_PAGES = ["/voice/", "/voice/themes/", "/voice/you-said-we-did/"]


def page_texts(response) -> list[str]:
    return [insight.text for insight in response.context["page"].object_list]


@pytest.mark.parametrize("path", [*READ_PAGES, "/voice/new/"])
def test_pages_need_a_login(workspace_settings, db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", READ_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_opens_for_every_role_with_the_synthetic_banner(
    client_as, make_insight, plan_actions, role, path
):
    make_insight(group="carers", themes=("transport",), actions=(plan_actions["bus"],))
    response = client_as(role).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "SYNTHETIC DATA" in body
    assert '<nav class="subnav voice-subnav" aria-label="Community voice">' in body


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("analyst", 200),
                                              ("editor", 200), ("admin", 200)])  # fmt: skip
def test_the_form_needs_insight_edit(client_as, role, status):
    response = client_as(role).get("/voice/new/")
    assert response.status_code == status
    if status == 200:
        assert "SYNTHETIC DATA" in response.content.decode()


def test_viewer_cannot_post_an_insight(client_as):
    response = client_as("viewer").post(
        "/voice/new/", {"date": "2025-02-01", "source": "survey", "text": "Buses are late."}
    )
    assert response.status_code == 403 and not Insight.objects.exists()


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("analyst", True)])
def test_the_record_link_shows_only_to_those_who_may_record(client_as, role, shown):
    body = client_as(role).get("/voice/").content.decode()
    assert ('href="/voice/new/"' in body) is shown


def test_filters_narrow_the_list(client_as, localities, make_insight):
    make_insight(text="Carers: transport", group="carers", themes=("transport",))
    make_insight(text="Carers in Dallow: cost", group="carers", locality="E02000001",
                 themes=("cost",), source="survey")  # fmt: skip
    make_insight(text="Older people: transport", group="older_people", themes=("transport",))
    client = client_as("viewer")
    assert len(page_texts(client.get("/voice/"))) == 3
    assert sorted(page_texts(client.get("/voice/?group=carers"))) == [
        "Carers in Dallow: cost",
        "Carers: transport",
    ]
    assert page_texts(client.get("/voice/?group=carers&theme=transport")) == ["Carers: transport"]
    assert page_texts(client.get("/voice/?locality=E02000001")) == ["Carers in Dallow: cost"]
    assert page_texts(client.get("/voice/?source=survey")) == ["Carers in Dallow: cost"]
    body = client.get("/voice/?theme=language").content.decode()
    assert "No insights match these filters." in body


def test_an_unknown_filter_is_reported_not_applied(client_as, make_insight):
    make_insight(group="carers")
    response = client_as("viewer").get("/voice/?group=martians")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and 'href="#id_group"' in body
    assert len(page_texts(response)) == 1


def test_newest_first_25_a_page_keeping_the_filters(client_as, make_insight):
    start = date(2025, 1, 1)
    for day in range(30):
        make_insight(text=f"day {day}", group="carers", on=start + timedelta(days=day))
    client = client_as("viewer")
    first = client.get("/voice/?group=carers")
    assert page_texts(first) == [f"day {d}" for d in range(29, 4, -1)]
    body = first.content.decode()
    assert 'href="?group=carers&amp;page=2"' in body and "Page 1 of 2" in body
    second = client.get("/voice/?group=carers&page=2")
    assert page_texts(second) == [f"day {d}" for d in range(4, -1, -1)]


@pytest.fixture
def seeded(localities, make_insight):
    """Four insights whose theme counts are worked out by hand in the tests."""
    make_insight(group="carers", locality="E02000001", themes=("transport", "cost"))
    make_insight(group="carers", locality="E02000001", themes=("transport",))
    make_insight(group="older_people", locality="E02000002", themes=("transport",))
    make_insight(themes=("language",))


def cells(matrix) -> dict[tuple[str, str], int]:
    return {
        (row.label, theme.key): cell.count
        for row in matrix.rows
        for theme, cell in zip(matrix.themes, row.cells, strict=True)
        if cell.count
    }


def test_group_by_theme_counts(seeded):
    matrix = theme_matrix("group")
    assert cells(matrix) == {
        ("Carers", "transport"): 2,
        ("Carers", "cost"): 1,
        ("Older people", "transport"): 1,
        (NOT_RECORDED, "language"): 1,
    }
    totals = {row.label: row.total for row in matrix.rows}
    assert totals["Carers"] == 2 and totals["Older people"] == 1 and totals[NOT_RECORDED] == 1
    assert totals["Men"] == 0  # every group has a row, with or without insights
    assert len(matrix.rows) == 12 + 1


def test_locality_by_theme_counts(seeded):
    matrix = theme_matrix("locality")
    assert cells(matrix) == {
        ("Dallow", "transport"): 2,
        ("Dallow", "cost"): 1,
        ("Farley Hill", "transport"): 1,
        (NOT_RECORDED, "language"): 1,
    }
    assert [row.label for row in matrix.rows] == ["Dallow", "Farley Hill", NOT_RECORDED]


def test_only_the_largest_counts_are_marked(seeded):
    # Non-zero cells 2, 1, 1, 1: the single largest is the 2 (Carers, transport); the five
    # largest take in every non-zero cell.
    top_one = theme_matrix("group", top=1)
    marked = {(row.label, t.key) for row in top_one.rows
              for t, cell in zip(top_one.themes, row.cells, strict=True) if cell.top}  # fmt: skip
    assert marked == {("Carers", "transport")}
    top_five = theme_matrix("group")
    assert sum(cell.top for row in top_five.rows for cell in row.cells) == 4


def test_themes_page_tables_are_accessible_and_emphasise_in_text(client_as, seeded):
    body = client_as("viewer").get("/voice/themes/").content.decode()
    assert "<caption>Insights by community or group and theme</caption>" in body
    assert "<caption>Insights by locality and theme</caption>" in body
    assert '<th scope="col" class="num">Transport</th>' in body
    assert re.search(r'<th scope="row"><a href="/voice/\?group=carers">Carers</a></th>', body)
    # the largest count is bold and named in words, not only coloured
    assert '<strong>2</strong><span aria-hidden="true"> ◆</span>' in body
    assert '<span class="visually-hidden"> (among the largest)</span>' in body


def test_you_said_we_did_shows_the_actions_latest_progress(client_as, plan_actions, make_insight):
    make_insight(text="No bus to the surgery.", actions=(plan_actions["bus"],))
    make_insight(text="Nobody answered yet.")
    make_insight(text="We cannot read the letters.", actions=(plan_actions["leaflets"],))
    response = client_as("viewer").get("/voice/you-said-we-did/")
    body = response.content.decode()
    assert page_texts(response) == ["We cannot read the letters.", "No bus to the surgery."]
    assert "Nobody answered yet." not in body
    assert "Community bus to the surgery" in body and "Community Transport Trust" in body
    assert "On track" in body and "Runs twice a week now." in body
    assert "Route agreed." not in body  # an earlier update, not the latest
    assert "No progress reported yet." in body  # the leaflets have none


def test_actions_link_to_the_plan_page_when_there_is_one(client_as, plan_actions, make_insight):
    bus = plan_actions["bus"]
    make_insight(actions=(bus,))
    body = client_as("viewer").get("/voice/you-said-we-did/").content.decode()
    try:
        url = reverse("plan:action", args=[bus.pk])
    except NoReverseMatch:
        assert "<h4>Community bus to the surgery</h4>" in body
    else:
        assert f'<a href="{url}">Community bus to the surgery</a>' in body


FORM = {
    "date": "2025-02-14",
    "source": "healthwatch",
    "group": "carers",
    "themes": ["transport", "cost"],
    "text": "Carers said the bus fare to the hospital is too much.",
}


def test_recording_an_insight_redirects_to_the_list_with_a_message(client_as, plan_actions):
    client = client_as("editor")
    response = client.post("/voice/new/", {**FORM, "actions": [plan_actions["bus"].pk]})
    assert response.status_code == 302 and response["Location"] == "/voice/"
    insight = Insight.objects.get()
    assert sorted(insight.themes.values_list("key", flat=True)) == ["cost", "transport"]
    assert list(insight.actions.all()) == [plan_actions["bus"]]
    body = client.get("/voice/").content.decode()
    assert "Insight recorded." in body and FORM["text"] in body


def test_form_errors_are_summarised_with_links_to_fields(client_as):
    response = client_as("analyst").post(
        "/voice/new/", {"date": "14/02/2025", "source": "", "themes": ["weather"], "text": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    for target in ("#id_date", "#id_source", "#id_themes_0", "#id_text"):
        assert f'href="{target}"' in body
    assert re.search(r'<input type="date"[^>]*aria-invalid="true"', body)
    assert 'aria-describedby="id_date_helptext id_date_error"' in body
    assert not Insight.objects.exists()


def test_personal_data_warning_round_trip(client_as):
    client = client_as("analyst")
    text = "Ring Mrs B on 07700 900123 about the bus fare."
    warned = client.post("/voice/new/", {**FORM, "text": text})
    assert warned.status_code == 200 and not Insight.objects.exists()
    body = warned.content.decode()
    assert "This may be personal data" in body
    assert "Phone number: <strong>07700 900123</strong>" in body
    assert "I have checked: this is not personal data" in body
    checked = warned.context["form"]["warned"].value()

    # Sending it again without ticking the box still does not save it.
    again = client.post("/voice/new/", {**FORM, "text": text, "warned": checked})
    assert "This may be personal data" in again.content.decode()
    assert not Insight.objects.exists()

    # Ticked, but for a different text: that text is checked and warned about afresh.
    other = "Email jo@example.org about the bus fare."
    changed = client.post(
        "/voice/new/",
        {**FORM, "text": other, "warned": checked, "confirm_not_personal": "on"},
    )
    assert "Email address: <strong>jo@example.org</strong>" in changed.content.decode()
    assert not Insight.objects.exists()

    saved = client.post(
        "/voice/new/", {**FORM, "text": text, "warned": checked, "confirm_not_personal": "on"}
    )
    assert saved.status_code == 302
    assert Insight.objects.get().text == text


def test_removing_the_personal_data_saves_without_confirming(client_as):
    client = client_as("analyst")
    client.post("/voice/new/", {**FORM, "text": "Call 07700 900123."})
    response = client.post("/voice/new/", {**FORM, "text": "People cannot afford the bus."})
    assert response.status_code == 302 and Insight.objects.count() == 1
