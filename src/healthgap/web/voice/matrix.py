"""Themes by group and by locality: how many insights raise each theme, and where.

Counts are of insights recorded (things communities said), not of people, and the plan
and its insights are not person-level data: the tables are shown as counted. An insight
with several themes counts once under each; the row's total counts it once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count

from healthgap.web.plan.models import Locality, PopulationGroup
from healthgap.web.voice.models import Insight, Theme

#: How many of the largest counts are marked in each matrix (more when tied).
TOP = 5
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Cell:
    count: int
    top: bool  # among the matrix's largest counts


@dataclass(frozen=True)
class Row:
    label: str
    key: str  # the group's key or locality's code ("" for "Not recorded"), to filter by
    cells: list[Cell]
    total: int  # insights in the row, each once


@dataclass(frozen=True)
class Matrix:
    title: str
    parameter: str  # the insight list's filter for a row: "group" or "locality"
    caption: str
    row_heading: str
    themes: list[Theme]
    rows: list[Row]
    threshold: int  # the smallest count marked as among the largest (0: none marked)


def largest(counts: list[int], top: int = TOP) -> int:
    """The smallest count among the ``top`` largest non-zero counts (ties included), or 0.

    Examples
    --------
    >>> largest([9, 1, 4, 4, 0, 7, 2, 3], top=3)
    4
    >>> largest([0, 0])
    0
    """
    ranked = sorted((c for c in counts if c > 0), reverse=True)
    return ranked[min(top, len(ranked)) - 1] if ranked else 0


def theme_matrix(by: Literal["group", "locality"], *, top: int = TOP) -> Matrix:
    """Insights counted by theme (columns) and group or locality (rows).

    The ``top`` largest counts (with ties) are marked as among the largest.
    Every population group has a row; localities have one when some insight names them.
    Insights without a group (or locality) make a last row, "Not recorded", when any.
    """
    themes = list(Theme.objects.order_by("name"))
    key = f"insight__{by}_id"
    through = Insight.themes.through.objects.order_by()
    pairs = through.values(key, "theme_id").annotate(n=Count("pk"))
    counts = Counter({(p[key], p["theme_id"]): p["n"] for p in pairs})
    totals = {
        t[f"{by}_id"]: t["n"]
        for t in Insight.objects.order_by().values(f"{by}_id").annotate(n=Count("pk"))
    }
    labelled: list[tuple[int | None, str, str]]
    if by == "group":
        groups = PopulationGroup.objects.order_by("order", "name")
        labelled = [(g.pk, g.name, g.key) for g in groups]
        title, heading = "By community or group", "Community or group"
    else:
        named = Locality.objects.filter(pk__in=[k for k in totals if k is not None])
        labelled = [(loc.pk, loc.name, loc.code) for loc in named.order_by("name")]
        title, heading = "By locality", "Locality"
    if None in totals:
        labelled.append((None, NOT_RECORDED, ""))
    threshold = largest([counts[(row, t.pk)] for row, _, _ in labelled for t in themes], top)
    rows = [
        Row(
            label=label,
            key=row_key,
            cells=[
                Cell(n, threshold > 0 and n >= threshold)
                for n in (counts[(row, t.pk)] for t in themes)
            ],
            total=totals.get(row, 0),
        )
        for row, label, row_key in labelled
    ]
    caption = f"Insights by {heading.lower()} and theme"
    return Matrix(title, by, caption, heading, themes, rows, threshold)
