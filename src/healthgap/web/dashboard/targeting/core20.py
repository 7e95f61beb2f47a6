"""Core20PLUS5: the Core20 and PLUS populations and the clinical areas' rates and gaps.

The page's version of ``healthgap core20plus5``: :func:`~healthgap.targeting.core20plus5.
core20plus5` for the latest complete financial year, published through
:meth:`~healthgap.targeting.core20plus5.Core20Plus5Result.protected` and
``protected_population`` (suppression with secondary suppression, rounding) as the command
does. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from healthgap.disclosure import SUPPRESSED, render
from healthgap.targeting._core20_tables import render_rates
from healthgap.targeting.core20plus5 import Core20Plus5Result, core20plus5
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tables import Column, Table, table
from healthgap.web.dashboard.targeting.outcome import Outcome, kept
from healthgap.web.templatetags.healthgap import count, number


@dataclass(frozen=True)
class Measure:
    """One measure of a clinical area: its comparisons as a table."""

    area: str
    title: str
    ambition: float | None
    note: str
    table: Table


@dataclass(frozen=True)
class Core20:
    place: str
    period: str
    reference_date: date
    census_core20_share: float
    population: Table
    measures: list[Measure]
    unsupported: list[str]


def section(snapshot: Snapshot) -> Outcome[Core20]:
    """The latest financial year's figures, kept on the snapshot."""
    return kept(snapshot, ("core20plus5",), lambda: published(snapshot))


def published(snapshot: Snapshot) -> Core20:
    result = core20plus5(snapshot.workspace)
    return Core20(
        place=result.place,
        period=result.period,
        reference_date=result.reference_date,
        census_core20_share=result.census_core20_share,
        population=_population(result, snapshot),
        measures=_measures(render_rates(result.protected(snapshot.rules))),
        unsupported=[str(item) for item in result.unsupported],
    )


def _population(result: Core20Plus5Result, snapshot: Snapshot) -> Table:
    shown = render(result.protected_population(snapshot.rules), denominator="", values=["share"])
    return table(
        f"Core20 and PLUS populations, {result.place}: people registered on "
        f"{day(result.reference_date)}",
        shown,
        [
            Column("group", "Group"),
            Column("count", "People", count, True),
            Column("share", "Share of everyone (%)", lambda v: number(v, 1), True),
        ],
    )


def day(value: date) -> str:
    """``31 March 2026``.

    >>> day(date(2026, 3, 1))
    '1 March 2026'
    """
    return f"{value.day} {value:%B %Y}"


def _measures(rates: pd.DataFrame) -> list[Measure]:
    """One table per measure (a handful), in the library's order."""
    rates = rates.assign(
        rate_ci=_interval(rates, "rate", "lower_ci", "upper_ci"),
        gap_ci=_interval(rates, "gap", "gap_lower_ci", "gap_upper_ci"),
        met_text=_met(rates),
        comparator=rates["comparator"].replace("", "–"),
    )
    columns = [
        Column("group", "Group"),
        Column("denominator", "Eligible", count, True),
        Column("count", "Counted", count, True),
        Column("rate_ci", "Rate % (95% CI)", numeric=True),
        Column("comparator", "Compared with"),
        Column("comparator_rate", "Comparator rate %", lambda v: number(v, 1), True),
        Column("gap_ci", "Gap, percentage points (95% CI)", numeric=True),
        Column("met_text", "Ambition met"),
    ]
    out = []
    for _, rows in rates.groupby("measure", sort=False):  # one table per measure
        first = rows.iloc[0]
        ambition = None if pd.isna(first["ambition"]) else float(first["ambition"])
        goal = f" (ambition {ambition:g}%)" if ambition is not None else ""
        caption = f"{first['measure_title']}, {first['period']}{goal}"
        out.append(Measure(first["area_title"], first["measure_title"], ambition,
                           str(first["note"] or ""), table(caption, rows, columns)))  # fmt: skip
    return out


def _interval(rates: pd.DataFrame, value: str, lower: str, upper: str) -> np.ndarray:
    """``55.1 (50.7 to 59.4)``; ``*`` where hidden, ``–`` where there is none."""
    shown = [
        SUPPRESSED if v == SUPPRESSED
        else "–" if pd.isna(v)
        else f"{number(v, 1)} ({number(lo, 1)} to {number(hi, 1)})"
        for v, lo, hi in zip(rates[value], rates[lower], rates[upper], strict=True)
    ]  # fmt: skip
    return np.array(shown, dtype=object)


def _met(rates: pd.DataFrame) -> np.ndarray:
    """Yes / No; ``*`` where the group is hidden; ``–`` where there is no ambition."""
    yes = rates["met"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    hidden = rates["suppressed"].to_numpy(dtype=bool)
    none = rates["ambition"].isna().to_numpy()
    return np.select([none, hidden, yes], ["–", SUPPRESSED, "Yes"], default="No")
