"""Emergency hospital admissions: Poisson counts per financial year.

For each financial year a person in the record during it has admissions at a yearly rate
that depends on their age at the start of the year (babies born in the year: the age-0
rate), their neighbourhood's deprivation (1.9 times as many in the most deprived decile
as in the least), the number of long-term conditions diagnosed by then (× 1.35 each) and
PLUS flags, times the share of the year they are in the record (from birth for babies);
admission days are uniform over that time. Rates are set so that England would see about
0.11 admissions per person per year (NHS Hospital Episode Statistics 2023/24: about 6.4
million emergency admissions).
"""

from __future__ import annotations

import numpy as np

from healthgap.demo._model import DECILES, by_decile, ratio_between
from healthgap.demo.conditions import count_before
from healthgap.demo.dates import FINANCIAL_YEARS, YEAR
from healthgap.demo.events import Batch
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws

#: Yearly admissions of the reference person (least deprived decile, no long-term
#: condition, no PLUS flag) by age at the start of the year.
BASE_RATES = ((0, 0.22), (1, 0.08), (5, 0.03), (15, 0.05), (25, 0.045), (45, 0.05),
              (65, 0.08), (75, 0.14), (85, 0.27))  # fmt: skip
MOST_DEPRIVED_RATIO = 1.9
PER_CONDITION = 1.35
PLUS_RATIOS = {"homeless": 3.0, "severe_mental_illness": 1.8, "learning_disability": 1.8}


def admissions(people: People, draws: Draws) -> list[Batch]:
    """``emergency_admission`` events for every financial year."""
    batches, exit_times = [], people.exit
    ages, rates = (np.asarray(x) for x in zip(*BASE_RATES, strict=True))
    deprivation = ratio_between(MOST_DEPRIVED_RATIO, people.decile)
    plus = np.ones(len(people))
    for name, ratio in PLUS_RATIOS.items():
        plus = plus * np.where(people.flags[name], ratio, 1.0)
    entry = people.entry
    for _, start, stop in FINANCIAL_YEARS:
        begin = np.maximum(entry, start)  # babies born in the year count from birth
        end = np.minimum(exit_times, stop)
        exposure = np.maximum(end - begin, 0.0) / YEAR
        age = people.age_at(start)  # negative for babies born in the year: the age-0 rate
        base = rates[np.clip(np.searchsorted(ages, age, side="right") - 1, 0, None)]
        conditions = count_before(people, start)
        lam = base * deprivation * PER_CONDITION**conditions * plus * exposure
        counts = draws.poisson(people.lsoa, lam)
        rows = np.repeat(np.arange(len(people)), counts)
        u = draws.uniform(people.lsoa[rows])
        times = begin[rows] + u * (end[rows] - begin[rows])
        batches.append(Batch("emergency_admission", rows, times))
    return batches


def truth() -> dict[str, object]:
    return {
        "reference_yearly_rate_by_age": {f"{a}+": r for a, r in BASE_RATES},
        "reference": "least deprived decile, no long-term condition, no PLUS flag",
        "deprivation_rate_ratio_by_decile": by_decile(ratio_between(MOST_DEPRIVED_RATIO, DECILES)),
        "rate_ratio_per_long_term_condition": PER_CONDITION,
        "plus_rate_ratios": PLUS_RATIOS,
    }
