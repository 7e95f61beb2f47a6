"""Headline outcomes: the life-expectancy gap, healthy life expectancy, and the SII.

Everything here is read, not recomputed: the gap between the most and least deprived
deciles is the dashboard's (:func:`healthgap.web.dashboard.headline.gaps`), and the slope
index of inequality (SII) with its trend (widening, narrowing or no significant change
over up to five periods) is the build's (``inequality_measures``), both from the
snapshot cut at the end of the report's year (:mod:`healthgap.report.scope`). The
dashboard's fitted line (:func:`healthgap.web.dashboard.breakdowns.sii_line`) is used
only to draw the SII on the decile chart.

Healthy life expectancy is reported when the catalogue has an indicator for it (its id
or title says "healthy life expectancy"); otherwise the report says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from healthgap.indicators.definition import Indicator
from healthgap.report.charts import Figure, decile_bars, trend_line
from healthgap.web.dashboard import breakdowns
from healthgap.web.dashboard import headline as dashboard
from healthgap.web.dashboard.snapshot import Snapshot

DECILES = "imd_decile"


@dataclass(frozen=True)
class Sii:
    """The build's SII of one indicator in its report period."""

    indicator: Indicator
    period: str
    sex: str
    value: float
    lower: float
    upper: float
    trend: str


@dataclass(frozen=True)
class Headline:
    gaps: list[dashboard.Gap]
    life_expectancy: Indicator | None
    healthy_life_expectancy: Indicator | None
    healthy_gap: pd.Series | None  # the build's "gap" measure row for HLE, if any
    sii: list[Sii]
    featured: Sii | None  # the SII shown with its trend chart
    figures: list[tuple[str, Figure]] = field(default_factory=list)  # (what it shows, chart)

    @property
    def gap_lines(self) -> list[tuple[dashboard.Gap, str]]:
        """Each gap with the number of its least deprived decile."""
        return [(gap, decile_number(gap.least)) for gap in self.gaps]

    @property
    def main_gap(self) -> dashboard.Gap | None:
        return next((g for g in self.gaps if g.sex == "Persons"), None)

    @property
    def life_expectancy_sii(self) -> Sii | None:
        if self.life_expectancy is None:
            return None
        return next((s for s in self.sii if s.indicator.id == self.life_expectancy.id), None)


def decile_number(row: pd.Series) -> str:
    """The IMD decile of a row of ``imd_decile`` or ``sex*imd_decile``, as a number.

    Examples
    --------
    >>> decile_number(pd.Series({"category": "Female | 9"})), decile_number(
    ...     pd.Series({"category": "10 (least deprived)"}))
    ('9', '10')
    """
    return str(row["category"]).split("|")[-1].strip().split(" ")[0]


def healthy_life_expectancy(snapshot: Snapshot) -> Indicator | None:
    """The catalogue's healthy-life-expectancy indicator with values, if any."""
    for indicator in snapshot.indicators():
        words = f"{indicator.id} {indicator.title}".lower().replace("_", " ")
        if "healthy life expectancy" in words:
            return indicator
    return None


def sii_rows(snapshot: Snapshot) -> list[Sii]:
    """The build's SII by IMD decile for each indicator in its latest period (persons,
    or the indicator's only sex), in catalogue order."""
    m = snapshot.measures
    m = m[
        (m["measure"] == "sii")
        & (m["breakdown_type"] == DECILES)
        & (m["area_code"] == snapshot.place_code)
    ]
    found = []
    for indicator in snapshot.indicators():
        period = snapshot.latest_period(indicator.id)
        rows = m[(m["indicator_id"] == indicator.id)]
        if period is None:  # e.g. screening: women only, so no persons series
            period = _latest_any_sex(snapshot, indicator.id)
        rows = rows[rows["period"] == period]
        if rows.empty:
            continue
        persons = rows[rows["sex"] == "Persons"]
        row = (persons if len(persons) else rows).iloc[0]
        trend = row["trend"] if isinstance(row["trend"], str) else "Cannot be calculated"
        found.append(
            Sii(indicator, str(period), str(row["sex"]), float(row["value"]),
                float(row["lower_ci_95"]), float(row["upper_ci_95"]), trend)
        )  # fmt: skip
    return found


def _latest_any_sex(snapshot: Snapshot, indicator_id: str) -> str | None:
    rows = snapshot.rows(indicator_id)
    rows = rows[(rows["breakdown_type"] == "total") & (rows["area_code"] == snapshot.place_code)]
    return None if rows.empty else str(rows.sort_values("period_start")["period"].iloc[-1])


