"""`healthgap init`: start a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import app, console
from healthgap.workspace import init_workspace


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace.")],
    place: Annotated[
        str | None,
        typer.Option(help="Local authority name or code the workspace covers, e.g. Luton."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing healthgap.toml.")
    ] = False,
) -> None:
    """Start a workspace: healthgap.toml and an empty warehouse.

    Edit healthgap.toml to point at your persons and events files and to declare your
    indicators (see docs/indicators.md), then run `healthgap build`.
    """
    workspace = init_workspace(directory, place=place, force=force)
    console.print(f"Created workspace [bold]{workspace.root}[/bold]")
    console.print(f"  settings:  {workspace.settings_path}")
    console.print(f"  warehouse: {workspace.warehouse_path}")
    console.print(f"Next: edit healthgap.toml, then run `healthgap build --dir {directory}`.")
