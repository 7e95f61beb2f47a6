"""The report's period rule: which warehouse periods belong to a financial year."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.report.period import FinancialYear, available, choose, parse_period, year_of
from healthgap.report.period import period_ends as ends_of
from healthgap.report.scope import report_periods, restrict
from healthgap.web.dashboard.snapshot import Snapshot

# Each kind of period (indicators/periods.py), with its first and last day.
PERIODS = [
    ("2024/25", "2024-04-01", "2025-03-31"),  # financial year before
    ("2025/26", "2025-04-01", "2026-03-31"),  # the financial year itself
    ("2025-26", "2025-09-01", "2026-03-31"),  # flu season, Sep to Mar
    ("2025", "2025-01-01", "2025-12-31"),  # calendar year ending in December 2025
    ("2026", "2026-01-01", "2026-12-31"),  # ends after March 2026
    ("12 months to Mar 2025", "2024-04-01", "2025-03-31"),
    ("12 months to Jun 2025", "2024-07-01", "2025-06-30"),
    ("12 months to Mar 2026", "2025-04-01", "2026-03-31"),
    ("12 months to Jun 2026", "2025-07-01", "2026-06-30"),
]


def _frame(rows=PERIODS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["period", "period_start", "period_end"]).assign(
        period_start=lambda f: pd.to_datetime(f["period_start"]),
        period_end=lambda f: pd.to_datetime(f["period_end"]),
    )


def test_a_financial_year_runs_from_april_to_march():
    year = parse_period("2025-26")
    assert (year.start, year.end, year.label) == (date(2025, 4, 1), date(2026, 3, 31), "2025-26")
    assert parse_period("2025/26") == year


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025/2026", "FY25", ""])
def test_anything_else_is_refused_with_the_form_to_use(text):
    with pytest.raises(InputError, match=r"write it as \d{4}-\d{2} \(April"):
        parse_period(text)


def test_each_kind_of_period_is_placed_in_the_year_in_which_it_ends():
    years = year_of(_frame()["period_end"])
    # 2024/25, 2025/26, flu 2025-26, 2025, 2026, rolling Mar 25, Jun 25, Mar 26, Jun 26
    assert years.tolist() == [2024, 2025, 2025, 2025, 2026, 2024, 2025, 2025, 2026]


def test_periods_without_dates_are_dated_from_their_label():
    rows = pd.DataFrame(
        {"period": ["2025/26", "2025-26", "2025", "12 months to Mar 2026"],
         "period_end": [None, None, None, None]}
    )  # fmt: skip
    assert year_of(ends_of(rows)).tolist() == [2025, 2025, 2025, -1]


def test_available_years_and_an_unknown_one_lists_them():
    frame = _frame()
    assert [y.label for y in available(frame)] == ["2024-25", "2025-26", "2026-27"]
    assert choose(frame, "2025-26") == FinancialYear(2025)
    with pytest.raises(InputError, match="available: 2024-25, 2025-26, 2026-27"):
        choose(frame, "2019-20")


def _snapshot() -> Snapshot:
    """Two indicators for place P: "fy" with financial years to 2025/26, "old" only to
    2023/24; one later value of "fy" (2026/27) that a 2025-26 report must not show."""
    rows = []
    for indicator, labels in {
        "fy": ["2023/24", "2024/25", "2025/26", "2026/27"],
        "old": ["2022/23", "2023/24"],
    }.items():
        for label in labels:
            start = int(label[:4])
            rows.append({
                "indicator_id": indicator, "period": label, "area_code": "P",
                "breakdown_type": "total", "sex": "Persons", "category": "",
                "period_start": pd.Timestamp(start, 4, 1),
                "period_end": pd.Timestamp(start + 1, 3, 31), "value": float(start - 2000),
            })  # fmt: skip
    values = pd.DataFrame(rows)
    measures = pd.DataFrame({"indicator_id": ["fy", "fy"], "period": ["2025/26", "2026/27"],
                             "measure": ["sii", "sii"]})  # fmt: skip
    workspace = SimpleNamespace(
        area_codes=["P"],
        indicators=[SimpleNamespace(id="fy", title="FY"), SimpleNamespace(id="old", title="Old")],
    )
    return Snapshot(workspace, DisclosureRules(), values, measures, None, False)  # type: ignore[arg-type]


def test_the_snapshot_is_cut_at_the_end_of_the_year():
    scoped = restrict(_snapshot(), FinancialYear(2025))
    assert scoped.latest_period("fy") == "2025/26"  # 2026/27 is after the year
    assert scoped.totals("fy")["period"].tolist() == ["2023/24", "2024/25", "2025/26"]
    assert scoped.totals("old").empty  # nothing ending in 2025-26: not this year's news
    assert scoped.measures["period"].tolist() == ["2025/26"]
    assert report_periods(scoped)[["indicator_id", "period"]].values.tolist() == [["fy", "2025/26"]]


def test_an_earlier_year_shows_what_was_known_then():
    scoped = restrict(_snapshot(), FinancialYear(2023))
    assert scoped.latest_period("fy") == "2023/24"
    assert scoped.latest_period("old") == "2023/24"
