"""`healthgap core20plus5` and `healthgap segments`: who the population is, and its needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich import box
from rich.table import Table

from healthgap._files import write_csv
from healthgap.cli._app import SYNTHETIC_BANNER, app, console, progress_bar, stop
from healthgap.cli._options import WorkspaceDir
from healthgap.disclosure import DisclosureRules, render
from healthgap.targeting._core20_tables import render_rates
from healthgap.targeting.core20plus5 import Core20Plus5Result
from healthgap.targeting.core20plus5 import core20plus5 as run_core20plus5
from healthgap.targeting.segments import SegmentResult, check_by
from healthgap.targeting.segments import segments as run_segments
from healthgap.workspace import load_workspace

_BY_LABELS = {"imd_decile": "IMD decile", "ethnicity": "ethnic group", "msoa": "MSOA"}
_PROTECTED = (
    "[dim]Counts rounded and small numbers suppressed (*) by the \\[disclosure] rules.[/dim]"
)


@app.command("core20plus5")
def core20plus5(
    directory: WorkspaceDir = Path("."),
    period: Annotated[
        str | None, typer.Option(help="Financial year, e.g. 2024/25 (default: the latest).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the rates to this CSV (and the populations beside it, "
                     "…-population.csv), disclosure control applied."),
    ] = None,
) -> None:  # fmt: skip
    """Core20PLUS5: the Core20 and PLUS populations and the five clinical areas.

    For each area the data support: the rate in the Core20 (national IMD 2025 deciles
    1-2) and the rest, in each PLUS group and everyone else, and in ethnic minority groups
    and White people; the gap with its 95% Newcombe interval; and whether the national
    ambition is met. Areas the data cannot support are listed with the reason. Methods:
    docs/targeting.md.
    """
    workspace = load_workspace(directory)
    bar, report = progress_bar("Measures")
    try:
        result = run_core20plus5(workspace, period=period, progress=report)
    finally:
        stop(bar)
    rules = DisclosureRules.from_mapping(workspace.disclosure)
    if workspace.synthetic:
        console.print(SYNTHETIC_BANNER)
    _print_population(result, rules)
    rates = result.protected(rules)
    _print_rates(render_rates(rates))
    console.print("\n[bold]Not supported by the data[/bold]")
    for item in result.unsupported:
        console.print(f"- {item}", markup=False, highlight=False)
    console.print(_PROTECTED)
    if out is not None:
        path = write_csv(render_rates(rates.round(3)), out)
        population = result.protected_population(rules).round({"share": 3})
        population = render(population, denominator="", values=["share"])
        side = write_csv(population, out.with_name(f"{out.stem}-population.csv"))
        console.print(f"Wrote [bold]{path}[/bold] and [bold]{side}[/bold] (disclosure control "
                      "applied)")  # fmt: skip


def _print_population(result: Core20Plus5Result, rules: DisclosureRules) -> None:
    shown = render(result.protected_population(rules), denominator="", values=["share"])
    console.print(
        f"\n[bold]{result.place}[/bold], {result.period}: people registered on "
        f"{_day(result.reference_date)} (persons.parquet). Census 2021: "
        f"{result.census_core20_share:.1f}% of residents live in Core20 neighbourhoods.\n"
    )
    table = Table(title="Core20 and PLUS populations", box=box.SIMPLE_HEAD)
    for name in ("Group", "People", "Share"):
        table.add_column(name, justify="left" if name == "Group" else "right")
    for row in shown.itertuples():
        table.add_row(str(row.group), _number(row.count), _percent(row.share))
    console.print(table)


def _print_rates(rates: pd.DataFrame) -> None:
    for measure, rows in rates.groupby("measure", sort=False):
        first = rows.iloc[0]
        ambition = "" if pd.isna(first["ambition"]) else f" — ambition {first['ambition']:g}%"
        title = f"{first['area_title']}: {first['measure_title']}, {first['period']}{ambition}"
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        for name in ("Group", "Eligible", "Rate % [95% CI]", "vs", "Rate %",
                     "Gap, points [95% CI]", "Met"):  # fmt: skip
            left = name in ("Group", "vs")
            table.add_column(name, justify="left" if left else "right", no_wrap=not left)
        for row in rows.itertuples():
            table.add_row(
                str(row.group),
                _number(row.denominator),
                _interval(row.rate, row.lower_ci, row.upper_ci),
                str(row.comparator),
                _percent(row.comparator_rate) if row.comparator else "",
                _interval(row.gap, row.gap_lower_ci, row.gap_upper_ci) if row.comparator else "",
                "" if pd.isna(row.met) else "yes" if row.met else "no",
            )
        console.print(table)
        if first["note"]:
            console.print(f"[dim]{measure}: {first['note']}[/dim]")


@app.command("segments")
def segments(
    directory: WorkspaceDir = Path("."),
    rules: Annotated[
        str, typer.Option(help="bridges (Bridges to Health, 8 segments) or need_tiers.")
    ] = "bridges",
    by: Annotated[
        str | None, typer.Option(help="Also show segments by imd_decile, ethnicity or msoa.")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="Financial year, e.g. 2024/25 (default: the latest).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write segment sizes (every breakdown, or --by's) to this CSV, "
                     "disclosure control applied."),
    ] = None,
) -> None:  # fmt: skip
    """Put every person in one segment and report the segments' sizes.

    bridges: Bridges to Health's eight segments (Lynn et al. 2007) approximated from age,
    long-term conditions, PLUS flags, emergency admissions and deaths in the year;
    need_tiers: universal, targeted or specialist from the number of long-term
    conditions, PLUS flags and emergency admissions. Rules: docs/targeting.md.
    """
    if by is not None:
        check_by(by)
    workspace = load_workspace(directory)
    with console.status("Segmenting the population…"):
        result = run_segments(workspace, rules=rules, period=period)
    disclosure = DisclosureRules.from_mapping(workspace.disclosure)
    table = result.protected(disclosure, by)  # validates --by
    if workspace.synthetic:
        console.print(SYNTHETIC_BANNER)
    _print_segments(result, table, by)
    if out is not None:
        path = write_csv(render(table.round({"share": 2}), denominator="", values=["share"]), out)
        console.print(f"Wrote [bold]{path}[/bold] (disclosure control applied)")


def _print_segments(result: SegmentResult, table: pd.DataFrame, by: str | None) -> None:
    console.print(
        f"\n[bold]{result.rules.name}[/bold] segments, {result.period}: everyone registered "
        f"at some time from {_day(result.start)} to {_day(result.end)} and alive at its "
        "start.\n"
    )
    shown = render(table, denominator="", values=["share"])
    total = shown[shown["breakdown_type"] == "total"]
    sizes = Table(title="Segment sizes", box=box.SIMPLE_HEAD, title_justify="left")
    for name in ("Segment", "People", "Share"):
        sizes.add_column(name, justify="left" if name == "Segment" else "right")
    for row in total.itertuples():
        sizes.add_row(str(row.segment_label), _number(row.count), _percent(row.share))
    console.print(sizes)
    if by is not None:
        labels = dict(result.rules.SEGMENTS)
        _print_crosstab(shown[shown["breakdown_type"] == by], by, labels)
    for note in result.notes:
        console.print(f"[dim]Note: {note}[/dim]")
    console.print(_PROTECTED)


def _print_crosstab(rows: pd.DataFrame, by: str, labels: dict[str, str]) -> None:
    keys = [k for k in dict.fromkeys(rows["segment"]) if k != "All"]
    heading = _BY_LABELS[by]
    grid = Table(title=f"Share of each {heading}'s people in each segment (%)",
                 box=box.SIMPLE_HEAD, title_justify="left", padding=(0, 1))  # fmt: skip
    grid.add_column(heading.capitalize() if heading.islower() else heading)
    for number in range(1, len(keys) + 1):
        grid.add_column(f"({number})", justify="right", no_wrap=True)
    grid.add_column("People", justify="right", no_wrap=True)
    for category, cells in rows.groupby("category", sort=False):
        name = cells["category_name"].iloc[0]
        shares = cells.set_index("segment")["share"]
        counts = cells.set_index("segment")["count"]
        row = [_share(shares.get(key)) for key in keys]
        grid.add_row(str(name or category), *row, _number(counts.get("All")))
    console.print(grid)
    legend = "; ".join(f"({n}) {labels[k]}" for n, k in enumerate(keys, start=1))
    console.print(f"[dim]{legend}[/dim]")


def _share(value: object) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None or pd.isna(value) else f"{float(value):.1f}"  # type: ignore[arg-type]


def _number(value: object) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None or pd.isna(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


def _percent(value: object) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None or pd.isna(value) else f"{float(value):.1f}%"  # type: ignore[arg-type]


def _interval(value: object, lower: object, upper: object) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.1f} [{float(lower):.1f}, {float(upper):.1f}]"  # type: ignore[arg-type]


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
