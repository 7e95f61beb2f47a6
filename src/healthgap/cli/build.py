"""`healthgap build` and `healthgap demo`: evaluate the indicators into the warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from healthgap.build import BuildSummary, run_build
from healthgap.cli._app import SYNTHETIC_BANNER, app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.cli.web import print_logins, serve_workspace
from healthgap.demo import DEFAULT_PLACE, DEFAULT_SEED
from healthgap.demo_workspace import make_demo

Engine = Annotated[str, typer.Option(help="Query engine: duckdb (embedded) or spark.")]


def _labelled_bar() -> tuple[Progress, Callable[[int, int, str], None]]:
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn())
    bar = Progress(*columns, TimeElapsedColumn(), console=console)
    task = bar.add_task("Indicators", total=None)

    def report(done: int, total: int, label: str) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total, description=label[:40])

    return bar, report


def _print_build(summary: BuildSummary) -> None:
    if summary.synthetic:
        console.print(SYNTHETIC_BANNER)
    first, last = summary.window
    console.print(
        f"Built {len(summary.indicators)} indicator(s): {summary.rows:,} values and "
        f"{summary.measures:,} inequality measures from data {first} to {last} "
        f"in {summary.seconds:.1f} s"
    )
    console.print(f"Warehouse [bold]{summary.warehouse}[/bold] (build {summary.build_id})")


@app.command()
def build(
    directory: WorkspaceDir = Path("."),
    only: Annotated[str | None, typer.Option(help="Build just this indicator id.")] = None,
    engine: Engine = "duckdb",
) -> None:
    """Evaluate every indicator × breakdown × period into the warehouse.

    Reads the person-level files in place, writes values with 95% and 99.8% limits,
    comparisons, trends and inequality measures. A failed build leaves the previous
    warehouse unchanged.
    """
    bar, report = _labelled_bar()
    try:
        summary = run_build(directory, only=only, engine=engine, progress=report)
    finally:
        if bar.live.is_started:
            bar.stop()
    _print_build(summary)


@app.command()
def demo(
    place: Annotated[
        str, typer.Option(help="English local authority name or code.")
    ] = DEFAULT_PLACE,
    directory: Annotated[Path, typer.Option("--dir", help="Folder for the demo workspace.")] = Path(
        "demo"
    ),
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic population.")] = (
        DEFAULT_SEED
    ),
    scale: Annotated[float, typer.Option(help="Multiply the Census 2021 population.")] = 1.0,
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Serve the dashboard at the end."),
    ] = True,
) -> None:
    """Make a SYNTHETIC demo place end to end: population, workspace, indicators, build.

    The workspace uses the packaged demo catalogue of 24 indicators.
    """
    console.print(SYNTHETIC_BANNER)
    bar, report = _labelled_bar()
    try:
        summary = make_demo(
            directory,
            place=place,
            seed=seed,
            scale=scale,
            progress=lambda step, done, total: report(done, total, step),
        )
    finally:
        if bar.live.is_started:
            bar.stop()
    console.print(
        f"[bold]{summary.synth.place.name}[/bold]: {summary.synth.persons:,} synthetic people, "
        f"{summary.synth.events:,} events"
    )
    _print_build(summary.build)
    console.print(f"Workspace [bold]{summary.root}[/bold]: try `healthgap target` or `export`.")
    from healthgap.web.demo_users import create_demo_users
    from healthgap.web.server import configure, migrate

    configure(summary.root)
    migrate()
    create_demo_users(Path(summary.root), summary.synth.place.name)
    from healthgap.web.plan.demo import seed_workspace

    console.print(seed_workspace(summary.root, seed=seed).summary())
    if serve:
        serve_workspace(summary.root)
    else:
        print_logins(Path(summary.root))
        console.print(f"Start the dashboard with `healthgap serve --dir {summary.root}`.")
