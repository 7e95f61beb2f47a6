"""Fixtures for the community voice tests: localities, a small plan, and insights made directly.

Insights for page tests are made with the ORM (known rows to count); the actions layer is
tested on its own in ``test_actions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.models import Action, Locality, PopulationGroup, ProgressUpdate
from healthgap.web.voice.models import Insight, Theme


@pytest.fixture
def localities(db) -> dict[str, Locality]:
    return {
        code: Locality.objects.create(code=code, name=name)
        for code, name in [("E02000001", "Dallow"), ("E02000002", "Farley Hill")]
    }


@pytest.fixture
def plan_actions(db) -> dict[str, Action]:
    """Two actions led by a community trust; the bus one has two progress updates."""
    lead = Organisation.objects.create(name="Community Transport Trust", sector="vcse")
    bus = Action.objects.create(title="Community bus to the surgery", lead=lead, status="on_track")
    leaflets = Action.objects.create(title="Leaflets in five languages", lead=lead)
    ProgressUpdate.objects.create(
        action=bus, date=date(2025, 1, 10), status="not_started", narrative="Route agreed."
    )
    ProgressUpdate.objects.create(
        action=bus, date=date(2025, 3, 2), status="on_track", narrative="Runs twice a week now."
    )
    return {"bus": bus, "leaflets": leaflets}


@pytest.fixture
def make_insight(db) -> Callable[..., Insight]:
    """``make_insight(group=key, locality=code, themes=[keys], actions=[...], **fields)``."""

    def make(
        *,
        group: str | None = None,
        locality: str | None = None,
        themes: tuple[str, ...] = (),
        actions: tuple[Action, ...] = (),
        text: str = "The surgery is hard to reach without a car.",
        source: str = "community_champion",
        on: date = date(2025, 2, 1),
    ) -> Insight:
        insight = Insight.objects.create(
            date=on,
            source=source,
            text=text,
            group=PopulationGroup.objects.get(key=group) if group else None,
            locality=Locality.objects.get(code=locality) if locality else None,
        )
        insight.themes.set(Theme.objects.filter(key__in=themes))
        insight.actions.set(actions)
        return insight

    return make
