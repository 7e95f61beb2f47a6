"""Overdue actions (open, due date passed) and actions at risk or off track, with owners."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.models import Membership
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.models import OPEN, Action, Status
from healthgap.web.plan.views._shared import today

AT_RISK = (Status.AT_RISK, Status.OFF_TRACK)


@require(Permission.ACTION_VIEW)
def overdue(request: HttpRequest) -> HttpResponse:
    now = today()
    actions = Action.objects.select_related("lead")
    late = list(actions.filter(status__in=OPEN, due_date__lt=now).order_by("due_date", "title"))
    risky = list(
        actions.filter(status__in=AT_RISK)
        .exclude(due_date__lt=now)  # already listed as overdue
        .order_by("due_date", "title")
    )
    owners: dict[int, list[str]] = defaultdict(list)
    editors = Membership.objects.filter(
        organisation__in={a.lead_id for a in late + risky}, role="editor"
    ).select_related("user")
    for membership in editors.order_by("user__username"):
        owners[membership.organisation_id].append(membership.user.username)
    return render(
        request,
        "plan/overdue.html",
        {
            "today": now,
            "late": [(a, owners[a.lead_id], (now - a.due_date).days) for a in late if a.due_date],
            "risky": [(a, owners[a.lead_id]) for a in risky],
        },
    )
