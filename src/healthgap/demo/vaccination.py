"""Vaccinations: seasonal flu, COVID-19 autumn boosters and the second MMR dose.

Flu (each season, 1 September to 31 March): everyone aged 65+ on 31 March of the season,
and at-risk people aged 2–64 (diagnosed asthma, COPD, CHD or diabetes before the season,
a learning disability, or an unpaid carer aged 16+), alive and registered on 1 September.
Reference uptake 66% (most deprived) to 82% (least) at 65+ and 35% to 52% at risk under
65 (UKHSA seasonal flu vaccine uptake in GP patients, 2023/24: 77.8% at 65+, about 41% in
clinical risk groups, both lower in deprived areas and much lower in Black groups), with
season offsets for the decline since 2021/22. In the planted neighbourhoods uptake is cut
by 25 percentage points. Most vaccinations come early in the season (an exponential delay
with a 40-day mean, truncated at the season's end).

COVID-19 autumn booster (1 October to 31 January): aged 75+ at the campaign's end. 58% to
80% in the reference person in autumn 2023, higher in 2021 and 2022 and lower since.

MMR2: children who reach 3 years 4 months in the period, with 80% to 90% vaccinated by
their fifth birthday (UKHSA COVER: about 85% in England), most within months of becoming
due. Doses before the period are not recorded, so MMR2 coverage at five can be measured
for children who turn five from December 2022 on.
"""

from __future__ import annotations

import numpy as np

from healthgap.demo._model import expit
from healthgap.demo.dates import PERIOD_START, PERIOD_STOP, birthday, day
from healthgap.demo.events import Batch, within
from healthgap.demo.geography import PLANTED_CUT
from healthgap.demo.persons import People
from healthgap.demo.streams import Draws, truncated_exponential
from healthgap.demo.uptake import VACCINE_ETHNIC, Uptake

FLU_SEASONS = tuple((f"{y}/{(y + 1) % 100:02d}", day(f"{y}-09-01"), day(f"{y + 1}-04-01"))
                    for y in range(2021, 2026))  # fmt: skip
FLU_OFFSETS = (0.2, 0.08, 0.0, -0.12, -0.12)
FLU_65 = Uptake(0.66, 0.82, VACCINE_ETHNIC, {"homeless": 0.4, "severe_mental_illness": 0.8})
FLU_AT_RISK = Uptake(0.35, 0.52, VACCINE_ETHNIC, {"homeless": 0.4, "severe_mental_illness": 0.8})
FLU_RISK_CONDITIONS = ("asthma", "copd", "chd", "diabetes")
FLU_MEAN_DELAY = 40.0
PLANTED_FLOOR = 0.02

COVID_CAMPAIGNS = tuple(
    (str(y), day(f"{y}-10-01"), day(f"{y + 1}-02-01")) for y in range(2021, 2026)
)
COVID_OFFSETS = (0.8, 0.4, 0.0, -0.3, -0.4)
COVID_75 = Uptake(0.58, 0.80, {"Asian": 0.45, "Black": 0.2, "Mixed": 0.45, "Other": 0.45},
                  {"homeless": 0.4})  # fmt: skip
COVID_AGE = 75
COVID_MEAN_DELAY = 30.0

MMR2 = Uptake(0.80, 0.90, {"Asian": 0.9, "Black": 0.6, "Mixed": 0.8, "Other": 0.7})
MMR2_DUE_AGE = 40 / 12
MMR2_MEAN_DELAY = 90.0


