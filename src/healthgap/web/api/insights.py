"""``/api/insights/``: what communities said — list (with filters) and record.

Recording goes through ``healthgap.web.voice.actions.create_insight``, which checks the
fields and looks for personal data (emails, phone and NHS numbers, postcodes). Text that
seems to hold some is refused with 422 listing what was found, unless the body says
``"allow_personal_data": true`` — the writer has been warned and confirms.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja import Status as Answer

from healthgap.web.accounts.permissions import Permission
from healthgap.web.api.auth import require
from healthgap.web.api.schemas import ERRORS, InsightIn, InsightOut, Invalid, PersonalData
from healthgap.web.voice import actions as voice
from healthgap.web.voice.models import Insight

router = Router(tags=["insights"])


class InsightFilters(Schema):
    group: str | None = None
    locality: str | None = None
    theme: str | None = None
    source: Insight.Source | None = None
    action: int | None = None


def insight_out(insight: Insight) -> dict[str, Any]:
    return {
        "id": insight.pk,
        "date": insight.date,
        "source": insight.source,
        "group": insight.group.key if insight.group else None,
        "locality": insight.locality.code if insight.locality else None,
        "themes": [t.key for t in insight.themes.all()],
        "text": insight.text,
        "actions": [a.pk for a in insight.actions.all()],
        "recorded_by": insight.recorded_by.username if insight.recorded_by else None,
        "created_at": insight.created_at,
    }


def with_relations(insights: QuerySet[Insight]) -> QuerySet[Insight]:
    return insights.select_related("group", "locality", "recorded_by").prefetch_related(
        "themes", "actions"
    )


@router.get("/", response={200: list[InsightOut], 422: Invalid, **ERRORS})
def list_insights(request: HttpRequest, filters: Query[InsightFilters]) -> list[dict[str, Any]]:
    """Every insight, newest first, filtered by ``group`` (key), ``locality`` (code),
    ``theme`` (key), ``source`` and ``action`` (id of a linked action)."""
    require(request, Permission.ACTION_VIEW)
    insights = Insight.objects.all()
    if filters.group is not None:
        insights = insights.filter(group__key=filters.group)
    if filters.locality is not None:
        insights = insights.filter(locality__code=filters.locality)
    if filters.theme is not None:
        insights = insights.filter(themes__key=filters.theme)
    if filters.source is not None:
        insights = insights.filter(source=filters.source)
    if filters.action is not None:
        insights = insights.filter(actions__id=filters.action)
    return [insight_out(i) for i in with_relations(insights.distinct())]


@router.post("/", response={201: InsightOut, 422: Invalid | PersonalData, **ERRORS})
def create_insight(request: HttpRequest, payload: InsightIn) -> Answer:
    """Record an insight (analysts, editors and administrators)."""
    user = require(request, Permission.INSIGHT_EDIT)
    raw = payload.model_dump(mode="json", exclude_unset=True)
    allow = bool(raw.pop("allow_personal_data", False))
    try:
        insight = voice.create_insight(raw, by=user, allow_personal_data=allow)
    except voice.PersonalData as found:
        kinds = sorted({kind for kind, _ in found.found})
        return Answer(
            422,
            {
                "detail": "the text looks like it holds personal data "
                f"({', '.join(kinds)}): remove it, or send allow_personal_data: true",
                "personal_data": [{"kind": k, "text": t} for k, t in found.found],
            },
        )
    return Answer(201, insight_out(with_relations(Insight.objects.all()).get(pk=insight.pk)))
