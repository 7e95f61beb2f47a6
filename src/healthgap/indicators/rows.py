"""The engine's results as warehouse rows (``indicator_values``, ``inequality_measures``):
labels of the age group, unit and method, and the schema's column order."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from healthgap.indicators.definition import Indicator, Population
from healthgap.indicators.evaluate import multiplier
from healthgap.warehouse import schema

SOURCE = "build"


def age_label(population: Population, method: str) -> str:
    """Fingertips' age label: ``"All ages"``, ``"65+ yrs"``, ``"<75 yrs"``, ``"25-64 yrs"``.

    Life expectancy is labelled by the age it is given at (``"All ages"`` at birth).

    >>> age_label(Population(min_age=65), "proportion"), age_label(Population(), "dsr")
    ('65+ yrs', 'All ages')
    >>> age_label(Population(max_age=74), "dsr"), age_label(Population(25, 64), "proportion")
    ('<75 yrs', '25-64 yrs')
    """
    lo, hi = population.min_age, population.max_age
    if method == "life_expectancy":
        return "All ages" if lo == 0 else str(lo)
    if hi is None:
        return "All ages" if lo == 0 else f"{lo}+ yrs"
    if lo == 0:
        return f"<{hi + 1} yrs"
    return f"{lo} yrs" if lo == hi else f"{lo}-{hi} yrs"


def unit(indicator: Indicator) -> str:
    """The indicator's unit, or its method's (``"%"``, ``"per 100,000"``, ``"years"``…)."""
    if indicator.unit:
        return indicator.unit
    method, scale = indicator.method, multiplier(indicator)
    if method == "proportion":
        return "%" if scale == 100 else f"per {scale:,.0f}"
    if method in ("rate", "dsr"):
        return f"per {scale:,.0f}"
    if method == "isr":
        return f"ratio (place = {scale:g})"
    return "years" if method == "life_expectancy" else ""


def value_rows(indicator: Indicator, out: pd.DataFrame) -> pd.DataFrame:
    """``indicator_values`` rows of one indicator, ordered by breakdown, area, category and
    period."""
    rows = out.assign(
        indicator_id=indicator.id,
        indicator_name=indicator.title,
        source=SOURCE,
        age=age_label(indicator.population, indicator.method),
        unit=unit(indicator),
        polarity=indicator.polarity,
    )
    position = {name: i for i, name in enumerate(["total", *indicator.breakdowns])}
    rows["__position"] = rows["breakdown_type"].map(position)
    rows = rows.sort_values(
        ["__position", "area_code", "category_order", "category", "period_order"],
        na_position="first",
        kind="stable",
    )
    return rows.reindex(
        columns=[c for c in schema.column_names("indicator_values") if c != "build_id"]
    ).reset_index(drop=True)


def measure_rows(
    indicator: Indicator, measured: pd.DataFrame, area_code: str, sex: str
) -> pd.DataFrame:
    """``inequality_measures`` rows of one indicator."""
    rows = measured.assign(indicator_id=indicator.id, area_code=area_code, sex=sex)
    rows = rows.sort_values(["breakdown_type", "measure", "period_order"], kind="stable")
    return rows.reindex(
        columns=[c for c in schema.column_names("inequality_measures") if c != "build_id"]
    ).reset_index(drop=True)


def concat(frames: Sequence[pd.DataFrame], table: str) -> pd.DataFrame:
    """All indicators' rows of ``table`` in one frame (the schema's columns, typed)."""
    columns = [c for c in schema.column_names(table) if c != "build_id"]
    kept = [f for f in frames if len(f)]
    if not kept:
        return pd.DataFrame(columns=columns)
    out = pd.concat(kept, ignore_index=True)
    if "category_order" in out:
        out["category_order"] = out["category_order"].astype("Int64")
    return out[columns]