def flu(people: People, draws: Draws) -> list[Batch]:
    """``flu_vaccination`` events for every season."""
    batches, exit_times = [], people.exit
    for (_, start, stop), offset in zip(FLU_SEASONS, FLU_OFFSETS, strict=True):
        u_take, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
        present = exit_times > start
        older = people.age_at(stop - 1) >= 65
        age_now = people.age_at(start)
        at_risk = (
            np.any([people.onset[c] < start for c in FLU_RISK_CONDITIONS], axis=0)
            | people.flags["learning_disability"]
            | (people.flags["carer"] & (age_now >= 16))
        ) & (age_now >= 2)
        rows = np.flatnonzero(present & (older | at_risk))
        model = np.where(older[rows], 1, 0)
        lo = np.where(model == 1, FLU_65.log_odds(people, rows), FLU_AT_RISK.log_odds(people, rows))
        p = expit(lo + offset)
        p = np.where(people.planted[rows], np.maximum(p - PLANTED_CUT, PLANTED_FLOOR), p)
        times = start + truncated_exponential(u_when[rows], FLU_MEAN_DELAY, stop - start)
        keep = (u_take[rows] < p) & within(rows, times, exit_times)
        batches.append(Batch("flu_vaccination", rows[keep], times[keep]))
    return batches


def covid(people: People, draws: Draws) -> list[Batch]:
    """``covid_booster`` events for every autumn campaign."""
    batches, exit_times = [], people.exit
    for (_, start, stop), offset in zip(COVID_CAMPAIGNS, COVID_OFFSETS, strict=True):
        u_take, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
        stop = min(stop, PERIOD_STOP)
        rows = np.flatnonzero((exit_times > start) & (people.age_at(stop - 1) >= COVID_AGE))
        p = expit(COVID_75.log_odds(people, rows) + offset)
        times = start + truncated_exponential(u_when[rows], COVID_MEAN_DELAY, stop - start)
        keep = (u_take[rows] < p) & within(rows, times, exit_times)
        batches.append(Batch("covid_booster", rows[keep], times[keep]))
    return batches


def mmr2(people: People, draws: Draws) -> list[Batch]:
    """``mmr2`` events of children who become due in the period."""
    u_take, u_when = draws.uniform(people.lsoa), draws.uniform(people.lsoa)
    due = birthday(people.birth, MMR2_DUE_AGE)
    fifth = birthday(people.birth, 5)
    rows = np.flatnonzero((due >= PERIOD_START) & (due < PERIOD_STOP))
    p = expit(MMR2.log_odds(people, rows))
    times = due[rows] + truncated_exponential(
        u_when[rows], MMR2_MEAN_DELAY, fifth[rows] - due[rows]
    )
    keep = (u_take[rows] < p) & within(rows, times, people.exit)
    return [Batch("mmr2", rows[keep], times[keep])]


def truth() -> dict[str, object]:
    return {
        "flu_vaccination": {
            "seasons": [label for label, _, _ in FLU_SEASONS],
            "season_log_odds_offsets": list(FLU_OFFSETS),
            "aged_65_plus": FLU_65.truth(),
            "at_risk_under_65": FLU_AT_RISK.truth(),
            "aged_65_plus_by_season": {
                label: FLU_65.reference(offset)
                for (label, _, _), offset in zip(FLU_SEASONS, FLU_OFFSETS, strict=True)
            },
            "at_risk_conditions": list(FLU_RISK_CONDITIONS),
            "eligibility": "65+ on 31 March of the season; or aged 2–64 with asthma, COPD, "
            "CHD or diabetes diagnosed before 1 September, a learning disability, or an "
            "unpaid carer aged 16+; alive and registered on 1 September",
            "planted_cut_percentage_points": round(100 * PLANTED_CUT),
            "mean_days_after_1_september": FLU_MEAN_DELAY,
        },
        "covid_booster": {
            "campaigns": [label for label, _, _ in COVID_CAMPAIGNS],
            "campaign_log_odds_offsets": list(COVID_OFFSETS),
            **COVID_75.truth(),
            "eligibility": "75+ at the end of the campaign (1 October – 31 January), alive "
            "and registered on 1 October",
        },
        "mmr2": {
            **MMR2.truth(),
            "meaning": "probability of MMR2 by the fifth birthday",
            "eligibility": "children who reach 3 years 4 months in the period",
        },
    }
