"""Accounts: roles as data, permission checks, the audited create_user action, the CLI."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.errors import InputError
from healthgap.web.accounts.actions import create_user
from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.accounts.permissions import Permission as P
from healthgap.web.accounts.roles import ROLES, get_role
from healthgap.web.audit.models import AuditEvent

STRONG = "correct-horse-battery-staple-9"


def test_role_slugs_are_the_documented_contract():
    assert list(ROLES) == ["viewer", "analyst", "editor", "admin"]


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (
            "viewer",
            {P.DASHBOARD_VIEW, P.ACTION_VIEW},
            {P.DATA_DOWNLOAD, P.TARGETING_VIEW, P.ACTION_EDIT},
        ),
        ("analyst", {P.DATA_DOWNLOAD, P.TARGETING_VIEW}, {P.ACTION_EDIT, P.USER_MANAGE}),
        ("editor", {P.ACTION_EDIT, P.DASHBOARD_VIEW}, {P.ACTION_EDIT_ANY, P.DATA_DOWNLOAD}),
        ("admin", set(P), set()),
    ],
)
def test_role_grants_exactly_its_permissions(role, granted, refused):
    permissions = get_role(role).permissions
    assert granted <= permissions
    assert not (refused & permissions)


def test_unknown_role_lists_the_valid_ones():
    with pytest.raises(InputError, match="viewer, analyst, editor, admin"):
        get_role("superuser")


@pytest.mark.django_db
def test_permission_is_scoped_to_the_organisation():
    user = create_user("ed", STRONG, role="editor", organisation="Fire service")
    other = Organisation.objects.create(name="Housing trust")
    own = Organisation.objects.get(name="Fire service")
    assert has_permission(user, P.ACTION_EDIT, organisation=own)
    assert not has_permission(user, P.ACTION_EDIT, organisation=other)
    assert has_permission(user, P.ACTION_EDIT)  # in some organisation


@pytest.mark.django_db
def test_inactive_user_holds_nothing():
    user = create_user("gone", STRONG, role="admin", organisation="Council")
    user.is_active = False
    assert not has_permission(user, P.DASHBOARD_VIEW)


@pytest.mark.django_db
def test_create_user_is_audited_once():
    admin = create_user("boss", STRONG, role="admin", organisation="Council")
    user = create_user("viv", STRONG, role="viewer", organisation="Council", by=admin)
    events = AuditEvent.objects.filter(target_id=str(user.pk), verb="user.create")
    assert events.count() == 1
    event = events.get()
    assert event.actor == admin and event.actor_name == "boss"
    assert event.details == {"role": "viewer", "organisation": "Council"}
    assert not user.is_staff and admin.is_staff and admin.is_superuser


@pytest.mark.django_db
def test_create_user_refuses_a_duplicate_and_a_weak_password():
    create_user("viv", STRONG, role="viewer", organisation="Council")
    with pytest.raises(InputError, match="already exists"):
        create_user("viv", STRONG, role="viewer", organisation="Council")
    with pytest.raises(InputError, match="password refused"):
        create_user("new", "password", role="viewer", organisation="Council")
    assert not Membership.objects.filter(user__username="new").exists()


@pytest.mark.django_db
def test_replace_resets_password_and_role():
    create_user("viv", STRONG, role="viewer", organisation="Council")
    user = create_user("viv", STRONG + "x", role="analyst", organisation="Council", replace=True)
    assert user.check_password(STRONG + "x")
    assert Membership.objects.get(user=user).role == "analyst"


def _restore_environment(monkeypatch, workspace):
    """The command configures Django through the environment: undo that after the test."""
    monkeypatch.setenv("HEALTHGAP_WORKSPACE", str(workspace))
    monkeypatch.setenv("HEALTHGAP_INSECURE_COOKIES", "1")


@pytest.mark.django_db
def test_createuser_command_reads_the_password_from_stdin(web_workspace, monkeypatch):
    _restore_environment(monkeypatch, web_workspace)
    result = CliRunner().invoke(
        app,
        ["createuser", "cli-user", "--dir", str(web_workspace), "--role", "analyst",
         "--organisation", "Public health"],
        input=STRONG + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    membership = Membership.objects.get(user__username="cli-user")
    assert membership.role == "analyst" and membership.organisation.name == "Public health"
    assert membership.user.check_password(STRONG)


@pytest.mark.django_db
def test_createuser_command_refuses_an_unknown_role(web_workspace, monkeypatch):
    _restore_environment(monkeypatch, web_workspace)
    result = CliRunner().invoke(
        app, ["createuser", "x", "--dir", str(web_workspace), "--role", "root"], input=STRONG
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)


def test_admin_area_is_for_administrators_only(client_as):
    assert client_as("viewer").get("/admin/").status_code == 302  # to the admin login
    admin = client_as("admin").get("/admin/")
    assert admin.status_code == 200


def test_logout_needs_a_post_and_ends_the_session(client_as):
    client = client_as("viewer")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_page_is_public_and_wrong_password_fails(workspace_settings, user_with):
    user_with("viewer")
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "viewer", "password": "wrong"})
    assert response.status_code == 200
    assert "didn" in response.content.decode()
    assert client.get("/").status_code == 302


def test_forms_need_the_csrf_token(workspace_settings, user_with):
    user_with("viewer")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "viewer", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 403
