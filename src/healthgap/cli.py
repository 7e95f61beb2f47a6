"""The ``healthgap`` command line.

Each command is a thin shell around a library function: parse options, call, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from healthgap import __version__
from healthgap._files import write_csv
from healthgap.demo import DEFAULT_PLACE, DEFAULT_SEED, SynthResult, synthesise
from healthgap.errors import InputError
from healthgap.profile import DeprivationProfile, deprivation_profile

app = typer.Typer(
    name="healthgap",
    help="Measure, target and act on health inequalities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


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


@app.command()
def profile(
    place: Annotated[
        str, typer.Argument(help="English local authority name or code, e.g. Luton or E06000032.")
    ] = "Luton",
    out: Annotated[
        Path,
        typer.Option(help="Folder for the CSV files (deciles and neighbourhoods)."),
    ] = Path("out"),
    top: Annotated[int, typer.Option(min=1, help="Neighbourhoods to list at each end.")] = 5,
) -> None:
    """Deprivation profile of a place: residents by national IMD 2025 decile, its Core20
    share and its most and least deprived neighbourhoods (IoD2025, Census 2021)."""
    result = deprivation_profile(place)
    _print_profile(result, top)
    stem = f"profile-{result.place.code}"
    written = [
        write_csv(result.deciles.round(3), out / f"{stem}-deciles.csv"),
        write_csv(result.neighbourhoods, out / f"{stem}-neighbourhoods.csv"),
    ]
    for path in written:
        console.print(f"Wrote [bold]{path}[/bold]")


def _print_profile(result: DeprivationProfile, top: int) -> None:
    console.print(
        f"\n[bold]{result.place.name}[/bold] ({result.place.code}) — "
        f"{result.population:,} residents in {len(result.neighbourhoods)} neighbourhoods (LSOAs)"
    )
    console.print(
        f"Core20: [bold]{result.core20_share:.1f}%[/bold] ({result.core20_population:,} people) "
        "live in England's most deprived 20% of neighbourhoods.\n"
    )
    table = Table(title="Residents by national IMD 2025 decile (1 = most deprived)")
    table.add_column("Decile", justify="right")
    table.add_column("Neighbourhoods", justify="right")
    table.add_column("Residents", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("England", justify="right")
    table.add_column("")
    for row in result.deciles.itertuples():
        bar = "█" * round(row.share / 2)
        table.add_row(
            str(row.imd_decile),
            str(row.neighbourhoods),
            f"{row.population:,}",
            f"{row.share:.1f}%",
            f"{row.england_share:.1f}%",
            f"[red]{bar}[/red]" if row.imd_decile <= 2 else bar,
        )
    console.print(table)
    areas = result.neighbourhoods
    for title, rows in (
        ("Most deprived neighbourhoods", areas.head(top)),
        ("Least deprived neighbourhoods", areas.tail(top).iloc[::-1]),
    ):
        listing = Table(title=title)
        for column in ("LSOA", "Name", "National rank", "Decile", "Residents"):
            listing.add_column(column, justify="left" if column in ("LSOA", "Name") else "right")
        for row in rows.itertuples():
            listing.add_row(
                row.lsoa_code,
                row.lsoa_name,
                f"{row.imd_rank:,}",
                str(row.imd_decile),
                f"{row.population:,}",
            )
        console.print(listing)
    console.print(
        "[dim]Sources: English Indices of Deprivation 2025 (MHCLG); Census 2021 usual "
        "residents (ONS). Open Government Licence v3.0.[/dim]"
    )


SYNTHETIC_BANNER = (
    "[bold black on yellow] SYNTHETIC [/] generated people on real neighbourhoods — "
    "not real patients"
)


@app.command()
def synth(
    place: Annotated[
        str, typer.Option(help="English local authority name or code, e.g. Leeds or E08000035.")
    ] = DEFAULT_PLACE,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives identical files.")] = (
        DEFAULT_SEED
    ),
    scale: Annotated[
        float, typer.Option(help="Multiply the Census 2021 population (e.g. 10 for a benchmark).")
    ] = 1.0,
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder. Default: synthetic/<place>, e.g. synthetic/luton."),
    ] = None,
) -> None:
    """Make a SYNTHETIC population for a place: persons.parquet, events.parquet and
    truth.json (built-in gradients and planted low-uptake neighbourhoods)."""
    console.print(SYNTHETIC_BANNER)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    bar = Progress(*columns, TimeElapsedColumn(), console=console)
    task = bar.add_task("People", total=None)

    def report(done: int, total: int) -> None:
        if not bar.live.is_started:  # the first report comes once the inputs are valid
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        result = synthesise(place, seed=seed, scale=scale, out=out, progress=report)
    finally:
        if bar.live.is_started:
            bar.stop()
    _print_synth(result)


def _print_synth(result: SynthResult) -> None:
    console.print(
        f"[bold]{result.place.name}[/bold] ({result.place.code}), seed {result.seed}, "
        f"scale {result.scale:g}: {result.persons:,} people, {result.events:,} events "
        f"({result.deaths:,} deaths) in {result.seconds:.1f} s"
    )
    console.print(
        f"Planted low flu-vaccination uptake in {len(result.planted)} "
        f"neighbourhood(s) ({', '.join(result.planted)}); see truth.json."
    )
    for path in result.files:
        console.print(f"Wrote [bold]{path}[/bold]")
    console.print(
        "[dim]Every file is marked synthetic (Parquet metadata healthgap.synthetic = true). "
        "Neighbourhoods and deprivation: IoD2025 and Census 2021 (OGL v3.0).[/dim]"
    )


def main() -> None:
    """Entry point: run the app, turning input errors into a one-line message."""
    try:
        app()
    except InputError as error:
        errors.print(f"[red]Error:[/red] {error}")
        raise SystemExit(2) from None
