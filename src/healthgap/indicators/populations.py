"""Ibis expressions over the person-level records: who is in an indicator's population in
each period, what counts in its numerator, and the aggregate ("cube") the engine fetches.

Everything here builds expressions; nothing is computed until the engine asks a backend
(DuckDB or PySpark) for a cube, which is a small table of sums by period and breakdown
columns. The records are read in place (``read_parquet``), never loaded into Python.

Rules (see docs/engine.md):

- *Age* is in completed years on the reference date (birthday rule, from ``birth_date``).
- *In the population on a date*: registered (``registered_from`` on or before it and
  ``registered_to``, the last registered day, missing or on or after it), alive (no
  ``death`` event on or before it), of the population's ages and sex, with its PLUS flags
  true and its conditions first recorded on or before the date.
- The reference date is the period end for proportions and means and the middle of the
  period for rates, standardised rates and life expectancy, whose denominators are the
  mid-period population (an approximation of person-years, as ONS mid-year estimates are).
- A rate's numerator counts every event in the period of a person who meets the
  population's criteria *at the event* (age at the event, conditions recorded by then),
  whether or not they are still there at mid-period (deaths are counted although the
  dead are not in a later mid-period population).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator

DEATH = "death"
PERSON_COLUMNS = ("person_id", "sex", "birth_date", "lsoa_code")
EVENT_COLUMNS = ("person_id", "date", "concept")
#: Start ages of the life table's bands (0, 1–4, 5–9, …, 90+).
LIFE_TABLE = "life_table"
FIVE_YEAR = "five_year"
STANDARDISED = ("dsr", "isr", "life_expectancy")

_PERIOD_SCHEMA = ibis.schema(
    {
        "period_order": "int64",
        "period_start": "date",
        "period_end": "date",
        "window_start": "date",
        "ref_mid": "date",
    }
)


class Records:
    """The person-level records on one backend, with each person's LSOA attributes, death
    date and first dates of the concepts the indicators use as conditions."""

    def __init__(
        self,
        con: ibis.BaseBackend,
        persons: Path,
        events: Path,
        reference: pd.DataFrame,
        conditions: Sequence[str],
    ) -> None:
        self.con = con
        self.persons = _read(con, persons, PERSON_COLUMNS)
        self.events = _read(con, events, EVENT_COLUMNS)
        self.person_columns = frozenset(self.persons.columns)
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
        joined = p.left_join(ref, p.lsoa_code == ref.ref_lsoa).left_join(
            firsts, p.person_id == firsts.first_person
        )
        self.base = joined.drop("ref_lsoa", "first_person").cache()

    def periods(self, table: pd.DataFrame) -> ir.Table:
        return ibis.memtable(table[list(_PERIOD_SCHEMA)], schema=_PERIOD_SCHEMA)

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


def age_at(birth: ir.DateValue, when: ir.DateValue) -> ir.IntegerValue:
    """Completed years of age on ``when`` (a birthday counts from its day)."""
    years = when.year() - birth.year()
    before = (when.month() * 100 + when.day()) < (birth.month() * 100 + birth.day())
    return (years - before.ifelse(1, 0)).cast("int64")


def age_group(age: ir.IntegerValue, scheme: str) -> ir.IntegerValue:
    """Start age of the five-year band (0, 5, …, 90+) or life-table band (0, 1, 5, …)."""
    five = ibis.least((age // 5) * 5, 90)
    if scheme == LIFE_TABLE:
        return ibis.cases((age == 0, 0), (age < 5, 1), else_=five).cast("int64")
    return five.cast("int64")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _criteria(
    t: ir.Table, records: Records, indicator: Indicator, when: ir.DateValue, ages: bool
) -> list[ir.BooleanValue]:
    """Conditions on ``t`` (a person row joined to a date) that ``indicator`` sets."""
    pop = indicator.population
    out: list[ir.BooleanValue] = []
    if ages:
        age = t.age
        out.append(age >= pop.min_age)
        if pop.max_age is not None:
            out.append(age <= pop.max_age)
    if pop.sex is not None:
        out.append(t.sex == pop.sex)
    records.require(indicator, pop.flags, "population.flags")
    out.extend(t[flag].fill_null(False) for flag in pop.flags)
    if pop.conditions:
        recorded = [
            t[records.first[c]].notnull() & (t[records.first[c]] <= when) for c in pop.conditions
        ]
        combined = recorded[0]
        for item in recorded[1:]:
            combined = (combined | item) if pop.any_condition else (combined & item)
        out.append(combined)
    return out


def _born_between(
    t: ir.Table, indicator: Indicator, earliest: date, latest: date, ages: bool
) -> list[ir.BooleanValue]:
    """A loose pre-filter on birth dates (before the join to periods), for speed."""
    pop = indicator.population
    if not ages:
        return []
    out = [t.birth_date <= _years_before(latest, pop.min_age) + timedelta(days=1)]
    if pop.max_age is not None:
        out.append(t.birth_date > _years_before(earliest, pop.max_age + 1) - timedelta(days=1))
    return out


def _where(t: ir.Table, predicates: list[ir.BooleanValue]) -> ir.Table:
    return t.filter(*predicates) if predicates else t


def population(
    records: Records, indicator: Indicator, periods: ir.Table, dates: pd.DataFrame, ref: str
) -> ir.Table:
    """One row per person and period of the people in the population on the ``ref`` date
    (``period_end`` or ``ref_mid``), with their ``age`` then."""
    ages = indicator.method != "life_expectancy"  # life tables cover every age
    b = _where(records.base, _born_between(records.base, indicator, dates[ref].min(),
                                           dates[ref].max(), ages))  # fmt: skip
    t = b.cross_join(periods)
    when = t[ref]
    t = t.mutate(age=age_at(t.birth_date, when))
    keep = [t[records.first[DEATH]].isnull() | (t[records.first[DEATH]] > when)]
    if "registered_from" in records.person_columns:
        keep.append(t.registered_from.isnull() | (t.registered_from <= when))
    if "registered_to" in records.person_columns:
        keep.append(t.registered_to.isnull() | (t.registered_to >= when))
    return t.filter(*keep, *_criteria(t, records, indicator, when, ages))


def _events(records: Records, indicator: Indicator, periods: ir.Table) -> ir.Table:
    """The numerator concept's events joined to the periods whose window holds them."""
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
    return e.join(periods, [e.date >= periods.window_start, e.date <= periods.period_end])


