"""Maps for the map page: small areas of the place, and England's local authorities.

Small areas are drawn from the packaged LSOA/MSOA outlines (ONS, 2021); areas without
outlines (GP practices) fall back to the ordered tile view. Colours are by value (five
quantile classes) or by significance against the place (Fingertips' colours). England's
map shows each authority's share of residents in the most deprived 20% of
neighbourhoods (IMD 2025, Census 2021), computed from the packaged reference data.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from healthgap.charts._palette import (
    COMPARISON_COLOURS,
    COMPARISON_LEGEND,
    NO_JUDGEMENT_LEGEND,
    OUTCOME_GROUPS,
)
from healthgap.charts.svg_map import choropleth_svg, tile_map_svg
from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.reference.boundaries import boundaries_for, boundary_codes, lad_boundaries
from healthgap.reference.lsoa import lsoas
from healthgap.web.dashboard.tables import places_for

COLOUR_BY = {"significance": "Significance against the place", "value": "Value"}


def _value(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def area_map(indicator: Indicator, rows: pd.DataFrame, area_type: str, colour_by: str) -> str:
    """SVG of ``rows`` (one per area) coloured by value or by significance."""
    places = places_for(indicator.unit)
    values = {r.area_code: _value(r.value) for r in rows.itertuples()}
    names = {r.area_code: r.area_name if isinstance(r.area_name, str) else r.area_code
             for r in rows.itertuples()}  # fmt: skip
    colours = legend = labels = None
    if colour_by == "significance":
        outcomes = {
            r.area_code: OUTCOME_GROUPS.get(r.comparison, "Not compared")
            if isinstance(r.comparison, str) else "Not compared"
            for r in rows.itertuples()
        }  # fmt: skip
        colours = {c: COMPARISON_COLOURS[o] for c, o in outcomes.items() if values[c] is not None}
        legend = NO_JUDGEMENT_LEGEND if indicator.polarity == "no judgement" else COMPARISON_LEGEND
        labels = {
            c: f"{values[c]:,.{places}f} {indicator.unit} ({outcomes[c].lower()})" for c in colours
        }
    title = f"{indicator.title} by {area_type.upper()}"
    common: dict[str, Any] = {
        "title": title,
        "colours": colours,
        "legend": legend,
        "labels": labels,
        "legend_title": indicator.unit,
        "format_value": lambda v: f"{v:,.{places}f}",
    }
    outlined = boundary_codes(area_type) if area_type in ("lsoa", "msoa") else frozenset()
    codes = [c for c in values if c in outlined]
    if codes and len(codes) == len(values):
        return choropleth_svg(boundaries_for(area_type, codes), values, **common)
    rank = {c: -(v if v is not None else -math.inf) for c, v in values.items()}
    return tile_map_svg(
        names, values, rank=rank, order_note="Ordered by value, highest first.", **common
    )


def england_map(place_codes: tuple[str, ...]) -> tuple[str, pd.DataFrame]:
    """England's authorities by share of residents in Core20 neighbourhoods, and its table."""
    table = lsoas()
    table["core20_people"] = table["population"].where(table["imd_decile"] <= 2, 0)
    by_la = table.groupby(["lad_code", "lad_name"], as_index=False)[
        ["core20_people", "population"]
    ].sum()
    by_la["share"] = 100 * by_la["core20_people"] / by_la["population"]
    features = lad_boundaries()
    known = {f["properties"]["code"] for f in features["features"]}
    shown = by_la[by_la["lad_code"].isin(known)]
    svg = choropleth_svg(
        features,
        dict(zip(shown["lad_code"], shown["share"], strict=True)),
        title="Share of residents living in England's most deprived 20% of neighbourhoods",
        legend_title="% of residents",
        labels={
            code: f"{share:.0f}% of residents in Core20 neighbourhoods"
            + (" — this place" if code in place_codes else "")
            for code, share in zip(shown["lad_code"], shown["share"], strict=True)
        },
        width=560,
        height=640,
    )
    if shown.empty:
        raise InputError("no local-authority outlines to draw")
    return svg, by_la.sort_values("share", ascending=False)
