"""Need for each area from the workspace: IMD score, or an indicator from the warehouse.

An indicator's values are taken for the latest period (or a chosen one) at the level's
own area type (LSOA, MSOA, practice); localities take them from LSOAs or, failing that,
from MSOAs spread by Census population. The value becomes a need by its polarity:
higher-is-better percentages become the share *not* reached (100 − value), other
higher-is-better values the shortfall from the best area, and lower-is-better or
no-judgement values (admissions, prevalence) count as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators._toml import suggest
from healthgap.targeting._areas import Areas
from healthgap.warehouse.store import Warehouse

_SOURCES = {
    "lsoa": ("lsoa",),
    "msoa": ("msoa",),
    "locality": ("lsoa", "msoa"),
    "practice": ("practice",),
}
_PRIORITY = {"build": 0, "table": 1, "fingertips": 2}


@dataclass(frozen=True)
class Need:
    """One component of need: values on the areas' rows, and how they were made."""

    values: np.ndarray
    count: np.ndarray | None  # indicator numerator per area, for disclosure control
    denominator: np.ndarray | None
    description: str
    filled: int  # areas with no value, given the average


def parse_spec(spec: str) -> dict[str, float]:
    """``"imd"``, ``"ID"`` or ``"imd:0.5,ID:0.5"`` → {name: weight} (weights default to 1).

    >>> parse_spec("imd:0.7, flu_65_plus:0.3")
    {'imd': 0.7, 'flu_65_plus': 0.3}
    """
    out: dict[str, float] = {}
    for part in str(spec).split(","):
        name, _, weight = part.partition(":")
        name = name.strip()
        if not name:
            raise InputError(f"need {spec!r}: expected imd, an indicator id, or 'imd:0.5,ID:0.5'")
        if name in out:
            raise InputError(f"need {spec!r}: {name!r} is given twice")
        try:
            out[name] = float(weight) if weight.strip() else 1.0
        except ValueError:
            raise InputError(f"need {spec!r}: the weight of {name!r} must be a number") from None
        if not (np.isfinite(out[name]) and out[name] >= 0):
            raise InputError(f"need {spec!r}: the weight of {name!r} must be zero or more")
    return out


def imd_need(areas: Areas) -> Need:
    score = areas.table["imd_score"].to_numpy(dtype="float64", na_value=np.nan)
    values, filled = _fill(score, areas.table["population"].to_numpy(dtype="float64"))
    what = "IMD 2025 score" if areas.level == "lsoa" else "IMD 2025 score (population-weighted)"
    return Need(values, None, None, what, filled)


def indicator_need(store: Warehouse, indicator_id: str, areas: Areas, period: str | None) -> Need:
    """An indicator's need per area (see the module docstring)."""
    levels = _SOURCES[areas.level]
    rows = store.query(
        "SELECT area_code, area_type, period, period_end, value, count, denominator, unit, "
        "polarity, source FROM indicator_values WHERE indicator_id = ? AND area_type IN "
        f"({', '.join('?' * len(levels))}) AND breakdown_type IN (area_type, 'total')",
        [indicator_id, *levels],
    )
    if rows.empty:
        raise InputError(_no_rows(store, indicator_id, areas.level))
    level = next(lv for lv in levels if (rows["area_type"] == lv).any())
    rows = rows[rows["area_type"] == level]
    label = _period(rows, period, indicator_id)
    rows = rows[rows["period"] == label].copy()
    rows["priority"] = rows["source"].map(_PRIORITY).fillna(9)
    rows = rows.sort_values(["priority", "area_code"]).drop_duplicates("area_code")
    value = rows["value"].to_numpy(dtype="float64", na_value=np.nan)
    polarity, unit = _first(rows, "polarity"), _first(rows, "unit")
    if polarity == "higher-is-better" and unit == "%":
        need, how = 100 - value, f"100 − {indicator_id} (%)"
    elif polarity == "higher-is-better":
        need, how = np.nanmax(value) - value, f"best area's {indicator_id} − the area's"
    else:
        need, how = value, indicator_id + (f" ({unit})" if unit else "")
    rows["need"] = need
    people = areas.table["population"].to_numpy(dtype="float64")
    spread = _spread(rows, areas, level)
    values, filled = _fill(spread["need"].to_numpy(), people)
    text = f"{how}, {label}, {level.upper() if level != 'practice' else 'practice'} values"
    return Need(values, spread["count"].to_numpy(), spread["denominator"].to_numpy(), text, filled)


