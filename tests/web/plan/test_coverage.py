"""Coverage of priorities × population groups, on a plan whose counts are known."""

from __future__ import annotations

import pytest

from healthgap.web.plan.actions import create_action
from healthgap.web.plan.coverage import coverage
from healthgap.web.plan.models import Action, PopulationGroup, Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(admin, partners):
    """Four actions; by hand the non-empty cells are (prevention, older people) = 2,
    (prevention, carers) = 1 and (places, older people) = 1. The stopped action and the
    action without groups count nowhere."""
    rows = [
        {"title": "Flu clinics", "lead": "Fire and Rescue", "priorities": ["prevention"],
         "groups": ["older_people", "carers"], "status": "on_track"},
        {"title": "Safe and well visits", "lead": "Hospital Trust",
         "priorities": ["prevention", "places"], "groups": ["older_people"], "status": "at_risk"},
        {"title": "Job club", "lead": "Food Network", "priorities": ["work"], "groups": ["men"],
         "status": "stopped"},
        {"title": "Living wage", "lead": "Food Network", "priorities": ["work"], "groups": []},
    ]  # fmt: skip
    return [create_action(row, by=admin) for row in rows]


def _cell(result, priority, group):
    return result.count(Priority.objects.get(key=priority), PopulationGroup.objects.get(key=group))


def test_counts_match_the_hand_count(plan):
    result = coverage()
    assert _cell(result, "prevention", "older_people") == 2
    assert _cell(result, "prevention", "carers") == 1
    assert _cell(result, "places", "older_people") == 1
    assert _cell(result, "work", "men") == 0  # stopped
    assert sum(result.counts.values()) == 4


def test_every_other_cell_is_empty(plan):
    result = coverage()
    assert len(result.priorities) == 8 and len(result.groups) == 12  # the seeded ones
    assert len(result.empty) == 8 * 12 - 3
    keys = {(p.key, g.key) for p, g in result.empty}
    assert ("work", "men") in keys and ("prevention", "older_people") not in keys


def test_rows_follow_the_group_order(plan):
    result = coverage()
    rows = {row.priority.key: row for row in result.rows()}
    order = [g.key for g in result.groups]
    prevention = rows["prevention"]
    assert prevention.counts[order.index("older_people")] == 2
    assert prevention.counts[order.index("carers")] == 1
    assert prevention.total == 3 and rows["education"].total == 0
    assert [cell.group.key for cell in prevention.cells] == order
    assert prevention.cells[order.index("men")].empty


def test_a_filtered_plan_counts_only_its_actions(plan):
    only = Action.objects.filter(lead__name="Hospital Trust")
    result = coverage(only)
    assert _cell(result, "prevention", "older_people") == 1
    assert _cell(result, "prevention", "carers") == 0
    as_list = coverage([plan[0]])
    assert _cell(as_list, "prevention", "carers") == 1 and sum(as_list.counts.values()) == 2


def test_an_empty_plan_is_all_gaps(db):
    result = coverage()
    assert result.counts == {} and len(result.empty) == 8 * 12


def test_queries_do_not_grow_with_the_plan(plan, admin, django_assert_num_queries):
    with django_assert_num_queries(4):  # priorities, groups and the two link tables
        coverage()
    for n in range(10):
        create_action({"title": f"More {n}", "lead": "Food Network", "priorities": ["work"],
                       "groups": ["men", "carers"]}, by=admin)  # fmt: skip
    with django_assert_num_queries(4):
        result = coverage()
    assert _cell(result, "work", "men") == 10
