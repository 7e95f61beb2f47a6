"""The targeting page: ranked communities, Core20PLUS5, segments and the allocation
calculator (:mod:`healthgap.web.dashboard.targeting`), for analysts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.targeting.need import COMBINE
from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard.snapshot import current
from healthgap.web.dashboard.targeting import allocation, communities, fragments
from healthgap.web.dashboard.targeting.query import Query

#: The page's fields in the order they appear (the error summary follows it).
FIELDS = (*communities.FIELDS, *allocation.FIELDS)


@require(Permission.TARGETING_VIEW)
def targeting(request: HttpRequest) -> HttpResponse:
    snapshot = current()
    query = Query(request.GET)
    ranking = communities.read(query, snapshot)
    plan = allocation.read(query, snapshot)
    needs = allocation.need_choices(snapshot)
    context = {
        "errors": [(name, query.errors[name]) for name in FIELDS if name in query.errors],
        "error": query.errors,
        "ranking": ranking,
        "indicator_options": [(i.id, i.title) for i in communities.indicators(snapshot)],
        "by_options": list(communities.BY.items()),
        "benchmark_options": list(communities.BENCHMARKS.items()),
        "ranking_kept": _kept(query, allocation.FIELDS),
        "communities_html": None
        if query.failed(*communities.FIELDS)
        else fragments.communities_html(snapshot, ranking),
        "core20_html": fragments.core20_html(snapshot),
        "segments_html": fragments.segments_html(snapshot),
        "plan": plan,
        "level_options": list(allocation.LEVELS.items()),
        "need_options": needs,
        "need2_options": [("", "None"), *needs],
        "combine_options": [(key, allocation.COMBINE_LABELS.get(key, key)) for key in COMBINE],
        "plan_kept": _kept(query, communities.FIELDS),
        "shown": {
            name: query.text(name) if name in query.errors else f"{getattr(plan, name):g}"
            for name in ("floor", "steepness", "weight")
        },
        "allocation_html": None
        if query.failed(*allocation.FIELDS)
        else fragments.allocation_html(snapshot, plan),
    }
    status = 400 if query.errors else 200
    return render(request, "dashboard/targeting.html", context, status=status)


def _kept(query: Query, fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """The other form's valid choices, sent again so that one form keeps the other's."""
    return [(name, query.text(name)) for name in fields
            if query.text(name) and name not in query.errors]  # fmt: skip
