"""`healthgap import …` and `healthgap export`: aggregate data in and out of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthgap.cli._app import app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.disclosure import DisclosureRules
from healthgap.warehouse.export import export as export_values
from healthgap.warehouse.fingertips import import_fingertips
from healthgap.warehouse.tables import import_table
from healthgap.workspace import load_workspace

importer = typer.Typer(
    help="Load aggregate data into the workspace's warehouse.", no_args_is_help=True
)
app.add_typer(importer, name="import")


@importer.command("fingertips")
def fingertips(
    file: Annotated[Path, typer.Argument(help="A Fingertips data download (CSV).")],
    directory: WorkspaceDir = Path("."),
) -> None:
    """Load an OHID Fingertips download (26- or 27-column CSV) into the warehouse.

    Re-importing the same indicator and areas replaces them; a malformed file is
    rejected with its row and column, and nothing is written.
    """
    summary = import_fingertips(file, load_workspace(directory).warehouse())
    console.print(str(summary))


@importer.command("table")
def table(
    file: Annotated[Path, typer.Argument(help="Your aggregate table (.csv or .parquet).")],
    directory: WorkspaceDir = Path("."),
    indicator: Annotated[
        str | None, typer.Option(help="Indicator id, when the table has no indicator_id column.")
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(help="proportion or rate: compute values and limits from the counts."),
    ] = None,
    multiplier: Annotated[
        float | None, typer.Option(help="Per 100 (percent), 100,000 (rates)…")
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(help="A column holding a breakdown (repeat for a cross-breakdown)."),
    ] = None,
) -> None:
    """Load your own aggregate table (area, period, numerator, denominator …).

    The format is in docs/import-export.md; a malformed file is rejected with its row
    and column, and nothing is written.
    """
    summary = import_table(
        file,
        load_workspace(directory).warehouse(),
        indicator_id=indicator,
        method=method,  # type: ignore[arg-type]  # import_table validates it
        multiplier=multiplier,
        groups=tuple(group or ()),
    )
    console.print(str(summary))


@app.command()
def export(
    out: Annotated[
        Path, typer.Option(help="Output file: .csv (Fingertips layout), .parquet or .xlsx.")
    ],
    directory: WorkspaceDir = Path("."),
    source: Annotated[
        str | None, typer.Option(help="Only rows from this source: build, fingertips or table.")
    ] = None,
) -> None:
    """Write every value in the warehouse, with disclosure control applied.

    Small counts are suppressed ("*"), secondary suppression stops them being worked
    out from totals, other counts are rounded (rules in healthgap.toml [disclosure]).
    """
    workspace = load_workspace(directory)
    path = export_values(
        workspace.warehouse(),
        out,
        rules=DisclosureRules.from_mapping(workspace.disclosure),
        source=source,
        synthetic=workspace.synthetic,
    )
    console.print(f"Wrote [bold]{path}[/bold] (disclosure control applied)")
