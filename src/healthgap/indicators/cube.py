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

import numpy as np
import pandas as pd

from healthgap.indicators import numerators
from healthgap.indicators.definition import Indicator
from healthgap.indicators.numerators import FIVE_YEAR, LIFE_TABLE
from healthgap.indicators.populations import DERIVED, Calendar, Records, denominator

STANDARDISED = ("dsr", "isr", "life_expectancy")
_BY_LSOA = ("msoa_code", "lad_code", "imd_decile")


def scheme_of(indicator: Indicator, columns: Sequence[str]) -> str | None:
    """The cube's age groups: life-table bands, five-year bands or none."""
    if indicator.method == "life_expectancy":
        return LIFE_TABLE
    if indicator.method in STANDARDISED or "age_group" in columns:
        return FIVE_YEAR
    return None


def reference_dates(indicator: Indicator, dates: pd.DataFrame) -> pd.DataFrame:
    """``dates`` with ``ref``: the period end (proportions, means) or middle (rates…)."""
    column = "period_end" if indicator.method in ("proportion", "mean") else "ref_mid"
    return dates.assign(ref=dates[column])


def measures_of(indicator: Indicator) -> list[str]:
    return ["n", "k", "s", "ss"] if indicator.method == "mean" else ["x", "n"]


def build(
    records: Records, indicator: Indicator, dates: pd.DataFrame, columns: Sequence[str]
) -> pd.DataFrame:
    """The cube: ``period_order``, ``columns``, ``age_group`` (if any) and the sums of
    :func:`measures_of`, sorted by its keys."""
    scheme = scheme_of(indicator, columns)
    columns = [c for c in columns if c != "age_group"]
    records.require(indicator, [c for c in columns if c not in DERIVED], "breakdowns")
    looked_up = [c for c in _BY_LSOA if c in columns and "lsoa_code" in columns]
    queried = [c for c in columns if c not in looked_up]
    dates = reference_dates(indicator, dates)
    calendar = Calendar(tuple(dates["ref"]))
    numerator = indicator.numerator
    condition = numerator.concept if numerator.kind == "condition" else None
    mask = records.masks.get(indicator.id) if indicator.method == "proportion" else None
    den = denominator(records, indicator, calendar, queried, with_age=scheme is not None,
                      condition=condition, mask=mask)  # fmt: skip
    keys = ["period_order", *queried, *(["age_group"] if scheme else [])]
    people = spread(fetch(den), queried, calendar, scheme)
    if indicator.method == "mean":
        counted = numerators.values(records, indicator, dates, calendar, queried, scheme)
        cube = _merge(people.drop(columns="x"), fetch(counted), keys)
    elif indicator.method != "proportion":
        counted = numerators.events(records, indicator, dates, queried, scheme)
        cube = _merge(people.drop(columns="x"), fetch(counted), keys)
    else:
        cube = people
    if looked_up:
        lookup = records.reference.set_index("lsoa_code")[looked_up]
        cube = cube.join(lookup, on="lsoa_code")
    sums = measures_of(indicator)
    for name in sums:
        cube[name] = cube[name].astype("float64").fillna(0.0) if name in cube else 0.0
    keys = ["period_order", *columns, *(["age_group"] if scheme else [])]
    cube = cube[[*keys, *sums]]
    return cube.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)


def fetch(expression: object) -> pd.DataFrame:
    """Run one aggregate query."""
    table = expression.to_pandas()  # type: ignore[attr-defined]
    for name in ("period_order", "age_group", "lo", "hi", "hit", "age0", "cls", "mask"):
        if name in table:
            table[name] = table[name].astype("int64")
    return table


def _objects(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    for key in keys:
        if not pd.api.types.is_numeric_dtype(frame[key]) or pd.api.types.is_bool_dtype(
            frame[key]
        ):
            frame[key] = frame[key].astype(object)
    return frame


def _merge(people: pd.DataFrame, counted: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return _objects(people, keys).merge(_objects(counted, keys), on=keys, how="outer")


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
    people: pd.DataFrame, columns: Sequence[str], calendar: Calendar, scheme: str | None
) -> pd.DataFrame:
    """People counted by ``lo``/``hi`` → people in each period (``n``) and, for
    proportions, those counted (``x``: from period ``hit`` on, or in the ``mask``)."""
    if people.empty:
        out = pd.DataFrame(columns=["period_order", *columns, "n", "x"])
        if scheme is not None:
            out["age_group"] = pd.Series(dtype="int64")
        return out
    cells = people.groupby(list(columns), dropna=False, sort=False).ngroup().to_numpy() if (
        columns) else np.zeros(len(people), dtype="int64")  # fmt: skip
    lo, hi = people["lo"].to_numpy(), people["hi"].to_numpy()
    length = hi - lo + 1
    row = np.repeat(np.arange(len(people)), length)
    period = lo[row] + np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
    n = people["n"].to_numpy(dtype="float64")[row]
    if "hit" in people:
        x = np.where(period >= people["hit"].to_numpy()[row], n, 0.0)
    elif "mask" in people:
        x = np.where((people["mask"].to_numpy()[row] >> period) & 1 == 1, n, 0.0)
    else:
        x = np.zeros_like(n)
    k = calendar.k
    key = cells[row] * k + period
    if scheme is not None:
        age = ages(people["age0"].to_numpy()[row], people["cls"].to_numpy()[row], period,
                   calendar)  # fmt: skip
        key = key * 100 + age_groups(age, scheme)
    summed = pd.DataFrame({"key": key, "n": n, "x": x}).groupby("key", sort=True).sum()
    key = summed.index.to_numpy()
    out = pd.DataFrame()
    if scheme is not None:
        out["age_group"] = key % 100
        key = key // 100
    first = pd.Series(np.arange(len(people))).groupby(cells).first()
    at = first.reindex(key // k).to_numpy()
    for column in columns:
        out[column] = people[column].to_numpy(dtype=object)[at]
    out["period_order"] = key % k
    out["n"], out["x"] = summed["n"].to_numpy(), summed["x"].to_numpy()
    return out
