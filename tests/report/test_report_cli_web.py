"""`healthgap report` and the web app's "Download board report" button."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthgap.cli import app
from healthgap.report.output import write_atomic

# These need the session's demo workspace (about a minute to build).
pytestmark = pytest.mark.slow


def _restore_environment(monkeypatch, workspace):
    """The command configures Django through the environment: undo that after the test."""
    monkeypatch.setenv("HEALTHGAP_WORKSPACE", str(workspace))
    monkeypatch.setenv("HEALTHGAP_INSECURE_COOKIES", "1")


@pytest.mark.django_db
def test_the_command_writes_the_report_to_the_workspace_s_out_folder(report_workspace,
                                                                     monkeypatch):  # fmt: skip
    _restore_environment(monkeypatch, report_workspace)
    result = CliRunner().invoke(
        app, ["report", "--dir", str(report_workspace), "--period", "2025-26", "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    written = report_workspace / "out" / "board-report-2025-26.html"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Wrote" in result.output and "SYNTHETIC" in result.output
    assert not list(written.parent.glob(".*.tmp"))  # no temporary file left behind


@pytest.mark.django_db
def test_an_unknown_period_is_refused_listing_the_available(report_workspace, monkeypatch,
                                                           tmp_path):  # fmt: skip
    _restore_environment(monkeypatch, report_workspace)
    out = tmp_path / "r.html"
    arguments = ["--period", "2031-32", "--format", "html", "--out", str(out)]
    result = CliRunner().invoke(app, ["report", "--dir", str(report_workspace), *arguments])
    assert result.exit_code != 0
    assert "available: 2021-22" in str(result.exception)
    assert not out.exists()


def test_a_failed_write_keeps_the_previous_report(tmp_path, monkeypatch):
    target = tmp_path / "board-report-2025-26.pdf"
    target.write_bytes(b"the Board's last good report")

    def broken(source, destination):  # the disk fills up at the last step
        raise OSError("no space left on device")

    monkeypatch.setattr("healthgap.report.output.os.replace", broken)
    with pytest.raises(OSError, match="no space"):
        write_atomic(b"%PDF-new", target)
    assert target.read_bytes() == b"the Board's last good report"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_written_report_can_be_read_by_others(tmp_path):
    path = write_atomic(b"<!DOCTYPE html>", tmp_path / "out" / "r.html")
    assert path.stat().st_mode & 0o044  # not the temporary file's private 0600


def test_the_overview_has_the_download_button(client_as):
    page = client_as("viewer").get("/").content.decode()
    assert 'action="/report/"' in page and "Download board report" in page


def test_the_button_downloads_a_pdf_for_an_administrator(client_as, pdf_tools):
    response = client_as("admin").get("/report/", {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="board-report-2025-26.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_a_viewer_reads_an_earlier_year_as_html(client_as):
    response = client_as("viewer").get("/report/", {"format": "html", "period": "2024-25"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "health inequalities progress report, 2024-25" in body
    assert "<td>2024/25</td>" in body


def test_a_bad_period_or_format_is_explained(client_as):
    client = client_as("viewer")
    response = client.get("/report/", {"period": "2040-41", "format": "html"})
    assert response.status_code == 400 and b"available: 2021-22" in response.content
    assert client.get("/report/", {"format": "docx"}).status_code == 400


@pytest.mark.django_db
def test_the_report_needs_a_login(report_settings):
    from django.test import Client

    response = Client().get("/report/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_default_path_is_under_out(tmp_path):
    from healthgap.report import default_path

    assert default_path(tmp_path, "2025-26", "pdf") == Path(tmp_path, "out",
                                                            "board-report-2025-26.pdf")  # fmt: skip
