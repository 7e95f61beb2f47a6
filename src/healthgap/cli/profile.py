"""`healthgap profile`: a place's deprivation profile from shipped public data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from healthgap._files import write_csv
from healthgap.cli._app import app, console
from healthgap.profile import DeprivationProfile, deprivation_profile


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
    """Deprivation profile of a place from IoD2025 and Census 2021.

    Residents by national IMD 2025 decile, the Core20 share and the most and least
    deprived neighbourhoods, as tables and CSV files.
    """
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
