"""Tables for templates: captioned, with numeric columns marked for alignment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from healthgap.web.templatetags.healthgap import count, number


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    css: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    format: Callable[[Any], str] = str
    numeric: bool = False


@dataclass
class Table:
    caption: str
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)


def table(caption: str, frame: pd.DataFrame, columns: Sequence[Column]) -> Table:
    """A :class:`Table` of ``frame``'s ``columns``, each cell formatted for reading."""
    rows = [
        [Cell(column.format(record.get(column.key)), column.numeric) for column in columns]
        for record in frame.to_dict("records")
    ]
    return Table(caption, columns, rows)


def value_column(label: str = "Value", places: int = 1) -> Column:
    return Column("value", label, lambda v: number(v, places), numeric=True)


def interval_columns(places: int = 1) -> list[Column]:
    return [
        Column("lower_ci_95", "Lower 95% limit", lambda v: number(v, places), numeric=True),
        Column("upper_ci_95", "Upper 95% limit", lambda v: number(v, places), numeric=True),
    ]


def count_columns() -> list[Column]:
    return [
        Column("count", "Count", count, numeric=True),
        Column("denominator", "Denominator", count, numeric=True),
    ]


def places_for(unit: str) -> int:
    """Decimal places a unit is shown with (one for %, rates and years; two otherwise)."""
    return 1 if unit in ("%", "per 100,000", "per 1,000", "years", "ratio") else 2
