"""An indicator's CSV download: who may have it, its Fingertips layout, disclosure control."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.functional.support import MARKS

pytestmark = MARKS

INDICATOR = "flu_65_plus"
DOWNLOAD = f"/indicators/{INDICATOR}/download.csv"
# The 26 columns of an OHID Fingertips data download ("Export table as CSV", or the API's
# all_data/csv/by_indicator_id), in order.
FINGERTIPS_COLUMNS = [
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to Region value or percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
]
SUPPRESSED = "*"
# The workspace's default disclosure rules, NHS Digital's for Hospital Episode Statistics
# and OpenSAFELY's: counts of 1 to 7 are suppressed, every published count and denominator
# is rounded to the nearest 5 (so 5 itself is never shown: 3 is hidden, 8 becomes 10).
SMALLEST_SHOWN = 8
ROUNDING = 5


def _download(page: Page) -> tuple[str, str]:
    """Click the indicator page's Download CSV link; the file's suggested name and text."""
    page.goto(f"/indicators/{INDICATOR}/")
    with page.expect_download() as started:
        page.get_by_role("link", name="Download CSV").click()
    download = started.value
    assert download.failure() is None
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def test_an_analyst_downloads_a_disclosure_controlled_fingertips_csv(
    logged_in: Callable[[str], Page],
):
    name, text = _download(logged_in("analyst"))
    assert name == f"{INDICATOR}.csv"
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == FINGERTIPS_COLUMNS
    assert rows, "the download has no rows"
    assert all(len(row) == len(FINGERTIPS_COLUMNS) for row in rows)
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert {row["Indicator ID"] for row in table} == {INDICATOR}
    # The workspace is synthetic, and every row says so.
    assert all("SYNTHETIC" in row["Value note"] for row in table)

    published = []
    for row in table:
        for column in ("Count", "Denominator"):
            cell = row[column]
            if cell in (SUPPRESSED, ""):
                continue
            number = float(cell)
            assert not 0 < number < SMALLEST_SHOWN, f"{column} {cell} shown: {row}"
            assert number % ROUNDING == 0, f"{column} {cell} not rounded to {ROUNDING}: {row}"
            published.append(number)
        if row["Count"] == SUPPRESSED:
            # Otherwise the count would follow from the value and the denominator.
            assert row["Value"] == SUPPRESSED, row
    assert published, "no count or denominator published at all"
    assert any(row["Count"] == SUPPRESSED for row in table), "nothing suppressed: scale too big?"


def test_an_admin_may_download_too(logged_in: Callable[[str], Page]):
    name, text = _download(logged_in("admin"))
    assert name == f"{INDICATOR}.csv"
    assert text.splitlines()[0] == ",".join(FINGERTIPS_COLUMNS)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_roles_without_download_permission_get_no_csv(logged_in: Callable[[str], Page], role: str):
    page = logged_in(role)
    page.goto(f"/indicators/{INDICATOR}/")
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    # The browser's own cookies, so the request is this user's.
    response = page.request.get(DOWNLOAD, max_redirects=0)
    assert response.status == 403
    assert "Indicator ID" not in response.text()


def test_strangers_are_sent_to_log_in_for_the_csv(anonymous: Page):
    response = anonymous.request.get(DOWNLOAD, max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith("/accounts/login/?next=")
