"""The demo's board report: every section, numbers as in the warehouse, disclosure applied."""

from __future__ import annotations

import itertools
import re

import pytest

from healthgap.errors import InputError
from healthgap.report.gather import SECTIONS
from healthgap.report.period import FinancialYear
from healthgap.report.scope import restrict

from .conftest import PERIOD

# These need the session's demo workspace (about a minute to build).
pytestmark = pytest.mark.slow


def _row(html: str, indicator: str, table_hint: str = "") -> str:
    """The HTML of the first table row for ``indicator`` (after ``table_hint``)."""
    start = html.index(table_hint) if table_hint else 0
    found = re.search(rf'<tr data-indicator="{indicator}">(.*?)</tr>', html[start:], re.S)
    assert found, f"no row for {indicator}"
    return found.group(1)


def test_every_section_is_there_with_its_heading_and_contents_link(rendered):
    for section_id, heading in SECTIONS:
        assert f'<a href="#{section_id}">{heading}</a>' in rendered.html
        assert re.search(rf'<section id="{section_id}"[^>]*>\s*<h2[^>]*>{heading}</h2>',
                         rendered.html), heading  # fmt: skip


def test_heading_levels_never_skip(rendered):
    """One h1, then h2s and h3s without skipping a level (WCAG 1.3.1)."""
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", rendered.html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_life_expectancy_gap_is_the_warehouse_s(rendered):
    snapshot = restrict(rendered.snapshot, FinancialYear(2025))
    rows = snapshot.rows("life_expectancy_birth")
    deciles = rows[
        (rows["breakdown_type"] == "imd_decile") & (rows["sex"] == "Persons")
        & (rows["area_code"] == "E06000032") & (rows["period"] == "2025/26")
    ].dropna(subset=["value"]).sort_values("category_order")  # fmt: skip
    # Least deprived decile present minus the most deprived, by hand from the rows.
    gap = deciles["value"].iloc[-1] - deciles["value"].iloc[0]
    assert f'data-measure="le-gap-persons">{gap:,.1f} years</p>' in rendered.html
    assert f"({deciles['value'].iloc[0]:.1f} years)" in rendered.html


def test_sii_values_and_trends_are_the_build_s(rendered):
    measures = rendered.snapshot.measures
    sii = measures[
        (measures["measure"] == "sii") & (measures["breakdown_type"] == "imd_decile")
        & (measures["sex"] == "Persons") & (measures["period"] == "2025-26")
        & (measures["indicator_id"] == "flu_65_plus")
    ].iloc[0]  # fmt: skip
    row = _row(rendered.html, "flu_65_plus", "Slope index of inequality by IMD decile")
    assert f'data-measure="sii">{sii["value"]:,.2f}</td>' in row
    assert f"<td>{sii['trend']}</td>" in row


def test_a_tartan_cell_is_the_place_s_latest_value_in_the_year(rendered):
    totals = rendered.snapshot.totals("flu_65_plus")
    latest = totals[totals["period"] == PERIOD].iloc[0]
    row = _row(rendered.html, "flu_65_plus", 'id="tartan"')
    assert f'data-cell="place">{latest["value"]:,.1f}<' in row
    assert f"<td>{PERIOD}</td>" in row


def test_status_counts_are_the_database_s(rendered):
    assert sum(rendered.statuses.values()) == rendered.actions > 0
    labels = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
              "off_track": "Off track", "done": "Done", "stopped": "Stopped"}  # fmt: skip
    for key, label in labels.items():
        n = rendered.statuses.get(key, 0)
        expected = f'<tr data-status="{key}"><th scope="row">{label}</th><td class="num">{n}</td>'
        assert expected in rendered.html


def test_the_plan_lists_overdue_work_duplicates_and_gaps(rendered):
    plan = rendered.report.plan
    assert plan.overdue and all(a.lead for a in plan.overdue)  # every one has an owner
    assert len(plan.duplicates) >= 1  # the demo seeds three near-duplicate pairs
    assert plan.empty_cells > 0 and plan.gaps
    assert "Overdue actions" in rendered.html and "Possible duplicates" in rendered.html


def test_no_count_of_people_from_1_to_7_is_shown(rendered):
    cells = re.findall(r'data-people="count">([^<]*)<', rendered.html)
    assert cells, "the targeting tables show counts of people"
    for cell in cells:
        if cell in ("*", "–"):
            continue
        n = int(cell.replace(",", ""))
        assert n == 0 or n > 7, cell
        assert n % 5 == 0, cell  # rounded to the nearest 5


def test_suppressed_values_are_counted_in_the_annex(rendered):
    annex = rendered.report.annex
    assert 0 < annex.suppressed < annex.cells
    assert f'data-measure="suppressed">{annex.suppressed:,}</strong>' in rendered.html


def test_synthetic_data_is_flagged_on_the_cover_every_page_and_in_the_annex(rendered):
    assert 'id="synthetic-notice"' in rendered.html
    assert '@top-center { content: "SYNTHETIC DATA' in rendered.html
    assert 'id="synthetic-annex"' in rendered.html


def test_the_missing_healthy_life_expectancy_is_said_plainly(rendered):
    assert 'id="no-hle"' in rendered.html
    assert "no healthy life expectancy indicator" in rendered.html


def test_the_document_loads_nothing_from_elsewhere(rendered):
    links = re.findall(r'(?:src|href)="([^"]*)"', rendered.html)
    assert links and all(link.startswith("#") for link in links)
    assert "<script" not in rendered.html and "url(" not in rendered.html


def test_an_unknown_period_lists_the_available_ones(rendered):
    from healthgap.report import gather

    with pytest.raises(InputError, match=r"available: 2021-22, .*2025-26"):
        gather(rendered.snapshot, "2030-31", plan=False)
