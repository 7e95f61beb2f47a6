"""The action plan: status counts, overdue and at-risk work, gaps, duplicates, outcomes.

Read from the web app's database (Django must be configured for the workspace) as it
stands on the day the report is made: the plan is a live document, and the Board asks
where it is now. Coverage gaps and possible duplicates are the plan pages' own analyses
(:func:`healthgap.web.plan.coverage.coverage`, :func:`healthgap.web.plan.duplicates.
possible_duplicates`); overdue is :meth:`Action.is_overdue`; off-target outcomes follow
:mod:`healthgap.report.trajectory`. Plan data describe work, not people, so no
disclosure control applies to them; the outcome values come from the protected
snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from healthgap.report.charts import Figure, status_bar
from healthgap.report.scope import report_periods
from healthgap.report.trajectory import off_target
from healthgap.web.dashboard.snapshot import Snapshot

#: At most this many rows in each list of actions (the rest are counted).
LIST = 12


@dataclass(frozen=True)
class ActionLine:
    title: str
    lead: str
    status: str
    due: date | None
    note: str = ""


@dataclass(frozen=True)
class OffTarget:
    title: str
    lead: str
    indicator: str
    period: str
    unit: str
    value: float
    expected: float
    baseline: float | None
    target: float


@dataclass(frozen=True)
class DuplicatePair:
    first: str
    first_lead: str
    second: str
    second_lead: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class PlanSection:
    made_on: date
    total: int
    statuses: list[tuple[str, str, int]]  # (key, label, count), every status
    chart: Figure
    overdue: list[ActionLine]
    at_risk: list[ActionLine]
    gaps: list[tuple[str, list[str]]]  # priority → groups nobody serves under it
    empty_cells: int
    cells: int
    duplicates: list[DuplicatePair]
    off_target: list[OffTarget]
    assessed: int  # actions whose outcome could be judged

    def count(self, key: str) -> int:
        return next((n for k, _, n in self.statuses if k == key), 0)


def plan_section(snapshot: Snapshot, today: date) -> PlanSection:
    """The plan as it stands on ``today``; outcome values from ``snapshot``."""
    from django.db.models import Count

    from healthgap.web.plan.coverage import coverage
    from healthgap.web.plan.duplicates import possible_duplicates
    from healthgap.web.plan.models import Action, Status

    counted = dict(Action.objects.values_list("status").annotate(n=Count("id")))
    statuses = [(str(key), str(label), int(counted.get(key, 0))) for key, label in Status.choices]
    total = sum(n for _, _, n in statuses)
    actions = list(Action.objects.select_related("lead").order_by("due_date", "title"))
    overdue = [
        _line(a, f"{(today - a.due_date).days} days overdue")
        for a in actions
        if a.is_overdue(today) and a.due_date is not None
    ]
    at_risk = [_line(a) for a in actions if a.status in (Status.AT_RISK, Status.OFF_TRACK)]
    matrix = coverage()
    gaps: dict[str, list[str]] = {}
    for priority, group in matrix.empty:
        gaps.setdefault(priority.title, []).append(group.name)
    duplicates = [
        DuplicatePair(d.first.title, d.first.lead.name, d.second.title, d.second.lead.name,
                      d.similarity, d.reason)
        for d in possible_duplicates()
    ]  # fmt: skip
    live = [a for a in actions if a.status != Status.STOPPED]
    outcomes, assessed = _outcomes(snapshot, live)
    return PlanSection(
        made_on=today,
        total=total,
        statuses=statuses,
        chart=status_bar(statuses, title=f"Actions in the plan by status, {today:%d %B %Y}"),
        overdue=overdue,
        at_risk=at_risk,
        gaps=list(gaps.items()),
        empty_cells=len(matrix.empty),
        cells=len(matrix.priorities) * len(matrix.groups),
        duplicates=duplicates,
        off_target=outcomes,
        assessed=assessed,
    )


def _line(action: Any, note: str = "") -> ActionLine:
    return ActionLine(action.title, action.lead.name, action.get_status_display(),
                      action.due_date, note)  # fmt: skip


def _outcomes(snapshot: Snapshot, actions: list) -> tuple[list[OffTarget], int]:
    """Actions whose first outcome indicator in the report is worse than its path."""
    periods = report_periods(snapshot).set_index("indicator_id")
    catalogue = {i.id: i for i in snapshot.indicators()}
    chosen, indicator_ids = [], []
    for action in actions:
        found = next((i for i in action.indicator_ids or [] if i in periods.index), None)
        if found is not None and action.target_value is not None:
            chosen.append(action)
            indicator_ids.append(found)
    if not chosen:
        return [], 0
    latest = {i: _latest(snapshot, i) for i in set(indicator_ids)}
    value = np.array([latest[i][0] for i in indicator_ids], dtype="float64")
    at = np.array([latest[i][1] for i in indicator_ids], dtype="int64")

    def day(d: date | None, fallback: date) -> int:
        return (d or fallback).toordinal()

    baseline = np.array([np.nan if a.baseline is None else a.baseline for a in chosen])
    target = np.array([a.target_value for a in chosen], dtype="float64")
    start = np.array([day(a.start_date, a.created_at.date()) for a in chosen], dtype="int64")
    target_date = np.array(
        [day(a.target_date or a.due_date, a.created_at.date()) for a in chosen], dtype="int64"
    )
    polarity = [catalogue[i].polarity for i in indicator_ids]
    higher = np.array([1.0 if p == "higher-is-better" else 0.0 if p == "lower-is-better"
                       else np.nan for p in polarity])  # fmt: skip
    off, assessed, path = off_target(value, baseline, target, start, target_date, at, higher)
    found = [
        OffTarget(
            title=a.title,
            lead=a.lead.name,
            indicator=catalogue[i].title,
            period=str(periods.loc[i, "period"]),
            unit=catalogue[i].unit or "",
            value=float(value[k]),
            expected=float(path[k]),
            baseline=a.baseline,
            target=float(target[k]),
        )
        for k, (a, i) in enumerate(zip(chosen, indicator_ids, strict=True))
        if off[k]
    ]
    return found, int(assessed.sum())


def _latest(snapshot: Snapshot, indicator_id: str) -> tuple[float, int]:
    """The place's latest whole-population value of the indicator and its period's end."""
    rows = snapshot.rows(indicator_id)
    rows = rows[(rows["breakdown_type"] == "total") & (rows["area_code"] == snapshot.place_code)]
    persons = rows[rows["sex"] == "Persons"]
    rows = (persons if len(persons) else rows).dropna(subset=["value"])
    if rows.empty:
        return float("nan"), 0
    last = rows.sort_values("period_start").iloc[-1]
    return float(last["value"]), _ordinal(last["period_end"])


def _ordinal(value: object) -> int:
    import pandas as pd

    stamp = pd.Timestamp(value)
    return 0 if pd.isna(stamp) else stamp.date().toordinal()
