"""Smoking status of adults (18+): current, ex or never, recorded once in the period.

Current smoking follows a logistic model: 21% in the most deprived decile and 6% in the
least for the reference person (a White woman aged 50–64 with no PLUS flag), with odds
ratios for age, sex, ethnic group and PLUS flags (ONS Annual Population Survey 2023: 11.9%
of adults in England smoke, about three times as many in the most as in the least
deprived areas; higher with severe mental illness and homelessness). Among non-smokers the
share of ex-smokers rises with age. About 90% of adults have one ``smoking_status`` event,
on a uniformly random day of their time in the record after turning 18.
"""

from __future__ import annotations

import numpy as np

from healthgap.demo._model import (
    DECILES,
    ETHNIC_GROUPS,
    by_decile,
    expit,
    log_odds,
    logit_between,
    plus_log_odds,
)
from healthgap.demo.dates import PERIOD_START, birthday
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws

#: Status codes (and ``value`` texts of the ``smoking_status`` event).
STATUSES = ("current", "ex", "never")
NOT_ADULT = -1

CURRENT_MOST, CURRENT_LEAST = 0.21, 0.06
AGE_ODDS = ((18, 0.8), (25, 1.25), (35, 1.15), (50, 1.0), (65, 0.45))
MALE_ODDS = 1.35
ETHNIC_ODDS = {"Asian": 0.6, "Black": 0.6, "Mixed": 1.4, "Other": 0.9}
PLUS_ODDS = {"severe_mental_illness": 3.0, "homeless": 4.0, "learning_disability": 0.6}

#: Share of ex-smokers among people who do not smoke now, by age (men × 1.15).
EX_SHARE = ((18, 0.08), (25, 0.15), (35, 0.25), (50, 0.35), (65, 0.45))
EX_MALE = 1.15

#: Share of adults with a smoking status recorded in the period.
RECORDED = 0.9


def _step(table: tuple[tuple[int, float], ...], age: np.ndarray) -> np.ndarray:
    starts, values = zip(*table, strict=True)
    return np.asarray(values)[np.clip(np.searchsorted(starts, age, side="right") - 1, 0, None)]


def smoking_status(people: People, draws: Draws) -> np.ndarray:
    """Status code per person (index into ``STATUSES``; −1 under 18 on census day + 5 y)."""
    age = people.age
    lo = (
        logit_between(CURRENT_MOST, CURRENT_LEAST, people.decile)
        + np.log(_step(AGE_ODDS, age))
        + np.log(MALE_ODDS) * people.male
        + log_odds(ETHNIC_ODDS, people.ethnicity, ETHNIC_GROUPS)
        + plus_log_odds(PLUS_ODDS, people.flags)
    )
    u = draws.uniform(people.lsoa)
    current = u < expit(lo)
    ex_share = np.minimum(_step(EX_SHARE, age) * np.where(people.male, EX_MALE, 1.0), 0.9)
    ex = ~current & (draws.uniform(people.lsoa) < ex_share)
    status = np.where(current, 0, np.where(ex, 1, 2)).astype("int8")
    adult_in_period = age >= 13  # 18 before the period ends
    return np.where(adult_in_period, status, NOT_ADULT).astype("int8")


def record_times(people: People, draws: Draws) -> tuple[np.ndarray, np.ndarray]:
    """Rows and times of the ``smoking_status`` events."""
    u_recorded, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
    start = np.maximum(PERIOD_START, birthday(people.birth, 18))
    end = people.exit
    rows = np.flatnonzero((people.smoking >= 0) & (u_recorded < RECORDED) & (start < end))
    return rows, start[rows] + u_when[rows] * (end[rows] - start[rows])


def truth() -> dict[str, object]:
    return {
        "current_reference_by_decile": by_decile(
            expit(logit_between(CURRENT_MOST, CURRENT_LEAST, DECILES))
        ),
        "reference": "White woman aged 50–64 with no PLUS flag",
        "age_odds_ratios": {f"{a}+": r for a, r in AGE_ODDS},
        "male_odds_ratio": MALE_ODDS,
        "ethnic_odds_ratios": ETHNIC_ODDS,
        "plus_odds_ratios": PLUS_ODDS,
        "ex_share_of_non_smokers_by_age": {f"{a}+": r for a, r in EX_SHARE},
        "ex_share_male_ratio": EX_MALE,
        "recorded_share": RECORDED,
    }
