"""Chart specifications for plotly.js, each with the table that is its text alternative.

Specs are plain dicts (JSON), built directly rather than through plotly's Python figure
classes, which are much slower to build; ``static/healthgap/charts.js`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.indicators.definition import Indicator
from healthgap.web.dashboard.tables import (
    Column,
    Table,
    count_columns,
    interval_columns,
    places_for,
    table,
    value_column,
)

INK = "#0b0c0c"
BLUE = "#1d4ed8"
GREY = "#505a5f"
ORANGE = "#b35900"  # MDC special cause of concern
IMPROVEMENT = "#1d4ed8"  # MDC special cause of improvement


@dataclass
class Chart:
    id: str
    title: str
    spec: dict
    table: Table
    caption: str = ""
    open: bool = False

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


def numbers(series: pd.Series) -> list[float | None]:
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    return [None if np.isnan(v) else round(float(v), 6) for v in values]


def axes_layout(title_x: str, title_y: str, **extra: object) -> dict:
    return {
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "xaxis": {"title": {"text": title_x}, "automargin": True},
        "yaxis": {"title": {"text": title_y}, "automargin": True, "zeroline": False},
        "font": {"family": "system-ui, sans-serif", "color": INK},
        "legend": {"orientation": "h", "y": -0.25},
        "hovermode": "closest",
        **extra,
    }


def error_bars(frame: pd.DataFrame) -> dict:
    value = pd.to_numeric(frame["value"], errors="coerce")
    upper = pd.to_numeric(frame["upper_ci_95"], errors="coerce") - value
    lower = value - pd.to_numeric(frame["lower_ci_95"], errors="coerce")
    return {"type": "data", "symmetric": False, "array": numbers(upper),
            "arrayminus": numbers(lower), "color": GREY}  # fmt: skip


def trend(indicator: Indicator, totals: pd.DataFrame) -> Chart:
    """The place's value each period with 95% limits, and the target if there is one."""
    periods = totals["period"].astype(str).tolist()
    data: list[dict] = [
        {"type": "scatter", "mode": "lines+markers", "name": indicator.title,
         "x": periods, "y": numbers(totals["value"]), "error_y": error_bars(totals),
         "line": {"color": BLUE}},
    ]  # fmt: skip
    if indicator.target is not None:
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"Target ({indicator.target:g})",
             "x": periods, "y": [indicator.target] * len(periods),
             "line": {"color": INK, "dash": "dash"}}
        )  # fmt: skip
    places = places_for(indicator.unit)
    columns = [
        Column("period", "Period"),
        value_column(f"Value ({indicator.unit})", places),
        *interval_columns(places),
        *count_columns(),
        Column("recent_trend", "Recent trend", lambda v: v if isinstance(v, str) else "–"),
    ]
    return Chart(
        "trend",
        f"{indicator.title}: trend",
        {"data": data, "layout": axes_layout("Period", indicator.unit)},
        table(f"{indicator.title} by period, with 95% confidence limits", totals, columns),
        caption="each point with its 95% confidence interval",
    )


def breakdown(
    indicator: Indicator, frame: pd.DataFrame, label: str, line: tuple[float, float] | None
) -> Chart:
    """Values by group with 95% limits; for IMD groups also the fitted SII line."""
    categories = frame["category"].astype(str).tolist()
    data: list[dict] = [
        {"type": "bar", "name": indicator.title, "x": categories, "y": numbers(frame["value"]),
         "error_y": error_bars(frame), "marker": {"color": BLUE}},
    ]  # fmt: skip
    if line is not None:
        intercept, slope = line
        population = pd.to_numeric(frame["denominator"], errors="coerce").fillna(0).to_numpy()
        share = population / population.sum() if population.sum() else population
        midpoints = np.cumsum(share) - share / 2  # each group's middle rank, 0 = most deprived
        data.append(
            {"type": "scatter", "mode": "lines", "name": f"Slope index of inequality ({slope:.1f})",
             "x": categories, "y": [round(intercept + slope * m, 6) for m in midpoints],
             "line": {"color": INK, "dash": "dot"}}
        )  # fmt: skip
    places = places_for(indicator.unit)
    columns = [
        Column("category", label),
        value_column(f"Value ({indicator.unit})", places),
        *interval_columns(places),
        *count_columns(),
        Column("comparison", "Compared with the place", lambda v: v if isinstance(v, str) else "–"),
    ]
    return Chart(
        "breakdown",
        f"{indicator.title} by {label.lower()}",
        {"data": data, "layout": axes_layout(label, indicator.unit)},
        table(f"{indicator.title} by {label.lower()}, with 95% confidence limits", frame, columns),
        caption="bars with 95% confidence intervals"
        + ("; dotted line: the fitted slope index of inequality" if line else ""),
    )
