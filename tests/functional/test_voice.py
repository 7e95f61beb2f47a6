"""Community voice in Chromium: every page passes axe, and recording an insight through the
form, including the warning about personal data and confirming past it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.functional.support import MARKS

pytestmark = MARKS

PAGES = [
    ("/voice/", "What communities said"),
    ("/voice/themes/", "Themes by group and locality"),
    ("/voice/you-said-we-did/", "You said, we did"),
    ("/voice/new/", "Record an insight"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_voice_page_is_accessible(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None], path: str, heading: str
):
    page = logged_in("admin")
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("navigation", name="Community voice")).to_be_visible()
    axe(page)


def test_filtered_list_is_accessible(logged_in: Callable[[str], Page], axe: Callable[[Page], None]):
    page = logged_in("viewer")
    page.goto("/voice/")
    page.get_by_label("Theme", exact=True).select_option("transport")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/voice/?*theme=transport*")
    axe(page)


def test_form_errors_are_accessible_and_link_to_fields(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None]
):
    page = logged_in("analyst")
    page.goto("/voice/new/")
    page.get_by_label("Date").fill("")
    page.get_by_role("button", name="Save insight").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    axe(page)
    summary.get_by_role("link", name="What people said: Enter what people said").click()
    expect(page.get_by_label("What people said")).to_be_focused()


def test_recording_an_insight_past_the_personal_data_warning(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None]
):
    page = logged_in("analyst")
    page.goto("/voice/new/")
    marker = secrets.token_hex(4)  # finds this insight among the demo's
    text = f"Ring the carers' group on 07700 900123 about the bus fares ({marker})."
    page.get_by_label("Date").fill("2025-03-14")
    page.get_by_label("Source").select_option(label="Healthwatch")
    page.get_by_label("Community or population group").select_option("carers")
    page.get_by_role("checkbox", name="Transport").check()
    page.get_by_role("checkbox", name="Cost").check()
    page.get_by_label("What people said").fill(text)
    page.get_by_role("button", name="Save insight").click()

    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("This may be personal data")
    expect(warning).to_contain_text("Phone number: 07700 900123")
    assert urlsplit(page.url).path == "/voice/new/"  # not saved: the form again
    expect(page.get_by_label("What people said")).to_have_value(text)
    expect(page.get_by_role("checkbox", name="Transport")).to_be_checked()
    axe(page)

    page.get_by_label("I have checked: this is not personal data").check()
    page.get_by_role("button", name="Save insight").click()
    page.wait_for_url("**/voice/")
    expect(page.get_by_role("status")).to_contain_text("Insight recorded.")
    page.goto("/voice/?group=carers&theme=transport&source=healthwatch")
    expect(page.get_by_role("table", name="Insights")).to_contain_text(marker)


def test_viewer_is_refused_the_form(logged_in: Callable[[str], Page]):
    page = logged_in("viewer")
    page.goto("/voice/")
    expect(page.get_by_role("link", name="Record an insight")).to_have_count(0)
    response = page.goto("/voice/new/")
    assert response is not None and response.status == 403
