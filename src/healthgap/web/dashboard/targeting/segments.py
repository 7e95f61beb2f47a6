"""Segments: everyone in one Bridges to Health segment, and the segments' sizes.

The page's version of ``healthgap segments``: :func:`~healthgap.targeting.segments.segments`
with the Bridges to Health rules for the latest complete financial year, published
through :meth:`~healthgap.targeting.segments.SegmentResult.protected` (counts rounded,
small ones suppressed so that none can be recovered from the totals) as the command
does. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from healthgap.disclosure import render
from healthgap.targeting.segments import ALL, TOTAL, segments
from healthgap.web.dashboard.charts import BLUE, Chart, axes_layout, numbers
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tables import Column, Table, table
from healthgap.web.dashboard.targeting.outcome import Outcome, kept
from healthgap.web.templatetags.healthgap import count, number

RULES = "bridges"


@dataclass(frozen=True)
class Segments:
    rules: str
    period: str
    start: date
    end: date
    table: Table
    chart: Chart
    notes: tuple[str, ...]


def section(snapshot: Snapshot) -> Outcome[Segments]:
    """The latest financial year's segment sizes, kept on the snapshot."""
    return kept(snapshot, ("segments", RULES), lambda: published(snapshot))


def published(snapshot: Snapshot) -> Segments:
    result = segments(snapshot.workspace, rules=RULES)
    protected = render(result.protected(snapshot.rules, None), denominator="", values=["share"])
    total = protected[protected["breakdown_type"] == TOTAL]
    columns = [
        Column("segment_label", "Segment"),
        Column("count", "People", count, True),
        Column("share", "Share of everyone (%)", lambda v: number(v, 1), True),
    ]
    caption = f"Bridges to Health segment sizes, {result.period}"
    segments_only = total[total["segment"] != ALL]
    spec = {
        "data": [{"type": "bar", "name": "People", "x": segments_only["segment_label"].tolist(),
                  "y": numbers(segments_only["count"]), "marker": {"color": BLUE}}],
        "layout": axes_layout("Segment", "People", xaxis={"type": "category", "automargin": True,
                                                          "title": {"text": "Segment"}}),
    }  # fmt: skip
    chart = Chart(
        "segment-sizes",
        f"People in each segment, {result.period}",
        spec,
        table(f"People in each Bridges to Health segment, {result.period}", segments_only, columns),
        caption="hidden (small-number) segments have no bar",
    )
    return Segments(
        rules=result.rules.name,
        period=result.period,
        start=result.start,
        end=result.end,
        table=table(caption, total, columns),
        chart=chart,
        notes=result.notes,
    )
