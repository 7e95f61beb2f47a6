"""Allocation calculator: a budget shared by proportionate universalism.

The page's version of ``healthgap allocate``: :func:`~healthgap.targeting.allocation_places.
allocation_for` with the form's budget, areas, need, floor and steepness, published through
:meth:`~healthgap.targeting.allocation_places.Allocation.table` and ``gradient_table``
(populations counted from person-level data rounded, small ones suppressed; need hidden
where an indicator count behind it is small) as the command does. See docs/targeting.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from healthgap.targeting.allocation_places import Allocation, allocation_for
from healthgap.targeting.need import COMBINE
from healthgap.web.dashboard.charts import BLUE, GREY, ORANGE, Chart, axes_layout, numbers
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tables import Column, Table, table
from healthgap.web.dashboard.targeting.outcome import Outcome, recent
from healthgap.web.dashboard.targeting.query import Query
from healthgap.web.templatetags.healthgap import count, number

LEVELS = {
    "lsoa": "Neighbourhoods (LSOAs)",
    "msoa": "MSOAs",
    "locality": "Local authorities",
    "practice": "GP practices",
}
#: The same, in a sentence ("125 neighbourhoods (LSOAs)").
NOUNS = {
    "lsoa": "neighbourhoods (LSOAs)",
    "msoa": "MSOAs",
    "locality": "local authorities",
    "practice": "GP practices",
}
COMBINE_LABELS = {
    "ratio": "Ratio to the average (default)",
    "z": "z-scores (ONS Health Index scale)",
    "rank": "Exponential ranks (as the IoD)",
}
IMD = "imd"
FIELDS = ("budget", "level", "need", "need2", "weight", "combine", "floor", "steepness")
DEFAULT_BUDGET = 1_000_000
MAX_BUDGET = 10**12
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)([km]?)", re.IGNORECASE)
_AREA_TYPES = ("lsoa", "msoa", "practice")  # rows an indicator needs to measure need


@dataclass(frozen=True)
class Plan:
    """The choices of the allocation form."""

    budget: int
    budget_text: str
    level: str
    need: str
    need2: str
    weight: float
    combine: str
    floor: float
    steepness: float

    @property
    def spec(self) -> str:
        """Need as :func:`allocation_for` reads it: ``imd`` or ``imd:0.5,ID:0.5``.

        >>> Plan(1, "1", "lsoa", "imd", "flu_65_plus", 0.7, "ratio", 0.5, 1.0).spec
        'imd:0.7,flu_65_plus:0.3'
        """
        if not self.need2:
            return self.need
        return f"{self.need}:{self.weight:g},{self.need2}:{round(1 - self.weight, 6):g}"


@dataclass(frozen=True)
class Shared:
    """The allocation, published."""

    budget: int
    areas_count: int
    level: str
    floor: float
    steepness: float
    needs: tuple[str, ...]
    population_source: str
    notes: tuple[str, ...]
    ratios: str
    chart: Chart
    areas: Table

    @property
    def universal(self) -> str:
        """The universal share as a percentage, e.g. ``50%``."""
        return f"{self.floor:.0%}"


def parse_budget(text: str) -> int | None:
    """Whole pounds from ``1000000``, ``£1,000,000``, ``1.5m`` or ``250k``; None if the
    text is not a whole, positive number of pounds up to a trillion.

    >>> parse_budget("£1,500,000"), parse_budget("1.5m"), parse_budget("250K")
    (1500000, 1500000, 250000)
    >>> parse_budget("12.50"), parse_budget("-5"), parse_budget("lots")
    (None, None, None)
    """
    found = _AMOUNT.fullmatch(re.sub(r"[£,_\s]", "", text))
    if found is None:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2).lower()]
    value = float(found.group(1)) * scale
    if value != round(value) or not 0 < value <= MAX_BUDGET:
        return None
    return round(value)


def need_choices(snapshot: Snapshot) -> list[tuple[str, str]]:
    """``imd`` and the indicators with values for LSOAs, MSOAs or practices."""

    def choices() -> list[tuple[str, str]]:
        values = snapshot.values
        measured = set(values.loc[values["area_type"].isin(_AREA_TYPES), "indicator_id"])
        found = [(i.id, i.title) for i in snapshot.indicators() if i.id in measured]
        return [(IMD, "IMD 2025 deprivation score"), *found]

    return snapshot.memo(("targeting", "need choices"), choices)


def read(query: Query, snapshot: Snapshot) -> Plan:
    """The form's choices from the query (defaults: £1,000,000 over LSOAs by IMD, half as
    an equal amount per head, steepness 1)."""
    text = query.text("budget")
    budget = DEFAULT_BUDGET if not text else parse_budget(text)
    if budget is None:
        query.errors["budget"] = (
            "Enter the budget as a whole number of pounds, such as 1,000,000, 1.5m or 250k"
        )
        budget = DEFAULT_BUDGET
    needs = [key for key, _ in need_choices(snapshot)]
    need = query.choice("need", needs, IMD, "a measure of need")
    need2 = query.choice("need2", needs, "", "a second measure of need")
    if need2 and need2 == need and not query.failed("need", "need2"):
        query.errors["need2"] = "Choose a second measure different from the first, or none"
        need2 = ""
    return Plan(
        budget=budget,
        budget_text=text or f"{DEFAULT_BUDGET:,}",
        level=query.choice("level", list(LEVELS), "lsoa", "the areas"),
        need=need,
        need2=need2,
        weight=query.number("weight", 0.5, low=0, high=1, what="The first measure's weight"),
        combine=query.choice("combine", list(COMBINE), "ratio", "a way to combine need"),
        floor=query.number("floor", 0.5, low=0, high=1, what="The universal share"),
        steepness=query.number("steepness", 1.0, low=0, high=10, what="The steepness"),
    )


def key(plan: Plan) -> tuple[object, ...]:
    """What the allocation depends on (not how the budget was typed)."""
    return (plan.budget, plan.level, plan.spec, plan.combine, plan.floor, plan.steepness)


def section(snapshot: Snapshot, plan: Plan) -> Outcome[Shared]:
    """The allocation for the choices; the last few kept (budgets are free input)."""
    return recent(snapshot, "allocation", key(plan), lambda: shared(snapshot, plan))


def shared(snapshot: Snapshot, plan: Plan) -> Shared:
    result = allocation_for(
        snapshot.workspace,
        plan.budget,
        level=plan.level,
        need=plan.spec,
        floor=plan.floor,
        steepness=plan.steepness,
        combine=plan.combine,  # type: ignore[arg-type]  # one of COMBINE: read() checked it
    )
    return Shared(
        budget=result.budget,
        areas_count=len(result.areas),
        level=NOUNS[result.level],
        floor=result.floor,
        steepness=result.steepness,
        needs=result.needs,
        population_source=result.population_source,
        notes=result.notes,
        ratios=_ratios(result.gradient),
        chart=_chart(result.gradient_table(snapshot.rules)),
        areas=_areas(result, snapshot),
    )


def _gradient_columns() -> list[Column]:
    def pounds(v: object) -> str:
        return number(v, 2)

    return [
        Column("imd_decile", "IMD decile", count),
        Column("population", "People", count, True),
        Column("allocation", "Proportionate (£ per head)", pounds, True),
        Column("equal_per_head", "Equal split (£ per head)", pounds, True),
        Column("need_only", "Need only (£ per head)", pounds, True),
    ]


def _chart(gradient: pd.DataFrame) -> Chart:
    """Pounds per head by decile under the three ways of sharing."""
    deciles = [str(d) for d in gradient["imd_decile"]]
    series = [("allocation", "Proportionate", BLUE), ("equal_per_head", "Equal per head", GREY),
              ("need_only", "Need only", ORANGE)]  # fmt: skip
    data = [
        {"type": "bar", "name": name, "x": deciles, "y": numbers(gradient[key]),
         "marker": {"color": colour}}
        for key, name, colour in series
    ]  # fmt: skip
    layout = axes_layout("National IMD 2025 decile (1 = most deprived)", "£ per head",
                         barmode="group", xaxis={"type": "category", "title": {
                             "text": "National IMD 2025 decile (1 = most deprived)"}})  # fmt: skip
    return Chart(
        "per-head",
        "Pounds per head by deprivation decile",
        {"data": data, "layout": layout},
        table("Pounds per head under each way of sharing, by national IMD 2025 decile",
              gradient, _gradient_columns()),
        caption="proportionate allocation beside an equal split and allocation by need alone",
        open=True,
    )  # fmt: skip


def _ratios(gradient: pd.DataFrame) -> str:
    """Most over least deprived decile's amount per head, for each way of sharing."""
    ends = gradient.dropna(subset=["imd_decile"])
    if len(ends) < 2:
        return ""
    first, last = ends.iloc[0], ends.iloc[-1]
    parts = [
        f"{name} {first[key] / last[key]:.2f} times" if last[key] > 0 else f"{name} –"
        for key, name in (("allocation", "proportionate"), ("equal_per_head", "equal split"),
                          ("need_only", "need only"))
    ]  # fmt: skip
    return (
        f"Amount per head in decile {int(first['imd_decile'])} over decile "
        f"{int(last['imd_decile'])}: " + ", ".join(parts) + "."
    )


def _areas(result: Allocation, snapshot: Snapshot) -> Table:
    """Every area, most per head first, as published."""
    areas = result.table(snapshot.rules)
    notes = areas["note"].astype(str).str.replace(r"^SYNTHETIC(; )?", "", regex=True)
    areas = areas.assign(note=notes)
    named = not (areas["area_name"].astype(str) == areas["area_code"].astype(str)).all()
    columns = [
        Column("area_code", "Area code"),
        *([Column("area_name", "Name")] if named else []),
        Column("population", "People", count, True),
        *([Column("imd_decile", "IMD decile", count, True)] if "imd_decile" in areas else []),
        Column("need", "Need", lambda v: number(v, 2), True),
        Column("relative_need", "Relative need", lambda v: number(v, 2), True),
        Column("allocation", "Allocation (£)", count, True),
        Column("per_head", "Per head (£)", lambda v: number(v, 2), True),
        Column("equal_per_head", "If shared equally per head (£)", count, True),
        Column("need_only", "If shared by need only (£)", count, True),
        *([Column("note", "Note")] if (notes != "").any() else []),
    ]
    return table(
        f"Allocation of £{result.budget:,} across {len(areas)} {NOUNS[result.level]}, "
        "most per head first",
        areas,
        columns,
    )