def headline(snapshot: Snapshot) -> Headline:
    """The headline section of ``snapshot`` (already cut at the end of the report year)."""
    gaps = dashboard.gaps(snapshot)
    life = dashboard.life_expectancy_indicator(snapshot)
    healthy = healthy_life_expectancy(snapshot)
    rows = sii_rows(snapshot)
    featured = _featured(rows, life)
    figures = []
    if life is not None:
        figures += _life_expectancy_figures(snapshot, life, gaps)
    if featured is not None:
        figures.append(_sii_trend(snapshot, featured))
    healthy_gap = _gap_measure(snapshot, healthy) if healthy is not None else None
    return Headline(gaps, life, healthy, healthy_gap, rows, featured, figures)


def _featured(rows: list[Sii], life: Indicator | None) -> Sii | None:
    """Life expectancy's SII if the build has one, else the first overarching outcome's
    (an indicator serving no single Marmot principle), else the first."""
    if not rows:
        return None
    if life is not None:
        for row in rows:
            if row.indicator.id == life.id:
                return row
    return next((r for r in rows if not r.indicator.marmot), rows[0])


def _gap_measure(snapshot: Snapshot, indicator: Indicator) -> pd.Series | None:
    m = snapshot.measures
    period = snapshot.latest_period(indicator.id)
    keep = (
        (m["indicator_id"] == indicator.id)
        & (m["period"] == period)
        & (m["measure"] == "gap")
        & (m["breakdown_type"] == DECILES)
        & (m["sex"] == "Persons")
        & (m["area_code"] == snapshot.place_code)
    )
    return None if not keep.any() else m[keep].iloc[0]


def _life_expectancy_figures(
    snapshot: Snapshot, life: Indicator, gaps: list[dashboard.Gap]
) -> list[tuple[str, Figure]]:
    figures = []
    totals = snapshot.totals(life.id)
    place = snapshot.workspace.place_name
    if len(totals):
        figures.append((
            f"{life.title} in {place} ({life.unit}).",
            trend_line(
                totals["period"].astype(str).tolist(),
                totals["value"].to_numpy(dtype="float64"),
                totals["lower_ci_95"].to_numpy(dtype="float64"),
                totals["upper_ci_95"].to_numpy(dtype="float64"),
                title=f"{life.title}, {place}: trend",
                unit=life.unit or "",
            ),
        ))  # fmt: skip
    period = gaps[0].period if gaps else snapshot.latest_period(life.id)
    if period is None:
        return figures
    frame = breakdowns.groups(snapshot, life, breakdowns.Selection(period, DECILES))
    if frame.empty:
        return figures
    line = breakdowns.sii_line(frame)
    figures.append((
        f"{life.title} by IMD decile, {period} ({life.unit}).",
        decile_bars(
            frame["category"].astype(str).tolist(),
            frame["value"].to_numpy(dtype="float64"),
            frame["lower_ci_95"].to_numpy(dtype="float64"),
            frame["upper_ci_95"].to_numpy(dtype="float64"),
            frame["denominator"].to_numpy(dtype="float64"),
            title=f"{life.title} by IMD decile, {period}",
            unit=life.unit or "",
            line=line,
        ),
    ))  # fmt: skip
    return figures


def _sii_trend(snapshot: Snapshot, featured: Sii) -> tuple[str, Figure]:
    m = snapshot.measures
    rows = m[
        (m["indicator_id"] == featured.indicator.id)
        & (m["measure"] == "sii")
        & (m["breakdown_type"] == DECILES)
        & (m["sex"] == featured.sex)
        & (m["area_code"] == snapshot.place_code)
    ]
    starts = snapshot.rows(featured.indicator.id).drop_duplicates("period")
    order = starts.set_index("period")["period_start"]
    rows = rows.assign(start=rows["period"].map(order)).sort_values("start")
    label = f"Slope index of inequality over time: {featured.indicator.title}"
    return f"{label} ({featured.indicator.unit}).", trend_line(
        rows["period"].astype(str).tolist(),
        rows["value"].to_numpy(dtype="float64"),
        rows["lower_ci_95"].to_numpy(dtype="float64"),
        rows["upper_ci_95"].to_numpy(dtype="float64"),
        title=f"Slope index of inequality: {featured.indicator.title}",
        unit=featured.indicator.unit or "",
    )
