"""An outcome indicator's trend from the warehouse against an action's baseline and target.

The x axis is each period's start date, so the target date can be marked where it falls
(periods are labels such as ``2023/24``; a date between them has no place on a category
axis). The data table under the chart is its text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.indicators.definition import Indicator
from healthgap.web.dashboard.charts import BLUE, GREY, INK, Chart, axes_layout, error_bars, numbers
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tables import (
    Column,
    count_columns,
    interval_columns,
    places_for,
    table,
    value_column,
)
from healthgap.web.plan.models import Action

ORANGE_TARGET = "#b35900"


@dataclass
class Outcome:
    """One of an action's outcome indicators: its chart, or why there is none."""

    indicator_id: str
    indicator: Indicator | None
    chart: Chart | None
    latest: pd.Series | None


def _day(value: object) -> str:
    return pd.Timestamp(value).date().isoformat()


def outcome_chart(action: Action, indicator: Indicator, totals: pd.DataFrame, n: int) -> Chart:
    """The indicator's values by period with 95% limits, the baseline and the target."""
    starts = [_day(s) for s in totals["period_start"]]
    periods = totals["period"].astype(str).tolist()
    data: list[dict] = [
        {"type": "scatter", "mode": "lines+markers", "name": indicator.title, "x": starts,
         "y": numbers(totals["value"]), "error_y": error_bars(totals), "text": periods,
         "hovertemplate": "%{text}: %{y}<extra></extra>", "line": {"color": BLUE}},
    ]  # fmt: skip
    target_day = action.target_date.isoformat() if action.target_date else None
    span = [starts[0], max(starts[-1], target_day or starts[-1])]
    if action.baseline is not None:
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"Baseline ({action.baseline:g})",
             "x": span, "y": [action.baseline] * 2, "line": {"color": GREY, "dash": "dot"}}
        )  # fmt: skip
    if action.target_value is not None:
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"Target ({action.target_value:g})",
             "x": span, "y": [action.target_value] * 2, "line": {"color": INK, "dash": "dash"}}
        )  # fmt: skip
        if target_day:
            data.append(
                {"type": "scatter", "mode": "markers", "name": f"Target date ({target_day})",
                 "x": [target_day], "y": [action.target_value],
                 "marker": {"symbol": "diamond", "size": 12, "color": ORANGE_TARGET}}
            )  # fmt: skip
    layout = axes_layout("Period (start date)", indicator.unit)
    layout["xaxis"]["type"] = "date"
    if target_day:
        layout["shapes"] = [
            {"type": "line", "xref": "x", "yref": "paper", "x0": target_day, "x1": target_day,
             "y0": 0, "y1": 1, "line": {"color": ORANGE_TARGET, "dash": "dot", "width": 2}}
        ]  # fmt: skip
        layout["annotations"] = [
            {"x": target_day, "xref": "x", "y": 1, "yref": "paper", "text": "Target date",
             "showarrow": False, "yanchor": "bottom", "font": {"color": INK}}
        ]  # fmt: skip
    places = places_for(indicator.unit)
    columns = [
        Column("period", "Period"),
        Column("period_start", "Period start", _day),
        value_column(f"Value ({indicator.unit})", places),
        *interval_columns(places),
        *count_columns(),
    ]
    return Chart(
        f"outcome-{n}",
        f"{indicator.title}: trend against the action's target",
        {"data": data, "layout": layout},
        table(f"{indicator.title} by period, with 95% confidence limits", totals, columns),
        caption=_caption(action),
    )


def _caption(action: Action) -> str:
    parts = ["each point with its 95% confidence interval"]
    if action.baseline is not None:
        parts.append(f"dotted line: the baseline, {action.baseline:g}")
    if action.target_value is not None:
        by = f" by {action.target_date:%-d %B %Y}" if action.target_date else ""
        parts.append(f"dashed line: the target, {action.target_value:g}{by}")
    elif action.target_date:
        parts.append(f"target date {action.target_date:%-d %B %Y}")
    return "; ".join(parts)


def outcomes(action: Action, snapshot: Snapshot | None) -> list[Outcome]:
    """Each of the action's indicators with its chart (None: not in the warehouse)."""
    out = []
    for n, indicator_id in enumerate(action.indicator_ids or [], start=1):
        indicator = snapshot.indicator(indicator_id) if snapshot is not None else None
        totals = snapshot.totals(indicator_id) if snapshot is not None and indicator else None
        if indicator is None or totals is None or totals.empty:
            out.append(Outcome(indicator_id, indicator, None, None))
            continue
        chart = outcome_chart(action, indicator, totals, n)
        out.append(Outcome(indicator_id, indicator, chart, totals.iloc[-1]))
    return out
