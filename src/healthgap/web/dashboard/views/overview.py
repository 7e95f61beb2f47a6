"""The overview page: the headline gap, Core20 share, the tartan and recent changes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard import changes, headline, tartan
from healthgap.web.dashboard.snapshot import current


@require(Permission.DASHBOARD_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    snapshot = current()
    context = {
        "gaps": snapshot.memo("gaps", lambda: headline.gaps(snapshot)),
        "core20": snapshot.memo("core20", lambda: headline.core20(snapshot)),
        "tartan": snapshot.memo("tartan", lambda: tartan.tartan(snapshot)),
        "changes": snapshot.memo("changes", lambda: changes.changes(snapshot)),
        "quintiles": ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"],
    }
    return render(request, "dashboard/overview.html", context)
