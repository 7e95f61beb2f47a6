"""The overview's headline: the life-expectancy gap between most and least deprived.

Taken from the catalogue's life-expectancy-at-birth indicator, latest period in which
both ends of the IMD decile breakdown have a value; the slope index of inequality and
its trend come from the build's inequality measures for the same period.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.reference.places import find_place, place_lsoas
from healthgap.web.dashboard.snapshot import Snapshot

DECILES = "imd_decile"


@dataclass(frozen=True)
class Gap:
    indicator: Indicator
    period: str
    sex: str
    most: pd.Series  # the most deprived decile's row
    least: pd.Series  # the least deprived decile's row present in the place
    sii: pd.Series | None  # the SII measure row (value, limits, trend)

    @property
    def gap(self) -> float:
        return float(self.least["value"] - self.most["value"])

    @property
    def narrowing(self) -> str:
        if self.sii is None or pd.isna(self.sii["trend"]):
            return "Not enough periods to tell"
        return str(self.sii["trend"])


def life_expectancy_indicator(snapshot: Snapshot) -> Indicator | None:
    candidates = [i for i in snapshot.indicators() if i.method == "life_expectancy"]
    preferred = [i for i in candidates if i.id == "life_expectancy_birth"]
    found = preferred or candidates
    return found[0] if found else None


def gaps(snapshot: Snapshot) -> list[Gap]:
    """The headline gap for persons, females and males (where the data allow)."""
    indicator = life_expectancy_indicator(snapshot)
    if indicator is None:
        return []
    rows = snapshot.rows(indicator.id)
    place = rows["area_code"] == snapshot.place_code
    found = []
    for sex, breakdown in (("Persons", DECILES), ("Female", f"sex*{DECILES}"),
                           ("Male", f"sex*{DECILES}")):  # fmt: skip
        deciles = rows[place & (rows["breakdown_type"] == breakdown) & (rows["sex"] == sex)]
        deciles = deciles.dropna(subset=["value"])
        if deciles.empty:
            continue
        ends = deciles.groupby("period")["category_order"].agg(["min", "max", "size"])
        usable = ends[ends["size"] >= 2]
        if usable.empty:
            continue
        starts = deciles.groupby("period")["period_start"].first()
        period = starts.loc[usable.index].sort_values().index[-1]
        latest = deciles[deciles["period"] == period].sort_values("category_order")
        found.append(
            Gap(
                indicator,
                str(period),
                sex,
                latest.iloc[0],
                latest.iloc[-1],
                _sii(snapshot, indicator.id, str(period), sex),
            )
        )
    return found


def _sii(snapshot: Snapshot, indicator_id: str, period: str, sex: str) -> pd.Series | None:
    m = snapshot.measures
    keep = (
        (m["indicator_id"] == indicator_id)
        & (m["period"] == period)
        & (m["sex"] == sex)
        & (m["breakdown_type"] == DECILES)
        & (m["measure"] == "sii")
        & (m["area_code"] == snapshot.place_code)
    )
    found = m[keep]
    return None if found.empty else found.iloc[0]


@dataclass(frozen=True)
class Core20:
    people: int
    total: int
    neighbourhoods: int

    @property
    def share(self) -> float:
        return 100 * self.people / self.total if self.total else float("nan")


def core20(snapshot: Snapshot) -> Core20 | None:
    """People living in England's most deprived 20% of neighbourhoods (Census 2021)."""
    try:
        areas = pd.concat([place_lsoas(find_place(c)) for c in snapshot.workspace.area_codes])
    except InputError:  # a workspace whose area codes are not English LAs
        return None
    core = areas[areas["imd_decile"] <= 2]
    return Core20(int(core["population"].sum()), int(areas["population"].sum()), len(core))
