"""The overview's numbers: tartan cells, changes and the snapshot's cache."""

from __future__ import annotations

import os

import numpy as np
import pytest

from healthgap.indicators.definition import Indicator, Numerator
from healthgap.web.dashboard import changes, tartan
from healthgap.web.dashboard.changes import Change, significant_difference
from healthgap.web.dashboard.snapshot import current


def _indicator(polarity: str) -> Indicator:
    return Indicator("x", "X", "proportion", Numerator("c"), polarity=polarity)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("polarity", "value", "previous", "significant", "verdict"),
    [
        ("higher-is-better", 60.0, 50.0, True, "Improved"),
        ("higher-is-better", 50.0, 60.0, True, "Worsened"),
        ("lower-is-better", 50.0, 60.0, True, "Improved"),
        ("no judgement", 60.0, 50.0, True, "Increased"),
        ("no judgement", 50.0, 60.0, True, "Decreased"),
        ("higher-is-better", 60.0, 50.0, False, "No significant change"),
    ],
)
def test_change_verdict_follows_polarity(polarity, value, previous, significant, verdict):
    change = Change(_indicator(polarity), "2025", "2024", value, previous, significant)
    assert change.verdict == verdict


def test_significant_difference_by_hand():
    # 95% limits ±1.96: se 1 each, se of the difference √2 ≈ 1.414, threshold 2.772
    z = 1.959963984540054
    value = np.array([12.8, 12.7])
    previous = np.array([10.0, 10.0])
    flags = significant_difference(
        value, value - z, value + z, previous, previous - z, previous + z
    )
    assert flags.tolist() == [True, False]


def test_tartan_cells_are_the_warehouse_rows(workspace_settings, db):
    snapshot = current()
    rows = {row.indicator.id: row for group in tartan.tartan(snapshot) for row in group.rows}
    flu = rows["flu_65_plus"]
    values = snapshot.rows("flu_65_plus")
    quintiles = values[
        (values["breakdown_type"] == "imd_quintile")
        & (values["period"] == flu.period)
        & (values["sex"] == "Persons")
    ].set_index("category_order")
    for order, cell in enumerate(flu.quintiles, start=1):
        assert cell is not None
        assert cell.value == pytest.approx(quintiles.loc[order, "value"], nan_ok=True)
        assert cell.outcome == quintiles.loc[order, "comparison"]
    # flu has a 75% target and no England value: judged against the target
    assert flu.against == "target"


def test_changes_compare_the_last_two_periods(workspace_settings, db):
    snapshot = current()
    found = {c.indicator.id: c for c in changes.changes(snapshot)}
    totals = snapshot.totals("flu_65_plus").dropna(subset=["value"])
    flu = found["flu_65_plus"]
    assert (flu.period, flu.previous_period) == tuple(totals["period"].iloc[[-1, -2]])
    assert flu.value == pytest.approx(totals["value"].iloc[-1])


def test_snapshot_is_reread_when_the_warehouse_changes(workspace_settings, db, web_workspace):
    first = current()
    assert current() is first  # cached
    warehouse = web_workspace / "warehouse.duckdb"
    stat = warehouse.stat()
    os.utime(warehouse, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert current() is not first
    finally:
        os.utime(warehouse, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_every_shown_value_went_through_disclosure_control(workspace_settings, db):
    values = current().values
    assert "suppressed" in values.columns
    counts = values["count"].dropna()
    assert not ((counts > 0) & (counts <= 7)).any()
    assert (counts % 5 == 0).all()
