"""Indicator pages: the list by Marmot principle, one indicator in depth, its CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.indicators.definition import MARMOT_PRINCIPLES, Indicator
from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.dashboard import breakdowns, charts, spc_view
from healthgap.web.dashboard.download import indicator_csv
from healthgap.web.dashboard.pages import CHARTS, render_page
from healthgap.web.dashboard.snapshot import Snapshot, current
from healthgap.web.dashboard.tables import Column, places_for, table, value_column
from healthgap.web.dashboard.tartan import OVERARCHING, principle_of
from healthgap.web.templatetags.healthgap import count, number


@require(Permission.DASHBOARD_VIEW)
def indicator_list(request: HttpRequest) -> HttpResponse:
    snapshot = current()
    principle = request.GET.get("principle", "")
    query = request.GET.get("q", "").strip().lower()
    shown = [
        i
        for i in snapshot.indicators()
        if (not principle or principle in i.marmot or (principle == "overarching" and not i.marmot))
        and (not query or query in i.title.lower() or query in i.description.lower())
    ]
    grouped: dict[str, list[Indicator]] = {}
    for indicator in shown:
        grouped.setdefault(principle_of(indicator), []).append(indicator)
    order = [OVERARCHING, *MARMOT_PRINCIPLES.values()]
    context = {
        "groups": sorted(grouped.items(), key=lambda item: order.index(item[0])),
        "principles": [("overarching", OVERARCHING), *MARMOT_PRINCIPLES.items()],
        "principle": principle,
        "q": request.GET.get("q", ""),
        "shown": len(shown),
    }
    template = "dashboard/_indicator_list.html" if request.htmx else "dashboard/indicators.html"
    return render(request, template, context)


def _indicator(snapshot: Snapshot, indicator_id: str) -> Indicator:
    indicator = snapshot.indicator(indicator_id)
    if indicator is None or indicator_id not in snapshot.by_indicator:
        raise Http404("no such indicator")
    return indicator


@require(Permission.DASHBOARD_VIEW)
def indicator_detail(request: HttpRequest, indicator_id: str) -> HttpResponse:
    snapshot = current()
    indicator = _indicator(snapshot, indicator_id)
    periods, options, area_types = snapshot.memo(
        ("choices", indicator.id), lambda: breakdowns.choices(snapshot, indicator)
    )
    period = request.GET.get("period") or (periods[-1] if periods else "")
    chosen = request.GET.get("breakdown") or (options[0] if options else "")
    if period not in periods or (options and chosen not in options):
        raise Http404("no such period or breakdown")
    area_type = request.GET.get("areas") or (area_types[0] if area_types else "")
    if area_types and area_type not in area_types:
        raise Http404("no such area type")

    def build() -> dict:
        return {
            **_detail(snapshot, indicator, period, chosen, area_type),
            "periods": periods,
            "period": period,
            "options": [(b, breakdowns.LABELS[b]) for b in options],
            "breakdown": chosen,
            "area_types": [(a, breakdowns.AREAS[a]) for a in area_types],
            "area_type": area_type,
        }

    key = ("indicator", indicator.id, period, chosen, area_type)
    return render_page(
        request, snapshot, "dashboard/indicator.html", key, build,
        title=indicator.title, scripts=CHARTS,
    )  # fmt: skip


def _detail(
    snapshot: Snapshot, indicator: Indicator, period: str, chosen: str, area_type: str
) -> dict:
    totals = snapshot.totals(indicator.id)
    latest = totals[totals["period"] == period]
    selection = breakdowns.Selection(period, chosen)
    groups = breakdowns.groups(snapshot, indicator, selection) if chosen else None
    label = breakdowns.LABELS.get(chosen, chosen)
    line = (
        breakdowns.sii_line(groups)
        if groups is not None and chosen in ("imd_decile", "imd_quintile")
        else None
    )
    heat = breakdowns.heat_measures(groups, indicator, chosen) if groups is not None else None
    places = places_for(indicator.unit)
    area_rows = breakdowns.areas(snapshot, indicator, period, area_type) if area_type else None
    return {
        "indicator": indicator,
        "principles": [MARMOT_PRINCIPLES[m] for m in indicator.marmot],
        "latest": None if latest.empty else latest.iloc[0],
        "trend_chart": charts.trend(indicator, totals),
        "spc": spc_view.spc(indicator, totals),
        "breakdown_chart": charts.breakdown(indicator, groups, label, line)
        if groups is not None and len(groups)
        else None,
        "heat": None
        if heat is None or heat.empty
        else table(
            f"WHO HEAT summary measures: {indicator.title} by {label.lower()}, {period}",
            heat,
            [
                Column("name", "Measure"),
                value_column("Value", 2),
                Column("lower_ci", "Lower 95% limit", lambda v: number(v, 2), numeric=True),
                Column("upper_ci", "Upper 95% limit", lambda v: number(v, 2), numeric=True),
                Column("interpretation", "How to read it"),
            ],
        ),
        "areas": None
        if area_rows is None
        else table(
            f"{indicator.title} by {breakdowns.AREAS[area_type].lower()}, {period}",
            area_rows,
            [
                Column("area_code", "Code"),
                Column("area_name", "Name", lambda v: v if isinstance(v, str) else "–"),
                value_column(f"Value ({indicator.unit})", places),
                Column("lower_ci_95", "Lower 95% limit", lambda v: number(v, places), numeric=True),
                Column("upper_ci_95", "Upper 95% limit", lambda v: number(v, places), numeric=True),
                Column("count", "Count", count, numeric=True),
                Column("denominator", "Denominator", count, numeric=True),
                Column(
                    "comparison",
                    "Compared with the place",
                    lambda v: v if isinstance(v, str) else "–",
                ),
            ],
        ),
    }


@require(Permission.DATA_DOWNLOAD)
def indicator_download(request: HttpRequest, indicator_id: str) -> HttpResponse:
    snapshot = current()
    indicator = _indicator(snapshot, indicator_id)
    body = snapshot.memo(("csv", indicator.id), lambda: indicator_csv(snapshot, indicator.id))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.id}.csv"'
    return response
