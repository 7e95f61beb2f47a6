"""Fixtures for the web app's tests: a small demo workspace and clients logged in by role.

The workspace is built once per session (three tenths of Luton's synthetic population:
enough for life expectancy by decile) and the app pointed at it; each test gets a fresh
database (pytest-django).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from healthgap.demo_workspace import make_demo

PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session")
def web_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("web") / "luton"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        make_demo(root, place="Luton", scale=0.3)
    return root


@pytest.fixture
def workspace_settings(settings, web_workspace):
    settings.WORKSPACE = web_workspace
    return settings


@pytest.fixture
def user_with(db) -> Callable[..., object]:
    """Make a user with ``role`` in ``organisation`` (through the audited action)."""
    from healthgap.web.accounts.actions import create_user

    def make(role: str, *, username: str | None = None, organisation: str = "Luton") -> object:
        return create_user(username or role, PASSWORD, role=role, organisation=organisation)

    return make


@pytest.fixture
def client_as(workspace_settings, user_with) -> Callable[[str], Client]:
    """A test client logged in as a new user with ``role``."""

    def make(role: str) -> Client:
        client = Client()
        user_with(role)
        assert client.login(username=role, password=PASSWORD)
        return client

    return make