def grain_columns(columns: Sequence[str], scheme: str | None) -> list[str]:
    return ["period_order", *[c for c in columns if c != "age_group"]] + (
        ["age_group"] if scheme else []
    )


def _grain(t: ir.Table, columns: Sequence[str], scheme: str | None) -> list[ir.Value]:
    names = grain_columns(columns, scheme)
    return [age_group(t.age, scheme).name(c) if c == "age_group" else t[c] for c in names]


def scheme_of(indicator: Indicator, columns: Sequence[str]) -> str | None:
    """The age groups of the cube: life-table bands, five-year bands or none."""
    if indicator.method == "life_expectancy":
        return LIFE_TABLE
    if indicator.method in STANDARDISED or "age_group" in columns:
        return FIVE_YEAR
    return None


def cube(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    columns: Sequence[str],
) -> ir.Table:
    """The aggregate for one query group: sums by period and ``columns``.

    Proportions give ``n`` (people) and ``x`` (people counted); rates, standardised rates
    and life expectancy ``n`` (mid-period population) and ``x`` (events), by age group
    for the standardised methods; means ``n`` (people), ``k`` (people with a value) and
    ``s``, ``ss`` (sum and sum of squares of the values).
    """
    method = indicator.method
    scheme = scheme_of(indicator, columns)
    records.require(indicator, [c for c in columns if c not in _DERIVED], "breakdowns")
    periods = records.periods(dates)
    if method in ("proportion", "mean"):
        pop = population(records, indicator, periods, dates, "period_end")
        if method == "proportion":
            return _proportion(records, indicator, periods, pop, columns, scheme)
        return _mean(records, indicator, periods, pop, columns, scheme)
    pop = population(records, indicator, periods, dates, "ref_mid")
    den = pop.select(*_grain(pop, columns, scheme), x=ibis.literal(0, "int64"),
                     n=ibis.literal(1, "int64"))  # fmt: skip
    e = _events(records, indicator, periods)
    ages = method != "life_expectancy"
    earliest, latest = dates["window_start"].min(), dates["period_end"].max()
    b = _where(records.base, _born_between(records.base, indicator, earliest, latest, ages))
    t = e.select("date", "period_order", ev_person=e.person_id)
    t = t.join(b, t.ev_person == b.person_id)
    t = t.mutate(age=age_at(t.birth_date, t.date))
    t = t.filter(*_criteria(t, records, indicator, t.date, ages))
    num = t.select(*_grain(t, columns, scheme), x=ibis.literal(1, "int64"),
                   n=ibis.literal(0, "int64"))  # fmt: skip
    rows = den.union(num)
    return rows.group_by(grain_columns(columns, scheme)).agg(x=rows.x.sum(), n=rows.n.sum())


