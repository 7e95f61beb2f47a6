"""The warehouse as it stood at the end of the report's financial year.

The dashboard's functions (headline gap, tartan, changes, breakdowns) each take "the
latest period" of a :class:`~healthgap.web.dashboard.snapshot.Snapshot`. Handing them a
snapshot cut at the end of the year makes their latest period the report's period
(see :mod:`healthgap.report.period`), so the report reuses them unchanged and shows the
same numbers the dashboard showed for that year:

- every value whose period ends after the year is dropped (trends stop at the year);
- an indicator none of whose place values ends within the year is dropped whole (a
  value from an earlier year is not this year's news);
- inequality measures are kept for the periods that remain.

The values are already disclosure-controlled: cutting whole periods out of the table
keeps every published row as published, so nothing hidden can be worked out.
"""

from __future__ import annotations

import pandas as pd

from healthgap.report.period import FinancialYear, period_ends, year_of
from healthgap.warehouse.schema import TOTAL
from healthgap.web.dashboard.snapshot import Snapshot


def restrict(snapshot: Snapshot, year: FinancialYear) -> Snapshot:
    """``snapshot`` with only what was known at the end of ``year`` (see module notes)."""
    values = snapshot.values
    years = year_of(period_ends(values))
    place = (values["breakdown_type"] == TOTAL).to_numpy() & (
        values["area_code"] == snapshot.place_code
    ).to_numpy()
    current = set(values.loc[place & (years == year.start_year), "indicator_id"])
    in_scope = (years >= 0) & (years <= year.start_year)
    kept = values[in_scope & values["indicator_id"].isin(current).to_numpy()]
    periods = kept[["indicator_id", "period"]].drop_duplicates()
    measures = snapshot.measures.merge(periods, on=["indicator_id", "period"], how="inner")
    return Snapshot(
        snapshot.workspace,
        snapshot.rules,
        kept.reset_index(drop=True),
        measures,
        snapshot.built_at,
        snapshot.synthetic,
    )


def report_periods(snapshot: Snapshot) -> pd.DataFrame:
    """Each indicator's report period (its latest place value): ``indicator_id``,
    ``period``, ``period_start``, ``period_end``, in catalogue order."""
    rows = []
    for indicator in snapshot.indicators():
        totals = snapshot.rows(indicator.id)
        totals = totals[
            (totals["breakdown_type"] == TOTAL) & (totals["area_code"] == snapshot.place_code)
        ]
        if totals.empty:
            continue
        latest = totals.sort_values("period_start").iloc[-1]
        rows.append(
            {
                "indicator_id": indicator.id,
                "title": indicator.title,
                "period": str(latest["period"]),
                "period_start": latest["period_start"],
                "period_end": latest["period_end"],
            }
        )
    return pd.DataFrame(
        rows, columns=["indicator_id", "title", "period", "period_start", "period_end"]
    )
