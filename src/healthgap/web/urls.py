"""URLs: the dashboard's pages, accounts (Django's login) and the admin area."""

from django.contrib import admin
from django.urls import include, path

from healthgap.web.dashboard.views import health, indicators, maps, overview, report, targeting

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<slug:indicator_id>/", indicators.indicator_detail, name="indicator"),
    path(
        "indicators/<slug:indicator_id>/download.csv",
        indicators.indicator_download,
        name="indicator-download",
    ),
    path("map/", maps.map_page, name="map"),
    path("targeting/", targeting.targeting, name="targeting"),
    path("report/", report.report, name="report"),
    path("health/", health.health, name="health"),
    path("plan/", include("healthgap.web.plan.urls")),
    path("voice/", include("healthgap.web.voice.urls")),
    path("api/", include("healthgap.web.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
