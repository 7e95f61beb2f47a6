"""The largest gaps by group: which communities fare worst against the place as a whole.

For every indicator with a direction (higher or lower is better), in its report period,
each category of the ethnicity, deprivation (IMD quintile, Core20) and PLUS-group
(learning disability, severe mental illness, carers, homelessness) breakdowns is set
against the place's own value (the row's ``benchmark_value``: the build compares each
category with the place's total). A group is listed only when the build judged it
significantly worse than the place (``comparison`` "Worse" or "Worst": its confidence
interval excludes the place's value, Fingertips' method at 95% and 99.8%), so chance
differences in small groups are not news. Gaps are then ranked by their relative size
— how far, as a share of the place's value, the group falls short — so that a 10-point
gap in screening and a 20% excess in admissions can stand in one list; the sentence
gives both the absolute and the relative gap.

All values are the disclosure-controlled ones: suppressed rows have no value and are
never listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.report.scope import report_periods
from healthgap.web.dashboard.snapshot import Snapshot

#: Breakdown → (family, how to name a category of it). ``{}`` is the category.
FAMILIES: dict[str, tuple[str, str]] = {
    "ethnicity": ("Ethnicity", "{} ethnic group"),
    "imd_quintile": ("Deprivation", "IMD quintile {}"),
    "core20": ("Deprivation", "{}"),
    "learning_disability": ("PLUS groups", "People with a learning disability"),
    "severe_mental_illness": ("PLUS groups", "People with severe mental illness"),
    "carer": ("PLUS groups", "Unpaid carers"),
    "homeless": ("PLUS groups", "People experiencing homelessness"),
}
#: PLUS-group breakdowns have two categories; the group itself is "Yes".
_YES_NO = {"learning_disability", "severe_mental_illness", "carer", "homeless"}
_NAMES = {"Core20": "Core20 (England's most deprived 20% of neighbourhoods)", "Rest": ""}
ORDER = ("Ethnicity", "Deprivation", "PLUS groups")
TOP = 3


@dataclass(frozen=True)
class GroupGap:
    family: str
    group: str
    indicator_id: str
    indicator: str
    period: str
    unit: str
    value: float
    place: float
    absolute: float  # group − place, in the indicator's unit
    relative: float  # how much worse, as a share of the place's value (0.2 = 20%)
    comparison: str

    @property
    def sentence(self) -> str:
        """The gap in words, e.g. "... 27.6% against 55.0% for the place: 27.4
        percentage points lower (50% lower)"."""
        lower = self.absolute < 0
        size = abs(self.absolute)
        unit = self.unit or ""
        if unit == "%":
            amount = f"{size:,.1f} percentage points"
            shown = f"{self.value:,.1f}% against {self.place:,.1f}%"
        else:
            suffix = f" {unit}" if unit and unit != "ratio" else ""
            amount = f"{size:,.1f}{suffix}"
            shown = f"{self.value:,.1f} against {self.place:,.1f}{suffix}"
        way = "lower" if lower else "higher"
        share = abs(self.absolute / self.place) * 100 if self.place else float("nan")
        return f"{shown} for the place as a whole: {amount} {way} ({share:.0f}% {way})"


def group_gaps(snapshot: Snapshot, top: int = TOP) -> dict[str, list[GroupGap]]:
    """The ``top`` largest significant gaps in each family, largest first."""
    periods = report_periods(snapshot)[["indicator_id", "period"]]
    values = snapshot.values
    rows = values[
        values["breakdown_type"].isin(list(FAMILIES))
        & (values["area_code"] == snapshot.place_code)
        & values["comparison"].isin(["Worse", "Worst"])
        & ~values["suppressed"].astype(bool)
        & values["polarity"].isin(["higher-is-better", "lower-is-better"])
    ]
    rows = rows.merge(periods, on=["indicator_id", "period"], how="inner")
    yes = ~rows["breakdown_type"].isin(list(_YES_NO)) | (rows["category"] == "Yes")
    rows = rows[yes & rows["value"].notna() & rows["benchmark_value"].notna()]
    # A group in both the sex split and persons rows: keep persons (or the only sex).
    rows = rows.sort_values("sex", key=lambda s: s.ne("Persons")).drop_duplicates(
        ["indicator_id", "breakdown_type", "category"]
    )
    if rows.empty:
        return {}
    value = rows["value"].to_numpy(dtype="float64")
    place = rows["benchmark_value"].to_numpy(dtype="float64")
    worse_sign = np.where(rows["polarity"].to_numpy() == "higher-is-better", -1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = (value - place) * worse_sign / np.abs(place)
    rows = rows.assign(absolute=value - place, relative=relative)
    rows = rows[np.isfinite(rows["relative"].to_numpy()) & (rows["relative"] > 0)]
    titles = {i.id: i.title for i in snapshot.indicators()}
    families = rows["breakdown_type"].map(lambda b: FAMILIES[b][0])
    rows = rows.assign(family=families).sort_values("relative", ascending=False)
    # Core20 is often IMD quintile 1 itself: one sentence, not two identical ones.
    rows = rows.drop_duplicates(["family", "indicator_id", "value"])
    found: dict[str, list[GroupGap]] = {}
    for family in ORDER:
        chosen = rows[rows["family"] == family].head(top)
        found[family] = [
            GroupGap(
                family=family,
                group=_name(str(r.breakdown_type), str(r.category)),
                indicator_id=str(r.indicator_id),
                indicator=titles.get(str(r.indicator_id), str(r.indicator_id)),
                period=str(r.period),
                unit=str(r.unit) if isinstance(r.unit, str) else "",
                value=float(r.value),
                place=float(r.benchmark_value),
                absolute=float(r.absolute),
                relative=float(r.relative),
                comparison=str(r.comparison),
            )
            for r in chosen.itertuples(index=False)
        ]
    return found


def _name(breakdown: str, category: str) -> str:
    """A group's name in a sentence.

    Examples
    --------
    >>> _name("ethnicity", "Black"), _name("carer", "Yes"), _name("imd_quintile", "1")
    ('Black ethnic group', 'Unpaid carers', 'IMD quintile 1')
    """
    template = FAMILIES[breakdown][1]
    return template.format(_NAMES.get(category, category) or category)
