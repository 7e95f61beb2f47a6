"""The inequality tartan: each indicator's latest value for the place and by IMD quintile.

The place's cell is judged against England's value where the warehouse holds one
(``benchmark_value``, e.g. from a Fingertips import) and otherwise against the
indicator's target; each quintile's cell carries the build's comparison with the place
(95% and 99.8% limits, Fingertips' rule). Colours follow Fingertips; the outcome is
also written in the cell, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from healthgap.indicators.definition import MARMOT_PRINCIPLES, Indicator
from healthgap.methods.compare import compare
from healthgap.web.dashboard.snapshot import Snapshot

QUINTILES = "imd_quintile"
OVERARCHING = "Overarching outcomes"


@dataclass(frozen=True)
class TartanCell:
    value: float
    outcome: str
    suppressed: bool = False


@dataclass
class TartanRow:
    indicator: Indicator
    period: str
    place: TartanCell
    against: str  # "England", "target" or ""
    quintiles: list[TartanCell | None]
    trend: str


@dataclass
class TartanGroup:
    title: str
    rows: list[TartanRow] = field(default_factory=list)


def principle_of(indicator: Indicator) -> str:
    return MARMOT_PRINCIPLES[indicator.marmot[0]] if indicator.marmot else OVERARCHING


def tartan(snapshot: Snapshot) -> list[TartanGroup]:
    """Rows grouped by the first Marmot principle each indicator serves."""
    groups: dict[str, TartanGroup] = {}
    for indicator in snapshot.indicators():
        row = _row(snapshot, indicator)
        if row is not None:
            title = principle_of(indicator)
            groups.setdefault(title, TartanGroup(title)).rows.append(row)
    order = [OVERARCHING, *MARMOT_PRINCIPLES.values()]
    return sorted(groups.values(), key=lambda g: order.index(g.title))


def _row(snapshot: Snapshot, indicator: Indicator) -> TartanRow | None:
    totals = snapshot.totals(indicator.id).dropna(subset=["value"])
    if totals.empty:
        return None
    latest = totals.iloc[-1]
    place, against = _place_cell(latest, indicator)
    rows = snapshot.rows(indicator.id)
    quintiles = rows[
        (rows["breakdown_type"] == QUINTILES)
        & (rows["period"] == latest["period"])
        & (rows["sex"] == "Persons")
        & (rows["area_code"] == snapshot.place_code)
    ].set_index("category_order")
    cells: list[TartanCell | None] = []
    for order in range(1, 6):
        if order not in quintiles.index:
            cells.append(None)
            continue
        q = quintiles.loc[order]
        outcome = q["comparison"] if isinstance(q["comparison"], str) else "Not compared"
        cells.append(TartanCell(float(q["value"]), outcome, bool(q["suppressed"])))
    trend = latest["recent_trend"] if isinstance(latest["recent_trend"], str) else ""
    return TartanRow(indicator, str(latest["period"]), place, against, cells, trend)


def _place_cell(latest: pd.Series, indicator: Indicator) -> tuple[TartanCell, str]:
    value = float(latest["value"])
    if isinstance(latest["comparison"], str) and not np.isnan(latest["benchmark_value"]):
        return TartanCell(value, latest["comparison"]), "England"
    if indicator.target is None:
        return TartanCell(value, "Not compared"), ""
    judged = compare(
        latest.to_frame().T.astype({"value": float, "lower_ci_95": float, "upper_ci_95": float}),
        "value",
        benchmark=float(indicator.target),
        lower="lower_ci_95",
        upper="upper_ci_95",
        polarity=indicator.polarity,
    )
    return TartanCell(value, str(judged["comparison"].iloc[0])), "target"
