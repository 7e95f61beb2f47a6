"""What an indicator counts, as Ibis expressions: the numerator concept's events placed in
the periods whose window holds them, then counted by breakdown columns.

- *Proportions of events*: people in the period's population (at its end) with at least
  one event in the period (or the ``window_days`` before its end): each person's periods
  with an event are a bit mask (:func:`masks`), cached with the persons and counted with
  the denominator (:func:`healthgap.indicators.populations.denominator`).
- *Rates, standardised rates, life expectancy*: every event in the period of a person who
  meets the population's rules *at the event* (age then, conditions recorded by then),
  whether or not they are still there at mid-period: the dead are counted although they
  are not in a later mid-period population.
- *Means*: the numeric ``value`` of each person's latest event in the window (the largest,
  if several share that day, so that every backend agrees), for people in the population
  at the period end.

(Prevalences — numerators of kind ``"condition"`` — are counted with the denominator too.)
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.indicators.populations import (
    Calendar,
    Records,
    dates_before,
    membership,
    person_filters,
)

LIFE_TABLE = "life_table"
FIVE_YEAR = "five_year"


def age_group(age: ir.IntegerValue, scheme: str) -> ir.IntegerValue:
    """Start age of the five-year band (0, 5, …, 90+) or life-table band (0, 1, 5, …)."""
    five = ibis.least((age // 5) * 5, 90)
    if scheme == LIFE_TABLE:
        return ibis.cases((age == 0, 0), (age < 5, 1), else_=five).cast("int64")
    return five.cast("int64")


def _age(birth_year: ir.IntegerValue, birth_md: ir.IntegerValue, year: ir.IntegerValue,
         md: ir.IntegerValue) -> ir.IntegerValue:  # fmt: skip
    return (year - birth_year - (md < birth_md).ifelse(1, 0)).cast("int64")


def _periods(dates: pd.DataFrame) -> ir.Table:
    """Period number → year and month-day of its reference date, for ages at it."""
    refs = dates["ref"]
    table = pd.DataFrame(
        {
            "p_order": dates["period_order"].astype("int64"),
            "p_year": [r.year for r in refs],
            "p_md": [r.month * 100 + r.day for r in refs],
        }
    )
    return ibis.memtable(table, schema={"p_order": "int64", "p_year": "int64", "p_md": "int64"})


def _placed(records: Records, indicator: Indicator, dates: pd.DataFrame) -> ir.Table:
    """The numerator's events with the first and last period whose window (``window_start``
    … ``period_end``) holds them, ``plo`` and ``phi`` (windows may overlap)."""
    numerator = indicator.numerator
    e = records.events
    wanted = e.concept == numerator.concept
    if numerator.value_in:
        if "value" not in e.columns:
            raise InputError(
                f"indicator {indicator.id!r} key 'numerator.value_in': the events file has "
                "no column 'value'"
            )
        wanted &= e.value.isin(list(numerator.value_in))
    e = e.filter(wanted)
    ends, starts = list(dates["period_end"]), list(dates["window_start"])
    first = dates_before(e.date, ends, inclusive=False, missing=len(ends))
    last = dates_before(e.date, starts, inclusive=True, missing=0) - 1
    e = e.mutate(plo=first, phi=last)
    return e.filter(e.plo <= e.phi)


def overlapping(dates: pd.DataFrame) -> bool:
    ends, starts = list(dates["period_end"]), list(dates["window_start"])
    return any(s <= end for s, end in zip(starts[1:], ends[:-1], strict=True))


def event_periods(records: Records, indicator: Indicator, dates: pd.DataFrame) -> ir.Table:
    """The numerator's events with ``period_order``: one row per event and period whose
    window holds it."""
    e = _placed(records, indicator, dates)
    if overlapping(dates):
        return e.mutate(period_order=ibis.range(e.plo, e.phi + 1).unnest().cast("int64"))
    return e.mutate(period_order=e.plo.cast("int64"))


def masks(records: Records, indicator: Indicator, dates: pd.DataFrame) -> ir.Table:
    """``person_id`` and ``mask``: bit ``p`` set when the person had an event in the window
    of period ``p`` (cached with the persons: :meth:`Records.prepare`)."""
    e = _placed(records, indicator, dates)
    had = {
        f"c{p}": ((e.plo <= p) & (e.phi >= p)).ifelse(1, 0).max() for p in range(len(dates))
    }
    t = e.group_by("person_id").agg(**had)
    mask = sum((t[f"c{p}"].cast("int64") * (1 << p) for p in range(len(dates))),
               ibis.literal(0, "int64"))  # fmt: skip
    return t.select("person_id", mask=mask.cast("int64"))


def _with_person(t: ir.Table, records: Records, indicator: Indicator) -> ir.Table:
    b = records.base
    t = t.rename(ev_person="person_id")
    joined = t.join(b, t.ev_person == b.person_id)
    filters = person_filters(joined, records, indicator)
    return joined.filter(*filters) if filters else joined


def _in_population(
    t: ir.Table, records: Records, indicator: Indicator, calendar: Calendar
) -> ir.Table:
    lo, hi = membership(t, records, indicator, calendar)
    return t.filter(t.period_order >= lo, t.period_order <= hi)


def _at_reference(t: ir.Table, dates: pd.DataFrame, scheme: str | None) -> ir.Table:
    """Add ``age_group`` on the period's reference date."""
    if scheme is None:
        return t
    periods = _periods(dates)
    t = t.join(periods, t.period_order == periods.p_order)
    return t.mutate(age_group=age_group(_age(t.birth_year, t.birth_md, t.p_year, t.p_md), scheme))


