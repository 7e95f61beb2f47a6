"""`healthgap token`: an API token for scripts (`Authorization: Bearer TOKEN`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from healthgap.cli._app import app, console, errors
from healthgap.cli._options import WorkspaceDir


@app.command("token")
def token_command(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    directory: WorkspaceDir = Path("."),
) -> None:
    """Make a new API token for USERNAME and print it (once: only a hash is kept).

    Scripts send it as `Authorization: Bearer TOKEN` to the JSON API under /api/ and may
    then do what USERNAME's role allows. The token goes to standard output on its own,
    so `TOKEN=$(healthgap token ana)` captures it. An administrator revokes tokens in the
    admin area (/admin/, API tokens).
    """
    from healthgap.web.server import configure, migrate

    configure(directory)
    migrate()
    from healthgap.web.tokens.actions import create_token

    row, token = create_token(username)
    errors.print(
        f"API token for [bold]{escape(row.user.username)}[/bold] — shown once, keep it secret "
        "(send it as `Authorization: Bearer TOKEN`):"
    )
    console.print(token, soft_wrap=True, highlight=False, markup=False)
