"""Births: babies born during the record, neighbourhood by neighbourhood.

In each financial year of the record (2021/22 … 2025/26) every neighbourhood (LSOA) has
as many babies as it has people aged 0 on census day — its Census 2021 0-year-olds as
spread by :mod:`healthgap.demo.persons` — so the under-1 population stays at about its
census-day size instead of emptying after the first year. Each baby's birth day is a
uniformly random day of its financial year (so births are uniform across the record, a
fixed number a year) and the baby is registered from that day. The rest follows the
model's rules for children of the neighbourhood: the share of girls at age 0 (48.7%, about
105 boys per 100 girls), the ethnic mix of its 0–15 band and the same choice of GP
practice. Babies are not in the record at its start, so they have no PLUS flag (a status
at the start of the record); deaths and moving away apply from birth
(:func:`healthgap.demo.mortality.death_times`, :func:`healthgap.demo.persons.move_away`).

People of a chunk are ordered by neighbourhood, the census-day residents first and then
the neighbourhood's babies by birth day, and numbered in that order, so person ids stay
1, 2, 3 … in LSOA-code order whatever the chunking. Babies' numbers come from their
neighbourhood's own ``"births"`` stream (:mod:`healthgap.demo.streams`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from healthgap.demo import ethnicity
from healthgap.demo.dates import FINANCIAL_YEARS
from healthgap.demo.geography import Geography
from healthgap.demo.persons import NOT_BORN, People, female_share
from healthgap.demo.streams import Draws

#: Census age band whose ethnic mix babies take (0–15).
CHILD_BAND = 0

#: The person-level arrays set when people are made (before the model steps).
_MADE = (
    "lsoa",
    "band",
    "age",
    "birth",
    "male",
    "decile",
    "planted",
    "msoa",
    "ethnicity",
    "practice",
    "practice_effect",
)


def yearly_births(people: People, n_areas: int) -> np.ndarray:
    """Babies per financial year of each neighbourhood: its people aged 0 on census day."""
    return np.bincount(people.lsoa[people.age == 0], minlength=n_areas)


def make_babies(geo: Geography, start: int, stop: int, people: People, draws: Draws) -> People:
    """The babies born in the record in the LSOAs ``start:stop`` (ids not yet set).

    ``people`` are the census-day residents of those LSOAs (:func:`make_people`).
    """
    per_year = yearly_births(people, stop - start)
    n_years = len(FINANCIAL_YEARS)
    per_area = per_year * n_years
    lsoa = np.repeat(np.arange(stop - start), per_area)
    # Position within the neighbourhood, 0 … 5·c − 1: the first c are born in 2021/22 …
    position = np.arange(len(lsoa)) - np.repeat(np.cumsum(per_area) - per_area, per_area)
    year = position // np.maximum(np.repeat(per_year, per_area), 1)
    first = np.array([a for _, a, _ in FINANCIAL_YEARS], dtype="int64")[year]
    after = np.array([b for _, _, b in FINANCIAL_YEARS], dtype="int64")[year]
    u_day, u_sex, u_ethnic, u_own, u_pick = (draws.uniform(lsoa) for _ in range(5))
    birth = first + np.floor(u_day * (after - first)).astype("int64")
    # Babies of a neighbourhood in order of birth (rows are already grouped by LSOA).
    order = np.lexsort((birth, lsoa))
    birth, u_sex, u_ethnic, u_own, u_pick = (
        x[order] for x in (birth, u_sex, u_ethnic, u_own, u_pick)
    )
    areas = geo.areas.iloc[start:stop]
    msoa = areas["msoa"].to_numpy()[lsoa]
    band = np.full(len(lsoa), CHILD_BAND, dtype="int8")
    practice = geo.practices.assign(msoa, u_own, u_pick)
    return People(
        ids=np.zeros(len(lsoa), dtype="int64"),
        lsoa=lsoa,
        band=band,
        age=np.full(len(lsoa), NOT_BORN, dtype="int64"),
        birth=birth,
        male=u_sex >= female_share(np.zeros(len(lsoa), dtype="int64")),
        decile=areas["imd_decile"].to_numpy()[lsoa],
        planted=areas["planted"].to_numpy()[lsoa],
        msoa=msoa,
        ethnicity=ethnicity.draw(u_ethnic, geo.ethnic[start:stop][lsoa, band]),
        practice=practice,
        practice_effect=geo.practices.effect[practice],
    )


def with_births(
    geo: Geography, start: int, stop: int, people: People, first_id: int, draws: Draws
) -> People:
    """``people`` (census-day residents of LSOAs ``start:stop``) and their babies, ordered
    by neighbourhood (residents first, then babies by birth day), numbered from
    ``first_id``."""
    babies = make_babies(geo, start, stop, people, draws)
    order = np.argsort(np.concatenate([people.lsoa, babies.lsoa]), kind="stable")
    columns: dict[str, Any] = {  # every person-level array made so far
        name: np.concatenate([getattr(people, name), getattr(babies, name)])[order]
        for name in _MADE
    }
    return replace(people, ids=first_id + np.arange(len(order), dtype="int64"), **columns)


def truth() -> dict[str, object]:
    return {
        "per_year": "in each financial year, as many babies in each LSOA as its people "
        "aged 0 on census day (2021-03-21)",
        "birth_day": "uniformly random day of the financial year; registered from that day",
        "female_share": float(female_share(np.zeros(1, dtype="int64"))[0]),
        "ethnic_mix": "the LSOA's 0–15 band",
        "plus_flags": "none (flags are a status at the start of the record)",
    }
