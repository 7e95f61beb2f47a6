"""Long-term conditions: hypertension, diabetes, COPD, asthma, CHD and depression.

Each person has a lifetime probability of each condition and, if they get it, an age at
diagnosis from a logistic distribution (median ``onset``, scale ``spread``) truncated to
``[min_age, 105)``; prevalence at age *x* is therefore the lifetime probability times the
share of onsets before *x*. The lifetime probability is ``lifetime`` for the reference
person (a White woman who has never smoked, in the least deprived decile, with no PLUS
flag) times rate ratios for deprivation (``most`` in decile 1, log-linear to 1 in decile
10), sex, ethnic group, smoking status and PLUS flags, capped at 0.95. Diagnoses before
2021-04-01 are prevalent conditions (their events carry their historical dates); later
ones are incident in the period and are recorded only while the person is alive and
registered. Magnitudes follow QOF 2023/24 register prevalence for England (hypertension
about 14.8% of all ages, diabetes 7.7% of 17+, COPD 1.9%, asthma 6.5% of 6+, CHD 3.0%,
depression 13% of 18+) and published deprivation and ethnic gradients (diabetes about 2×
in South Asian and 1.6× in Black people; COPD about 2.5× in the most deprived areas).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from healthgap.demo._model import DECILES, ETHNIC_GROUPS, by_decile, expit, logit, ratio_between
from healthgap.demo.dates import YEAR
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws

CONDITIONS = ("hypertension", "diabetes", "copd", "asthma", "chd", "depression")

#: Oldest age of onset modelled.
MAX_ONSET = 105.0
MAX_LIFETIME = 0.95


@dataclass(frozen=True)
class Condition:
    """Lifetime risk and age at diagnosis of one condition."""

    lifetime: float
    onset: float
    spread: float
    min_age: float
    most: float  # rate ratio in decile 1 against decile 10
    male: float = 1.0
    ethnic: dict[str, float] = field(default_factory=dict)
    smoking: dict[str, float] = field(default_factory=dict)  # "current", "ex" against never
    plus: dict[str, float] = field(default_factory=dict)

    def risk(self, people: People) -> np.ndarray:
        """Lifetime probability for each person."""
        ethnic = np.array([self.ethnic.get(g, 1.0) for g in ETHNIC_GROUPS])[people.ethnicity]
        smoke = np.array([self.smoking.get("current", 1.0), self.smoking.get("ex", 1.0), 1.0, 1.0])[
            np.where(people.smoking < 0, 3, people.smoking)
        ]
        risk = self.lifetime * ratio_between(self.most, people.decile) * ethnic * smoke
        risk = risk * np.where(people.male, self.male, 1.0)
        for name, ratio in self.plus.items():
            risk = risk * np.where(people.flags[name], ratio, 1.0)
        return np.minimum(risk, MAX_LIFETIME)

    def onset_age(self, fraction: np.ndarray) -> np.ndarray:
        """Age at diagnosis at quantile ``fraction`` of the truncated logistic distribution."""
        lo, hi = (expit((a - self.onset) / self.spread) for a in (self.min_age, MAX_ONSET))
        return self.onset + self.spread * logit(lo + fraction * (hi - lo))

    def share_by_age(self, age: np.ndarray) -> np.ndarray:
        """Share of eventual cases diagnosed by ``age``."""
        lo, hi = (expit((a - self.onset) / self.spread) for a in (self.min_age, MAX_ONSET))
        at = expit((np.clip(age, self.min_age, MAX_ONSET) - self.onset) / self.spread)
        return (at - lo) / (hi - lo)

    def truth(self) -> dict[str, object]:
        return {
            "lifetime_reference_by_decile": by_decile(
                np.minimum(self.lifetime * ratio_between(self.most, DECILES), MAX_LIFETIME)
            ),
            "median_onset_age": self.onset,
            "onset_spread": self.spread,
            "min_onset_age": self.min_age,
            "most_deprived_rate_ratio": self.most,
            "male_rate_ratio": self.male,
            "ethnic_rate_ratios": self.ethnic,
            "smoking_rate_ratios": self.smoking,
            "plus_rate_ratios": self.plus,
            "share_diagnosed_by_age": {
                str(a): round(float(self.share_by_age(np.array(a))), 4)
                for a in (20, 40, 60, 70, 80)
            },
        }


MODELS: dict[str, Condition] = {
    "hypertension": Condition(
        0.50, 62, 10, 18, most=1.25, male=1.15, ethnic={"Black": 1.4, "Asian": 1.1}
    ),
    "diabetes": Condition(
        0.18, 63, 12, 5, most=1.6, male=1.3,
        ethnic={"Asian": 2.2, "Black": 1.6, "Mixed": 1.2, "Other": 1.3},
        plus={"severe_mental_illness": 1.6, "learning_disability": 1.4},
    ),
    "copd": Condition(
        0.045, 70, 9, 35, most=2.5, male=1.1, ethnic={"Asian": 0.6, "Black": 0.5},
        smoking={"current": 4.0, "ex": 2.5}, plus={"homeless": 2.0},
    ),
    "asthma": Condition(
        0.085, 15, 14, 2, most=1.25, male=0.9, ethnic={"Asian": 1.1, "Black": 1.1},
        smoking={"current": 1.3}, plus={"learning_disability": 1.3},
    ),
    "chd": Condition(
        0.12, 76, 9, 30, most=1.7, male=1.8, ethnic={"Asian": 1.5, "Black": 0.7},
        smoking={"current": 1.8, "ex": 1.3}, plus={"severe_mental_illness": 1.4},
    ),
    "depression": Condition(
        0.22, 35, 13, 12, most=1.4, male=0.6, ethnic={"Asian": 0.7, "Black": 0.6, "Mixed": 1.1},
        smoking={"current": 1.4}, plus={"homeless": 2.0, "learning_disability": 1.3},
    ),
}  # fmt: skip


def onsets(people: People, draws: Draws) -> dict[str, np.ndarray]:
    """Time of diagnosis (days since 1970-01-01) of each condition, inf if never."""
    out = {}
    for name in CONDITIONS:
        model = MODELS[name]
        u = draws.uniform(people.lsoa)
        risk = model.risk(people)
        has = u < risk
        age = model.onset_age(np.where(has, u / np.where(has, risk, 1.0), 0.5))
        out[name] = np.where(has, people.birth + age * YEAR, np.inf)
    return out


def count_before(people: People, when: np.ndarray | float) -> np.ndarray:
    """Number of conditions diagnosed before ``when``."""
    return np.sum([people.onset[name] < when for name in CONDITIONS], axis=0, dtype="int64")
