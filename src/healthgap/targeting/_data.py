"""The person-level records of a workspace, and the financial year a targeting analysis
looks at.

Shared by :mod:`~healthgap.targeting.core20plus5` (population counts) and
:mod:`~healthgap.targeting.segments`. A small query module of its own: it follows the
indicator engine's rules (docs/engine.md) — the LSOA gives the MSOA and the national IMD
2025 decile, age is in completed years by the birthday rule, a person is in the
population on a day when registered on it (``registered_from`` on or before it,
``registered_to`` missing or on or after it) and not dead on or before it — but depends
only on the documented columns of persons.parquet and events.parquet
(docs/synthetic-data.md), read in place by the backend; only counts come back to Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.engine import data_window as data_window  # one rule, shared
from healthgap.indicators.periods import period_table
from healthgap.reference.lsoa import lsoas
from healthgap.workspace import Workspace

DEATH = "death"
PERSON_COLUMNS = ("person_id", "sex", "birth_date", "lsoa_code")
EVENT_COLUMNS = ("person_id", "date", "concept")
_YEAR = re.compile(r"\s*(\d{4})\s*[/-]\s*(\d{2})\s*")


@cache
def reference() -> tuple[pd.DataFrame, dict[str, str]]:
    """Each LSOA's MSOA and IMD 2025 decile; and MSOA names by code."""
    table = lsoas()
    ref = pd.DataFrame(
        {
            "ref_lsoa": table["lsoa_code"].astype(object),
            "msoa_code": table["msoa_code"].astype(object),
            "imd_decile": table["imd_decile"].astype("int64"),
        }
    )
    names = dict(zip(table["msoa_code"].astype(object), table["msoa_name"].astype(object),
                     strict=True))  # fmt: skip
    return ref, names


class Records:
    """A workspace's persons and events on one backend.

    ``base`` has one row per person: the persons file's columns, ``msoa_code`` and
    ``imd_decile`` (missing for an LSOA not in England's 2021 LSOAs), ``birth_year`` and
    ``birth_md`` (month × 100 + day), and the first date of death and of each concept in
    ``concepts`` (column names in ``first``).
    """

    def __init__(
        self, con: ibis.BaseBackend, persons: Path, events: Path, concepts: Sequence[str] = ()
    ) -> None:
        self.persons = _read(con, persons, PERSON_COLUMNS)
        self.events = _read(con, events, EVENT_COLUMNS)
        self.person_columns = frozenset(self.persons.columns)
        self.first = {c: f"first_{i}" for i, c in enumerate(dict.fromkeys([DEATH, *concepts]))}
        e = self.events
        firsts = (
            e.filter(e.concept.isin(list(self.first)))
            .group_by(f_person=e.person_id)
            .agg(**{name: e.date.min(where=e.concept == c) for c, name in self.first.items()})
        )
        ref = ibis.memtable(reference()[0])
        p = self.persons
        p = p.mutate(
            birth_year=p.birth_date.year().cast("int64"),
            birth_md=(p.birth_date.month() * 100 + p.birth_date.day()).cast("int64"),
        )
        t = p.left_join(ref, p.lsoa_code == ref.ref_lsoa).drop("ref_lsoa")
        self.base = t.left_join(firsts, t.person_id == firsts.f_person).drop("f_person")

    def concepts(self) -> set[str]:
        """The distinct concepts of the events."""
        e = self.events
        return set(e.select("concept").distinct().to_pandas()["concept"].astype(str))


def open_records(
    workspace: Workspace, con: ibis.BaseBackend, concepts: Sequence[str] = ()
) -> Records:
    """The workspace's persons and events on ``con``, with first dates of ``concepts``."""
    return Records(con, workspace.persons, workspace.events, concepts)


def _read(con: ibis.BaseBackend, path: Path, required: Sequence[str]) -> ir.Table:
    if not Path(path).is_file():
        raise InputError(f"no file {path}: check [data] in healthgap.toml")
    table = con.read_parquet(str(path))
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(f"{path} has no column {', '.join(map(repr, missing))}")
    return table


@dataclass(frozen=True)
class Year:
    """A financial year: its label (``"2024/25"``), first and last day."""

    label: str
    start: date
    end: date

    @property
    def season(self) -> str:
        """The flu season ending in the year's last March (``"2024-25"``)."""
        return self.label.replace("/", "-")


def financial_year(period: str | None, window: tuple[date, date]) -> Year:
    """The financial year ``period`` (``"2024/25"`` or ``"2024-25"``), or the latest one
    complete in ``window``.

    Raises
    ------
    InputError
        ``period`` is not a financial year, or not a complete one in the records.
    """
    years = period_table("financial_year", *window)
    labels = list(years["period"])
    if period is None:
        row = years.iloc[-1]
    else:
        match = _YEAR.fullmatch(period)
        label = f"{match.group(1)}/{match.group(2)}" if match else None
        if label is None or label not in labels:
            raise InputError(
                f"no complete financial year {period!r} in the records "
                f"({window[0]} to {window[1]}); choose one of {', '.join(labels)}"
            )
        row = years[years["period"] == label].iloc[0]
    return Year(str(row["period"]), row["period_start"], row["period_end"])


def registered_on(t: ir.Table, records: Records, day: date) -> ir.BooleanValue:
    """In the population on ``day`` (the engine's rule): registered on it and alive on it
    (no death on or before it)."""
    return _registered(t, records, day, day, dead_by=day)


def registered_during(t: ir.Table, records: Records, start: date, end: date) -> ir.BooleanValue:
    """Registered at some time from ``start`` to ``end`` and not dead before ``start``
    (people who die during the period are in it)."""
    return _registered(t, records, start, end, dead_by=start - timedelta(days=1))


def _registered(
    t: ir.Table, records: Records, start: date, end: date, *, dead_by: date
) -> ir.BooleanValue:
    died = t[records.first[DEATH]]
    out = died.isnull() | (died > ibis.literal(dead_by, "date"))
    if "registered_from" in records.person_columns:
        opened = t.registered_from
        out &= opened.isnull() | (opened <= ibis.literal(end, "date"))
    if "registered_to" in records.person_columns:
        closed = t.registered_to
        out &= closed.isnull() | (closed >= ibis.literal(start, "date"))
    return out


def age_on(t: ir.Table, day: date) -> ir.IntegerValue:
    """Completed years of age on ``day`` (the birthday rule)."""
    before = ibis.literal(day.month * 100 + day.day) < t.birth_md
    return (ibis.literal(day.year) - t.birth_year - before.ifelse(1, 0)).cast("int64")


def year_before(day: date) -> date:
    """The same day one year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
