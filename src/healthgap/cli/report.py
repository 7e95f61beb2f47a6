"""`healthgap report`: the board report for a financial year, as PDF or HTML."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import SYNTHETIC_BANNER, app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.errors import InputError


@app.command()
def report(
    period: Annotated[
        str,
        typer.Option(help="The financial year, e.g. 2025-26 (April 2025 to March 2026)."),
    ],
    directory: WorkspaceDir = Path("."),
    format_: Annotated[
        str, typer.Option("--format", help="pdf (A4, for the Board) or html (one file).")
    ] = "pdf",
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write it (default: <dir>/out/board-report-PERIOD.pdf)."),
    ] = None,
) -> None:
    """Write the Health and Wellbeing Board's report for one financial year.

    Headline outcomes, indicators by Marmot principle, the largest gaps by group,
    targeting, the action plan and community voice (from the web app's database), and
    a methods annex; every figure disclosure-controlled. See docs/report.md.
    """
    from healthgap.report.output import FORMATS
    from healthgap.report.period import parse_period

    parse_period(period)  # a mistyped year fails now, not after reading the warehouse
    fmt = format_.lower()
    if fmt not in FORMATS:
        raise InputError(
            f"unknown format {format_!r}; formats: {', '.join(FORMATS)}", column="--format"
        )
    from healthgap.web.server import configure, migrate

    started = time.perf_counter()
    console.print(f"Reading the workspace in [bold]{directory}[/bold]")
    configure(directory)  # the plan and community voice live in the web app's database
    migrate()
    from healthgap.report import default_path, gather, render, write_atomic
    from healthgap.web.dashboard.snapshot import _load
    from healthgap.workspace import load_workspace

    workspace = load_workspace(directory)
    snapshot = _load(workspace)  # disclosure control applied to every value
    if snapshot.synthetic:
        console.print(SYNTHETIC_BANNER)
    console.print(f"Gathering the {period} report for [bold]{workspace.place_name}[/bold]")
    gathered = gather(snapshot, period)
    console.print(f"Rendering {fmt.upper()}")
    data = render(gathered, fmt)
    target = out if out is not None else default_path(workspace.root, gathered.year.label, fmt)
    write_atomic(data, Path(target))
    seconds = time.perf_counter() - started
    console.print(f"Wrote [bold]{target}[/bold] ({len(data) / 1024:,.0f} KB, {seconds:.1f} s)")
