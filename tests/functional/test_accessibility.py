"""Every page passes axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules (nothing serious).

UK public-sector websites must meet WCAG AA (the Public Sector Bodies (Websites and Mobile
Applications) Accessibility Regulations 2018; GDS monitors against WCAG 2.2 since October
2024); axe-core finds the violations a machine can find, not all of them. Pages are audited as
an admin, who sees every control, with the charts drawn.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.functional.support import MARKS, Account

pytestmark = MARKS

PAGES = [
    "/",
    "/indicators/",
    "/indicators/flu_65_plus/",
    # another chart (bars by group), the WHO HEAT table, GP practices as small areas
    "/indicators/flu_65_plus/?breakdown=ethnicity&areas=practice",
    "/map/",
    "/targeting/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(logged_in: Callable[[str], Page], axe: Callable[[Page], None], path):
    page = logged_in("admin")
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    axe(page)


def test_login_page_is_accessible(anonymous: Page, axe: Callable[[Page], None]):
    anonymous.goto("/accounts/login/")
    axe(anonymous)


def test_login_error_is_accessible(
    anonymous: Page, axe: Callable[[Page], None], accounts: dict[str, Account]
):
    anonymous.goto("/accounts/login/")
    anonymous.get_by_label("Username", exact=True).fill(accounts["viewer"].username)
    anonymous.get_by_label("Password", exact=True).fill("not-the-password")
    anonymous.get_by_role("button", name="Log in").click()
    anonymous.get_by_role("alert").wait_for()
    axe(anonymous)


def test_filtered_indicator_list_is_accessible(
    logged_in: Callable[[str], Page], axe: Callable[[Page], None]
):
    page = logged_in("admin")
    page.goto("/indicators/")
    page.get_by_label("Marmot principle", exact=True).select_option("prevention")
    page.wait_for_url("**/indicators/?*principle=prevention*")
    axe(page)