def _spread(rows: pd.DataFrame, areas: Areas, level: str) -> pd.DataFrame:
    """Indicator rows of ``level`` on the areas' rows: a denominator-weighted mean of the
    need of the rows each area overlaps (an MSOA's rows shared by Census population)."""
    if areas.lsoas is None or level == areas.level:
        cross = pd.DataFrame(
            {"code": areas.table["area_code"], "area_code": areas.table["area_code"], "weight": 1.0}
        )
    else:
        ref = areas.lsoas
        key = f"{level}_code"
        cross = ref.groupby([key, "area_code"], as_index=False)["population"].sum()
        totals = cross.groupby(key)["population"].transform("sum")
        cross = cross.assign(weight=cross["population"] / totals.where(totals > 0))
        cross = cross.rename(columns={key: "code"})[["code", "area_code", "weight"]]
    joined = cross.merge(rows.rename(columns={"area_code": "code"}), on="code", how="inner")
    den = joined["denominator"].where(joined["denominator"] > 0, 1.0).fillna(1.0)
    present = joined["need"].notna()
    joined["w"] = np.where(present, den * joined["weight"], 0.0)
    joined["wx"] = np.where(present, joined["need"], 0.0) * joined["w"]
    joined["count"] = joined["count"] * joined["weight"]
    joined["denominator"] = joined["denominator"] * joined["weight"]
    summed = joined.groupby("area_code")[["w", "wx", "count", "denominator"]].sum(min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        summed["need"] = summed["wx"] / summed["w"].where(summed["w"] > 0)
    return summed.reindex(pd.Index(areas.table["area_code"]))


def _fill(values: np.ndarray, people: np.ndarray) -> tuple[np.ndarray, int]:
    """Missing values become the population-weighted mean of the others."""
    missing = np.isnan(values)
    if missing.all():
        raise InputError("no area has a value of need")
    if missing.any():
        known = ~missing
        mean = (values[known] @ people[known]) / max(people[known].sum(), 1.0)
        values = np.where(missing, mean, values)
    return values, int(missing.sum())


def _period(rows: pd.DataFrame, period: str | None, indicator_id: str) -> str:
    if period is not None:
        if not (rows["period"] == period).any():
            shown = ", ".join(dict.fromkeys(rows["period"].astype(str)))
            raise InputError(f"indicator {indicator_id!r} has no period {period!r}; it has {shown}")
        return period
    ordered = rows.sort_values(["period_end", "period"], na_position="first")
    return str(ordered["period"].iloc[-1])


def _first(rows: pd.DataFrame, column: str) -> str:
    values = rows[column].dropna()
    return str(values.iloc[0]) if len(values) else ""


def _no_rows(store: Warehouse, indicator_id: str, level: str) -> str:
    found = store.query(
        "SELECT DISTINCT area_type FROM indicator_values WHERE indicator_id = ?", [indicator_id]
    )
    if found.empty:
        ids = store.query("SELECT DISTINCT indicator_id FROM indicator_values")["indicator_id"]
        hint = suggest(indicator_id, [str(i) for i in ids])
        return (
            f"no values of indicator {indicator_id!r} in the warehouse{hint}: use imd, or "
            "run `healthgap build` (or import the indicator) first"
        )
    types = ", ".join(sorted(map(str, found["area_type"])))
    return (
        f"indicator {indicator_id!r} has no {' or '.join(_SOURCES[level])} values for level "
        f"{level!r} (it has area types: {types}); add the breakdown to its definition and "
        "rebuild, or choose another --level"
    )
