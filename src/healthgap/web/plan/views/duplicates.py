"""Possible duplicates: pairs of actions by different partners that seem to do the same."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.duplicates import possible_duplicates


@require(Permission.ACTION_VIEW)
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "plan/duplicates.html", {"pairs": possible_duplicates()})
