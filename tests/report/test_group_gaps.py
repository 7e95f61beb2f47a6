"""The largest gaps by group: significantly worse groups, ranked by relative gap."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from healthgap.disclosure import DisclosureRules
from healthgap.report.group_gaps import group_gaps
from healthgap.web.dashboard.snapshot import Snapshot


def _row(indicator, breakdown, category, value, comparison, polarity, unit="%", **extra):
    return {
        "indicator_id": indicator, "period": "2025/26", "area_code": "P",
        "breakdown_type": breakdown, "category": category, "sex": "Persons",
        "period_start": pd.Timestamp("2025-04-01"), "period_end": pd.Timestamp("2026-03-31"),
        "value": value, "benchmark_value": extra.get("place", 60.0), "comparison": comparison,
        "suppressed": extra.get("suppressed", False), "polarity": polarity, "unit": unit,
    }  # fmt: skip


def _snapshot() -> Snapshot:
    up, down = "higher-is-better", "lower-is-better"
    rows = [
        _row("uptake", "total", "", 60.0, None, up, place=float("nan")),
        _row("uptake", "ethnicity", "Black", 45.0, "Worst", up),  # 25% below 60
        _row("uptake", "ethnicity", "Asian", 50.0, "Worse", up),  # 16.7% below
        _row("uptake", "ethnicity", "Mixed", 40.0, "Same", up),  # not significant: left out
        _row("uptake", "ethnicity", "White", 70.0, "Better", up),
        _row("uptake", "carer", "Yes", 51.0, "Worse", up),  # 15% below
        _row("uptake", "carer", "No", 30.0, "Worse", up),  # "No" is not a group
        _row("uptake", "homeless", "Yes", float("nan"), None, up, suppressed=True),
        _row("admissions", "total", "", 10.0, None, down, "per 1,000", place=float("nan")),
        _row("admissions", "ethnicity", "Other", 12.0, "Worse", down, "per 1,000",
             place=10.0),  # 20% above 10
    ]  # fmt: skip
    workspace = SimpleNamespace(
        area_codes=["P"],
        indicators=[SimpleNamespace(id="uptake", title="Uptake"),
                    SimpleNamespace(id="admissions", title="Admissions")],
    )  # fmt: skip
    measures = pd.DataFrame(columns=["indicator_id", "period"])
    return Snapshot(workspace, DisclosureRules(), pd.DataFrame(rows), measures, None, False)  # type: ignore[arg-type]


def test_significantly_worse_groups_rank_by_their_relative_gap():
    found = group_gaps(_snapshot())
    ethnicity = [(g.group, g.indicator, round(g.relative, 3)) for g in found["Ethnicity"]]
    # 45 v 60: 25%; admissions 12 v 10 (lower is better): 20% worse; 50 v 60: 16.7%.
    assert ethnicity == [
        ("Black ethnic group", "Uptake", 0.25),
        ("Other ethnic group", "Admissions", 0.2),
        ("Asian ethnic group", "Uptake", 0.167),
    ]
    assert [g.group for g in found["PLUS groups"]] == ["Unpaid carers"]
    assert found["Deprivation"] == []


def test_the_gap_is_said_in_words_with_both_sizes():
    black = group_gaps(_snapshot())["Ethnicity"][0]
    assert black.sentence == (
        "45.0% against 60.0% for the place as a whole: 15.0 percentage points lower (25% lower)"
    )
    other = group_gaps(_snapshot())["Ethnicity"][1]
    assert other.sentence == (
        "12.0 against 10.0 per 1,000 for the place as a whole: 2.0 per 1,000 higher (20% higher)"
    )
