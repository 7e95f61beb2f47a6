"""Fixtures for the JSON API's tests: people in each role, bearer-token clients, an action.

Organisations: the action under test is led by the fire service; ``editor`` edits for the
fire service, ``other_editor`` for a housing trust; the others belong to the council.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from healthgap.web.accounts.actions import create_user
from healthgap.web.plan.actions import create_action
from healthgap.web.plan.models import Action
from healthgap.web.tokens.actions import create_token

PASSWORD = "a-long-test-password-1"
OWN = "Fire service"
OTHER = "Housing trust"
COUNCIL = "Luton Council"

#: Each test person: username → (role slug, organisation).
PEOPLE = {
    "viewer": ("viewer", COUNCIL),
    "analyst": ("analyst", COUNCIL),
    "editor": ("editor", OWN),
    "other_editor": ("editor", OTHER),
    "admin": ("admin", COUNCIL),
}


class Api:
    """A test client that sends JSON and a bearer token, and reads JSON back."""

    def __init__(self, token: str | None = None, **kwargs: Any) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = Client(headers=headers, **kwargs)

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(path, query)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json.dumps(body), content_type="application/json")

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """A cheap password hash: these tests make several users each, and Django's default
    (PBKDF2, a million rounds) costs about a second per user on a small machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(db) -> Callable[[str], Any]:
    """The user called ``name`` (one of PEOPLE), made on first use."""
    made: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in made:
            role, organisation = PEOPLE[name]
            made[name] = create_user(name, PASSWORD, role=role, organisation=organisation)
        return made[name]

    return get


@pytest.fixture
def api(person) -> Callable[[str], Api]:
    """A client for ``name`` authenticated with a fresh bearer token."""

    def make(name: str) -> Api:
        _, token = create_token(person(name).username)
        return Api(token)

    return make


@pytest.fixture
def organisations(person) -> dict[str, Any]:
    """The three organisations by name (their people exist)."""
    from healthgap.web.accounts.models import Organisation

    for name in PEOPLE:
        person(name)
    return {o.name: o for o in Organisation.objects.all()}


@pytest.fixture
def action(person, organisations) -> Action:
    """An action led by the fire service, version 1."""
    return create_action(
        {"title": "Safe and well visits", "lead": OWN, "priorities": ["prevention"],
         "groups": ["older_people"], "due_date": "2030-03-31", "status": "on_track"},
        by=person("admin"),
    )  # fmt: skip


def body(response: Any) -> Any:
    return json.loads(response.content)
