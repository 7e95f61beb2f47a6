"""People: one per Census 2021 resident of each neighbourhood and age band (× scale).

Single-year ages spread each census band across its years — evenly within 0–15, 16–24,
25–34, 35–49 and 50–64; for 65+ by England's Census 2021 shares of 65–69 … 85–89 and a
declining tail from 90 to 104 — and each birth date is a uniformly random day consistent
with that age on census day (2021-03-21). The share of women rises with age, from 48.7%
of children to 70% of people over 90. Babies born during the record are added by
:mod:`healthgap.demo.births`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from healthgap.demo import ethnicity
from healthgap.demo.dates import PERIOD_START, PERIOD_STOP, YEAR, age_at
from healthgap.demo.geography import Geography
from healthgap.demo.streams import Draws
from healthgap.reference.lsoa import AGE_GROUPS

#: Oldest single year of age generated.
MAX_AGE = 104

#: England, Census 2021 (approximate): shares of residents aged 65+ in 65–69, 70–74, 75–79,
#: 80–84, 85–89 and 90+.
OLDER_SHARES = (0.2706, 0.2749, 0.1925, 0.1328, 0.0796, 0.0496)

#: Each year of age over 90 has this fraction of the residents of the year below.
OVER_90_RATIO = 0.77

#: Share of women at these ages (linear between): more women at older ages.
FEMALE_SHARE = ((0, 0.487), (15, 0.487), (20, 0.495), (30, 0.505), (60, 0.508), (65, 0.515),
                (75, 0.54), (85, 0.60), (90, 0.66), (100, 0.80))  # fmt: skip

#: Yearly rate of moving away (registration ends) by age on census day (babies born in
#: the record move at the rate of age 0).
MOVE_AWAY = ((0, 0.01), (18, 0.02), (35, 0.01))

#: ``People.age`` of babies born in the record (not yet born on census day).
NOT_BORN = -1


def _age_weights() -> np.ndarray:
    """Weights of each single year of age within its census band (bands sum to 1)."""
    weights = np.zeros(MAX_AGE + 1)
    for lo, hi in AGE_GROUPS.values():
        if hi is not None:
            weights[lo : hi + 1] = 1 / (hi - lo + 1)
    for k, share in enumerate(OLDER_SHARES[:-1]):
        weights[65 + 5 * k : 70 + 5 * k] = share / 5
    tail = OVER_90_RATIO ** np.arange(MAX_AGE - 89)
    weights[90:] = OLDER_SHARES[-1] * tail / tail.sum()
    return weights


AGE_WEIGHTS = _age_weights()


def _cumulative_by_band() -> np.ndarray:
    """Cumulative age weights of each census band over all ages (band × age)."""
    starts = [lo for lo, _ in AGE_GROUPS.values()]
    band_of_age = np.searchsorted(starts, np.arange(MAX_AGE + 1), side="right") - 1
    table = np.array([np.cumsum(np.where(band_of_age == b, AGE_WEIGHTS, 0.0)) for b in range(6)])
    return table / table[:, -1:]  # exactly 1 from each band's last age on


_CUMULATIVE = _cumulative_by_band()
_FEMALE = np.interp(
    np.arange(MAX_AGE + 1), [a for a, _ in FEMALE_SHARE], [f for _, f in FEMALE_SHARE]
)
# Birth dates consistent with each age on census day: (census − age − 1 year, census − age].
_AGES = np.arange(MAX_AGE + 1)
_LAST_BIRTH = np.array([np.datetime64(f"{2021 - a:04d}-03-21") for a in _AGES]).astype("int64")
_FIRST_BIRTH = np.array([np.datetime64(f"{2020 - a:04d}-03-22") for a in _AGES]).astype("int64")


def female_share(age: np.ndarray) -> np.ndarray:
    """Probability that a person of each single year of ``age`` (0 … ``MAX_AGE``) is a woman."""
    return _FEMALE[age]


@dataclass
class People:
    """The people of one chunk: one entry per person in every array."""

    ids: np.ndarray
    lsoa: np.ndarray  # chunk-local neighbourhood index (non-decreasing)
    band: np.ndarray
    age: np.ndarray  # completed years on census day; NOT_BORN for babies born in the record
    birth: np.ndarray  # day number (days since 1970-01-01)
    male: np.ndarray
    decile: np.ndarray
    planted: np.ndarray
    msoa: np.ndarray  # place-local MSOA index
    ethnicity: np.ndarray = field(default_factory=lambda: np.empty(0, "int8"))
    practice: np.ndarray = field(default_factory=lambda: np.empty(0, "int32"))
    practice_effect: np.ndarray = field(default_factory=lambda: np.empty(0))
    flags: dict[str, np.ndarray] = field(default_factory=dict)
    smoking: np.ndarray = field(default_factory=lambda: np.empty(0, "int8"))
    onset: dict[str, np.ndarray] = field(default_factory=dict)
    death: np.ndarray = field(default_factory=lambda: np.empty(0))  # time of death or inf
    moved: np.ndarray = field(default_factory=lambda: np.empty(0))  # time of moving or inf

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def entry(self) -> np.ndarray:
        """When each person enters the record: its start, or birth if born in it."""
        return np.maximum(self.birth, PERIOD_START)

    @property
    def exit(self) -> np.ndarray:
        """When each person leaves the record: death, moving away or the period's end."""
        return np.minimum(np.minimum(self.death, self.moved), PERIOD_STOP)

    def age_at(self, when: np.ndarray | float) -> np.ndarray:
        return age_at(self.birth, when)


