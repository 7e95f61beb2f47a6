"""The overview page: the headline gap, Core20 share, the tartan and recent changes."""

from django.http import HttpRequest, HttpResponse

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard import changes, headline, tartan
from healthgap.web.dashboard.pages import render_page
from healthgap.web.dashboard.snapshot import current


@require(Permission.DASHBOARD_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    snapshot = current()

    def build() -> dict:
        return {
            "gaps": headline.gaps(snapshot),
            "core20": headline.core20(snapshot),
            "tartan": tartan.tartan(snapshot),
            "changes": changes.changes(snapshot),
            "quintiles": ["1 (most deprived)", "2", "3", "4", "5 (least deprived)"],
        }

    return render_page(
        request, snapshot, "dashboard/overview.html", "overview", build, title="Overview"
    )
