"""The aggregate ("cube") of one indicator and query group: counts by period, breakdown
columns and (for standardised methods and age bands) age group — fetched from the backend
as small tables and put together here.

The denominator comes back as people counted by the run of periods they are in
(``lo`` … ``hi``, see :mod:`~healthgap.indicators.populations`), with, for proportions,
the first period of a prevalent condition (``hit``) or the periods with an event
(``mask``); they are spread over the periods here, with each person's age on each
period's reference date worked out from their age on the first (``age0``) and where
their birthday falls among the reference dates' month-days (``cls``). Columns fixed by
the LSOA (MSOA, local authority, IMD decile) are looked up here rather than grouped by.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from healthgap.indicators import numerators
from healthgap.indicators.breakdowns import Group
from healthgap.indicators.definition import Indicator
from healthgap.indicators.numerators import FIVE_YEAR, LIFE_TABLE
from healthgap.indicators.populations import Calendar, denominators
from healthgap.indicators.records import Records

STANDARDISED = ("dsr", "isr", "life_expectancy")
#: Aggregates kept for reuse by later indicators of a build (e.g. a DSR and an ISR of the
#: same events share their numerator and denominator).
KEPT = 8
#: Breakdown columns the engine derives (from the LSOA reference or the age).
DERIVED = frozenset({"imd_decile", "msoa_code", "lad_code", "age_group"})


def reference_dates(indicator: Indicator, dates: pd.DataFrame) -> pd.DataFrame:
    """``dates`` with ``ref``: the period end (proportions, means) or middle (rates…)."""
    column = "period_end" if indicator.method in ("proportion", "mean") else "ref_mid"
    return dates.assign(ref=dates[column])


def measures_of(indicator: Indicator) -> list[str]:
    return ["n", "k", "s", "ss"] if indicator.method == "mean" else ["x", "n"]


def build(
    records: Records, indicator: Indicator, dates: pd.DataFrame, groups: Sequence[Group]
) -> list[pd.DataFrame]:
    """One cube per group: columns ``period_order``, the group's breakdown columns,
    ``age_group`` (aged groups) and the sums of :func:`measures_of`, sorted by its keys.
    Two queries at most: people (and prevalent or event counts for proportions), and the
    numerator of rates and means."""
    scheme = LIFE_TABLE if indicator.method == "life_expectancy" else FIVE_YEAR
    for group in groups:
        wanted = [c for c in group.columns if c not in DERIVED]
        records.require(indicator, wanted, "breakdowns")
    dates = reference_dates(indicator, dates)
    calendar = Calendar(tuple(dates["ref"]))
    shapes = [(g.grain, g.aged) for g in groups]
    counted = None
    if indicator.method == "mean":
        counted = fetch(
            numerators.values(records, indicator, dates, calendar, shapes, scheme), records
        )
    elif indicator.method != "proportion":
        counted = fetch(numerators.events(records, indicator, dates, shapes, scheme), records)
    numerator = indicator.numerator
    condition = numerator.concept if numerator.kind == "condition" else None
    masks = None
    if indicator.method == "proportion" and condition is None:
        masks = records.mask(indicator, dates, numerators.masks)
    people = fetch(
        denominators(records, indicator, calendar, shapes, condition=condition, masks=masks),
        records,
    )
    mode = "hit" if condition else "mask" if masks is not None else None
    sums = measures_of(indicator)
    numerator_sums = ["k", "s", "ss"] if indicator.method == "mean" else ["x"]
    cubes = []
    for g, group in enumerate(groups):
        age = scheme if group.aged else None
        keys = [*group.grain, "period_order", *(["age_group"] if age else [])]
        cube = spread(people[people["g"].to_numpy() == g], group.grain, calendar, age, mode)
        if counted is not None:
            mine = counted[counted["g"].to_numpy() == g]
            if indicator.method != "mean":
                mine = spread_events(mine, group.grain, age is not None)
            mine = mine.groupby(keys, dropna=False, sort=False)[numerator_sums].sum()
            cube = cube.drop(columns="x").astype({k: "float64" for k in keys})
            cube = cube.merge(
                mine.reset_index().astype({k: "float64" for k in keys}), on=keys, how="outer"
            )
        cube = cube.astype({k: "int64" for k in ("period_order", "age_group") if k in cube})
        cube = records.decode(cube, group.columns)
        for name in sums:
            cube[name] = cube[name].astype("float64").fillna(0.0) if name in cube else 0.0
        keys = ["period_order", *group.columns, *(["age_group"] if age else [])]
        keys = list(dict.fromkeys(k for k in keys if k in cube))
        cube = cube[[*keys, *sums]]
        cubes.append(
            cube.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
        )
    return cubes


def fetch(expression: ir.Table, records: Records | None = None) -> pd.DataFrame:
    """Run one aggregate query: all its columns are numbers (codes, counts, sums), here
    as float64 with NaN for missing codes, the same from every backend. With ``records``
    the result is kept for the build, and an identical query (the same numerator for a
    DSR and an ISR, say) is not run again."""
    key = expression.op() if records is not None else None
    if records is not None and key in records.results:
        records.results.move_to_end(key)
        return records.results[key]
    table = expression.to_pandas().astype("float64")
    if records is not None:
        records.results[key] = table
        while len(records.results) > KEPT:
            records.results.popitem(last=False)
    return table


def ages(age0: np.ndarray, cls: np.ndarray, period: np.ndarray, calendar: Calendar) -> np.ndarray:
    """Age on the reference date of ``period`` from ``age0`` and ``cls``:
    :math:`a_p = a_0 + (y_p - y_0) + [j_0 < c] - [j_p < c]`, with :math:`y_p` the year and
    :math:`j_p` the rank of the month-day of the reference date of period :math:`p`."""
    days = calendar.month_days
    years = np.array([r.year for r in calendar.refs])
    rank = np.array([days.index(r.month * 100 + r.day) for r in calendar.refs])
    return (
        age0
        + (years[period] - years[0])
        + (rank[0] < cls).astype("int64")
        - (rank[period] < cls).astype("int64")
    )


def age_groups(age: np.ndarray, scheme: str) -> np.ndarray:
    five = np.minimum(age // 5 * 5, 90)
    if scheme == LIFE_TABLE:
        return np.where(age == 0, 0, np.where(age < 5, 1, five))
    return five


def spread(
    people: pd.DataFrame,
    grain: Sequence[str],
    calendar: Calendar,
    scheme: str | None,
    counted: str | None = None,
) -> pd.DataFrame:
    """People counted by ``lo``/``hi`` → people in each period (``n``) and, for
    proportions, those counted (``x``: from period ``hit`` on, or in the ``mask``)."""
    people = people[people["lo"].to_numpy() <= people["hi"].to_numpy()]
    lo, hi = people["lo"].to_numpy(dtype="int64"), people["hi"].to_numpy(dtype="int64")
    length = hi - lo + 1
    row = np.repeat(np.arange(len(people)), length)
    period = lo[row] + np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
    n = people["n"].to_numpy(dtype="float64")[row]
    if counted == "hit":
        x = np.where(period >= people["hit"].to_numpy(dtype="int64")[row], n, 0.0)
    elif counted == "mask":
        x = np.where((people["mask"].to_numpy(dtype="int64")[row] >> period) & 1 == 1, n, 0.0)
    else:
        x = np.zeros_like(n)
    # One integer key per cell (grain codes), period and age group.
    key = np.zeros(len(row), dtype="int64")
    sizes = []
    for name in grain:
        code = np.nan_to_num(people[name].to_numpy(dtype="float64"), nan=-1).astype("int64") + 1
        size = int(code.max(initial=0)) + 1
        key = key * size + code[row]
        sizes.append(size)
    key = key * calendar.k + period
    if scheme is not None:
        age = ages(
            people["age0"].to_numpy(dtype="int64")[row],
            people["cls"].to_numpy(dtype="int64")[row],
            period,
            calendar,
        )
        key = key * 100 + age_groups(age, scheme)
    summed = pd.DataFrame({"key": key, "n": n, "x": x}).groupby("key", sort=True).sum()
    key = summed.index.to_numpy()
    out = pd.DataFrame(index=range(len(key)))
    if scheme is not None:
        out["age_group"] = key % 100
        key = key // 100
    out["period_order"] = key % calendar.k
    key = key // calendar.k
    for name, size in zip(reversed(grain), reversed(sizes), strict=True):
        code = (key % size - 1).astype("float64")
        out[name] = np.where(code < 0, np.nan, code)
        key = key // size
    out["n"], out["x"] = summed["n"].to_numpy(), summed["x"].to_numpy()
    return out


def spread_events(events: pd.DataFrame, grain: Sequence[str], aged: bool) -> pd.DataFrame:
    """Events counted by the run of periods holding them (``plo`` … ``phi``: overlapping
    windows) → events in each period (``x``), by ``grain`` (and age group)."""
    lo, hi = events["plo"].to_numpy(dtype="int64"), events["phi"].to_numpy(dtype="int64")
    length = np.maximum(hi - lo + 1, 0)
    row = np.repeat(np.arange(len(events)), length)
    period = lo[row] + np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
    keys = [*grain, *(["age_group"] if aged else [])]
    out = events.iloc[row][keys].reset_index(drop=True)
    out["period_order"] = period.astype("float64")
    out["x"] = events["x"].to_numpy(dtype="float64")[row]
    return out
