"""The action plan in Chromium: creating an action and posting progress through the forms,
reading coverage, editing as an administrator, a conflicting edit, and axe on each page.

The demo workspace may or may not come with a seeded plan; every test makes the actions
it needs through the pages themselves, with titles no seed would use.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.functional.support import MARKS, settle

pytestmark = MARKS

INDICATOR = "flu_65_plus"
PREVENTION = "Strengthen the role and impact of ill health prevention"
OLDER_PEOPLE = "Older people"
LIST_PAGES = ["/plan/", "/plan/overdue/", "/plan/coverage/", "/plan/duplicates/",
              "/plan/export/", "/plan/actions/new/"]  # fmt: skip
_made: dict[str, int] = {}  # actions made once for the accessibility checks


def create_action(page: Page, title: str, *, indicator: bool = True) -> int:
    """Fill in and submit the new-action form as a person would; the new action's id."""
    page.goto("/plan/")
    page.get_by_role("navigation", name="Plan pages").get_by_role("link", name="New action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New action")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill("Seated strength and balance classes.")
    lead = page.get_by_label("Lead organisation", exact=True)
    if lead.input_value() == "":  # administrators choose among every organisation
        lead.select_option(index=1)
    page.get_by_label("Status", exact=True).select_option("on_track")
    page.get_by_label("Due date", exact=True).fill("2030-03-31")
    page.get_by_label(PREVENTION, exact=True).check()
    page.get_by_label(OLDER_PEOPLE, exact=True).check()
    if indicator:
        page.get_by_label("Outcome indicators", exact=True).select_option(INDICATOR)
        page.get_by_label("Baseline", exact=True).fill("66")
        page.get_by_label("Target value", exact=True).fill("72.5")
        page.get_by_label("Target date", exact=True).fill("2029-03-31")
    page.get_by_role("button", name="Create action").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    found = re.search(r"/plan/actions/(\d+)/$", page.url)
    assert found, page.url
    return int(found.group(1))


def unique(text: str) -> str:
    return f"{text} {secrets.token_hex(3)}"


def test_editor_creates_an_action_and_posts_a_progress_update(logged_in: Callable[[str], Page]):
    page = logged_in("editor")
    title = unique("Chair-based exercise")
    create_action(page, title)
    main = page.locator("main")
    expect(main.get_by_role("status")).to_contain_text("created")
    expect(main).to_contain_text(OLDER_PEOPLE)
    # the outcome's trend, drawn, against the target; and its data table
    settle(page)
    figure = main.locator("figure.chart-figure")
    expect(figure.locator("figcaption")).to_contain_text("dashed line: the target, 72.5")
    expect(figure.locator(".main-svg").first).to_be_visible()

    main.get_by_role("link", name="Post a progress update").click()
    page.get_by_label("Status", exact=True).select_option("at_risk")
    page.get_by_label("What happened", exact=True).fill("The church hall closed for repairs.")
    page.get_by_label("Measured value (optional)", exact=True).fill("67.1")
    page.get_by_role("button", name="Post update").click()
    page.wait_for_load_state()
    expect(main.get_by_role("heading", level=1)).to_have_text(title)
    expect(main.locator(".action-status")).to_contain_text("At risk")
    updates = main.locator("ol.updates")
    expect(updates).to_contain_text("The church hall closed for repairs.")
    expect(updates).to_contain_text("measured value 67.1")


def test_a_form_with_mistakes_says_what_to_fix(logged_in: Callable[[str], Page]):
    page = logged_in("editor")
    page.goto("/plan/actions/new/")
    page.get_by_label("Due date", exact=True).fill("2030-01-01")
    page.get_by_label("Start date", exact=True).fill("2030-06-01")
    page.get_by_role("button", name="Create action").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Due date is before the start date")
    summary.get_by_role("link", name="Enter a title").click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    expect(page.get_by_label("Title", exact=True)).to_have_attribute("aria-invalid", "true")


