"""Seeding the demo plan: clearing the last one, making everything, recording one event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from healthgap.indicators.definition import Indicator
from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.accounts.roles import ROLES
from healthgap.web.audit.models import AuditEvent
from healthgap.web.audit.record import record
from healthgap.web.plan.demo.actions import make_actions
from healthgap.web.plan.demo.insights import make_insights
from healthgap.web.plan.demo.localities import neighbourhoods
from healthgap.web.plan.demo.organisations import EDITOR_ORGANISATION, ORGANISATIONS, short_name
from healthgap.web.plan.demo.updates import make_updates
from healthgap.web.plan.models import Action, Locality, PopulationGroup, Status
from healthgap.web.voice.models import Insight

DEFAULT_SEED = 2025
SEED_VERB = "plan.seed"


@dataclass(frozen=True)
class DemoPlan:
    """What :func:`seed_demo_plan` made."""

    organisations: int
    localities: int
    actions: int
    overdue: int
    at_risk: int
    duplicates: int
    updates: int
    insights: int
    linked_insights: int
    empty_cells: int

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"Plan: {self.organisations} organisations, {self.actions} actions "
            f"({self.overdue} overdue, {self.duplicates} possible duplicates), "
            f"{self.insights} insights"
        )


def _clear(names: Iterable[str]) -> None:
    """Delete what earlier seeding made (its organisations, their actions, its insights)."""
    organisations = Organisation.objects.filter(name__in=list(names))
    # The latest seeding's ids suffice: each seeding deleted what the one before made.
    latest = AuditEvent.objects.filter(verb=SEED_VERB).order_by("-id").first()
    details = latest.details if latest is not None else {}
    actions, insights = details.get("actions", []), details.get("insights", [])
    Insight.objects.filter(pk__in=insights).delete()
    Action.objects.filter(Q(lead__in=organisations) | Q(pk__in=actions)).delete()
    organisations.delete()


def seed_demo_plan(
    *,
    place_name: str,
    area_codes: Sequence[str],
    indicators: Sequence[Indicator],
    today: date,
    seed: int = DEFAULT_SEED,
    baselines: Mapping[str, float] | None = None,
) -> DemoPlan:
    """Make (or remake) the demo place's synthetic action plan and insights.

    Parameters
    ----------
    place_name : str
        The demo place, used in organisation names.
    area_codes : sequence of str
        Its local authority codes; its MSOAs become the plan's localities.
    indicators : sequence of Indicator
        The catalogue: actions name the indicators of theirs that it holds, with the
        indicator's target as the action's target.
    today : date
        Dates are set around it (some due dates in the past: overdue actions).
    seed : int
        Seed of the ``numpy.random.Generator``: the same seed gives the same plan.
    baselines : mapping, optional
        An earlier value of each indicator (from the warehouse), the actions' baseline.

    Returns
    -------
    DemoPlan
        Counts of what was made, for the command line's summary.
    """
    from healthgap.web.plan.coverage import coverage
    from healthgap.web.plan.duplicates import possible_duplicates

    rng = np.random.default_rng(seed)
    place = short_name(place_name)
    baselines = baselines or {}
    catalogue = {indicator.id: indicator for indicator in indicators}
    names = {key: name.format(place=place) for key, (name, _) in ORGANISATIONS.items()}
    demo_users = get_user_model().objects.filter(username__in=list(ROLES))  # web/demo_users.py
    users = {user.username: user for user in demo_users}
    with transaction.atomic():
        _clear(names.values())
        organisations = {
            key: Organisation.objects.create(name=names[key], sector=sector)
            for key, (_, sector) in ORGANISATIONS.items()
        }
        if "editor" in users:
            Membership.objects.update_or_create(
                user=users["editor"],
                organisation=organisations[EDITOR_ORGANISATION],
                defaults={"role": "editor"},
            )
        places = []
        for code, name, _ in neighbourhoods(area_codes, place_name):
            locality, _ = Locality.objects.update_or_create(code=code, defaults={"name": name})
            places.append(locality)
        groups = {g.key: g for g in PopulationGroup.objects.all()}
        made = make_actions(rng, organisations, places, catalogue, baselines, today)
        updates = make_updates(rng, made, today, users, organisations[EDITOR_ORGANISATION])
        insights, linked = make_insights(rng, made, places, groups, today, users)
        overdue = sum(a.is_overdue(today) for a in made)
        duplicates = len(possible_duplicates(Action.objects.filter(pk__in=[a.pk for a in made])))
        empty = len(coverage().empty)
        place_organisation, _ = Organisation.objects.get_or_create(
            name=place_name, defaults={"sector": "local_authority"}
        )
        summary = DemoPlan(
            organisations=len(organisations),
            localities=len(places),
            actions=len(made),
            overdue=overdue,
            at_risk=sum(a.status == Status.AT_RISK for a in made),
            duplicates=duplicates,
            updates=updates,
            insights=len(insights),
            linked_insights=linked,
            empty_cells=empty,
        )
        record(SEED_VERB, place_organisation, by=None, seed=seed, today=today.isoformat(),
               organisations=list(names.values()), actions=[a.pk for a in made],
               insights=[i.pk for i in insights])  # fmt: skip
    return summary


def seed_workspace(
    root: str | Path, *, today: date | None = None, seed: int = DEFAULT_SEED
) -> DemoPlan:
    """Seed the demo plan of the workspace in ``root`` (Django already configured for it).

    Baselines are the place's value of each indicator two periods before its latest,
    from the dashboard's disclosure-controlled copy of the warehouse.
    """
    from healthgap.errors import InputError
    from healthgap.web.dashboard.snapshot import current
    from healthgap.workspace import load_workspace

    workspace = load_workspace(root)
    indicators: Sequence[Indicator] = workspace.indicators
    baselines: dict[str, float] = {}
    try:
        snapshot = current()
    except InputError:  # no warehouse yet: actions get no baseline
        snapshot = None
    if snapshot is not None:
        for indicator in indicators:
            values = snapshot.totals(indicator.id)["value"].dropna()
            if len(values):
                baselines[indicator.id] = float(values.iloc[max(0, len(values) - 3)])
    return seed_demo_plan(
        place_name=workspace.place_name,
        area_codes=workspace.area_codes,
        indicators=indicators,
        today=today or date.today(),
        seed=seed,
        baselines=baselines,
    )
