"""Who is in an indicator's population in each period, as Ibis expressions over the
person-level records (read in place, never loaded into Python).

Rules (see docs/engine.md):

- *Age* is in completed years on the reference date (the birthday rule, from
  ``birth_date``).
- *In the population on a date*: registered (``registered_from`` on or before it and
  ``registered_to``, the last registered day, missing or on or after it), alive (no
  ``death`` event on or before it), of the population's ages and sex, with its PLUS flags
  true and its conditions first recorded on or before the date.
- The reference date is the period end for proportions and means, and the middle of the
  period for rates, standardised rates and life expectancy, whose denominators are the
  mid-period population (approximating person-years, as ONS mid-year estimates do).

Because the periods' reference dates are increasing, every rule holds for a run of
consecutive periods: a person is in the population from period ``lo`` to period ``hi``
(the first period after they registered, reached the minimum age, were diagnosed… to the
last before they left, died, passed the maximum age). The engine therefore computes two
numbers per person — no person × period table — by binary search over the reference
dates, and counts people by ``lo`` and ``hi``; Python spreads those counts over the
periods (:mod:`~healthgap.indicators.cube`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator

DEATH = "death"
PERSON_COLUMNS = ("person_id", "sex", "birth_date", "lsoa_code")
EVENT_COLUMNS = ("person_id", "date", "concept")
#: Cube columns the engine derives (from the LSOA reference or the age).
DERIVED = frozenset({"imd_decile", "msoa_code", "lad_code", "age_group"})


class Records:
    """The person-level records on one backend.

    :meth:`prepare` caches, once per build, one row per person with their LSOA's MSOA,
    local authority and IMD decile, birth year and month-day, death date, the first dates
    of the concepts used as conditions and, for each proportion of events, the periods in
    which they had such an event (a bit mask, ``mask_<id>``).
    """

    def __init__(self, con: ibis.BaseBackend, persons: Path, events: Path) -> None:
        self.con = con
        self.persons = _read(con, persons, PERSON_COLUMNS)
        self.events = _read(con, events, EVENT_COLUMNS)
        self.person_columns = frozenset(self.persons.columns)
        self.first: dict[str, str] = {}
        self.masks: dict[str, str] = {}
        self.reference = pd.DataFrame()
        self._base: ir.Table | None = None

    @property
    def base(self) -> ir.Table:
        assert self._base is not None, "call prepare() first"
        return self._base

    def prepare(
        self,
        reference: pd.DataFrame,
        conditions: Sequence[str],
        masks: Mapping[str, ir.Table],
    ) -> None:
        """Cache the person table. ``masks`` maps an indicator id to a table of
        ``person_id`` and ``mask`` (see :func:`healthgap.indicators.numerators.masks`)."""
        self.reference = reference
        self.first = {c: f"first_{i}" for i, c in enumerate(dict.fromkeys([DEATH, *conditions]))}
        e = self.events
        firsts = (
            e.filter(e.concept.isin(list(self.first)))
            .group_by("person_id")
            .agg(**{name: e.date.min(where=e.concept == c) for c, name in self.first.items()})
            .rename(first_person="person_id")
        )
        ref = ibis.memtable(reference).rename(ref_lsoa="lsoa_code")
        p = self.persons
        p = p.mutate(
            birth_year=p.birth_date.year().cast("int32"),
            birth_md=(p.birth_date.month() * 100 + p.birth_date.day()).cast("int32"),
        )
        t = p.left_join(ref, p.lsoa_code == ref.ref_lsoa).drop("ref_lsoa")
        t = t.left_join(firsts, t.person_id == firsts.first_person).drop("first_person")
        for i, (identifier, table) in enumerate(masks.items()):
            name = f"mask_{i}"
            m = table.rename(m_person="person_id", **{name: "mask"})
            t = t.left_join(m, t.person_id == m.m_person).drop("m_person")
            t = t.mutate(**{name: t[name].fill_null(0)})
            self.masks[identifier] = name
        self._base = t.cache()

    def require(self, indicator: Indicator, columns: Sequence[str], key: str) -> None:
        missing = [c for c in columns if c not in self.person_columns]
        if missing:
            raise InputError(
                f"indicator {indicator.id!r} key {key!r}: the persons file has no column "
                f"{', '.join(map(repr, missing))}"
            )


def _read(con: ibis.BaseBackend, path: Path, required: Sequence[str]) -> ir.Table:
    if not Path(path).is_file():
        raise InputError(f"no file {path}: check [data] in healthgap.toml")
    table = con.read_parquet(str(path))
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(f"{path} has no column {', '.join(map(repr, missing))}")
    return table


@dataclass(frozen=True)
class Calendar:
    """The reference dates of one indicator's periods, oldest first."""

    refs: tuple[date, ...]

    @property
    def k(self) -> int:
        return len(self.refs)

    @property
    def month_days(self) -> tuple[int, ...]:
        """Distinct month-days (``month * 100 + day``) of the reference dates, sorted."""
        return tuple(sorted({r.month * 100 + r.day for r in self.refs}))