def events(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    columns: Sequence[str],
    scheme: str | None,
) -> ir.Table:
    """Events of people meeting the population's rules at the event: ``x`` by period,
    columns and (by age at the event) ``age_group``."""
    pop = indicator.population
    e = event_periods(records, indicator, dates).select("person_id", "date", "period_order")
    t = _with_person(e, records, indicator)
    age = _age(t.birth_year, t.birth_md, t.date.year().cast("int64"),
               (t.date.month() * 100 + t.date.day()).cast("int64"))  # fmt: skip
    t = t.mutate(age=age)
    rules = []
    if indicator.method != "life_expectancy":
        rules.append(t.age >= pop.min_age)
        if pop.max_age is not None:
            rules.append(t.age <= pop.max_age)
    if pop.conditions:
        recorded = [
            t[records.first[c]].notnull() & (t[records.first[c]] <= t.date) for c in pop.conditions
        ]
        combined = recorded[0]
        for item in recorded[1:]:
            combined = (combined | item) if pop.any_condition else (combined & item)
        rules.append(combined)
    if rules:
        t = t.filter(*rules)
    if scheme is not None:
        t = t.mutate(age_group=age_group(t.age, scheme))
    keys = ["period_order", *columns, *(["age_group"] if scheme else [])]
    return t.group_by(keys).agg(x=t.count())


def values(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    calendar: Calendar,
    columns: Sequence[str],
    scheme: str | None,
) -> ir.Table:
    """Each person's latest value: ``k`` (people with one), ``s`` and ``ss`` (sum and sum
    of squares) by period and columns."""
    if "value" not in records.events.columns:
        raise InputError(
            f"indicator {indicator.id!r} key 'numerator.kind': a mean needs the events "
            "file's column 'value'"
        )
    e = event_periods(records, indicator, dates)
    e = e.mutate(v=e.value.try_cast("float64"))
    e = e.filter(e.v.notnull())
    latest = e.group_by(l_person=e.person_id, l_period=e.period_order).agg(l_date=e.date.max())
    on_day = e.join(
        latest,
        [e.person_id == latest.l_person, e.period_order == latest.l_period,
         e.date == latest.l_date],
    )  # fmt: skip
    per_person = on_day.group_by("person_id", "period_order").agg(v=on_day.v.max())
    t = _in_population(_with_person(per_person, records, indicator), records, indicator, calendar)
    t = _at_reference(t, dates, scheme)
    keys = ["period_order", *columns, *(["age_group"] if scheme else [])]
    return t.group_by(keys).agg(k=t.count(), s=t.v.sum(), ss=(t.v * t.v).sum())
