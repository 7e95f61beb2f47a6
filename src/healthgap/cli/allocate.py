"""`healthgap allocate` (proportionate universalism) and `healthgap audit` (service equity)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from healthgap._files import write_csv
from healthgap.cli._app import SYNTHETIC_BANNER, app, console
from healthgap.cli._options import WorkspaceDir
from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError
from healthgap.targeting.allocation_places import Allocation, allocation_for
from healthgap.targeting.audit import OVER, UNDER
from healthgap.targeting.audit_data import Audit, audit_service
from healthgap.workspace import load_workspace

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(k|m|bn)?", re.IGNORECASE)
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_TITLES = {
    "imd_quintile": "IMD 2025 quintile (1 = most deprived)",
    "ethnicity": "Ethnic group",
    "sex": "Sex",
    "age_band": "Age band",
}
_LEVEL_NAMES = {
    "lsoa": "LSOAs",
    "msoa": "MSOAs",
    "locality": "localities",
    "practice": "GP practices",
}


def parse_budget(text: str) -> int:
    """``"1500000"``, ``"£1,500,000"``, ``"1.5m"``, ``"250k"`` → whole pounds.

    >>> parse_budget("£1.5m"), parse_budget("250k"), parse_budget("1,000,000")
    (1500000, 250000, 1000000)
    """
    cleaned = re.sub(r"[£,_\s]", "", str(text))
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InputError(f"budget {text!r} is not an amount of pounds, e.g. 1500000, 1.5m or 250k")
    value = float(match.group(1)) * _SCALE[(match.group(2) or "").lower()]
    if value != round(value):
        raise InputError(f"budget {text!r} must be a whole number of pounds")
    return round(value)


@app.command()
def allocate(
    budget: Annotated[str, typer.Argument(help="Pounds to share, e.g. 1500000, 1.5m or 250k.")],
    directory: WorkspaceDir = Path("."),
    level: Annotated[str, typer.Option(help="Areas: lsoa, msoa, locality or practice.")] = "lsoa",
    need: Annotated[
        str,
        typer.Option(help="imd, an indicator id, or weighted parts: imd:0.5,INDICATOR:0.5."),
    ] = "imd",
    floor: Annotated[
        float, typer.Option(min=0, max=1, help="Share given equally per head (0 to 1).")
    ] = 0.5,
    steepness: Annotated[
        float, typer.Option(min=0, help="Exponent of need: 0 ignores it, 2 is steeper.")
    ] = 1.0,
    combine: Annotated[
        str, typer.Option(help="How several parts of need combine: ratio, z or rank.")
    ] = "ratio",
    localities: Annotated[
        Path | None,
        typer.Option(help="CSV of lsoa_code (or msoa_code) and locality, for --level locality."),
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="The indicators' period (default: the latest).")
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Areas to list (most per head first).")] = 10,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the allocation table here (CSV) and the gradient beside it."),
    ] = None,
) -> None:
    """Share a budget by proportionate universalism: a floor per head plus a need-weighted part.

    Shows the amount per head by IMD decile against an equal split and allocation by
    need alone, the areas getting most per head, and writes the allocation table.
    """
    workspace = load_workspace(directory)
    with console.status("Sharing the budget…"):
        result = allocation_for(
            workspace,
            parse_budget(budget),
            level=level,
            need=need,
            floor=floor,
            steepness=steepness,
            combine=combine,  # type: ignore[arg-type]  # allocation_for validates it
            localities=localities,
            period=period,
        )
    rules = DisclosureRules.from_mapping(workspace.disclosure)
    if result.synthetic:
        console.print(SYNTHETIC_BANNER)
    _print_allocation(result, rules, top, workspace.place_name)
    if out is not None:
        gradient = out.with_name(f"{out.stem}-gradient{out.suffix or '.csv'}")
        for path in (
            write_csv(result.table(rules), out),
            write_csv(result.gradient_table(rules), gradient),
        ):
            console.print(f"Wrote [bold]{path}[/bold]")
    else:
        console.print("[dim]Add --out FILE.csv to write the allocation table.[/dim]")


def _print_allocation(result: Allocation, rules: DisclosureRules, top: int, place: str) -> None:
    areas = result.areas
    console.print(
        f"\nSharing [bold]£{result.budget:,}[/bold] across {len(areas)} "
        f"{_LEVEL_NAMES[result.level]} of {place or 'the place'}: "
        f"{result.floor:.0%} as an equal amount per head, {1 - result.floor:.0%} by need "
        f"(steepness {result.steepness:g})."
    )
    for text in result.needs:
        console.print(f"Need: {text}")
    console.print(f"People: {result.population_source}\n")
    gradient = result.gradient_table(rules)
    table = Table(title="Pounds per head by national IMD 2025 decile (1 = most deprived)")
    for column in ("Decile", "People", "Proportionate", "Equal per head", "Need only", ""):
        table.add_column(column, justify="left" if column == "" else "right", no_wrap=True)
    largest = float(result.gradient[["allocation", "need_only"]].max().max()) or 1.0
    for row in gradient.itertuples():
        bar = "█" * round(float(row.allocation) / largest * 12)
        people = row.population if isinstance(row.population, str) else f"{int(row.population):,}"
        table.add_row(
            str(row.imd_decile),
            people,
            f"£{row.allocation:,.2f}",
            f"£{row.equal_per_head:,.2f}",
            f"£{row.need_only:,.2f}",
            f"[red]{bar}[/red]" if int(row.imd_decile) <= 2 else bar,
        )
    console.print(table)
    console.print(_ratio_line(result.gradient))
    if top:
        listing = Table(title=f"Most per head: top {min(top, len(areas))} of {len(areas)}")
        for column in ("Area", "Name", "People", "Need", "Allocation", "Per head"):
            listing.add_column(column, justify="left" if column in ("Area", "Name") else "right")
        for row in result.table(rules).head(top).itertuples():
            listing.add_row(
                str(row.area_code),
                str(row.area_name),
                _number(row.population, 0),
                _number(row.need, 2),
                f"£{int(row.allocation):,}",
                "*" if isinstance(row.per_head, str) else f"£{float(row.per_head):,.2f}",
            )
        console.print(listing)
    for note in result.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")
    console.print(
        "[dim]Proportionate universalism (Marmot 2010). Sources: IoD 2025 (MHCLG); Census "
        "2021 (ONS). Allocations are whole pounds adding up to the budget.[/dim]"
    )


def _ratio_line(gradient: pd.DataFrame) -> str:
    ends = gradient.dropna(subset=["imd_decile"]).iloc[[0, -1]]
    first, last = ends.iloc[0], ends.iloc[-1]
    parts = []
    for column, name in (
        ("allocation", "proportionate"),
        ("equal_per_head", "equal split"),
        ("need_only", "need only"),
    ):
        ratio = first[column] / last[column] if last[column] > 0 else float("nan")
        parts.append(f"{name} {ratio:.2f}×")
    return (
        f"Per head in decile {int(first['imd_decile'])} over decile "
        f"{int(last['imd_decile'])}: " + ", ".join(parts) + "\n"
    )


def _number(value: object, digits: int) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


@app.command()
def audit(
    service: Annotated[
        Path, typer.Argument(help="The service's CSV: one row per person, or counts.")
    ],
    directory: WorkspaceDir = Path("."),
    out: Annotated[Path | None, typer.Option(help="Write the audit table here (CSV).")] = None,
) -> None:
    """Who a service (or workforce) reaches compared with the population it serves.

    By IMD quintile, ethnicity, sex and age band: each group's share of the service over
    its share of the population, with 95% limits and a verdict. SERVICE.csv is either
    person-level (lsoa_code, ethnicity, sex, age or birth_date) or aggregated
    (imd_quintile, ethnicity, sex, age_band and count); see docs/targeting.md.
    """
    workspace = load_workspace(directory)
    with console.status("Auditing the service…"):
        result = audit_service(workspace, service)
    rules = DisclosureRules.from_mapping(workspace.disclosure)
    if result.synthetic:
        console.print(SYNTHETIC_BANNER)
    published = result.published(rules)
    _print_audit(result, published, rules, service)
    if out is not None:
        console.print(
            f"Wrote [bold]{write_csv(published, out)}[/bold] (disclosure control applied)"
        )


def _print_audit(
    result: Audit, published: pd.DataFrame, rules: DisclosureRules, path: Path
) -> None:
    kind = "person-level" if result.person_level else "aggregated"
    console.print(
        f"\nEquity audit of [bold]{path.name}[/bold] ({kind}) against {result.population_source}."
    )
    colours = {UNDER: "red", OVER: "blue"}
    for dimension, rows in published.groupby("dimension", sort=False):  # a few dimensions
        table = Table(title=_TITLES.get(str(dimension), str(dimension)))
        for column in ("Group", "Service", "Share", "Pop. share", "Ratio (95% CI)", "Verdict"):
            table.add_column(
                column,
                justify="left" if column in ("Group", "Verdict") else "right",
                no_wrap=column in ("Ratio (95% CI)", "Verdict"),
            )
        for row in rows.itertuples():
            ratio = (
                "*"
                if isinstance(row.ratio, str)
                else (f"{row.ratio:.2f} ({row.lower_ci:.2f}–{row.upper_ci:.2f})")
            )
            verdict = str(row.verdict)
            colour = colours.get(verdict)
            table.add_row(
                str(row.category),
                _number(row.service_count, 0),
                _percent(row.service_share),
                _percent(row.population_share),
                ratio,
                f"[{colour}]{verdict}[/{colour}]" if colour else verdict,
            )
        console.print(table)
        unknown = result.unknown.get(str(dimension), 0)
        if unknown:
            console.print(
                f"[dim]{_rounded(unknown, rules)} service records with no {dimension} "
                "left out of this comparison.[/dim]"
            )
    if result.outside:
        console.print(
            f"[dim]{_rounded(result.outside, rules)} service records living outside "
            "the place left out.[/dim]"
        )
    for note in result.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")
    console.print(
        "[dim]Ratio = share of the service ÷ share of the population; limits: exact Poisson "
        "below 10, Byar's otherwise. * = suppressed (small numbers).[/dim]"
    )


def _percent(value: object) -> str:
    return value if isinstance(value, str) else f"{float(value):.1f}%"  # type: ignore[arg-type]


def _rounded(count: int, rules: DisclosureRules) -> str:
    """A count of people for display: 'fewer than N' when small, otherwise rounded."""
    if count <= rules.threshold:
        return f"Fewer than {rules.threshold + 1}"
    base = max(rules.rounding, 1)
    return f"About {int(count / base + 0.5) * base:,}"
