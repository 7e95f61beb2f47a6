"""An indicator's values split by group: IMD, ethnicity, sex, age, PLUS groups, areas."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import healthgap as hg
from healthgap.indicators.definition import Indicator
from healthgap.web.dashboard.snapshot import Snapshot

Z95 = 1.959963984540054

#: Breakdowns shown on the inequality view, in menu order, with labels.
LABELS: dict[str, str] = {
    "imd_decile": "IMD decile",
    "imd_quintile": "IMD quintile",
    "core20": "Core20",
    "ethnicity": "Ethnicity",
    "sex": "Sex",
    "age_band": "Age",
    "learning_disability": "Learning disability",
    "severe_mental_illness": "Severe mental illness",
    "carer": "Carers",
    "homeless": "Homelessness",
}
ORDERED = ("imd_decile", "imd_quintile", "core20")
AREAS = {"lsoa": "Neighbourhoods (LSOA)", "msoa": "MSOAs", "practice": "GP practices"}


@dataclass(frozen=True)
class Selection:
    """What the indicator page shows: one period and one breakdown."""

    period: str
    breakdown: str


def available(snapshot: Snapshot, indicator: Indicator) -> list[str]:
    present = set(snapshot.rows(indicator.id)["breakdown_type"].unique())
    return [b for b in LABELS if b in present]


def periods(snapshot: Snapshot, indicator: Indicator) -> list[str]:
    totals = snapshot.totals(indicator.id)
    return [str(p) for p in totals["period"]]


def choices(snapshot: Snapshot, indicator: Indicator) -> tuple[list[str], list[str], list[str]]:
    """The indicator's periods, inequality breakdowns and small-area types."""
    present = set(snapshot.rows(indicator.id)["area_type"].unique())
    area_types = [a for a in AREAS if a in present]
    return periods(snapshot, indicator), available(snapshot, indicator), area_types


def groups(snapshot: Snapshot, indicator: Indicator, selection: Selection) -> pd.DataFrame:
    """The place's rows of one breakdown and period, persons, in category order."""
    rows = snapshot.rows(indicator.id)
    keep = (
        (rows["breakdown_type"] == selection.breakdown)
        & (rows["period"] == selection.period)
        & (rows["area_code"] == snapshot.place_code)
    )
    if selection.breakdown != "sex":  # the sex breakdown's rows are Male and Female
        keep &= rows["sex"] == "Persons"
    return rows[keep].sort_values(["category_order", "category"])


def areas(snapshot: Snapshot, indicator: Indicator, period: str, area_type: str) -> pd.DataFrame:
    rows = snapshot.rows(indicator.id)
    keep = (rows["area_type"] == area_type) & (rows["period"] == period)
    return rows[keep & (rows["sex"] == "Persons")].sort_values("area_code")


def sii_line(frame: pd.DataFrame) -> tuple[float, float] | None:
    """(intercept, slope) of the SII fitted to IMD groups, for drawing (PHE's method)."""
    usable = frame.dropna(subset=["value", "lower_ci_95", "upper_ci_95", "denominator"])
    if len(usable) < 3:
        return None
    fitted = hg.sii(
        usable, "value", "denominator", quantile="category_order",
        lower="lower_ci_95", upper="upper_ci_95", intercept=True, repetitions=1000, seed=1,
    )  # fmt: skip
    return float(fitted["intercept"].iloc[0]), float(fitted["sii"].iloc[0])


def heat_measures(frame: pd.DataFrame, indicator: Indicator, breakdown: str) -> pd.DataFrame:
    """WHO HEAT summary measures of one breakdown (ordered for IMD and Core20)."""
    usable = frame.dropna(subset=["value", "lower_ci_95", "upper_ci_95", "denominator"])
    if len(usable) < 2:
        return pd.DataFrame()
    usable = usable.assign(se=(usable["upper_ci_95"] - usable["lower_ci_95"]) / (2 * Z95))
    ordered = breakdown in ORDERED
    return hg.inequality(
        usable, "value", subgroup="category", se="se", population="denominator",
        order="category_order" if ordered else None,
        favourable=indicator.polarity != "lower-is-better", seed=1,
    ).replace({np.inf: np.nan})  # fmt: skip
