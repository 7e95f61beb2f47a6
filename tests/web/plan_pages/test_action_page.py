"""One action's page: facts, outcome trend against the target, progress, insights, history."""

from __future__ import annotations

from datetime import date

import pytest

from healthgap.web.dashboard.snapshot import current
from healthgap.web.plan.actions import add_update, update_action
from healthgap.web.voice.models import Insight
from tests.web.plan_pages.conftest import INDICATOR, chart_spec


def test_action_page_shows_every_fact(client_as, plan):
    html = client_as("viewer").get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    for text in ["<h1>Health walks for older people</h1>", "Weekly led walks", "Luton",
                 "Fire service", "Older people", "Central (E02000001)",
                 "Strengthen the role and impact of ill health prevention",
                 '<span class="status-tag status-on_track">On track</span>']:  # fmt: skip
        assert text in html, text


def test_outcome_chart_has_the_warehouse_trend_baseline_and_target(client_as, plan):
    html = client_as("viewer").get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    spec = chart_spec(html, "outcome-1")
    traces = {trace["name"].split(" (")[0]: trace for trace in spec["data"]}
    totals = current().totals(INDICATOR)
    assert traces[current().indicator(INDICATOR).title]["y"] == [
        None if v != v else round(float(v), 6) for v in totals["value"]
    ]
    target_day = plan.walks.target_date.isoformat()
    # the target value as a horizontal line reaching the target date; the baseline likewise
    assert traces["Target"]["y"] == [75, 75] and traces["Target"]["x"][-1] == target_day
    assert traces["Baseline"]["y"] == [70, 70]
    # the target date marked: a point at (date, target) and a vertical line
    assert traces["Target date"]["x"] == [target_day] and traces["Target date"]["y"] == [75]
    assert spec["layout"]["shapes"][0]["x0"] == target_day
    # the data table gives the same periods as text
    for period in totals["period"].astype(str):
        assert f'<th scope="row">{period}</th>' in html
    assert "dashed line: the target, 75 by" in html
    assert "plotly.min.js" in html  # charts.js and plotly only where there is a chart


def test_indicator_not_in_the_warehouse_is_said_so(client_as, plan):
    update_action(plan.school.pk, {"indicator_ids": ["retired_indicator"]}, version=1,
                  by=plan.planner)  # fmt: skip
    html = client_as("viewer").get(f"/plan/actions/{plan.school.pk}/").content.decode()
    assert "<code>retired_indicator</code> is not in the warehouse" in html
    assert "plotly.min.js" not in html


def test_progress_updates_newest_first(client_as, plan):
    add_update(plan.walks.pk, by=plan.planner, narrative="First walks held", status="on_track",
               on="2025-02-01")  # fmt: skip
    add_update(plan.walks.pk, by=plan.planner, narrative="Volunteers left", status="at_risk",
               on="2025-03-01", measured_value=71.2)  # fmt: skip
    html = client_as("viewer").get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    assert html.index("Volunteers left") < html.index("First walks held")
    assert "measured value 71.2" in html and "Posted by planner" in html


def test_linked_insights_are_shown(client_as, plan):
    insight = Insight.objects.create(date=date(2025, 1, 10), source="healthwatch",
                                     text="The walks start too early for carers")  # fmt: skip
    insight.actions.add(plan.walks)
    html = client_as("viewer").get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    assert "The walks start too early for carers" in html and "Healthwatch" in html


@pytest.mark.parametrize(
    ("role", "which", "visible"),
    [
        ("viewer", "walks", False),
        ("analyst", "walks", False),
        ("editor", "walks", True),  # the editor's Luton leads the walks
        ("editor", "school", False),
        ("admin", "school", True),
    ],
)
def test_audit_history_for_admins_and_the_lead_organisations_editors(
    client_as, plan, role, which, visible
):
    action = getattr(plan, which)
    update_action(action.pk, {"title": f"{action.title} (renamed)"}, version=1, by=plan.planner)
    html = client_as(role).get(f"/plan/actions/{action.pk}/").content.decode()
    assert ("<h2>History</h2>" in html) is visible
    assert ("Created the action." in html) is visible
    assert (f"Title: {action.title} → {action.title} (renamed)" in html) is visible


def test_history_names_organisations_and_statuses(client_as, plan):
    update_action(plan.walks.pk, {"partners": []}, version=1, by=plan.planner)
    add_update(plan.walks.pk, by=plan.planner, narrative="Paused", status="at_risk",
               measured_value=72)  # fmt: skip
    html = client_as("admin").get(f"/plan/actions/{plan.walks.pk}/").content.decode()
    assert "Partners: Fire service → none" in html
    assert "status On track → At risk; measured value 72" in html
