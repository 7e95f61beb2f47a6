"""Recording insights through the actions layer: validation, permissions, personal data, audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.errors import Invalid
from healthgap.web.voice.actions import PersonalData, create_insight, link_action
from healthgap.web.voice.models import Insight

pytestmark = pytest.mark.django_db


def good(**changes) -> dict:
    raw = {
        "date": "2025-02-14",
        "source": "healthwatch",
        "group": "carers",
        "locality": "E02000001",
        "themes": ["transport", "cost"],
        "text": "  Carers said the bus fare to the hospital is too much.  ",
    }
    return {**raw, **changes}


def test_every_field_is_saved(user_with, localities, plan_actions):
    analyst = user_with("analyst")
    insight = create_insight(
        good(actions=[plan_actions["bus"].pk, str(plan_actions["leaflets"].pk)]), by=analyst
    )
    insight.refresh_from_db()
    assert insight.date == date(2025, 2, 14) and insight.source == "healthwatch"
    assert insight.group.key == "carers" and insight.locality.code == "E02000001"
    assert sorted(insight.themes.values_list("key", flat=True)) == ["cost", "transport"]
    assert set(insight.actions.all()) == set(plan_actions.values())
    assert insight.text == "Carers said the bus fare to the hospital is too much."
    assert insight.recorded_by == analyst


def test_labels_and_comma_separated_lists_are_accepted(user_with, localities, plan_actions):
    insight = create_insight(
        good(source="Community Champion", themes="access, language", group="", locality=None,
             actions=f"{plan_actions['bus'].pk}"),
        by=user_with("editor"),
    )  # fmt: skip
    assert insight.source == "community_champion" and insight.group is None
    assert sorted(insight.themes.values_list("key", flat=True)) == ["access", "language"]
    assert list(insight.actions.all()) == [plan_actions["bus"]]


def test_every_problem_is_reported_at_once(user_with, localities):
    raw = {
        "date": "14/02/2025",
        "source": "gossip",
        "group": "martians",
        "locality": "E99999999",
        "themes": "transport, weather",
        "text": "x" * 2001,
        "actions": "12, first",
        "author": "someone",
    }
    with pytest.raises(Invalid) as caught:
        create_insight(raw, by=user_with("analyst"))
    errors = caught.value.errors
    assert set(errors) == {"date", "source", "group", "locality", "themes", "text", "actions",
                           "author"}  # fmt: skip
    assert "weather" in errors["themes"] and "transport" not in errors["themes"]
    assert "2000" in errors["text"]
    assert not Insight.objects.exists()


def test_required_fields(user_with):
    with pytest.raises(Invalid) as caught:
        create_insight({"text": "   "}, by=user_with("analyst"))
    assert caught.value.errors == {
        "date": "is required",
        "source": "is required",
        "text": "is required",
    }


def test_unknown_action_ids_are_refused(user_with, plan_actions):
    with pytest.raises(Invalid) as caught:
        create_insight(good(group=None, locality=None, actions=[999999]), by=user_with("admin"))
    assert caught.value.errors == {"actions": "no action with id 999999"}


def test_exactly_2000_characters_is_allowed(user_with):
    insight = create_insight(
        good(group=None, locality=None, text="y" * 2000), by=user_with("admin")
    )
    assert len(insight.text) == 2000


@pytest.mark.parametrize("role", ["analyst", "editor", "admin"])
def test_roles_with_insight_edit_may_record(user_with, localities, role):
    create_insight(good(), by=user_with(role))
    assert Insight.objects.count() == 1


def test_viewer_is_refused_and_nothing_is_saved(user_with, localities):
    with pytest.raises(PermissionDenied):
        create_insight(good(), by=user_with("viewer"))
    assert not Insight.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="insight.").exists()


def test_anonymous_is_refused(localities):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        create_insight(good(), by=AnonymousUser())


def test_one_audit_event_without_the_text(user_with, localities):
    analyst = user_with("analyst")
    insight = create_insight(good(), by=analyst)
    events = AuditEvent.objects.filter(verb="insight.create")
    assert events.count() == 1
    event = events.get()
    assert event.actor == analyst and event.target_id == str(insight.pk)
    assert event.target_type == "voice.insight"
    fields = event.details["fields"]
    assert fields["group"] == "carers" and fields["themes"] == ["cost", "transport"]
    assert "text" not in fields and fields["text_length"] == len(insight.text)


def test_personal_data_blocks_saving_until_allowed(user_with, localities):
    analyst = user_with("analyst")
    raw = good(text="Ring Mrs B on 07700 900123 about the bus, she lives at LU1 2AB.")
    with pytest.raises(PersonalData) as caught:
        create_insight(raw, by=analyst)
    assert caught.value.found == [("phone number", "07700 900123"), ("postcode", "LU1 2AB")]
    assert not Insight.objects.exists()
    assert not AuditEvent.objects.filter(verb="insight.create").exists()

    insight = create_insight(raw, by=analyst, allow_personal_data=True)
    assert Insight.objects.get() == insight
    event = AuditEvent.objects.get(verb="insight.create")
    # The trail says what kind of data was confirmed, never the matched text.
    assert event.details["personal_data_confirmed"] == ["phone number", "postcode"]
    assert "07700" not in str(event.details)


def test_invalid_fields_are_reported_before_personal_data(user_with):
    with pytest.raises(Invalid):
        create_insight({"source": "survey", "text": "jo@example.org"}, by=user_with("analyst"))


def test_link_action_is_audited_once(user_with, plan_actions, make_insight):
    editor = user_with("editor")
    insight = make_insight()
    link_action(insight.pk, plan_actions["bus"].pk, by=editor)
    link_action(insight.pk, plan_actions["bus"].pk, by=editor)  # already linked: no change
    assert list(insight.actions.all()) == [plan_actions["bus"]]
    assert AuditEvent.objects.filter(verb="insight.link").count() == 1


def test_link_action_needs_insight_edit(user_with, plan_actions, make_insight):
    insight = make_insight()
    with pytest.raises(PermissionDenied):
        link_action(insight.pk, plan_actions["bus"].pk, by=user_with("viewer"))
    assert not insight.actions.exists()
