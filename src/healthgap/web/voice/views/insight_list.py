"""What communities said: insights filtered by group, locality, theme and source."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.voice.forms import InsightFilter
from healthgap.web.voice.models import Insight

PER_PAGE = 25


@require(Permission.ACTION_VIEW)
def insight_list(request: HttpRequest) -> HttpResponse:
    form = InsightFilter(request.GET)
    chosen = form.chosen()
    insights = (
        Insight.objects.select_related("group", "locality")
        .prefetch_related("themes", "actions")
        .order_by("-date", "-id")
    )
    if "group" in chosen:
        insights = insights.filter(group__key=chosen["group"])
    if "locality" in chosen:
        insights = insights.filter(locality__code=chosen["locality"])
    if "theme" in chosen:
        insights = insights.filter(themes__key=chosen["theme"])
    if "source" in chosen:
        insights = insights.filter(source=chosen["source"])
    page = Paginator(insights, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/insight_list.html",
        {"form": form, "page": page, "filtered": bool(chosen)},
    )