def make_people(geo: Geography, start: int, stop: int, first_id: int, draws: Draws) -> People:
    """People of the LSOAs ``start:stop`` of ``geo``, numbered from ``first_id``."""
    counts = geo.counts[start:stop]
    n_areas = counts.shape[0]
    per_area = counts.sum(axis=1)
    lsoa = np.repeat(np.arange(n_areas), per_area)
    band = np.repeat(np.tile(np.arange(6, dtype="int8"), n_areas), counts.ravel())
    u_age, u_day, u_sex = (draws.uniform(lsoa) for _ in range(3))
    age = np.empty(len(lsoa), dtype="int64")
    for b in range(len(AGE_GROUPS)):
        rows = band == b
        age[rows] = np.searchsorted(_CUMULATIVE[b], u_age[rows], side="right")
    age = np.minimum(age, MAX_AGE)
    span = _LAST_BIRTH[age] - _FIRST_BIRTH[age] + 1
    birth = _FIRST_BIRTH[age] + np.floor(u_day * span).astype("int64")
    areas = geo.areas.iloc[start:stop]
    people = People(
        ids=first_id + np.arange(len(lsoa), dtype="int64"),
        lsoa=lsoa,
        band=band,
        age=age.astype("int64"),
        birth=birth,
        male=u_sex >= female_share(age),
        decile=areas["imd_decile"].to_numpy()[lsoa],
        planted=areas["planted"].to_numpy()[lsoa],
        msoa=areas["msoa"].to_numpy()[lsoa],
    )
    people.ethnicity = ethnicity.draw(draws.uniform(lsoa), geo.ethnic[start:stop][lsoa, band])
    people.practice = geo.practices.assign(people.msoa, draws.uniform(lsoa), draws.uniform(lsoa))
    people.practice_effect = geo.practices.effect[people.practice]
    return people


def move_away(people: People, u: np.ndarray) -> np.ndarray:
    """Time each person moves away (registration ends), or inf if not in the period.

    The yearly rate is constant from when the person enters the record (its start, or
    their birth).
    """
    ages, rates = zip(*MOVE_AWAY, strict=True)
    age = np.maximum(people.age, 0)
    rate = np.asarray(rates)[np.searchsorted(ages, age, side="right") - 1]
    when = people.entry - np.log1p(-u) / rate * YEAR
    return np.where(when < PERIOD_STOP, when, np.inf)