#: Cube columns the engine derives (from the LSOA reference or the age).
_DERIVED = frozenset({"imd_decile", "msoa_code", "lad_code", "age_group"})


def _proportion(
    records: Records,
    indicator: Indicator,
    periods: ir.Table,
    pop: ir.Table,
    columns: Sequence[str],
    scheme: str | None,
) -> ir.Table:
    numerator = indicator.numerator
    if numerator.kind == "condition":
        first = pop[records.first[numerator.concept]]
        counted = first.notnull() & (first <= pop.period_end)
        t = pop.mutate(hit=counted.ifelse(1, 0).cast("int64"))
    else:
        e = _events(records, indicator, periods)
        hits = e.select(hit_person=e.person_id, hit_period=e.period_order).distinct()
        t = pop.left_join(
            hits, [pop.person_id == hits.hit_person, pop.period_order == hits.hit_period]
        )
        t = t.mutate(hit=t.hit_person.notnull().ifelse(1, 0).cast("int64"))
    keys = grain_columns(columns, scheme)
    t = t.select(*_grain(t, columns, scheme), "hit")
    return t.group_by(keys).agg(n=t.count(), x=t.hit.sum())


def _mean(
    records: Records,
    indicator: Indicator,
    periods: ir.Table,
    pop: ir.Table,
    columns: Sequence[str],
    scheme: str | None,
) -> ir.Table:
    if "value" not in records.events.columns:
        raise InputError(
            f"indicator {indicator.id!r} key 'numerator.kind': a mean needs the events "
            "file's column 'value'"
        )
    e = _events(records, indicator, periods)
    e = e.mutate(v=e.value.try_cast("float64")).filter(lambda t: t.v.notnull())
    latest = e.group_by(l_person=e.person_id, l_period=e.period_order).agg(l_date=e.date.max())
    on_day = e.join(
        latest,
        [
            e.person_id == latest.l_person,
            e.period_order == latest.l_period,
            e.date == latest.l_date,
        ],
    )
    # Several values on the latest day: the largest, so that every backend agrees.
    values = on_day.group_by(v_person=on_day.person_id, v_period=on_day.period_order).agg(
        v=on_day.v.max()
    )
    t = pop.left_join(
        values, [pop.person_id == values.v_person, pop.period_order == values.v_period]
    )
    keys = grain_columns(columns, scheme)
    t = t.select(*_grain(t, columns, scheme), "v")
    return t.group_by(keys).agg(
        n=t.count(), k=t.v.count(), s=t.v.sum(), ss=(t.v * t.v).sum()
    )