def count_true(predicate: Callable[[int], ir.BooleanValue], k: int) -> ir.IntegerValue:
    """How many of ``predicate(0), …, predicate(k - 1)`` hold, for a predicate that holds
    for a first run of them and then never: a binary search, ``log2(k)`` tests a row."""

    def search(lo: int, hi: int) -> ir.IntegerValue:  # the answer lies in [lo, hi]
        if lo == hi:
            return ibis.literal(lo, "int64")
        mid = (lo + hi) // 2  # predicate(mid) true ⇒ answer ≥ mid + 1
        return predicate(mid).ifelse(search(mid + 1, hi), search(lo, mid))

    return search(0, k)


def dates_before(
    value: ir.DateValue, refs: Sequence[date], *, inclusive: bool, missing: int
) -> ir.IntegerValue:
    """Reference dates before ``value`` (on or before, if ``inclusive``); ``missing``
    where the value is missing."""

    def test(p: int) -> ir.BooleanValue:
        ref = ibis.literal(refs[p], "date")
        return ref <= value if inclusive else ref < value

    return value.isnull().ifelse(ibis.literal(missing, "int64"), count_true(test, len(refs)))


def age_at(t: ir.Table, ref: date) -> ir.IntegerValue:
    """Completed years of age on ``ref`` from the cached birth year and month-day."""
    before = ibis.literal(ref.month * 100 + ref.day) < t.birth_md
    return ibis.literal(ref.year) - t.birth_year - before.ifelse(1, 0)


def ages_below(t: ir.Table, refs: Sequence[date], age: int) -> ir.IntegerValue:
    """Reference dates on which the person is younger than ``age``."""
    return count_true(lambda p: age_at(t, refs[p]) < age, len(refs))


def person_filters(t: ir.Table, records: Records, indicator: Indicator) -> list[ir.BooleanValue]:
    """The population's rules that do not change with time: sex and PLUS flags."""
    pop = indicator.population
    records.require(indicator, pop.flags, "population.flags")
    out = [t[flag].fill_null(False) for flag in pop.flags]
    if pop.sex is not None:
        out.append(t.sex == pop.sex)
    return out


def membership(
    t: ir.Table, records: Records, indicator: Indicator, calendar: Calendar
) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """First and last period (``lo``, ``hi``) in which the person is in the population;
    ``lo > hi`` when never."""
    pop, refs, k = indicator.population, calendar.refs, calendar.k
    every_age = indicator.method == "life_expectancy"  # a life table covers every age
    starts = [ages_below(t, refs, 0 if every_age else pop.min_age)]
    ends = [dates_before(t[records.first[DEATH]], refs, inclusive=False, missing=k)]
    if not every_age and pop.max_age is not None:
        ends.append(ages_below(t, refs, pop.max_age + 1))
    if "registered_from" in records.person_columns:
        starts.append(dates_before(t.registered_from, refs, inclusive=False, missing=0))
    if "registered_to" in records.person_columns:
        ends.append(dates_before(t.registered_to, refs, inclusive=True, missing=k))
    if pop.conditions:
        diagnosed = [
            dates_before(t[records.first[c]], refs, inclusive=False, missing=k)
            for c in pop.conditions
        ]
        combine = ibis.least if pop.any_condition else ibis.greatest
        starts.append(combine(*diagnosed) if len(diagnosed) > 1 else diagnosed[0])
    lo = ibis.greatest(*starts) if len(starts) > 1 else starts[0]
    hi = (ibis.least(*ends) if len(ends) > 1 else ends[0]) - 1
    return lo, hi


def age_class(t: ir.Table, calendar: Calendar) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """``age0`` (age on the first reference date) and ``cls`` (how many of the reference
    month-days fall before the birthday): together they give the age on every reference
    date (:func:`healthgap.indicators.cube.ages`)."""
    cls = sum(
        (ibis.literal(md) < t.birth_md).ifelse(1, 0) for md in calendar.month_days
    )
    return age_at(t, calendar.refs[0]).cast("int64"), ibis.literal(0, "int64") + cls


def denominator(
    records: Records,
    indicator: Indicator,
    calendar: Calendar,
    columns: Sequence[str],
    *,
    with_age: bool,
    condition: str | None = None,
    mask: str | None = None,
) -> ir.Table:
    """People counted by their breakdown ``columns`` and ``lo``, ``hi`` (and ``age0``,
    ``cls`` when the cube needs ages; ``hit`` — the first period from which they have
    ``condition`` — for prevalences; ``mask`` — the periods in which they were in the
    population and had an event, from the cached column ``mask`` — for proportions of
    events)."""
    b = records.base
    filters = person_filters(b, records, indicator)
    if filters:
        b = b.filter(*filters)
    lo, hi = membership(b, records, indicator, calendar)
    extra: dict[str, ir.Value] = {"lo": lo.cast("int64"), "hi": hi.cast("int64")}
    if condition is not None:
        first = dates_before(b[records.first[condition]], calendar.refs, inclusive=False,
                             missing=calendar.k)  # fmt: skip
        extra["hit"] = ibis.greatest(lo, first).cast("int64")
    if mask is not None:
        one = ibis.literal(1, "int64")
        extra["mask"] = b[mask] & ((one << (hi + 1)) - (one << lo))
    if with_age:
        extra["age0"], extra["cls"] = age_class(b, calendar)
    t = b.select(*columns, **extra)
    t = t.filter(t.lo <= t.hi)
    return t.group_by([*columns, *extra]).agg(n=t.count())
