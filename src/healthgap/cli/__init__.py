"""The ``healthgap`` command line.

Each command is a thin shell around a library function: parse options, call, render.
Commands live in one module per concern; importing them registers them on ``app``.
"""

from __future__ import annotations

from healthgap.cli import (  # noqa: F401  (importing a module registers its commands)
    allocate,
    build,
    data,
    plan,
    populations,
    profile,
    report,
    synth,
    target,
    token,
    web,
    workspace,
)
from healthgap.cli._app import app, console, errors
from healthgap.errors import InputError

__all__ = ["app", "console", "main"]


def main() -> None:
    """Entry point: run the app, turning input errors into a one-line message."""
    try:
        app()
    except InputError as error:
        errors.print(f"[red]Error:[/red] {error}")
        raise SystemExit(2) from None
