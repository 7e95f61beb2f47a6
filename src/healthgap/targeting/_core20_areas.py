"""What healthgap measures for each of NHS England's five adult Core20PLUS5 clinical areas,
and what the person-level data cannot support.

Each measure is an ordinary indicator definition, evaluated by the indicator engine with
the Core20, PLUS-flag and ethnicity breakdowns, so its population rules (ages on the
reference date, registration, deaths, look-back windows) are the engine's.

Sources: NHS England, *Core20PLUS5 – an approach to reducing healthcare inequalities
(adults)* (2021, updated 2023); NHS Long Term Plan (2019) and NHS England's operational
planning guidance 2023/24 and 2024/25 for the ambitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthgap.indicators.definition import Indicator, Numerator, Population

MATERNITY = "maternity"
SMI = "severe_mental_illness"
RESPIRATORY = "chronic_respiratory_disease"
CANCER = "early_cancer_diagnosis"
HYPERTENSION = "hypertension"

#: The five adult clinical areas, in NHS England's order, with their titles.
AREAS: dict[str, str] = {
    MATERNITY: "Maternity",
    SMI: "Severe mental illness",
    RESPIRATORY: "Chronic respiratory disease",
    CANCER: "Early cancer diagnosis",
    HYPERTENSION: "Hypertension case-finding",
}

#: PLUS-group flag columns of persons.parquet, with their labels.
PLUS_GROUPS: dict[str, str] = {
    "learning_disability": "Learning disability",
    "severe_mental_illness": "Severe mental illness",
    "carer": "Unpaid carers",
    "homeless": "People experiencing homelessness",
}


@dataclass(frozen=True)
class Measure:
    """One rate healthgap reports for a clinical area."""

    area: str
    indicator: Indicator
    ambition: float | None = None  # NHS England's national ambition, in percent
    ambition_source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Unsupported:
    """A clinical area, or part of one, that the data cannot support, and why."""

    area: str
    item: str
    reason: str

    def __str__(self) -> str:
        area = AREAS.get(self.area, "PLUS groups" if self.area == "plus" else self.area)
        return f"{area} — {self.item}: {self.reason}"


def _proportion(
    id: str,
    title: str,
    concept: str,
    population: Population,
    *,
    periods: str = "financial_year",
    window_days: int | None = None,
    kind: str = "event",
    polarity: str = "higher-is-better",
) -> Indicator:
    return Indicator(
        id=id,
        title=title,
        method="proportion",
        numerator=Numerator(concept, kind=kind, window_days=window_days),  # type: ignore[arg-type]
        population=population,
        unit="%",
        periods=periods,  # type: ignore[arg-type]
        polarity=polarity,  # type: ignore[arg-type]
        breakdowns=(),  # set by core20plus5() from the columns present
    )


MEASURES: tuple[Measure, ...] = (
    Measure(
        SMI,
        _proportion(
            "smi_health_check",
            "SMI annual physical health check, adults 18+",
            "smi_health_check",
            Population(min_age=18, flags=("severe_mental_illness",)),
        ),
        ambition=60.0,
        ambition_source="NHS Long Term Plan: 60% of people with SMI receive a full annual "
        "physical health check",
    ),
    Measure(
        RESPIRATORY,
        _proportion(
            "copd_flu_vaccination",
            "Flu vaccination in the season, people with COPD",
            "flu_vaccination",
            Population(conditions=("copd",)),
            periods="flu_season",
        ),
        note="Core20PLUS5 asks for higher COVID, flu and pneumonia vaccine uptake in COPD; "
        "it sets no national percentage",
    ),
    Measure(
        RESPIRATORY,
        _proportion(
            "copd_covid_booster_75_plus",
            "COVID-19 autumn booster, people with COPD aged 75+",
            "covid_booster",
            Population(min_age=75, conditions=("copd",)),
            periods="flu_season",
        ),
        note="75+ only: the age offered an autumn booster in every recent campaign",
    ),
    Measure(
        RESPIRATORY,
        _proportion(
            "copd_pneumococcal_ever",
            "Pneumococcal vaccination ever recorded, people with COPD",
            "pneumococcal_vaccination",
            Population(conditions=("copd",)),
            kind="condition",
        ),
    ),
    Measure(
        HYPERTENSION,
        _proportion(
            "nhs_health_check_40_74",
            "NHS Health Check in the last five years, aged 40-74",
            "nhs_health_check",
            Population(min_age=40, max_age=74),
            window_days=1826,
        ),
        note="case-finding proxy; the denominator includes people already diagnosed with "
        "hypertension, diabetes or CHD, who are not eligible, so it understates uptake",
    ),
    Measure(
        HYPERTENSION,
        _proportion(
            "hypertension_recorded_18_plus",
            "Hypertension: recorded prevalence, aged 18+",
            "hypertension",
            Population(min_age=18),
            kind="condition",
            polarity="no judgement",
        ),
        note="context, not a quality measure: a higher figure can mean more disease or "
        "better case-finding (no expected prevalence to compare with)",
    ),
    Measure(
        CANCER,
        _proportion(
            "cervical_screening_25_64",
            "Cervical screening coverage, women 25-64 (3.5 years)",
            "cervical_screening",
            Population(min_age=25, max_age=64, sex="F"),
            window_days=1277,
        ),
        note="screening coverage as a proxy for early diagnosis",
    ),
    Measure(
        CANCER,
        _proportion(
            "breast_screening_53_70",
            "Breast screening coverage, women 53-70 (3 years)",
            "breast_screening",
            Population(min_age=53, max_age=70, sex="F"),
            window_days=1096,
        ),
        note="screening coverage as a proxy for early diagnosis",
    ),
    Measure(
        CANCER,
        _proportion(
            "bowel_screening_60_74",
            "Bowel screening coverage, aged 60-74 (30 months)",
            "bowel_screening",
            Population(min_age=60, max_age=74),
            window_days=913,
        ),
        note="screening coverage as a proxy for early diagnosis",
    ),
)

#: Parts of the framework no person-level primary-care extract of this kind can support.
ALWAYS_UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported(
        MATERNITY,
        "continuity of carer and maternal outcomes",
        "the data hold no pregnancy, antenatal or birth records (the demo data have no "
        "births); the ambition (75% of women from ethnic minority groups and the most "
        "deprived areas on a continuity of carer pathway) cannot be measured",
    ),
    Unsupported(
        HYPERTENSION,
        "treated to target (77% by March 2024, 80% by March 2025)",
        "the data hold no blood pressure readings or antihypertensive treatment",
    ),
    Unsupported(
        CANCER,
        "75% of cancers diagnosed at stage 1 or 2 by 2028",
        "the data hold no cancer diagnoses or staging; screening coverage is shown as a proxy",
    ),
)
