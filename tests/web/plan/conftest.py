"""Fixtures for the plan's analyses, import/export and demo: a few partners and places."""

from __future__ import annotations

import pytest

from healthgap.demo_workspace import catalogue_path
from healthgap.indicators.catalogue import load_catalogue

PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session")
def catalogue():
    """The packaged demo catalogue's indicators (no warehouse needed)."""
    return load_catalogue(catalogue_path())


@pytest.fixture
def admin(db):
    from healthgap.web.accounts.actions import create_user

    return create_user("boss", PASSWORD, role="admin", organisation="Place")


@pytest.fixture
def places(db):
    """Two neighbourhoods: code → Locality."""
    from healthgap.web.plan.models import Locality

    return {
        code: Locality.objects.create(code=code, name=name)
        for code, name in [("E02000001", "Northside"), ("E02000002", "Southside")]
    }


@pytest.fixture
def partners(db):
    """Three organisations: name → Organisation."""
    from healthgap.web.accounts.models import Organisation

    names = [("Fire and Rescue", "fire"), ("Food Network", "vcse"), ("Hospital Trust", "nhs_trust")]
    return {name: Organisation.objects.create(name=name, sector=sector) for name, sector in names}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests make many users: hash their passwords quickly (never in the app itself)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
