"""`healthgap plan export` and `healthgap plan import`, run in-process on the demo workspace."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.errors import InputError
from healthgap.web.plan.actions import create_action
from healthgap.web.plan.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(web_workspace, monkeypatch):
    """The command configures Django through the environment: undo that after the test."""
    monkeypatch.setenv("HEALTHGAP_WORKSPACE", str(web_workspace))
    monkeypatch.setenv("HEALTHGAP_INSECURE_COOKIES", "1")
    return web_workspace


@pytest.fixture
def actions(admin, partners):
    create_action({"title": "Walks", "lead": "Food Network", "groups": ["men"],
                   "indicator_ids": ["flu_65_plus"]}, by=admin)  # fmt: skip
    create_action({"title": "Visits", "lead": "Fire and Rescue"}, by=admin)


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_export_writes_every_action(workspace, actions, tmp_path):
    out = tmp_path / "plan.csv"
    result = _run("plan", "export", str(out), "--dir", str(workspace))
    assert result.exit_code == 0, result.output
    assert "Wrote 2 action(s)" in result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["title"] for r in rows] == ["Walks", "Visits"]


def test_export_then_import_round_trip_through_excel(workspace, actions, admin, tmp_path):
    out = tmp_path / "plan.xlsx"
    assert _run("plan", "export", str(out), "--dir", str(workspace)).exit_code == 0
    Action.objects.all().delete()
    result = _run("plan", "import", str(out), "--as", "boss", "--dir", str(workspace))
    assert result.exit_code == 0, result.output
    assert "plan.xlsx: 2 added, 0 changed, 0 unchanged" in result.output
    assert sorted(Action.objects.values_list("title", flat=True)) == ["Visits", "Walks"]


def test_import_checks_indicator_ids_against_the_catalogue(workspace, admin, partners, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("title,lead,indicator_ids\nRuns,Food Network,no_such_indicator\n")
    result = _run("plan", "import", str(path), "--as", "boss", "--dir", str(workspace))
    assert isinstance(result.exception, InputError)
    assert (
        "new.csv, row 2, column 'indicator_ids' (C): unknown indicator(s): no_such_indicator"
        in (str(result.exception))
    )
    assert not Action.objects.exists()


def test_import_needs_a_known_user(workspace, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("title,lead\nRuns,Food Network\n")
    result = _run("plan", "import", str(path), "--as", "nobody", "--dir", str(workspace))
    assert isinstance(result.exception, InputError)
    assert "no active user 'nobody'" in str(result.exception)
