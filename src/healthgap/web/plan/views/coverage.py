"""Coverage: actions counted by priority × population group, and where nobody is acting."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.coverage import coverage as count_coverage


@require(Permission.ACTION_VIEW)
def coverage(request: HttpRequest) -> HttpResponse:
    found = count_coverage()
    plan = reverse("plan:index")

    def href(priority: str, group: str) -> str:
        return f"{plan}?{urlencode({'priority': priority, 'group': group})}"

    rows = [
        (row.priority, [(c.group, c.count, href(row.priority.key, c.group.key)) for c in row.cells])
        for row in found.rows()
    ]
    return render(
        request,
        "plan/coverage.html",
        {"rows": rows, "empty": found.empty, "groups": found.groups},
    )
