"""The demo's insights from communities: fixed sentences, some linked to actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from healthgap.web.plan.models import Action, Locality, PopulationGroup, Status
from healthgap.web.voice.models import Insight, Theme

INSIGHTS = 150

#: How each source's insights start.
OPENERS: dict[str, tuple[str, ...]] = {
    "community_champion": ("A community champion heard that", "Community champions report that"),
    "healthwatch": (
        "Healthwatch was told that",
        "People speaking to Healthwatch said",
    ),
    "survey": ("Survey answers said", "In the residents' survey, people said"),
    "event": ("At a community event, people said", "At a drop-in, residents said"),
    "complaint": ("A complaint said", "A formal complaint described how"),
}
#: (what people said, its themes). No names, numbers, places or contact details.
SAYINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the bus to the hospital stops before evening clinics end, so appointments are missed",
     ("transport", "opening_times")),
    ("getting through to the surgery at eight in the morning is impossible",
     ("access", "opening_times")),
    ("booking online is hard without a smartphone or data", ("digital_exclusion", "access")),
    ("letters only come in English and relatives have to translate", ("language",)),
    ("there was no interpreter and a child was asked to explain a diagnosis",
     ("language", "discrimination")),
    ("the cost of travel and parking puts people off going to hospital",
     ("cost", "transport")),
    ("people did not know screening was free or what it was for", ("awareness",)),
    ("staff seemed to assume things because of how people looked",
     ("discrimination", "trust")),
    ("after a bad experience people stopped going back to the practice", ("trust",)),
    ("heating the home means skipping meals in winter", ("cost", "housing")),
    ("damp in the flat keeps making the children's breathing worse", ("housing",)),
    ("clinics are only open during working hours and shifts cannot be changed",
     ("opening_times", "access")),
    ("there is nobody to look after the children during appointments",
     ("childcare", "access")),
    ("talking about mental health is still seen as shameful", ("stigma", "trust")),
    ("carers cannot leave the person they look after to go to their own appointments",
     ("access", "childcare")),
    ("the vaccination clinic was too far away to walk to", ("transport", "access")),
    ("people were asked for proof of address they did not have",
     ("discrimination", "access", "housing")),
    ("nobody explained what the leaflet meant in plain words", ("awareness", "language")),
    ("prescription charges mean people go without some medicines", ("cost",)),
    ("the waiting room is not accessible for wheelchair users", ("access", "discrimination")),
    ("the free courses were full and there was no waiting list", ("access", "awareness")),
    ("people heard about the support only from friends, never from services",
     ("awareness", "trust")),
    ("moving between temporary addresses meant losing the GP registration",
     ("housing", "access")),
    ("video appointments do not work for people who cannot see or hear well",
     ("digital_exclusion", "access")),
    ("food prices mean fresh fruit and vegetables are a treat", ("cost",)),
    ("people worry that asking for help will be reported to immigration services",
     ("trust", "stigma")),
    ("the community centre session felt welcoming and people want it to continue",
     ("trust", "awareness")),
    ("the new evening clinic made it possible to go after work", ("opening_times",)),
)  # fmt: skip
_SOURCE_WEIGHTS = {
    "community_champion": 0.3,
    "healthwatch": 0.2,
    "survey": 0.25,
    "event": 0.15,
    "complaint": 0.1,
}


def make_insights(
    rng: np.random.Generator,
    actions: list[Action],
    places: list[Locality],
    groups: Mapping[str, PopulationGroup],
    today: date,
    users: Mapping[str, Any],
) -> tuple[list[Insight], int]:
    """About 150 insights; about a third linked to an action serving the same group."""
    themes = {t.key: t for t in Theme.objects.all()}
    sources = list(_SOURCE_WEIGHTS)
    weights = np.array(list(_SOURCE_WEIGHTS.values()))
    group_list = list(groups.values())
    recorders = [users[name] for name in ("analyst", "editor", "admin") if name in users]
    serving: dict[int, list[Action]] = {}
    for action in actions:
        if action.status == Status.STOPPED:
            continue
        for group in action.groups.all():
            serving.setdefault(group.pk, []).append(action)
    made, links = [], []
    for _ in range(INSIGHTS):
        source = sources[int(rng.choice(len(sources), p=weights / weights.sum()))]
        saying, keys = SAYINGS[int(rng.integers(len(SAYINGS)))]
        openers = OPENERS[source]
        group = group_list[int(rng.integers(len(group_list)))] if group_list else None
        locality = places[int(rng.integers(len(places)))] if rng.random() < 0.9 else None
        insight = Insight.objects.create(
            date=today - timedelta(days=int(rng.integers(0, 540))),
            source=source,
            group=group,
            locality=locality,
            text=f"{openers[int(rng.integers(len(openers)))]} {saying}.",
            recorded_by=recorders[int(rng.integers(len(recorders)))] if recorders else None,
        )
        insight.themes.set([themes[k] for k in keys if k in themes])
        candidates = serving.get(group.pk, []) if group is not None else []
        if candidates and rng.random() < 0.36:  # about a third of all insights
            links.append((insight, candidates[int(rng.integers(len(candidates)))]))
        made.append(insight)
    for insight, action in links:
        insight.actions.add(action)
    return made, len(links)
