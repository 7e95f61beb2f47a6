"""The plan: every action, filtered by priority, group, organisation, locality and status."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.forms import PlanFilter
from healthgap.web.plan.models import OPEN, Action, Status
from healthgap.web.plan.views._shared import today

PER_PAGE = 25


@require(Permission.ACTION_VIEW)
def plan_list(request: HttpRequest) -> HttpResponse:
    filters = PlanFilter(request.GET)
    everything_but_status = filters.apply(Action.objects.all(), status=False)
    shown = filters.apply(Action.objects.all())
    actions = shown.select_related("lead").prefetch_related("partners", "priorities", "groups")
    page = Paginator(
        actions.order_by(F("due_date").asc(nulls_last=True), "title", "pk"), PER_PAGE
    ).get_page(request.GET.get("page"))
    now = today()
    counted = dict(everything_but_status.values_list("status").annotate(n=Count("pk")).order_by())
    chosen = filters.chosen()
    other = {k: v for k, v in chosen.items() if k != "status"}
    counts = [
        {"status": value, "label": label, "count": counted.get(value, 0),
         "href": "?" + urlencode({**other, "status": value}),
         "current": chosen.get("status") == value}
        for value, label in Status.choices
    ]  # fmt: skip
    overdue = everything_but_status.filter(status__in=OPEN, due_date__lt=now).count()
    rows = [(action, action.is_overdue(now)) for action in page.object_list]
    return render(
        request,
        "plan/plan_list.html",
        {
            "filters": filters,
            "chosen": chosen,
            "page": page,
            "rows": rows,
            "total": page.paginator.count,
            "counts": counts,
            "overdue": overdue,
            "all_statuses": sum(c["count"] for c in counts),
            "all_href": "?" + urlencode(other),
            "query": urlencode(chosen),
        },
    )
