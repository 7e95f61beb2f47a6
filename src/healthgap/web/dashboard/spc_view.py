"""The indicator page's SPC chart: NHS "Making Data Count" XmR over the place's series.

The chart uses :func:`healthgap.spc`; with fewer than 15 points MDC advises that the
limits are indicative only, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import healthgap as hg
from healthgap.indicators.definition import Indicator
from healthgap.web.dashboard.charts import (
    GREY,
    IMPROVEMENT,
    INK,
    ORANGE,
    Chart,
    axes_layout,
    numbers,
)
from healthgap.web.dashboard.tables import Column, places_for, table
from healthgap.web.templatetags.healthgap import number

#: MDC: at least 15 points before the limits are relied on; fewer are indicative.
MIN_POINTS = 15
IMPROVEMENT_OF = {"higher-is-better": "up", "lower-is-better": "down", "no judgement": "neither"}


@dataclass
class SPC:
    chart: Chart
    variation: str
    assurance: str | None
    points: int

    @property
    def indicative(self) -> bool:
        return self.points < MIN_POINTS


def spc(indicator: Indicator, totals: pd.DataFrame) -> SPC | None:
    series = totals.dropna(subset=["value"]).reset_index(drop=True)
    if len(series) < 2:
        return None
    series = series.assign(order=range(len(series)))
    improvement = IMPROVEMENT_OF[indicator.polarity]
    result = hg.spc(
        series[["period", "order", "value"]],
        "value",
        order="order",
        improvement=improvement,
        target=indicator.target,
    )
    periods = result["period"].astype(str).tolist()
    special = result["special_cause"].fillna("").astype(str) != ""
    direction = result["special_cause_direction"].fillna("").astype(str)
    good = {"up": "high", "down": "low"}.get(improvement, "")
    colours = [
        (IMPROVEMENT if d == good else ORANGE) if s else GREY
        for s, d in zip(special, direction, strict=True)
    ]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": indicator.title, "x": periods,
         "y": numbers(result["value"]), "line": {"color": GREY},
         "marker": {"color": colours, "size": 9}},
        {"type": "scatter", "mode": "lines", "name": "Mean", "x": periods,
         "y": numbers(result["mean"]), "line": {"color": INK}},
        {"type": "scatter", "mode": "lines", "name": "Process limits", "x": periods,
         "y": numbers(result["upper_process_limit"]), "line": {"color": INK, "dash": "dash"}},
        {"type": "scatter", "mode": "lines", "name": "Lower process limit", "showlegend": False,
         "x": periods, "y": numbers(result["lower_process_limit"]),
         "line": {"color": INK, "dash": "dash"}},
    ]  # fmt: skip
    if indicator.target is not None:
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"Target ({indicator.target:g})",
             "x": periods, "y": [indicator.target] * len(periods),
             "line": {"color": "#6f2c91", "dash": "dot"}}
        )  # fmt: skip
    places = places_for(indicator.unit)
    fmt = lambda v: number(v, places)  # noqa: E731
    columns = [
        Column("period", "Period"),
        Column("value", f"Value ({indicator.unit})", fmt, numeric=True),
        Column("mean", "Mean", fmt, numeric=True),
        Column("lower_process_limit", "Lower process limit", fmt, numeric=True),
        Column("upper_process_limit", "Upper process limit", fmt, numeric=True),
        Column("special_cause", "Special cause", lambda v: v if isinstance(v, str) and v else "–"),
    ]
    chart = Chart(
        "spc",
        f"{indicator.title}: statistical process control (XmR)",
        {"data": data, "layout": axes_layout("Period", indicator.unit)},
        table(f"{indicator.title}: XmR chart values", result, columns),
        caption="grey points: common cause variation; orange: special cause of concern; "
        "blue: special cause of improvement",
    )
    assurance = result["assurance"].iloc[-1] if "assurance" in result.columns else None
    return SPC(
        chart,
        str(result["variation"].iloc[-1]),
        assurance if isinstance(assurance, str) else None,
        len(result),
    )
