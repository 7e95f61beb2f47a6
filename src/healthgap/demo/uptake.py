"""Uptake of preventive services: a logistic model shared by every service.

For the reference person — White, no PLUS flag, at a practice with no practice effect,
not in a planted neighbourhood — the probability is ``least`` in the least deprived
national IMD decile (10) and ``most`` in the most deprived (1), linear on the log-odds
scale in between. Odds ratios then apply for ethnic group, PLUS flags and sex, plus the
practice's random effect (see :mod:`healthgap.demo.practices`) and, for seasonal
services, a log-odds offset per season.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from healthgap.demo.persons import People

#: The same odds ratios by ethnic group appear for several services (PHE/UKHSA vaccine
#: uptake by ethnicity; NHS screening programme equality reports): lower uptake in
#: Black, Asian, Mixed and Other groups than in White groups.
VACCINE_ETHNIC = {"Asian": 0.55, "Black": 0.3, "Mixed": 0.55, "Other": 0.55}
SCREENING_ETHNIC = {"Asian": 0.55, "Black": 0.65, "Mixed": 0.75, "Other": 0.6}


@dataclass(frozen=True)
class Uptake:
    """Probability of taking up a service."""

    most: float
    least: float
    ethnic: dict[str, float] = field(default_factory=dict)
    plus: dict[str, float] = field(default_factory=dict)
    male: float = 1.0

    def log_odds(self, people: People, rows: np.ndarray) -> np.ndarray:
        """Log-odds of uptake of people ``rows`` (season offsets not included)."""
        flags = {name: people.flags[name][rows] for name in self.plus}
        out = logit_between(self.most, self.least, people.decile[rows])
        out = out + log_odds(self.ethnic, people.ethnicity[rows], ETHNIC_GROUPS)
        out = out + np.log(self.male) * people.male[rows] + people.practice_effect[rows]
        if flags:
            out = out + plus_log_odds(self.plus, flags)
        return out

    def reference(self, offset: float = 0.0) -> dict[str, float]:
        """Reference-person probability by decile, ``{"1": …, "10": …}``."""
        return by_decile(expit(logit_between(self.most, self.least, DECILES) + offset))

    def truth(self) -> dict[str, object]:
        return {
            "reference_by_decile": self.reference(),
            "ethnic_odds_ratios": self.ethnic,
            "plus_odds_ratios": self.plus,
            "male_odds_ratio": self.male,
        }
