"""Fixtures for the plan pages: organisations, localities and actions made through the
plan's actions layer (so each is audited like a real one), and clients for any user.

``client_as(role)`` (tests/web/conftest.py) logs in a user named after the role, a member
of the organisation "Luton"; the plan here has actions led by Luton and by the fire
service, so an editor may edit some actions and not others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.actions import create_action
from healthgap.web.plan.forms import action_initial
from healthgap.web.plan.models import Action, Locality

INDICATOR = "flu_65_plus"


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """A fast hasher: these tests log in many users, and security of hashes is not their
    subject (Django's default takes about a second per password on a small machine)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(workspace_settings, user_with) -> SimpleNamespace:
    """Three actions: Luton's on track, the fire service's overdue one and its done one."""
    planner = user_with("admin", username="planner", organisation="Luton")
    fire = Organisation.objects.create(name="Fire service", sector=Organisation.Sector.FIRE)
    Organisation.objects.create(name="Housing trust", sector=Organisation.Sector.HOUSING)
    Locality.objects.create(code="E02000001", name="Central")
    Locality.objects.create(code="E02000002", name="Northwell")
    today = timezone.localdate()
    walks = create_action(
        {"title": "Health walks for older people", "lead": "Luton", "partners": ["Fire service"],
         "description": "Weekly led walks from community centres.",
         "priorities": ["prevention"], "groups": ["older_people"], "localities": ["E02000001"],
         "indicator_ids": [INDICATOR], "baseline": 70, "target_value": 75,
         "target_date": today + timedelta(days=365), "start_date": today - timedelta(days=30),
         "due_date": today + timedelta(days=100), "status": "on_track"},
        by=planner,
    )  # fmt: skip
    school = create_action(
        {"title": "School readiness support", "lead": "Fire service",
         "priorities": ["early_years"], "groups": ["children"], "localities": ["E02000002"],
         "due_date": today - timedelta(days=10), "status": "at_risk"},
        by=planner,
    )  # fmt: skip
    alarms = create_action(
        {"title": "Smoke alarm checks", "lead": "Fire service", "priorities": ["places"],
         "groups": ["older_people"], "due_date": today - timedelta(days=30), "status": "done"},
        by=planner,
    )  # fmt: skip
    return SimpleNamespace(
        planner=planner, fire=fire, walks=walks, school=school, alarms=alarms, today=today
    )


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    """A test client logged in as ``user``."""

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def form_data(action: Action, **changes: Any) -> dict[str, Any]:
    """What the edit form posts for ``action`` as it is now, with ``changes``."""
    data = {k: v for k, v in action_initial(action).items() if v not in (None, "", [])}
    data.update(changes)
    return data


def chart_spec(html: str, chart_id: str) -> dict:
    """The plotly spec a page embeds for one chart (its json_script)."""
    found = re.search(rf'<script id="{chart_id}-spec" type="application/json">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert found, f"no chart {chart_id}"
    return json.loads(found.group(1))
