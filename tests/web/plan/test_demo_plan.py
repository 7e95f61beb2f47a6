"""The demo plan: what it holds, that it is deterministic, and that it shows the problems."""

from __future__ import annotations

import re
from datetime import date

import pytest

from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.demo_users import create_demo_users
from healthgap.web.plan.actions import can_edit
from healthgap.web.plan.coverage import coverage
from healthgap.web.plan.demo import seed_demo_plan, seed_workspace
from healthgap.web.plan.duplicates import possible_duplicates
from healthgap.web.plan.models import OPEN, Action, Locality, Priority, ProgressUpdate
from healthgap.web.voice.models import Insight

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)
LUTON = ["E06000032"]

# Obvious personal data, written independently of the app's own checks.
PERSONAL = {
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "phone": re.compile(r"(\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
    "nhs number": re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
}


def _seed(catalogue, seed: int = 2025, **more):
    return seed_demo_plan(place_name="Luton", area_codes=LUTON, indicators=catalogue,
                          today=TODAY, seed=seed, **more)  # fmt: skip


@pytest.fixture
def demo(catalogue, tmp_path):
    create_demo_users(tmp_path, "Luton")
    return _seed(catalogue, baselines={"flu_65_plus": 71.04})


def test_counts(demo):
    assert demo.organisations == 20
    assert Organisation.objects.filter(name__startswith="Luton ").count() == 20
    assert 55 <= Action.objects.count() == demo.actions <= 65
    assert Insight.objects.count() == demo.insights == 150
    assert Locality.objects.count() == demo.localities == 22  # Luton's MSOAs
    assert demo.summary() == (
        f"Plan: 20 organisations, {demo.actions} actions ({demo.overdue} overdue, "
        f"{demo.duplicates} possible duplicates), 150 insights"
    )


def test_every_sector_and_every_marmot_principle_is_present(demo):
    partners = Organisation.objects.filter(name__startswith="Luton ")  # not the place itself
    sectors = set(partners.values_list("sector", flat=True))
    assert set(Organisation.Sector.values) - sectors == {"other"}
    for priority in Priority.objects.filter(kind="marmot"):
        assert priority.actions.count() >= 3, priority.key


def test_some_actions_are_overdue_and_some_at_risk(demo):
    overdue = Action.objects.filter(status__in=OPEN, due_date__lt=TODAY).count()
    assert overdue == demo.overdue > 0
    assert Action.objects.filter(status="at_risk").count() > 0
    assert Action.objects.filter(status="done").count() > 0


def test_deliberate_near_duplicates_are_found(demo):
    found = possible_duplicates()
    assert len(found) >= 2 and demo.duplicates == len(found)
    for pair in found:
        assert pair.first.lead != pair.second.lead and pair.similarity >= 0.3
    titles = {frozenset((d.first.title, d.second.title)) for d in found}
    assert frozenset({"Flu vaccination outreach for older people",
                      "Flu vaccination pop-up clinics for older people"}) in titles  # fmt: skip


def test_coverage_leaves_some_cells_empty(demo):
    result = coverage()
    assert 0 < len(result.empty) == demo.empty_cells < 8 * 12


def test_indicators_baselines_and_targets(demo, catalogue):
    flu = Action.objects.get(title="Flu vaccination outreach for older people")
    target = next(i.target for i in catalogue if i.id == "flu_65_plus")
    assert flu.indicator_ids == ["flu_65_plus"]
    assert (flu.baseline, flu.target_value) == (71.0, target)
    known = {i.id for i in catalogue}
    for ids in Action.objects.values_list("indicator_ids", flat=True):
        assert set(ids) <= known


def test_progress_updates_by_demo_users(demo):
    per_action = [a.updates.count() for a in Action.objects.all()]
    assert max(per_action) <= 4 and sum(n > 0 for n in per_action) > len(per_action) / 2
    authors = set(ProgressUpdate.objects.values_list("author__username", flat=True))
    assert authors <= {"editor", "admin"} and authors
    assert all(u.date <= TODAY for u in ProgressUpdate.objects.all())


def test_the_demo_editor_can_edit_their_organisations_actions(demo):
    membership = Membership.objects.get(user__username="editor", organisation__name__contains="—")
    assert membership.role == "editor"
    led = Action.objects.filter(lead=membership.organisation)
    assert led.count() >= 3
    assert can_edit(membership.user, led.first().lead)
    other = Action.objects.exclude(lead=membership.organisation).first()
    assert not can_edit(membership.user, other.lead)


def test_insights_hold_no_personal_data(demo):
    texts = list(Insight.objects.values_list("text", flat=True))
    for text in texts:
        for kind, pattern in PERSONAL.items():
            assert not pattern.search(text), f"{kind} in {text!r}"
        assert not re.search(r"\d", text)
    try:
        from healthgap.web.voice.personal_data import find_personal_data
    except ImportError:
        return
    assert not [t for t in texts if find_personal_data(t)]


def test_insights_spread_across_sources_groups_places_and_themes(demo):
    insights = Insight.objects.all()
    assert insights.values("source").distinct().count() == 5
    assert insights.values("group").distinct().count() >= 10
    assert insights.values("locality").distinct().count() >= 15
    assert all(i.themes.exists() for i in insights)
    linked = insights.filter(actions__isnull=False).distinct().count()
    assert linked == demo.linked_insights and 0.25 * 150 <= linked <= 0.45 * 150


def test_same_seed_same_plan_and_seeding_again_replaces_it(catalogue):
    def snapshot():
        return sorted(
            Action.objects.values_list("title", "lead__name", "status", "start_date", "due_date")
        )

    first = _seed(catalogue)
    plan, texts = snapshot(), sorted(Insight.objects.values_list("text", flat=True))
    second = _seed(catalogue)
    assert first == second
    assert snapshot() == plan and sorted(Insight.objects.values_list("text", flat=True)) == texts
    assert Organisation.objects.count() == 21  # twenty partners and the place itself
    assert Insight.objects.count() == 150
    _seed(catalogue, seed=7)
    assert snapshot() != plan  # another seed, another plan
    assert Action.objects.count() == first.actions


def test_seeding_a_workspace_uses_its_warehouse(workspace_settings, web_workspace):
    result = seed_workspace(web_workspace, today=TODAY)
    flu = Action.objects.get(title="Flu vaccination outreach for older people")
    assert flu.baseline is not None and 0 < flu.baseline < 100
    assert result.localities == 22 and result.overdue > 0
