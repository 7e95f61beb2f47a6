"""The targeting page (filled in below)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission


@require(Permission.TARGETING_VIEW)
def targeting(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/targeting.html", {})
