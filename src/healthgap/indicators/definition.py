"""What an indicator definition says: the data model behind ``healthgap.toml``.

Definitions are plain, immutable data. ``catalogue.py`` reads and validates them from
TOML; the engine (``engine.py``) evaluates them on person-level records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Method = Literal["proportion", "rate", "dsr", "isr", "life_expectancy", "mean"]
Polarity = Literal["higher-is-better", "lower-is-better", "no judgement"]
PeriodKind = Literal["financial_year", "calendar_year", "flu_season", "rolling_12_months"]

METHODS: tuple[str, ...] = ("proportion", "rate", "dsr", "isr", "life_expectancy", "mean")
POLARITIES: tuple[str, ...] = ("higher-is-better", "lower-is-better", "no judgement")
PERIOD_KINDS: tuple[str, ...] = (
    "financial_year",
    "calendar_year",
    "flu_season",
    "rolling_12_months",
)

#: Breakdowns the engine knows. Cross-breakdowns join two with "*", e.g.
#: "ethnicity*imd_quintile". Area breakdowns give one row per area (area_type).
BREAKDOWNS: tuple[str, ...] = (
    "imd_decile",
    "imd_quintile",
    "core20",
    "ethnicity",
    "sex",
    "age_band",
    "learning_disability",
    "severe_mental_illness",
    "carer",
    "homeless",
    "lsoa",
    "msoa",
    "lad",
    "practice",
)
AREA_BREAKDOWNS: tuple[str, ...] = ("lsoa", "msoa", "lad", "practice")

#: The eight Marmot principles (Marmot et al. 2010, 2020), by short key.
MARMOT_PRINCIPLES: dict[str, str] = {
    "early_years": "Give every child the best start in life",
    "education": "Enable all children, young people and adults to maximise their "
    "capabilities and have control over their lives",
    "work": "Create fair employment and good work for all",
    "living_standard": "Ensure a healthy standard of living for all",
    "places": "Create and develop healthy and sustainable places and communities",
    "prevention": "Strengthen the role and impact of ill health prevention",
    "discrimination": "Tackle racism, discrimination and their outcomes",
    "environment": "Pursue environmental sustainability and health equity together",
}

#: NHS England Core20PLUS5 clinical areas (adults and children and young people).
CORE20PLUS5_AREAS: tuple[str, ...] = (
    "maternity",
    "severe_mental_illness",
    "chronic_respiratory_disease",
    "early_cancer_diagnosis",
    "hypertension",
    "asthma",
    "diabetes",
    "epilepsy",
    "oral_health",
    "mental_health",
)


@dataclass(frozen=True)
class Population:
    """Who is counted in the denominator.

    Ages are in whole years at the period's reference date (its end), inclusive;
    ``max_age=None`` has no upper limit. ``flags`` are PLUS-group columns that must be
    true; ``conditions`` are concepts diagnosed on or before the reference date.
    """

    min_age: int = 0
    max_age: int | None = None
    sex: Literal["F", "M"] | None = None
    flags: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    any_condition: bool = False  # True: at least one of `conditions`, not all of them


@dataclass(frozen=True)
class Numerator:
    """What is counted: events of ``concept`` in the period, or a condition present.

    ``kind="event"`` counts people with at least one event (``proportion``) or all events
    (``rate``, ``dsr``, ``isr``); ``kind="condition"`` counts people whose first event of
    the concept is on or before the period end; ``kind="value"`` averages the numeric
    ``value`` of the person's latest event of the concept in the period (``mean``).
    ``window_days`` widens the look-back (e.g. 3.5 years for cervical screening coverage).
    """

    concept: str
    kind: Literal["event", "condition", "value"] = "event"
    window_days: int | None = None
    value_in: tuple[str, ...] = ()  # count only events whose value is one of these


@dataclass(frozen=True)
class Indicator:
    """One indicator, as declared in the catalogue."""

    id: str
    title: str
    method: Method
    numerator: Numerator
    population: Population = field(default_factory=Population)
    unit: str = ""
    multiplier: float | None = None  # None: the method's default (100, 100,000…)
    periods: PeriodKind = "financial_year"
    polarity: Polarity = "no judgement"
    target: float | None = None
    marmot: tuple[str, ...] = ()
    core20plus5: tuple[str, ...] = ()
    breakdowns: tuple[str, ...] = ("imd_decile", "imd_quintile", "core20", "ethnicity", "sex")
    description: str = ""
