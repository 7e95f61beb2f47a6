"""The plan list's filters narrow it: by priority, group, organisation, locality, status."""

from __future__ import annotations

import pytest

WALKS, SCHOOL, ALARMS = (
    "Health walks for older people",
    "School readiness support",
    "Smoke alarm checks",
)


def titles(client, query: str) -> set[str]:
    html = client.get(f"/plan/?{query}").content.decode()
    return {t for t in (WALKS, SCHOOL, ALARMS) if f">{t}</a>" in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {WALKS, SCHOOL, ALARMS}),
        ("priority=prevention", {WALKS}),
        ("priority=early_years", {SCHOOL}),
        ("group=older_people", {WALKS, ALARMS}),
        ("group=carers", set()),
        ("locality=E02000002", {SCHOOL}),
        ("status=done", {ALARMS}),
        ("status=at_risk", {SCHOOL}),
        ("group=older_people&status=on_track", {WALKS}),
    ],
)
def test_filters_narrow_the_list(client_as, plan, query, expected):
    assert titles(client_as("viewer"), query) == expected


def test_organisation_filter_matches_lead_or_partner(client_as, plan):
    client = client_as("viewer")
    # The fire service leads two actions and is a partner in Luton's walks.
    assert titles(client, f"organisation={plan.fire.pk}") == {WALKS, SCHOOL, ALARMS}
    luton = plan.walks.lead.pk
    assert titles(client, f"organisation={luton}") == {WALKS}


def test_filters_are_labelled_selects_keeping_the_choice(client_as, plan):
    html = client_as("viewer").get("/plan/?priority=prevention").content.decode()
    for name, label in [("priority", "Priority"), ("group", "Population group"),
                        ("organisation", "Organisation (lead or partner)"),
                        ("locality", "Locality"), ("status", "Status")]:  # fmt: skip
        assert f'<label for="id_{name}">{label}</label>' in html
        assert f'<select name="{name}"' in html
    assert '<option value="prevention" selected>' in html
    assert "1 action matches these filters" in html


def test_unknown_filter_value_is_reported_not_applied(client_as, plan):
    html = client_as("viewer").get("/plan/?priority=nonsense").content.decode()
    assert 'aria-invalid="true"' in html and "Not a choice here" in html
    assert titles(client_as("analyst"), "priority=nonsense") == {WALKS, SCHOOL, ALARMS}


def test_status_counts_follow_the_other_filters(client_as, plan):
    html = client_as("viewer").get("/plan/?group=older_people").content.decode()
    assert 'status-on_track">On track</span>: <strong>1</strong>' in html
    assert 'status-at_risk">At risk</span>: <strong>0</strong>' in html
    assert 'href="?group=older_people&amp;status=done"' in html
