"""Ranked communities: where a prevention service has the most people left to reach.

The page's version of ``healthgap target``: :func:`~healthgap.targeting.communities.
communities_for` ranks the communities (on the raw counts), then
:func:`~healthgap.targeting.community_csv.publishable` applies the same disclosure control
as the command's CSV before anything is shown. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.disclosure import SUPPRESSED
from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.targeting.communities import communities_for
from healthgap.targeting.community_csv import publishable
from healthgap.web.dashboard.charts import BLUE, Chart, axes_layout, numbers
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tables import Column, Table, table
from healthgap.web.dashboard.targeting.outcome import Outcome, kept
from healthgap.web.dashboard.targeting.query import Query
from healthgap.web.templatetags.healthgap import count, number

#: Kinds of community (``by``), as the form offers them.
BY = {"lsoa": "Neighbourhoods (LSOAs)", "msoa": "MSOAs", "practice": "GP practices"}
#: The same, in a sentence ("125 neighbourhoods (LSOAs)").
NOUNS = {"lsoa": "neighbourhoods (LSOAs)", "msoa": "MSOAs", "practice": "GP practices"}
BENCHMARKS = {
    "best_quintile": "The place's best IMD quintile",
    "target": "The indicator's target",
    "pooled": "All communities together (the place's average)",
}
FIELDS = ("indicator", "by", "benchmark")
TOP = 20


@dataclass(frozen=True)
class Ranking:
    """The choices of the ranking form."""

    indicator: str
    by: str
    benchmark: str


@dataclass(frozen=True)
class Ranked:
    """The top communities, published."""

    title: str
    period: str
    by: str
    benchmark: str
    communities: int
    higher: bool
    table: Table
    chart: Chart


def indicators(snapshot: Snapshot) -> list[Indicator]:
    """Indicators that can be ranked: proportions and crude rates with values, a polarity
    (higher or lower is better) and LSOA, MSOA or practice values."""
    return [
        i
        for i in snapshot.indicators()
        if i.method in ("proportion", "rate")
        and i.polarity in ("higher-is-better", "lower-is-better")
        and any(b in i.breakdowns for b in BY)
    ]


def read(query: Query, snapshot: Snapshot) -> Ranking:
    """The form's choices from the query (defaults: the first indicator, its smallest
    communities, the best IMD quintile)."""
    ids = [i.id for i in indicators(snapshot)]
    indicator = query.choice("indicator", ids, ids[0] if ids else "", "an indicator")
    found = snapshot.indicator(indicator)
    smallest = next((b for b in BY if found is not None and b in found.breakdowns), "lsoa")
    by = query.choice("by", list(BY), smallest, "a kind of community")
    benchmark = query.choice("benchmark", list(BENCHMARKS), "best_quintile", "a benchmark")
    return Ranking(indicator, by, benchmark)


def section(snapshot: Snapshot, ranking: Ranking) -> Outcome[Ranked]:
    """The top communities for the choices, kept per choice."""
    key = ("communities", ranking.indicator, ranking.by, ranking.benchmark)
    return kept(snapshot, key, lambda: ranked(snapshot, ranking))


def ranked(snapshot: Snapshot, ranking: Ranking) -> Ranked:
    """Rank, protect and lay out the top :data:`TOP` communities."""
    if not ranking.indicator:
        raise InputError("the warehouse has no proportion or rate indicator to rank by")
    result = communities_for(snapshot.workspace, ranking.indicator, by=ranking.by,
                             benchmark=ranking.benchmark)  # fmt: skip
    attrs = result.attrs
    if result.empty:
        raise InputError(f"no {ranking.by!r} communities with eligible people in {attrs['period']}")
    published = publishable(result, snapshot.rules)
    higher = attrs["polarity"] == "higher-is-better"
    top = published.head(TOP).copy()
    top["significance"] = _significance(top, "below" if higher else "above")
    if "area_name" not in top or (top["area_name"] == top["area_code"]).all():
        top["area_name"] = top["area_code"]  # practices: the code is the name
        named = False
    else:
        named = True
    gap = _gap_column(higher, attrs["kind"] == "rate")
    caption = (
        f"Top {len(top)} of {len(published)} {NOUNS[ranking.by]} by potential to "
        f"benefit: {attrs['indicator_title']}, {attrs['period']}, against "
        f"{attrs['benchmark_label']}"
    )
    columns = _columns(attrs, named, higher, top)
    return Ranked(
        title=attrs["indicator_title"],
        period=attrs["period"],
        by=NOUNS[ranking.by],
        benchmark=attrs["benchmark_label"],
        communities=len(published),
        higher=higher,
        table=table(caption, top, columns),
        chart=_chart(top, gap, attrs["indicator_title"]),
    )


def _gap_column(higher: bool, rate: bool) -> Column:
    """The ranked shortfall (after shrinkage), rounded and hidden as published."""
    if higher:
        return Column("not_reached_shrunk", "People not reached (vs benchmark)", count, True)
    label = f"{'Events' if rate else 'People'} above the benchmark"
    return Column("excess_shrunk", label, count, True)


def _columns(attrs: dict, named: bool, higher: bool, top: pd.DataFrame) -> list[Column]:
    rate = attrs["kind"] == "rate"
    unit = attrs["unit"] or ""
    places = 0 if rate else 1

    def value(v: object) -> str:
        return number(v, places)

    # Lower-is-better proportions (smoking) count people with the outcome, not reached.
    counted = "Events" if rate else "Reached" if higher else "Counted"
    measure = "uptake" if higher and not rate else "rate"
    columns = [
        Column("rank", "Rank"),
        Column("area_code", "Area code"),
        *([Column("area_name", "Name")] if named else []),
        Column("eligible", "Person-years" if rate else "Eligible", count, True),
        Column("reached", counted, count, True),
        Column("uptake", f"{measure.capitalize()} ({unit})", value, True),
        Column("uptake_shrunk", f"Shrunk {measure} ({unit})", value, True),
        _gap_column(higher, rate),
        Column(
            "significance",
            f"Significantly {'below' if higher else 'above'} the benchmark",
        ),
    ]
    if "imd_decile" in top:
        columns.append(Column("imd_decile", "IMD decile (1 = most deprived)", count, True))
    elif "core20_share" in top:
        columns.append(Column("core20_share", "Core20 share (%)", lambda v: number(v, 0), True))
    return columns


def _significance(top: pd.DataFrame, flag: str) -> np.ndarray:
    """Funnel-plot flags in words (hidden with the community's counts)."""
    at_95 = top[f"{flag}_95"].astype(str).to_numpy()
    at_99_8 = top[f"{flag}_99_8"].astype(str).to_numpy()
    return np.select(
        [at_95 == SUPPRESSED, at_99_8 == "True", at_95 == "True"],
        [SUPPRESSED, "Yes, at 99.8%", "Yes, at 95%"],
        default="No",
    )


def _chart(top: pd.DataFrame, gap: Column, title: str) -> Chart:
    """Bars of the top communities' shortfall, in rank order."""
    names = top["area_name"].astype(str).tolist()
    spec = {
        "data": [{"type": "bar", "name": gap.label, "x": names, "y": numbers(top[gap.key]),
                  "marker": {"color": BLUE}}],
        "layout": axes_layout("Community (rank order)", gap.label,
                              xaxis={"type": "category", "automargin": True,
                                     "title": {"text": "Community (rank order)"}}),
    }  # fmt: skip
    columns = [Column("rank", "Rank"), Column("area_name", "Community"), gap]
    return Chart(
        "shortfall",
        f"{gap.label}: top {len(top)} communities",
        spec,
        table(f"{gap.label}, top {len(top)} communities in rank order: {title}", top, columns),
        caption="hidden (small-number) communities have no bar",
    )
