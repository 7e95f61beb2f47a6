"""Screening and health checks: cervical, breast and bowel screening, NHS Health Checks
and annual physical health checks for people with severe mental illness.

Cancer screening uses a "regular attender" model: each eligible person is an attender
with the service's probability (the truth's ``reference_by_decile`` for the reference
person) and attenders are screened every ``interval`` years from a random phase, whenever
they are of eligible age, alive and registered. Coverage (screened within the interval)
therefore equals the attender probability once the look-back fits inside the period.

- Cervical: women 25–64, every 3 years (5 years from 50); 62% (most deprived) to 76%
  (least) — NHS cervical screening coverage in England is about 69%.
- Breast: women 50–70, every 3 years; 58% to 76% (coverage about 70%).
- Bowel: everyone 50–74, every 2 years; 56% to 76% (uptake about 70%, lower in men).
- NHS Health Check: people aged 40–74 without hypertension, diabetes or CHD, at most one
  check in the five years at a random time: 38% to 46%.
- SMI health check: people with severe mental illness, each financial year: 50% to 62%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.demo._model import expit
from healthgap.demo.dates import FINANCIAL_YEARS, PERIOD_START, PERIOD_STOP, YEAR, age_at
from healthgap.demo.events import Batch, within
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws
from healthgap.demo.uptake import SCREENING_ETHNIC, Uptake


@dataclass(frozen=True)
class Programme:
    """A cancer screening programme in the regular-attender model."""

    concept: str
    uptake: Uptake
    ages: tuple[float, float]  # eligible from the first age up to (not including) the second
    interval: float  # years
    later_interval: tuple[float, float] | None = None  # (from age on census day, interval)
    women_only: bool = False

    def truth(self) -> dict[str, object]:
        return {
            **self.uptake.truth(),
            "meaning": "probability of being a regular attender (= coverage)",
            "ages": list(self.ages),
            "interval_years": self.interval,
            "later_interval": list(self.later_interval) if self.later_interval else None,
            "women_only": self.women_only,
        }


PLUS_SCREENING = {"learning_disability": 0.35, "severe_mental_illness": 0.7, "homeless": 0.4}

PROGRAMMES = (
    Programme("cervical_screening", Uptake(0.62, 0.76, SCREENING_ETHNIC, PLUS_SCREENING),
              (25, 65), 3.0, later_interval=(49.5, 5.0), women_only=True),
    Programme("breast_screening", Uptake(0.58, 0.76, SCREENING_ETHNIC, PLUS_SCREENING),
              (50, 71), 3.0, women_only=True),
    Programme("bowel_screening", Uptake(0.56, 0.76, SCREENING_ETHNIC, PLUS_SCREENING, male=0.85),
              (50, 75), 2.0),
)  # fmt: skip

HEALTH_CHECK = Uptake(0.38, 0.46, {"Black": 0.9}, {"homeless": 0.5})
HEALTH_CHECK_AGES = (40, 75)
HEALTH_CHECK_EXCLUDED = ("hypertension", "diabetes", "chd")

SMI_CHECK = Uptake(0.50, 0.62, {"Black": 0.8}, {"homeless": 0.5})


def screening(people: People, draws: Draws) -> list[Batch]:
    """Cancer screening events of every programme."""
    batches, exit_times = [], people.exit
    period_years = (PERIOD_STOP - PERIOD_START) / YEAR
    for programme in PROGRAMMES:
        u_attend, u_phase = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
        lo, hi = programme.ages
        start_age = people.age_at(PERIOD_START)
        reachable = (start_age < hi) & (start_age + period_years >= lo)
        if programme.women_only:
            reachable &= ~people.male
        rows = np.flatnonzero(reachable)
        attends = u_attend[rows] < expit(programme.uptake.log_odds(people, rows))
        rows = rows[attends]
        interval = np.full(len(rows), programme.interval)
        if programme.later_interval:
            switch_age, later = programme.later_interval
            interval = np.where(start_age[rows] >= switch_age, later, interval)
        phase = u_phase[rows] * interval
        birth = people.birth[rows]
        for k in range(int(period_years // programme.interval) + 2):
            times = PERIOD_START + (phase + k * interval) * YEAR
            age = age_at(birth, times)
            ok = (times < PERIOD_STOP) & (age >= lo) & (age < hi)
            ok &= within(rows, times, exit_times)
            batches.append(Batch(programme.concept, rows[ok], times[ok]))
    return batches


def health_checks(people: People, draws: Draws) -> list[Batch]:
    """``nhs_health_check`` (at most one per person) and ``smi_health_check`` (yearly)."""
    exit_times = people.exit
    u_take, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
    times = PERIOD_START + u_when * (PERIOD_STOP - PERIOD_START)
    age = people.age_at(times)
    lo, hi = HEALTH_CHECK_AGES
    excluded = np.any([people.onset[c] < times for c in HEALTH_CHECK_EXCLUDED], axis=0)
    rows = np.flatnonzero((age >= lo) & (age < hi) & ~excluded)
    keep = (u_take[rows] < expit(HEALTH_CHECK.log_odds(people, rows))) & within(
        rows, times[rows], exit_times
    )
    batches = [Batch("nhs_health_check", rows[keep], times[rows][keep])]
    for _, start, stop in FINANCIAL_YEARS:
        u_take, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
        rows = np.flatnonzero(people.flags["severe_mental_illness"] & (exit_times > start))
        when = start + u_when[rows] * (stop - start)
        keep = (u_take[rows] < expit(SMI_CHECK.log_odds(people, rows))) & within(
            rows, when, exit_times
        )
        batches.append(Batch("smi_health_check", rows[keep], when[keep]))
    return batches


def truth() -> dict[str, object]:
    return {
        **{p.concept: p.truth() for p in PROGRAMMES},
        "nhs_health_check": {
            **HEALTH_CHECK.truth(),
            "meaning": "probability of one check in the five years for someone eligible",
            "ages": list(HEALTH_CHECK_AGES),
            "excluded_if_diagnosed": list(HEALTH_CHECK_EXCLUDED),
        },
        "smi_health_check": {
            **SMI_CHECK.truth(),
            "meaning": "probability of a check in a financial year for people with SMI "
            "registered at its start",
        },
    }
