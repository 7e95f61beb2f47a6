"""Targeting: the communities with the greatest potential to benefit.

For each key prevention indicator the report lists the top communities that
``healthgap target`` ranks first (:func:`healthgap.targeting.communities_for`: people not
reached against the place's best IMD quintile, after shrinkage), published exactly as
that command's CSV is (:func:`healthgap.targeting.community_csv.publishable`: counts
suppressed and rounded, anything derived from a hidden count hidden with it). The report
goes one step further: a rounded shortfall of 1 to the threshold (e.g. "5 people not
reached") is itself a small number of people, so it is shown as ``*`` too.

*Key prevention indicators* are the catalogue's indicators serving the Marmot principle
"Strengthen the role and impact of ill health prevention" that are proportions or crude
rates with a direction and a target and have community values (neighbourhoods, MSOAs or
practices: the smallest the indicator has), the first :data:`KEY` of them in catalogue
order. The ranking is for the indicator's report period.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.disclosure import SUPPRESSED
from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.report.scope import report_periods
from healthgap.targeting.communities import communities_for
from healthgap.targeting.community_csv import publishable
from healthgap.web.dashboard.snapshot import Snapshot

KEY = 4
TOP = 5
COMMUNITIES = {"lsoa": "neighbourhoods (LSOAs)", "msoa": "MSOAs", "practice": "GP practices"}


@dataclass(frozen=True)
class Community:
    rank: int
    code: str
    name: str
    eligible: object  # a rounded count, or "*"
    value: object  # uptake (or rate) in the indicator's unit, or "*"
    gap: object  # people not reached (or events above the benchmark), rounded, or "*"
    imd_decile: object


@dataclass(frozen=True)
class Ranking:
    indicator: Indicator
    period: str
    kind: str  # "neighbourhoods (LSOAs)"…
    benchmark: str
    benchmark_value: float
    higher_is_better: bool
    communities: int
    top: list[Community]

    @property
    def gap_label(self) -> str:
        if self.higher_is_better:
            return "People not reached (against the benchmark)"
        return f"{'Events' if self.indicator.method == 'rate' else 'People'} above the benchmark"


def key_indicators(snapshot: Snapshot, limit: int = KEY) -> list[Indicator]:
    """The key prevention indicators (see module notes)."""
    found = [
        i
        for i in snapshot.indicators()
        if "prevention" in i.marmot
        and i.method in ("proportion", "rate")
        and i.polarity in ("higher-is-better", "lower-is-better")
        and i.target is not None
        and any(kind in i.breakdowns for kind in COMMUNITIES)
    ]
    return found[:limit]


def rankings(snapshot: Snapshot, *, key: int = KEY, top: int = TOP) -> list[Ranking]:
    """The top ``top`` communities of each key prevention indicator, published."""
    periods = report_periods(snapshot).set_index("indicator_id")["period"]
    found = []
    for indicator in key_indicators(snapshot, key):
        if indicator.id not in periods.index:
            continue
        by = next(kind for kind in COMMUNITIES if kind in indicator.breakdowns)
        try:
            result = communities_for(
                snapshot.workspace, indicator.id, by=by, period=str(periods[indicator.id])
            )
        except InputError:  # e.g. no communities with eligible people in the period
            continue
        if result.empty:
            continue
        published = publishable(result, snapshot.rules)
        attrs = result.attrs
        higher = attrs["polarity"] == "higher-is-better"
        gap = "not_reached_shrunk" if higher else "excess_shrunk"
        head = published.head(top)
        found.append(
            Ranking(
                indicator=indicator,
                period=str(attrs["period"]),
                kind=COMMUNITIES[by],
                benchmark=str(attrs["benchmark_label"]),
                benchmark_value=float(head["benchmark"].iloc[0]) if len(head) else float("nan"),
                higher_is_better=higher,
                communities=len(published),
                top=[
                    Community(
                        rank=int(r["rank"]),
                        code=str(r["area_code"]),
                        name=_name(r),
                        eligible=r["eligible"],
                        value=r["uptake"],
                        gap=_hide_small(r[gap], snapshot.rules.threshold),
                        imd_decile=r.get("imd_decile", None),
                    )
                    for _, r in head.iterrows()
                ],
            )
        )
    return found


def _hide_small(value: object, threshold: int) -> object:
    """A published shortfall, or ``*`` when it counts 1 to ``threshold`` people.

    Examples
    --------
    >>> _hide_small(5.0, 7), _hide_small(10.0, 7), _hide_small(0.0, 7), _hide_small("*", 7)
    ('*', 10.0, 0.0, '*')
    """
    if isinstance(value, int | float) and 0 < value <= threshold:
        return SUPPRESSED
    return value


def _name(row: pd.Series) -> str:
    name = row.get("area_name")
    return str(name) if isinstance(name, str) and name else str(row["area_code"])


def shown(value: object, places: int = 0) -> str:
    """A published number as text: ``*`` stays ``*``, missing is an en dash.

    Examples
    --------
    >>> shown(1234.0), shown("*"), shown(float("nan")), shown(45.678, 1)
    ('1,234', '*', '–', '45.7')
    """
    if value == SUPPRESSED:
        return SUPPRESSED
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if pd.isna(number) else f"{number:,.{places}f}"
