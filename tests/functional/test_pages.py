"""The dashboard in Chromium: logging in, every page, who may see what, the filters."""

from __future__ import annotations

import json
import re
import tomllib
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.functional.support import MARKS, Account, Server, log_in, settle

pytestmark = MARKS

INDICATOR = "flu_65_plus"
# Every page behind the login, as (path, a heading its <h1> must contain).
PAGES = [
    ("/", "health inequalities at a glance"),
    ("/indicators/", "Indicators"),
    (f"/indicators/{INDICATOR}/", "Flu vaccination uptake"),
    ("/map/", "Map"),
    ("/targeting/", "Targeting"),
]
PATHS = [path for path, _ in PAGES]
# ONS Census 2021's five high-level ethnic groups (short names).
ETHNIC_GROUPS = {"Asian", "Black", "Mixed", "White", "Other"}


def _catalogue(workspace: Path) -> list[dict]:
    """The served workspace's indicator catalogue, read directly from its TOML."""
    with (workspace / "indicators.toml").open("rb") as handle:
        return list(tomllib.load(handle)["indicator"])


def _listed(page: Page) -> set[str]:
    """The indicator ids linked from the indicator list."""
    hrefs = page.locator("#indicator-list a[href^='/indicators/']").evaluate_all(
        "(links) => links.map((link) => link.getAttribute('href'))"
    )
    return {href.strip("/").split("/")[-1] for href in hrefs}


def test_health_check_is_public(server: Server):
    with urllib.request.urlopen(f"{server.url}/health/", timeout=10) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok"}


def test_logging_in_through_the_form(anonymous: Page, accounts: dict[str, Account]):
    account = accounts["viewer"]
    log_in(anonymous, account.username, account.password)
    assert urlsplit(anonymous.url).path == "/"
    expect(anonymous.locator("header")).to_contain_text(account.username)
    expect(anonymous.get_by_role("button", name="Log out")).to_be_visible()
    assert "sessionid" in {cookie["name"] for cookie in anonymous.context.cookies()}


def test_a_wrong_password_shows_an_error_and_starts_no_session(
    anonymous: Page, accounts: dict[str, Account]
):
    log_in(anonymous, accounts["analyst"].username, "not-the-password")
    assert urlsplit(anonymous.url).path == "/accounts/login/"
    expect(anonymous.get_by_role("alert")).to_be_visible()
    expect(anonymous.get_by_role("button", name="Log out")).to_have_count(0)
    assert "sessionid" not in {cookie["name"] for cookie in anonymous.context.cookies()}
    anonymous.goto("/")
    assert urlsplit(anonymous.url).path == "/accounts/login/"


def test_the_login_page_shows_the_synthetic_banner(anonymous: Page):
    response = anonymous.goto("/accounts/login/")
    assert response is not None and response.status == 200
    expect(anonymous.get_by_text("SYNTHETIC DATA", exact=True)).to_be_visible()


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_every_page_loads_with_the_synthetic_banner(
    logged_in: Callable[[str], Page], path: str, heading: str
):
    page = logged_in("admin")  # admin may see every page
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response}"
    expect(page.get_by_text("SYNTHETIC DATA", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def test_the_overview_has_its_headline_figures(logged_in: Callable[[str], Page]):
    page = logged_in("viewer")
    page.goto("/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Life expectancy gap", exact=True)).to_be_visible()
    expect(main.locator(".card-lead .big")).to_have_text(re.compile(r"^\d+\.\d years$"))
    expect(main.get_by_role("table")).not_to_have_count(0)


@pytest.mark.parametrize("path", PATHS)
def test_pages_send_strangers_to_the_login_page(anonymous: Page, path: str):
    anonymous.goto(path)
    landed = urlsplit(anonymous.url)
    assert landed.path == "/accounts/login/"
    assert parse_qs(landed.query).get("next") == [path]
    expect(anonymous.get_by_role("button", name="Log in")).to_be_visible()


@pytest.mark.parametrize("path", PATHS)
def test_pages_run_without_script_errors(logged_in: Callable[[str], Page], path: str):
    """No uncaught exception, and nothing blocked by the app's Content-Security-Policy."""
    page = logged_in("admin")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(path)
    settle(page)
    assert problems == []


def test_charts_offer_no_button_that_sends_data_away(logged_in: Callable[[str], Page]):
    """plotly.js 3 adds a "Share chart..." button posting the figure to cloud.plotly.com
    unless told not to (``showSendToCloud``): nothing on the dashboard may leave it so."""
    page = logged_in("admin")
    page.goto(f"/indicators/{INDICATOR}/")
    settle(page)
    expect(page.get_by_role("button", name="Share chart")).to_have_count(0)


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("editor", 403), ("analyst", 200), ("admin", 200)]
)
def test_only_analysts_and_admins_see_targeting(
    logged_in: Callable[[str], Page], role: str, status: int
):
    page = logged_in(role)
    response = page.goto("/targeting/")
    assert response is not None and response.status == status
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Targeting")).to_have_count(1 if status == 200 else 0)


def test_filtering_indicators_by_principle(logged_in: Callable[[str], Page], workspace: Path):
    catalogue = _catalogue(workspace)
    environment = {i["id"] for i in catalogue if "environment" in i.get("marmot", [])}
    assert 0 < len(environment) < len(catalogue)  # the filter has something to show and hide
    page = logged_in("viewer")
    page.goto("/indicators/")
    assert _listed(page) == {i["id"] for i in catalogue}
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Marmot principle", exact=True).select_option("environment")
    expect(page).to_have_url(re.compile(r"[?&]principle=environment(&|$)"))
    expect(page.locator("#indicator-list a[href^='/indicators/']")).to_have_count(len(environment))
    assert _listed(page) == environment
    assert page.evaluate("window.notReloaded") is True, "htmx should update the list in place"


def test_searching_indicators(logged_in: Callable[[str], Page], workspace: Path):
    catalogue = _catalogue(workspace)
    flu = {
        i["id"]
        for i in catalogue
        if "flu" in i["title"].lower() or "flu" in i.get("description", "").lower()
    }
    page = logged_in("viewer")
    page.goto("/indicators/")
    page.get_by_label("Search", exact=True).press_sequentially("flu")
    expect(page).to_have_url(re.compile(r"[?&]q=flu(&|$)"))
    expect(page.locator("#indicator-list a[href^='/indicators/']")).to_have_count(len(flu))
    assert INDICATOR in _listed(page)
    assert _listed(page) == flu


def test_an_indicator_by_ethnicity_for_an_earlier_period(logged_in: Callable[[str], Page]):
    page = logged_in("viewer")
    page.goto(f"/indicators/{INDICATOR}/")
    page.get_by_label("Inequality by", exact=True).select_option(label="Ethnicity")
    page.get_by_label("Period", exact=True).select_option("2023-24")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    query = parse_qs(urlsplit(page.url).query)
    assert query["breakdown"] == ["ethnicity"]
    assert query["period"] == ["2023-24"]
    expect(page.get_by_label("Inequality by", exact=True)).to_have_value("ethnicity")
    figure = page.locator("figure").filter(has=page.locator("#breakdown"))
    expect(figure.locator("figcaption")).to_contain_text("by ethnicity")
    groups = {text.strip() for text in figure.locator("tbody th[scope='row']").all_text_contents()}
    assert {"Asian", "White"} <= groups <= ETHNIC_GROUPS, groups
    expect(page.locator("main")).to_contain_text("2023-24")
