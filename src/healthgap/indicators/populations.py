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

Because the periods' reference dates increase, each rule holds for a run of consecutive
periods: a person is in the population from period ``lo`` to period ``hi`` (from the first
period after they registered, reached the minimum age, were diagnosed… to the last before
they left, died or passed the maximum age). The engine computes these two numbers per
person — by binary search over the reference dates, never a person × period table — and
counts people by them; :mod:`~healthgap.indicators.cube` spreads the counts over periods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import ibis
import ibis.expr.types as ir

from healthgap.indicators.definition import Indicator
from healthgap.indicators.records import DEATH, Records


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


def age_on(t: ir.Table, ref: date) -> ir.IntegerValue:
    """Completed years of age on ``ref`` from the cached birth year and month-day."""
    before = ibis.literal(ref.month * 100 + ref.day) < t.birth_md
    return (ibis.literal(ref.year) - t.birth_year - before.ifelse(1, 0)).cast("int64")


def ages_below(t: ir.Table, calendar: Calendar, age: int) -> ir.IntegerValue:
    """Reference dates on which the person is younger than ``age``."""
    refs = calendar.refs
    if len(calendar.month_days) == 1 and all(
        b.year - a.year == 1 for a, b in pairwise(refs)
    ):  # yearly on the same day: one more year of age a period
        return ibis.greatest(ibis.least(age - age_on(t, refs[0]), calendar.k), 0).cast("int64")
    return count_true(lambda p: age_on(t, refs[p]) < age, calendar.k)


def person_filters(t: ir.Table, records: Records, indicator: Indicator) -> list[ir.BooleanValue]:
    """The population's rules that do not change with time: sex and PLUS flags, and a
    loose bound on birth years (cheap, before the per-person searches)."""
    pop = indicator.population
    records.require(indicator, pop.flags, "population.flags")
    out = [t[flag].fill_null(False) for flag in pop.flags]
    if pop.sex is not None:
        out.append(t.sex == pop.sex)
    return out


def birth_years(
    t: ir.Table, indicator: Indicator, first: date, last: date
) -> list[ir.BooleanValue]:
    """People who can be of the population's ages at some date from ``first`` to ``last``."""
    pop = indicator.population
    if indicator.method == "life_expectancy":
        return []
    out = [t.birth_year <= last.year - pop.min_age]
    if pop.max_age is not None:
        out.append(t.birth_year >= first.year - pop.max_age - 1)
    return out


def membership(
    t: ir.Table, records: Records, indicator: Indicator, calendar: Calendar
) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """First and last period (``lo``, ``hi``) in which the person is in the population;
    ``lo > hi`` when never."""
    pop, refs, k = indicator.population, calendar.refs, calendar.k
    every_age = indicator.method == "life_expectancy"  # a life table covers every age
    starts = [ages_below(t, calendar, 0 if every_age else pop.min_age)]
    ends = [dates_before(t[records.first[DEATH]], refs, inclusive=False, missing=k)]
    if not every_age and pop.max_age is not None:
        ends.append(ages_below(t, calendar, pop.max_age + 1))
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
    return lo.cast("int64"), hi.cast("int64")


def age_class(t: ir.Table, calendar: Calendar) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """``age0`` (age on the first reference date) and ``cls`` (how many of the reference
    month-days fall before the birthday): together they give the age on every reference
    date (:func:`healthgap.indicators.cube.ages`). With one month-day (yearly periods)
    ``cls`` does not matter and is 0; ages from 90 (the top band of every age grouping)
    count as 90, so that the cube has fewer rows."""
    age0 = ibis.least(age_on(t, calendar.refs[0]), TOP_AGE)
    if len(calendar.month_days) == 1:
        return age0, ibis.literal(0, "int64")
    cls = sum(
        ((ibis.literal(md) < t.birth_md).ifelse(1, 0) for md in calendar.month_days),
        ibis.literal(0, "int64"),
    )
    return age0, cls.cast("int64")


#: Ages from this one are in the top band of every age grouping (90+, 85+).
TOP_AGE = 90


CODES = ("l", "decile", "pr", "pp")
_COUNTED = ("lo", "hi", "hit", "mask", "age0", "cls")


def denominators(
    records: Records,
    indicator: Indicator,
    calendar: Calendar,
    groups: Sequence[tuple[Sequence[str], bool]],
    *,
    condition: str | None = None,
    masks: ir.Table | None = None,
) -> ir.Table:
    """People counted, for each query group ``g`` of ``groups`` (codes to group by, with
    ages or not), by those codes and ``lo``, ``hi`` (and ``age0``, ``cls`` with ages;
    ``hit``, the first period in which they have ``condition``, for prevalences;
    ``mask``, the periods in which they had an event, from ``masks``, for proportions of
    events). One query: the groups' counts are stacked (codes a group does not use are
    missing), so that a backend that can (DuckDB) works out each person's periods once."""
    b = records.base
    if masks is not None:
        b = b.left_join(masks, b.person_id == masks.m_person)
    rules = [
        *person_filters(b, records, indicator),
        *birth_years(b, indicator, calendar.refs[0], calendar.refs[-1]),
    ]
    if rules:
        b = b.filter(*rules)
    lo, hi = membership(b, records, indicator, calendar)
    extra: dict[str, ir.Value] = {"lo": lo, "hi": hi}
    if condition is not None:
        extra["hit"] = dates_before(
            b[records.first[condition]], calendar.refs, inclusive=False, missing=calendar.k
        )
    if masks is not None:
        extra["mask"] = b.mask.fill_null(0)
    if any(aged for _, aged in groups):
        extra["age0"], extra["cls"] = age_class(b, calendar)
    used = sorted({c for grain, _ in groups for c in grain})
    t = b.select(
        *(b[c].cast("int64").name(c) for c in used),
        **{k: v.cast("int64") for k, v in extra.items()},
    )
    parts = []
    for g, (grain, aged) in enumerate(groups):
        keys = [*grain, *(k for k in extra if aged or k not in ("age0", "cls"))]
        counted = t.group_by(keys).agg(n=t.count())
        columns = {c: counted[c] if c in keys else ibis.null("int64") for c in (*CODES, *_COUNTED)}
        parts.append(counted.select(g=ibis.literal(g, "int64"), **columns, n=counted.n))
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
