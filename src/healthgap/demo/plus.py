"""PLUS-group flags: learning disability, severe mental illness, carers, homelessness.

Each flag is a status at the start of the record, drawn from a logistic model: a
probability for the least and the most deprived decile (interpolated on the log-odds
scale), an age pattern and a sex odds ratio. Magnitudes follow published prevalence:
learning disability registers about 0.5% (QOF 2023/24), severe mental illness registers
about 1% and higher in deprived areas (QOF), unpaid carers about 9% of adults peaking at
50–64 (Census 2021), and people experiencing homelessness (including temporary
accommodation) about 0.3–0.5% of adults and strongly concentrated in deprived areas
(DLUHC statutory homelessness statistics; Shelter). Babies born in the record were not in
it at its start, so they have no flag (their age on census day, ``NOT_BORN``, is before
every age step).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.demo._model import DECILES, PLUS_FLAGS, by_decile, expit, logit_between
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws


@dataclass(frozen=True)
class FlagModel:
    """Prevalence of one flag for a woman in the reference age group by decile."""

    most: float  # decile 1
    least: float  # decile 10
    ages: tuple[tuple[int, float], ...]  # (from age, odds ratio) steps; 0 before the first
    male: float = 1.0

    def probability(self, decile: np.ndarray, age: np.ndarray, male: np.ndarray) -> np.ndarray:
        starts, ratios = zip(*self.ages, strict=True)
        step = np.searchsorted(starts, age, side="right") - 1
        ratio = np.where(step >= 0, np.asarray(ratios)[np.maximum(step, 0)], 0.0)
        with np.errstate(divide="ignore"):
            log_odds = logit_between(self.most, self.least, decile) + np.log(ratio)
        return expit(log_odds + np.log(self.male) * male)

    def truth(self) -> dict[str, object]:
        return {
            "reference_probability_by_decile": by_decile(
                expit(logit_between(self.most, self.least, DECILES)), 5
            ),
            "age_odds_ratios": {f"{a}+": r for a, r in self.ages},
            "male_odds_ratio": self.male,
        }


MODELS: dict[str, FlagModel] = {
    "learning_disability": FlagModel(0.0055, 0.003, ((0, 1.0),), male=1.5),
    "severe_mental_illness": FlagModel(0.015, 0.0055, ((18, 1.0), (65, 0.7)), male=1.1),
    "carer": FlagModel(
        0.115,
        0.10,
        ((16, 0.45), (25, 0.6), (35, 1.0), (50, 1.6), (65, 1.1), (85, 0.6)),
        male=0.7,
    ),
    "homeless": FlagModel(0.007, 0.0006, ((18, 1.0), (25, 1.4), (50, 0.6), (65, 0.2)), male=1.8),
}


def plus_flags(people: People, draws: Draws) -> dict[str, np.ndarray]:
    """The four flags of every person (booleans)."""
    flags = {}
    for name in PLUS_FLAGS:
        p = MODELS[name].probability(people.decile, people.age, people.male)
        flags[name] = draws.uniform(people.lsoa) < p
    return flags
