"""The Typer application and consoles shared by every command module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from healthgap._version import __version__

app = typer.Typer(
    name="healthgap",
    help="Measure, target and act on health inequalities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

SYNTHETIC_BANNER = (
    "[bold black on yellow] SYNTHETIC [/] generated people on real neighbourhoods — "
    "not real patients"
)


def _version(value: bool) -> None:
    if value:
        console.print(f"healthgap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Measure, target and act on health inequalities."""


def progress_bar(description: str) -> tuple[Progress, Callable[[int, int], None]]:
    """A Rich progress bar that starts at the first report, and its report callback."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    bar = Progress(*columns, TimeElapsedColumn(), console=console)
    task = bar.add_task(description, total=None)

    def report(done: int, total: int) -> None:
        if not bar.live.is_started:  # the first report comes once the inputs are valid
            bar.start()
        bar.update(task, completed=done, total=total)

    return bar, report


def stop(bar: Progress) -> None:
    if bar.live.is_started:
        bar.stop()
