"""The map page: the place's small areas for one indicator, and England's authorities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard import maps
from healthgap.web.dashboard.breakdowns import AREAS, areas, choices
from healthgap.web.dashboard.pages import render_page
from healthgap.web.dashboard.snapshot import Snapshot, current
from healthgap.web.dashboard.tables import Column, places_for, table, value_column
from healthgap.web.templatetags.healthgap import count, number, percent


def _mappable(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(indicator id, title) of indicators with small-area values."""
    found = []
    for indicator in snapshot.indicators():
        _, _, area_types = choices(snapshot, indicator)
        if area_types:
            found.append((indicator.id, indicator.title))
    return found


@require(Permission.DASHBOARD_VIEW)
def map_page(request: HttpRequest) -> HttpResponse:
    snapshot = current()
    mappable = snapshot.memo("mappable", lambda: _mappable(snapshot))
    ids = [i for i, _ in mappable]
    indicator_id = request.GET.get("indicator") or (ids[0] if ids else "")
    if ids and indicator_id not in ids:
        return _bad(request, "Choose an indicator from the list.")
    colour_by = request.GET.get("colour", "significance")
    if colour_by not in maps.COLOUR_BY:
        return _bad(request, "Choose how to colour the map from the list.")
    period = area_type = ""
    if ids:
        indicator = snapshot.indicator(indicator_id)
        assert indicator is not None
        periods, _, area_types = snapshot.memo(
            ("choices", indicator_id), lambda: choices(snapshot, indicator)
        )
        period = request.GET.get("period") or periods[-1]
        area_type = request.GET.get("areas") or area_types[0]
        if period not in periods or area_type not in area_types:
            return _bad(request, "Choose a period and area type from the lists.")

    def build() -> dict:
        england_svg, england_table = snapshot.memo(
            "england-map", lambda: maps.england_map(snapshot.workspace.area_codes)
        )
        context: dict = {
            "mappable": mappable,
            "indicator_id": indicator_id,
            "colour_by": colour_by,
            "colour_options": list(maps.COLOUR_BY.items()),
            "england_svg": mark_safe(england_svg),  # built by our code, every text escaped
            "england_table": table(
                "Share of residents in Core20 neighbourhoods, by local authority",
                england_table,
                [
                    Column("lad_name", "Local authority"),
                    Column("lad_code", "Code"),
                    Column("share", "Share in Core20 (%)", percent, numeric=True),
                    Column("population", "Residents (Census 2021)", count, numeric=True),
                ],
            ),
        }
        if not ids:
            return context
        indicator = snapshot.indicator(indicator_id)
        assert indicator is not None
        periods, _, area_types = choices(snapshot, indicator)
        rows = areas(snapshot, indicator, period, area_type)
        places = places_for(indicator.unit)
        context.update(
            indicator=indicator,
            periods=periods,
            period=period,
            area_types=[(a, AREAS[a]) for a in area_types],
            area_type=area_type,
            svg=mark_safe(maps.area_map(indicator, rows, area_type, colour_by)),
            table=table(
                f"{indicator.title} by {AREAS[area_type].lower()}, {period}",
                rows,
                [
                    Column("area_code", "Code"),
                    Column("area_name", "Name", lambda v: v if isinstance(v, str) else "–"),
                    value_column(f"Value ({indicator.unit})", places),
                    Column(
                        "lower_ci_95", "Lower 95% limit", lambda v: number(v, places), numeric=True
                    ),
                    Column(
                        "upper_ci_95", "Upper 95% limit", lambda v: number(v, places), numeric=True
                    ),
                    Column(
                        "comparison",
                        "Compared with the place",
                        lambda v: v if isinstance(v, str) else "–",
                    ),
                ],
            ),
        )
        return context

    key = ("map", indicator_id, period, area_type, colour_by)
    return render_page(request, snapshot, "dashboard/map.html", key, build, title="Map")


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    from django.shortcuts import render

    return render(request, "dashboard/bad_request.html", {"message": message}, status=400)
