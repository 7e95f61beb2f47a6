"""The demo plan's actions: every template, near-duplicates on purpose, dates, statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from healthgap.indicators.definition import Indicator
from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.demo.templates import TEMPLATES
from healthgap.web.plan.models import OPEN, Action, Locality, PopulationGroup, Priority, Status

#: Near-duplicates made on purpose: (title of the original, lead, title, description).
TWINS: tuple[tuple[str, str, str, str], ...] = (
    ("Warm homes advice and energy grants for older people", "housing_association",
     "Energy grants and warm homes advice for older tenants",
     "Tenancy officers visit older tenants in cold, damp homes to arrange energy grants, "
     "insulation and heating repairs."),
    ("Flu vaccination outreach for older people", "pcn_central",
     "Flu vaccination pop-up clinics for older people",
     "Pop-up flu vaccination clinics for older people in community venues, with reminder "
     "calls to patients who have not had their flu jab."),
    ("Stop smoking support for people with severe mental illness", "ph",
     "Smoking cessation for people with severe mental illness",
     "Stop smoking support for people with severe mental illness: weekly sessions, "
     "nicotine replacement and follow-up by phone."),
)  # fmt: skip


def _dates(rng: np.random.Generator, kind: str, today: date) -> tuple[date, date]:
    """(start, due) for an action of this status category."""

    def days(low: int, high: int) -> timedelta:
        return timedelta(days=int(rng.integers(low, high)))

    if kind == "overdue":
        due = today - days(7, 150)
        return due - days(180, 480), due
    if kind == "done":
        due = today - days(-60, 200)
        return due - days(120, 400), due
    if kind == "not_started":
        start = today + days(-20, 90)
        return start, start + days(180, 540)
    start = today - days(30, 420)
    return start, today + days(30, 540)


def _kinds(rng: np.random.Generator, n: int, twins: set[int]) -> list[str]:
    """A status category per action: some overdue, done, stopped, at risk, off track…"""
    plan = ["overdue"] * 7 + ["done"] * 7 + ["at_risk"] * 8 + ["off_track"] * 4
    plan += ["not_started"] * 6 + ["stopped"] * 3
    plan += ["on_track"] * max(0, n - len(plan))
    kinds = [str(k) for k in rng.permutation(np.array(plan[:n]))]
    for i in twins:  # the deliberate duplicates stay live (stopped actions are not compared)
        if kinds[i] == "stopped":
            j = next(j for j in range(n) if j not in twins and kinds[j] != "stopped")
            kinds[i], kinds[j] = kinds[j], kinds[i]
    return kinds


_STATUS_OF = {
    "done": Status.DONE,
    "stopped": Status.STOPPED,
    "at_risk": Status.AT_RISK,
    "off_track": Status.OFF_TRACK,
    "not_started": Status.NOT_STARTED,
    "on_track": Status.ON_TRACK,
}


def _target(indicator: Indicator, baseline: float | None) -> float | None:
    if indicator.target is not None:
        return float(indicator.target)
    if baseline is None:
        return None
    step = {"higher-is-better": 1.1, "lower-is-better": 0.9}.get(indicator.polarity)
    return None if step is None else round(baseline * step, 1)


def _pick(rng: np.random.Generator, options: Sequence[Any], low: int, high: int) -> list[Any]:
    """Between ``low`` and ``high`` of ``options`` (in their order), chosen at random."""
    k = min(len(options), int(rng.integers(low, high + 1)))
    chosen = sorted(rng.choice(len(options), size=k, replace=False).tolist()) if k else []
    return [options[i] for i in chosen]


def make_actions(
    rng: np.random.Generator,
    organisations: Mapping[str, Organisation],
    places: list[Locality],
    catalogue: Mapping[str, Indicator],
    baselines: Mapping[str, float],
    today: date,
) -> list[Action]:
    """Every template once, then the deliberate near-duplicates, with dates and statuses."""
    priorities = {p.key: p for p in Priority.objects.all()}
    groups = {g.key: g for g in PopulationGroup.objects.all()}
    deprived = places[: max(1, len(places) // 2)]  # targeted work goes where need is most
    specs: list[dict[str, Any]] = []
    for template in TEMPLATES:
        served = [template.groups[0], *_pick(rng, template.groups[1:], 0, 2)]
        where = _pick(rng, deprived, 1, 2) if template.local else []
        specs.append({"template": template, "title": template.title,
                      "description": template.description, "lead": template.lead,
                      "groups": served, "places": where})  # fmt: skip
    by_title = {spec["title"]: i for i, spec in enumerate(specs)}
    twins = set()
    for original, lead, title, description in TWINS:
        twins |= {by_title[original], len(specs)}
        specs.append({**specs[by_title[original]], "title": title,
                      "description": description, "lead": lead})  # fmt: skip
    made: list[Action] = []
    for spec, kind in zip(specs, _kinds(rng, len(specs), twins), strict=True):
        template = spec["template"]
        start, due = _dates(rng, kind, today)
        ids = [i for i in template.indicators if i in catalogue]
        baseline = baselines.get(ids[0]) if ids else None
        target = _target(catalogue[ids[0]], baseline) if ids else None
        action = Action.objects.create(
            title=spec["title"],
            description=spec["description"],
            lead=organisations[spec["lead"]],
            indicator_ids=ids,
            baseline=None if baseline is None else round(float(baseline), 1),
            target_value=target,
            target_date=due if target is not None else None,
            start_date=start,
            due_date=due,
            status=_STATUS_OF[kind] if kind in _STATUS_OF else _pick(rng, OPEN, 1, 1)[0],
        )
        action.partners.set([organisations[k] for k in template.partners if k != spec["lead"]])
        action.priorities.set([priorities[k] for k in template.priorities if k in priorities])
        action.groups.set([groups[k] for k in spec["groups"] if k in groups])
        action.localities.set(spec["places"])
        made.append(action)
    return made
