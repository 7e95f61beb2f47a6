"""What an indicator counts, as Ibis expressions over the events, placed in the periods
whose window holds them.

- *Proportions of events*: people in the period's population (at its end) with at least
  one event in the period (or in the ``window_days`` before its end). Each person's
  periods with an event are a bit mask (:func:`masks`), joined to the persons and counted
  with the denominator.
- *Prevalences* (numerator kind ``"condition"``): counted with the denominator, from the
  date the condition was first recorded.
- *Rates, standardised rates, life expectancy*: every event in the period of a person who
  meets the population's rules *at the event* (age then, conditions recorded by then),
  whether or not they are still there at mid-period: the dead are counted although they
  are not in a later mid-period population.
- *Means*: the numeric ``value`` of each person's latest event in the window (the largest,
  if several share that day, so that every backend agrees), for people in the population
  at the period end.

Counts come back by the person table's codes ``l``, ``pr``, ``pp`` (see
:mod:`~healthgap.indicators.records`), period and, where needed, age group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.indicators.populations import (
    CODES,
    Calendar,
    birth_years,
    dates_before,
    membership,
    person_filters,
)
from healthgap.indicators.records import Records

LIFE_TABLE = "life_table"
FIVE_YEAR = "five_year"


def age_group(age: ir.IntegerValue, scheme: str) -> ir.IntegerValue:
    """Start age of the five-year band (0, 5, …, 90+) or life-table band (0, 1, 5, …)."""
    five = ibis.least((age // 5) * 5, 90)
    if scheme == LIFE_TABLE:
        return ibis.cases((age == 0, 0), (age < 5, 1), else_=five).cast("int64")
    return five.cast("int64")


def _value_filter(indicator: Indicator, events: ir.Table) -> None:
    if indicator.numerator.value_in and "value" not in events.columns:
        raise InputError(
            f"indicator {indicator.id!r} key 'numerator.value_in': the events file has no "
            "column 'value'"
        )


def masks(records: Records, indicator: Indicator, dates: pd.DataFrame) -> ir.Table:
    """``m_person`` and ``mask``: bit ``p`` is set when the person had an event of the
    numerator in the window of period ``p`` (the union of their events' runs of periods,
    as a maximum per period: no bitwise aggregate is needed)."""
    e = _placed(records, indicator, dates, expand=False)
    had = {f"c{p}": ((e.plo <= p) & (e.phi >= p)).ifelse(1, 0).max() for p in range(len(dates))}
    t = e.group_by(m_person=e.person_id).agg(**had)
    mask = sum(
        (t[f"c{p}"].cast("int64") * (1 << p) for p in range(len(dates))), ibis.literal(0, "int64")
    )
    return t.select("m_person", mask=mask.cast("int64"))


def _placed(
    records: Records, indicator: Indicator, dates: pd.DataFrame, *, expand: bool = True
) -> ir.Table:
    """The numerator's events with ``period_order``: one row per event and period whose
    window (``window_start`` … ``period_end``) holds it (windows may overlap)."""
    numerator = indicator.numerator
    _value_filter(indicator, records.events)
    e = records.coded
    wanted = e.c == records.codes[numerator.concept]
    if numerator.value_in:
        wanted &= (e.v & (1 << records.value_sets[tuple(numerator.value_in)])) != 0
    e = e.filter(wanted)
    ends, starts = list(dates["period_end"]), list(dates["window_start"])
    e = e.mutate(
        plo=dates_before(e.date, ends, inclusive=False, missing=len(ends)),
        phi=dates_before(e.date, starts, inclusive=True, missing=0) - 1,
    )
    if not expand:  # the caller tests plo <= phi itself
        return e
    e = e.filter(e.plo <= e.phi)
    if any(s <= end for s, end in zip(starts[1:], ends[:-1], strict=True)):
        return e.mutate(period_order=ibis.range(e.plo, e.phi + 1).unnest().cast("int64"))
    return e.mutate(period_order=e.plo.cast("int64"))


def _with_person(t: ir.Table, records: Records, indicator: Indicator) -> ir.Table:
    b = records.base
    t = t.rename(ev_person="person_id")
    joined = t.join(b, t.ev_person == b.person_id)
    filters = person_filters(joined, records, indicator)
    return joined.filter(*filters) if filters else joined


def _stacked(
    t: ir.Table,
    groups: Sequence[tuple[Sequence[str], bool]],
    keys: Sequence[str],
    sums: Mapping[str, Callable[[ir.Table], ir.Value]],
) -> ir.Table:
    """The sums of ``t`` for each group ``g`` (codes, with ages or not) by its codes,
    ``keys`` and (with ages) ``age_group``, stacked: codes a group does not use are
    missing. One query; DuckDB computes ``t`` once for all the groups."""
    parts = []
    for g, (grain, aged) in enumerate(groups):
        by = [*grain, *keys, *(["age_group"] if aged else [])]
        counted = t.group_by(by).agg(**{name: f(t) for name, f in sums.items()})
        columns = {
            c: counted[c].cast("int64") if c in by else ibis.null("int64")
            for c in (*CODES, *keys, "age_group")
        }
        parts.append(
            counted.select(
                g=ibis.literal(g, "int64"), **columns, **{name: counted[name] for name in sums}
            )
        )
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def events(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    groups: Sequence[tuple[Sequence[str], bool]],
    scheme: str | None,
) -> ir.Table:
    """Events of people meeting the population's rules at the event: ``x`` by each
    group's codes, the run of periods holding them (``plo`` … ``phi``) and (by age at the
    event) ``age_group``."""
    pop = indicator.population
    e = _placed(records, indicator, dates, expand=False)
    e = e.filter(e.plo <= e.phi).select("person_id", "date", "plo", "phi")
    t = _with_person(e, records, indicator)
    year, md = t.date.year().cast("int64"), (t.date.month() * 100 + t.date.day()).cast("int64")
    t = t.mutate(age=(year - t.birth_year - (md < t.birth_md).ifelse(1, 0)).cast("int64"))
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
    used = sorted({c for grain, _ in groups for c in grain})
    columns = {c: t[c] for c in used} | {"plo": t.plo, "phi": t.phi}
    if scheme is not None:
        columns["age_group"] = age_group(t.age, scheme)
    t = t.select(**columns)
    return _stacked(t, groups, ["plo", "phi"], {"x": lambda u: u.count()})


def values(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    calendar: Calendar,
    groups: Sequence[tuple[Sequence[str], bool]],
    scheme: str | None,
) -> ir.Table:
    """Each person's latest value: ``k`` (people with one), ``s`` and ``ss`` (sum and sum
    of squares) by each group's codes, period and (by age on the reference date)
    ``age_group``."""
    if "value" not in records.coded.columns:
        raise InputError(
            f"indicator {indicator.id!r} key 'numerator.kind': a mean needs the events "
            "file's column 'value'"
        )
    e = _placed(records, indicator, dates)
    e = e.mutate(v=e.value.try_cast("float64"))
    e = e.filter(e.v.notnull())
    latest = e.group_by(l_person=e.person_id, l_period=e.period_order).agg(l_date=e.date.max())
    on_day = e.join(
        latest,
        [
            e.person_id == latest.l_person,
            e.period_order == latest.l_period,
            e.date == latest.l_date,
        ],
    )
    per_person = on_day.group_by("person_id", "period_order").agg(v=on_day.v.max())
    t = _with_person(per_person, records, indicator)
    refs = calendar.refs
    rules = birth_years(t, indicator, refs[0], refs[-1])
    if rules:
        t = t.filter(*rules)
    lo, hi = membership(t, records, indicator, calendar)
    t = t.filter(t.period_order >= lo, t.period_order <= hi)
    used = sorted({c for grain, _ in groups for c in grain})
    columns = {c: t[c] for c in used} | {"period_order": t.period_order, "v": t.v}
    if scheme is not None:
        periods = ibis.memtable(
            pd.DataFrame(
                {
                    "p_order": range(len(refs)),
                    "p_year": [r.year for r in refs],
                    "p_md": [r.month * 100 + r.day for r in refs],
                }
            ),
            schema={"p_order": "int64", "p_year": "int64", "p_md": "int64"},
        )
        t = t.join(periods, t.period_order == periods.p_order)
        age = t.p_year - t.birth_year - (t.p_md < t.birth_md).ifelse(1, 0)
        columns = {c: t[c] for c in used} | {
            "period_order": t.period_order,
            "v": t.v,
            "age_group": age_group(age.cast("int64"), scheme),
        }
    t = t.select(**columns)
    return _stacked(
        t,
        groups,
        ["period_order"],
        {"k": lambda u: u.count(), "s": lambda u: u.v.sum(), "ss": lambda u: (u.v * u.v).sum()},
    )
