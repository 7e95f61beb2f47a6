"""Who may call the API: bearer tokens, the browser's session with CSRF, and `healthgap token`."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.errors import InputError
from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.models import Action
from healthgap.web.tokens.actions import create_token
from healthgap.web.tokens.models import ApiToken

from .conftest import OWN, PASSWORD, Api, body

pytestmark = pytest.mark.django_db

PATHS = ["/api/organisations/", "/api/actions/", "/api/insights/"]


@pytest.mark.parametrize("path", PATHS)
def test_no_credentials_get_401_json_not_a_login_redirect(path):
    response = Api().get(path)
    assert response.status_code == 401  # LoginRequiredMiddleware would answer 302
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body(response) == {"detail": "authentication required"}


@pytest.mark.parametrize("token", ["nonsense", "hg_" + "x" * 43, ""])
def test_a_bad_token_gets_401(person, token):
    person("admin")
    response = Api(token or "  ").get("/api/actions/")
    assert response.status_code == 401


def test_a_write_without_credentials_gets_401_and_changes_nothing(organisations):
    response = Api().post("/api/actions/", {"title": "x", "lead": organisations[OWN].pk})
    assert response.status_code == 401
    assert not Action.objects.exists()


def test_a_good_token_authenticates_as_its_user(person):
    person("viewer")
    row, token = create_token("viewer")
    assert Api(token).get("/api/organisations/").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(person):
    person("viewer")
    row, token = create_token("viewer")
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = {str(v) for v in ApiToken.objects.values_list("key_hash", "user_id").get()}
    assert token not in stored
    event = AuditEvent.objects.get(verb="token.create")
    assert token not in str(event.details) and event.details == {"user": "viewer"}


def test_an_inactive_users_token_stops_working(person):
    user = person("viewer")
    _, token = create_token("viewer")
    user.is_active = False
    user.save()
    assert Api(token).get("/api/actions/").status_code == 401


def test_a_deleted_token_stops_working(person):
    person("viewer")
    row, token = create_token("viewer")
    row.delete()
    assert Api(token).get("/api/actions/").status_code == 401


def test_unknown_user_gets_no_token(db):
    with pytest.raises(InputError, match="no user"):
        create_token("nobody")
    assert not ApiToken.objects.exists()


def test_a_user_without_any_role_is_refused(db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("loner", password=PASSWORD)
    _, token = create_token("loner")
    assert Api(token).get("/api/actions/").status_code == 403


# --- the browser's session ---------------------------------------------------------------


def _session(person, name: str) -> Client:
    person(name)
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=name, password=PASSWORD)
    return client


def _new_action(organisations) -> str:
    import json

    return json.dumps({"title": "Walks", "lead": organisations[OWN].pk})


def test_session_reads_without_a_csrf_token(person):
    client = _session(person, "viewer")
    assert client.get("/api/actions/").status_code == 200


def test_session_write_without_csrf_token_is_refused(person, organisations):
    client = _session(person, "editor")
    response = client.post(
        "/api/actions/", _new_action(organisations), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in body(response)["detail"]
    assert not Action.objects.exists()


def test_session_patch_without_csrf_token_is_refused(person, action):
    client = _session(person, "editor")
    response = client.patch(
        f"/api/actions/{action.pk}/",
        '{"version": 1, "title": "Changed"}',
        content_type="application/json",
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Safe and well visits" and action.version == 1


def test_session_write_with_the_csrf_token_works(person, organisations):
    client = _session(person, "editor")
    client.get("/accounts/login/")  # a page with a form sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/actions/",
        _new_action(organisations),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content
    assert Action.objects.get().title == "Walks"


def test_a_bearer_token_needs_no_csrf_token(person, organisations):
    _, token = create_token("editor")
    client = Api(token, enforce_csrf_checks=True)
    response = client.post("/api/actions/", {"title": "Walks", "lead": organisations[OWN].pk})
    assert response.status_code == 201


# --- the command line --------------------------------------------------------------------


def _restore_environment(monkeypatch, workspace):
    """The command configures Django through the environment: undo that after the test."""
    monkeypatch.setenv("HEALTHGAP_WORKSPACE", str(workspace))
    monkeypatch.setenv("HEALTHGAP_INSECURE_COOKIES", "1")


def test_token_command_prints_a_token_that_works(person, web_workspace, monkeypatch):
    _restore_environment(monkeypatch, web_workspace)
    person("analyst")
    result = CliRunner().invoke(app, ["token", "analyst", "--dir", str(web_workspace)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("hg_") and len(token.splitlines()) == 1
    assert "shown once" in result.stderr
    response = Api(token).get("/api/organisations/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="token.create")
    assert event.details == {"user": "analyst"} and event.actor is None


def test_token_command_refuses_an_unknown_user(db, web_workspace, monkeypatch):
    _restore_environment(monkeypatch, web_workspace)
    result = CliRunner().invoke(app, ["token", "nobody", "--dir", str(web_workspace)])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert not ApiToken.objects.exists()
