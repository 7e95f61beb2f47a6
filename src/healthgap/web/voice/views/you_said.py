""" "You said, we did": insights tied to the actions taken, with how those actions are going."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.models import Action, ProgressUpdate
from healthgap.web.voice.models import Insight

PER_PAGE = 25


@require(Permission.ACTION_VIEW)
def you_said(request: HttpRequest) -> HttpResponse:
    # Newest update first, so an action's latest is the first of its prefetched updates.
    updates = ProgressUpdate.objects.order_by("-date", "-id")
    actions = (
        Action.objects.select_related("lead")
        .prefetch_related(Prefetch("updates", queryset=updates))
        .order_by("title", "pk")
    )
    insights = (
        Insight.objects.filter(actions__isnull=False)
        .distinct()
        .select_related("group", "locality")
        .prefetch_related("themes", Prefetch("actions", queryset=actions))
        .order_by("-date", "-id")
    )
    page = Paginator(insights, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "voice/you_said.html", {"page": page})