def test_editor_reads_coverage(logged_in: Callable[[str], Page]):
    page = logged_in("editor")
    title = unique("Falls prevention at home")
    create_action(page, title, indicator=False)
    page.goto("/plan/coverage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Coverage")
    table = page.get_by_role("table", name="Actions by priority and population group")
    # older people under prevention has at least the action just made: a count, a link
    cell = table.get_by_role("link", name=re.compile(rf"actions?: {PREVENTION}, {OLDER_PEOPLE}$"))
    expect(cell).to_have_text(re.compile(r"^\d+$"))
    # empty cells say so in words, and are listed below the matrix
    gaps = page.locator("ul.gaps li")
    empty = table.get_by_text("None — nobody is acting here", exact=True)
    assert gaps.count() == empty.count() > 0
    cell.click()
    page.wait_for_load_state()
    assert "priority=prevention" in page.url and "group=older_people" in page.url
    expect(page.get_by_label("Priority", exact=True)).to_have_value("prevention")
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_admin_edits_an_action(logged_in: Callable[[str], Page]):
    title = unique("Men's sheds")
    action = create_action(logged_in("editor"), title, indicator=False)
    page = logged_in("admin")
    page.goto(f"/plan/actions/{action}/")
    page.get_by_role("link", name="Edit this action").click()
    renamed = unique("Men's sheds and health checks")
    page.get_by_label("Title", exact=True).fill(renamed)
    page.get_by_label("Carers", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(renamed)
    expect(main).to_contain_text("Carers")
    history = main.get_by_role("table", name="Every change to this action, newest first")
    expect(history).to_contain_text(f"Title: {title} → {renamed}")


def test_two_people_editing_at_once(logged_in: Callable[[str], Page]):
    editor = logged_in("editor")
    action = create_action(editor, unique("Warm spaces"), indicator=False)
    admin = logged_in("admin")
    editor.goto(f"/plan/actions/{action}/edit/")
    admin.goto(f"/plan/actions/{action}/edit/")
    first = unique("Warm spaces (admin)")
    admin.get_by_label("Title", exact=True).fill(first)
    admin.get_by_role("button", name="Save changes").click()
    admin.wait_for_load_state()
    editor.get_by_label("Title", exact=True).fill("Warm spaces (editor)")
    editor.get_by_role("button", name="Save changes").click()
    alert = editor.locator(".conflict")
    expect(alert).to_contain_text("Someone changed this action while you were editing")
    expect(alert).to_contain_text("Warm spaces (editor)")  # what they typed, not lost
    expect(editor.get_by_label("Title", exact=True)).to_have_value(first)  # the current one
    editor.goto(f"/plan/actions/{action}/")
    expect(editor.get_by_role("heading", level=1)).to_have_text(first)


def _action(logged_in: Callable[[str], Page], key: str) -> int:
    """An action made once through the form (with a chart) for the pages about one action."""
    if key not in _made:
        _made[key] = create_action(logged_in("admin"), unique("Accessible walks"))
    return _made[key]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_plan_page_is_accessible(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None], path
):
    _action(logged_in, "sample")  # so the lists have something in them
    page = logged_in("admin")
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    axe(page)


@pytest.mark.parametrize("suffix", ["", "edit/", "updates/new/"])
def test_action_pages_are_accessible(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None], suffix: str
):
    action = _action(logged_in, "sample")
    page = logged_in("admin")
    response = page.goto(f"/plan/actions/{action}/{suffix}")
    assert response is not None and response.status == 200
    axe(page)


def test_form_errors_are_accessible(logged_in: Callable[[str], Page], axe: Callable[[Page], None]):
    page = logged_in("admin")
    page.goto("/plan/actions/new/")
    page.get_by_label("Baseline", exact=True).fill("a lot")
    page.get_by_role("button", name="Create action").click()
    page.get_by_role("alert").wait_for()
    axe(page)


def test_filtered_and_paged_plan_is_accessible(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None]
):
    page = logged_in("viewer")
    page.goto("/plan/")
    page.get_by_label("Population group", exact=True).select_option("older_people")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "group=older_people" in page.url
    axe(page)
