"""`healthgap plan export` and `healthgap plan import`: the action plan as a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import app, console, errors
from healthgap.cli._options import WorkspaceDir
from healthgap.errors import InputError

plan_app = typer.Typer(
    name="plan",
    help="Export the action plan to CSV or Excel, or import changes from one.",
    no_args_is_help=True,
)
app.add_typer(plan_app, name="plan")

File = Annotated[Path, typer.Argument(help="A .csv or .xlsx file.")]


def _open_web(directory: Path) -> None:
    from healthgap.web.server import configure, migrate

    configure(directory)
    migrate()


@plan_app.command("export")
def export(file: File, directory: WorkspaceDir = Path(".")) -> None:
    """Write every action of the plan to FILE (.xlsx: an Excel workbook; otherwise CSV).

    One row per action; lists are joined by "; ", organisations written by name,
    priorities and groups by key, localities by code (see docs/plan.md).
    """
    _open_web(directory)
    from healthgap.web.plan.transfer import export_plan

    count = export_plan(file)
    console.print(f"Wrote {count} action(s) to [bold]{file}[/bold]")


@plan_app.command("import")
def import_(
    file: File,
    username: Annotated[
        str, typer.Option("--as", help="The user making the changes (checked and audited).")
    ],
    directory: WorkspaceDir = Path("."),
) -> None:
    """Add and change actions from FILE (CSV or .xlsx), all or nothing.

    Rows without an id add actions; rows with an id and version change that action.
    Any problem (listed with its row and column) means nothing is saved; a row whose
    action someone changed since the export is reported and not applied (exit code 1).
    """
    _open_web(directory)
    from django.contrib.auth import get_user_model

    from healthgap.web.plan.transfer import import_plan
    from healthgap.workspace import load_workspace

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InputError(f"no active user {username!r}", column="--as")
    indicators = [indicator.id for indicator in load_workspace(directory).indicators]
    result = import_plan(file, by=user, indicators=indicators)
    console.print(result.summary())
    for note in result.notes:
        console.print(f"  {note}")
    if result.conflicts:
        for conflict in result.conflicts:
            errors.print(f"[yellow]Not applied:[/yellow] {conflict}")
        raise typer.Exit(1)
