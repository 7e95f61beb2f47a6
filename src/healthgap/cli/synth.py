"""`healthgap synth`: a synthetic population on a place's real neighbourhoods."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import SYNTHETIC_BANNER, app, console, progress_bar, stop
from healthgap.demo import DEFAULT_PLACE, DEFAULT_SEED, SynthResult, synthesise


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
    """Make a SYNTHETIC population living in a place's real neighbourhoods.

    Writes persons.parquet, events.parquet and truth.json (built-in gradients and
    planted low-uptake neighbourhoods); the same seed gives identical files.
    """
    console.print(SYNTHETIC_BANNER)
    bar, report = progress_bar("People")
    try:
        result = synthesise(place, seed=seed, scale=scale, out=out, progress=report)
    finally:
        stop(bar)
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
