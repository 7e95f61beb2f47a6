"""`healthgap target`: communities with the greatest potential to benefit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.table import Table

from healthgap._files import write_csv
from healthgap.cli._app import SYNTHETIC_BANNER, app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.targeting.communities import communities_for
from healthgap.targeting.community_csv import publishable
from healthgap.workspace import load_workspace


@app.command()
def target(
    indicator_id: Annotated[
        str,
        typer.Argument(help="A proportion or rate indicator of the workspace, e.g. flu_65_plus."),
    ],
    directory: WorkspaceDir = Path("."),
    by: Annotated[
        str,
        typer.Option(
            help="lsoa, msoa, practice, or another breakdown, e.g. ethnicity*imd_quintile."
        ),
    ] = "lsoa",
    out: Annotated[
        Path | None,
        typer.Option(help="Write every community to this CSV (disclosure control applied)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Communities to show.")] = 10,
    benchmark: Annotated[
        str,
        typer.Option(
            help="target, best_quintile (the place's best IMD quintile), pooled, or a number: "
            "a proportion (0.8) or percentage (80%) for proportions, a rate for rates."
        ),
    ] = "best_quintile",
    period: Annotated[
        str | None, typer.Option(help="Period, e.g. 2025-26 (default: the latest).")
    ] = None,
    polarity: Annotated[
        str | None,
        typer.Option(help="higher-is-better or lower-is-better (default: the indicator's)."),
    ] = None,
) -> None:
    """Rank communities by the people a prevention service has not reached.

    Against the benchmark, each community's shortfall is worked out from its uptake after
    empirical-Bayes shrinkage (small areas are noisy) and flagged where it is
    significantly below the benchmark (funnel limits, 95% and 99.8%). Ranking uses the
    raw counts; the table and the CSV are then rounded and small numbers suppressed
    (the disclosure rules of healthgap.toml). Methods: docs/targeting.md.
    """
    workspace = load_workspace(directory)
    with console.status("Ranking communities…"):
        result = communities_for(workspace, indicator_id, by=by, period=period,
                                 benchmark=benchmark, polarity=polarity)  # fmt: skip
    if result.empty:
        raise InputError(f"no {by!r} communities with eligible people in {result.attrs['period']}")
    published = publishable(result, DisclosureRules.from_mapping(workspace.disclosure))
    if workspace.synthetic:
        console.print(SYNTHETIC_BANNER)
    _print(result.attrs, published, top)
    if out is not None:
        path = write_csv(published, out)
        console.print(
            f"Wrote [bold]{path}[/bold] ({len(result)} communities; disclosure control applied)"
        )


def _print(attrs: dict[str, Any], result: pd.DataFrame, top: int) -> None:
    """The top communities, as published (rounded, small numbers hidden)."""
    higher = attrs["polarity"] == "higher-is-better"
    gap, flag = ("not_reached", "below") if higher else ("excess", "above")
    unit = "%" if attrs["unit"] == "%" else ""
    console.print(
        f"\n[bold]{attrs['indicator_title']}[/bold] ({attrs['unit']}) — {attrs['period']}, "
        f"by {attrs['by']} "
        f"({len(result)} communities)\nBenchmark: {attrs['benchmark_label']}. "
        f"Ranked by {'people not reached' if higher else 'events above the benchmark'} "
        "after shrinkage.\n"
    )
    table = Table(
        title=f"Top {min(top, len(result))} communities by potential to benefit",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    shown = result.head(top)
    label = "category" if "category" in shown else "area_name"
    rate = attrs["kind"] == "rate"
    number, decimal = _format("{:,.0f}"), _format("{:.1f}")
    columns = {
        "#": shown["rank"].astype(str),
        "Area": shown["area_code"].astype(str),
        "Name": shown[label].astype(str),
        "Person\nyears" if rate else "Eligible": shown["eligible"].map(number),
        "Events" if rate else "Reached": shown["reached"].map(number),
        "Rate" if rate else f"Uptake\n{unit}": shown["uptake"].map(number if rate else decimal),
        f"Shrunk\n{unit}": shown["uptake_shrunk"].map(number if rate else decimal),
        "Excess" if not higher else "Not\nreached": shown[f"{gap}_shrunk"].map(number),
        "": shown.apply(lambda r: _marks(r, flag, higher), axis=1),
    }
    if label == "category" or (shown["area_name"] == shown["area_code"]).all():
        del columns["Area" if label == "category" else "Name"]
    if "imd_decile" in shown:
        columns["IMD"] = shown["imd_decile"].map(_whole)
    elif "core20_share" in shown:
        columns["Core20\n%"] = shown["core20_share"].map(_whole)
    for name in columns:
        left = name in ("Area", "Name", "")
        table.add_column(
            name,
            justify="left" if left else "right",
            no_wrap=name == "Area" or (left and label == "area_name"),
        )
    for cells in zip(*columns.values(), strict=True):
        table.add_row(*cells)
    console.print(table)
    arrow = "▼" if higher else "▲"
    gap_text = "eligible people short of" if higher else "events above"
    side = "below" if higher else "above"
    imd = " IMD: national IMD 2025 decile (1 = most deprived)." if "imd_decile" in shown else ""
    console.print(
        f"[dim]{'Not reached' if higher else 'Excess'}: {gap_text} the benchmark at the shrunk "
        f"uptake, the ranking (the CSV also has the unshrunk figure). {arrow} significantly "
        f"{side} the benchmark at 95%, {arrow * 2} at 99.8% (funnel limits). Shrunk: "
        f"empirical-Bayes estimate.{imd} Ranked on the raw counts; counts then rounded and "
        "small numbers hidden (*), as in the CSV.[/dim]"
    )


def _format(spec: str) -> Callable[[object], str]:
    """Format a published number; a hidden one ("*") stays as it is."""

    def show(value: object) -> str:
        return value if isinstance(value, str) else spec.format(value)

    return show


def _marks(row: pd.Series, flag: str, higher: bool) -> str:
    arrow = "▼" if higher else "▲"
    if isinstance(row[f"{flag}_95"], str):
        return ""  # hidden
    return arrow * 2 if row[f"{flag}_99_8"] else arrow if row[f"{flag}_95"] else ""


def _whole(value: object) -> str:
    return "" if pd.isna(value) else f"{float(value):.0f}"  # type: ignore[arg-type]
