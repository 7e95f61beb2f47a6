"""`healthgap serve` and `healthgap createuser`: the web dashboard and its accounts."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.errors import InputError


@app.command()
def serve(
    directory: WorkspaceDir = Path("."),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the workspace's dashboard (log in at /accounts/login/).

    On 127.0.0.1 (the default) plain HTTP is fine; on any other address, put the app
    behind an HTTPS proxy: its cookies are then sent over HTTPS only.
    """
    serve_workspace(directory, host=host, port=port)


def serve_workspace(directory: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``directory``, first printing the address and any demo logins."""
    from healthgap.web.server import serve as run

    print_logins(Path(directory))
    console.print(
        f"Dashboard: [bold]http://{host}:{port}/[/bold] — log in at "
        f"http://{host}:{port}/accounts/login/ (Ctrl+C stops)"
    )
    run(directory, host=host, port=port)


def print_logins(directory: Path) -> None:
    """Print a demo workspace's logins (nothing for other workspaces)."""
    from healthgap.web.demo_users import read_demo_logins

    logins = read_demo_logins(directory)
    if logins:
        console.print("Demo logins (synthetic data only):")
        for user, role, password in logins:
            console.print(
                f"  {role:<8} username [bold]{user}[/bold]  password [bold]{password}[/bold]"
            )


@app.command()
def createuser(
    username: Annotated[str, typer.Argument(help="The new user's login name.")],
    directory: WorkspaceDir = Path("."),
    role: Annotated[
        str, typer.Option(help="viewer, analyst, editor (partner editor) or admin.")
    ] = "viewer",
    organisation: Annotated[
        str | None,
        typer.Option(help="The user's organisation (created if new; default: the place)."),
    ] = None,
) -> None:
    """Add a web-app user. The password is read from standard input.

    At a terminal it is asked for twice without echo; from a pipe the first line is
    the password (`echo "$PASSWORD" | healthgap createuser ana --role analyst`).
    """
    from healthgap.web.server import configure, migrate
    from healthgap.workspace import load_workspace

    configure(directory)
    migrate()
    from healthgap.web.accounts.actions import create_user

    password = _read_password()
    place = load_workspace(directory).place_name
    user = create_user(username, password, role=role, organisation=organisation or place)
    console.print(f"Created [bold]{user.username}[/bold] ({role}, {organisation or place})")


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise InputError("the passwords did not match")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("no password on standard input")
    return line
