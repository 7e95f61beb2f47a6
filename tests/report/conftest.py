"""Fixtures for the board report's tests: a small demo workspace with a seeded plan,
and its report rendered once (HTML and PDF) for the whole session.

The demo is three tenths of Luton's synthetic population (as the web tests use). The
plan is seeded into the test database inside a transaction that is rolled back once the
report has been made, so no other test sees it; what the tests need from the database
(status counts) is read inside the same transaction.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from healthgap.demo_workspace import make_demo

PASSWORD = "a-long-test-password-1"
#: The plan is seeded and the report made as on this day (due dates fall around it).
TODAY = date(2026, 6, 30)
PERIOD = "2025-26"


@dataclass(frozen=True)
class Rendered:
    report: object  # healthgap.report.Report
    snapshot: object  # the protected snapshot, not cut to the year
    html: str
    pdf: bytes
    statuses: dict[str, int]  # the database's count of actions in each status
    actions: int


@pytest.fixture(scope="session")
def report_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report") / "luton"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        make_demo(root, place="Luton", scale=0.3)
    return root


@pytest.fixture(scope="session")
def pdf_tools() -> None:
    """Fail, with the fix, when the PDF's system libraries or poppler-utils are missing."""
    missing = [tool for tool in ("pdftoppm", "pdfinfo", "pdftotext") if not shutil.which(tool)]
    try:
        import weasyprint  # noqa: F401  (loads Pango)
    except (ImportError, OSError) as error:
        missing.append(f"WeasyPrint's libraries ({error})")
    if missing:
        pytest.fail(
            f"the board report's PDF tests need {', '.join(missing)}: run scripts/setup-pdf "
            "(make test runs it)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def rendered(report_workspace, pdf_tools, django_db_setup, django_db_blocker) -> Rendered:
    from django.db import transaction

    from healthgap.report import gather, render_html, render_pdf
    from healthgap.web.dashboard.snapshot import _load
    from healthgap.web.plan.demo import seed_demo_plan
    from healthgap.web.plan.models import Action
    from healthgap.workspace import load_workspace

    workspace = load_workspace(report_workspace)
    snapshot = _load(workspace)
    baselines = {}
    for indicator in workspace.indicators:
        values = snapshot.totals(indicator.id)["value"].dropna()
        if len(values):
            baselines[indicator.id] = float(values.iloc[max(0, len(values) - 3)])
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo_plan(
            place_name=workspace.place_name,
            area_codes=workspace.area_codes,
            indicators=workspace.indicators,
            today=TODAY,
            baselines=baselines,
        )
        report = gather(snapshot, PERIOD, today=TODAY)
        statuses = {
            status: Action.objects.filter(status=status).count()
            for status in Action.objects.values_list("status", flat=True).distinct()
        }
        actions = Action.objects.count()
        transaction.set_rollback(True)
    html = render_html(report)
    return Rendered(report, snapshot, html, render_pdf(html), statuses, actions)


@pytest.fixture
def report_settings(settings, report_workspace):
    settings.WORKSPACE = report_workspace
    return settings


@pytest.fixture
def client_as(report_settings, db) -> Callable[[str], object]:
    """A test client logged in as a new user with ``role``."""
    from django.test import Client

    from healthgap.web.accounts.actions import create_user

    def make(role: str) -> Client:
        create_user(role, PASSWORD, role=role, organisation="Luton")
        client = Client()
        assert client.login(username=role, password=PASSWORD)
        return client

    return make
