"""The indicator engine: indicator definitions evaluated on person-level records, for every
period and breakdown, in Fingertips' long shape.

One code path for every backend: the records are queried with Ibis — on DuckDB by
default, or on Spark (``engine="spark"``) — and only small aggregates (counts by period
and breakdown columns) come back to Python, where the methods (:func:`healthgap.proportion`,
:func:`~healthgap.rate`, :func:`~healthgap.dsr`, :func:`~healthgap.isr`,
:func:`~healthgap.life_expectancy`; means from their sums) compute every category of every
breakdown at once. Each value is then compared with the place's own value for the period
(:func:`healthgap.compare`, 95% and 99.8% limits) and given the Fingertips recent-trend
marker of the five periods ending with it (:func:`healthgap.recent_trend`); the ordered
breakdowns also get the inequality measures of :mod:`~healthgap.indicators.measures`.
See docs/engine.md.

Usage (needs real files, so not run as a doctest)::

    from healthgap.indicators.engine import Place, evaluate
    result = evaluate(indicators, persons="persons.parquet", events="events.parquet",
                      place=Place("E06000032", "Luton"))
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.common.exceptions import IbisError

from healthgap.errors import InputError
from healthgap.indicators import backends, cube
from healthgap.indicators.breakdowns import TOTAL, Context, plan, stack
from healthgap.indicators.definition import Indicator
from healthgap.indicators.evaluate import CONFIDENCE, LIMITS, compute, crude_rates
from healthgap.indicators.measures import POINTS, measures, windows
from healthgap.indicators.periods import period_table
from healthgap.indicators.records import Records
from healthgap.indicators.rows import concat, measure_rows, value_rows
from healthgap.methods.compare import compare
from healthgap.methods.trend import recent_trend
from healthgap.reference.lsoa import lsoas

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Place:
    """The area the workspace covers: its code, name and area type.

    A workspace of several local authorities is one area of type ``"place"`` whose
    code joins theirs with ``+``.
    """

    code: str
    name: str
    area_type: str = "lad"

    @classmethod
    def of(cls, area_codes: Sequence[str], name: str = "") -> Place:
        if not area_codes:
            raise InputError(
                "the workspace names no local authority: set [place] area_codes in "
                'healthgap.toml (e.g. area_codes = ["E06000032"])'
            )
        if len(area_codes) == 1:
            return cls(area_codes[0], name or _names().get(area_codes[0], area_codes[0]))
        return cls("+".join(area_codes), name or "+".join(area_codes), "place")


@dataclass(frozen=True)
class Result:
    """What :func:`evaluate` computed: rows of ``indicator_values`` and
    ``inequality_measures`` (without ``build_id``) and the data window used."""

    values: pd.DataFrame
    measures: pd.DataFrame
    window: tuple[date, date]


@contextmanager
def quiet() -> Iterator[None]:
    """Silence two warnings of the pinned backends, and only those: Ibis 12's
    ``Pandas4Warning`` on pandas 3, and DuckDB 2's deprecation of ``fetch_arrow_table``
    (which Ibis 12 calls when it reads Parquet)."""
    category = getattr(pd.errors, "Pandas4Warning", None)
    with warnings.catch_warnings():
        if category is not None:
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning
        )
        yield


@cache
def _reference() -> tuple[pd.DataFrame, dict[str, str]]:
    table = lsoas()
    ref = pd.DataFrame(
        {
            "lsoa_code": table["lsoa_code"].astype(object),
            "msoa_code": table["msoa_code"].astype(object),
            "lad_code": table["lad_code"].astype(object),
            "imd_decile": table["imd_decile"].astype("int64"),
        }
    )
    names: dict[str, str] = {}
    for kind in ("lsoa", "msoa", "lad"):
        names |= dict(zip(table[f"{kind}_code"], table[f"{kind}_name"], strict=True))
    return ref, names


def _names() -> dict[str, str]:
    return _reference()[1]


def evaluate(
    indicators: Sequence[Indicator],
    *,
    persons: str | Path,
    events: str | Path,
    place: Place,
    engine: str | ibis.BaseBackend = "duckdb",
    window: tuple[date, date] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Evaluate ``indicators`` on the person-level records.

    Parameters
    ----------
    indicators : sequence of Indicator
    persons, events : path
        Parquet files (see docs/synthetic-data.md for their columns).
    place : Place
        The area of the place totals (breakdown ``"total"``).
    engine : {"duckdb", "spark"} or an Ibis backend
    window : (date, date), optional
        First and last day the records cover; default the events' first and last dates.
    progress : callable, optional
        Called as ``progress(done, total, indicator_id)`` after each indicator.

    Raises
    ------
    InputError
        Missing files or columns, no complete period, or an indicator that cannot be
        computed; the message names the indicator and key.
    """
    with quiet():
        con = backends.connect(engine) if isinstance(engine, str) else engine
        reference, names = _reference()
        try:
            records = Records(con, Path(persons), Path(events))
            first, last = window if window is not None else data_window(records)
            calendars = {i.id: _dates(i, first, last) for i in indicators}
            _prepare(records, indicators, calendars, reference)
        except (duckdb.Error, IbisError, *backends.errors()) as error:
            raise InputError(f"the records could not be read: {error}") from error
        values, inequality = [], []
        for done, indicator in enumerate(indicators, start=1):
            try:
                one, measured = _indicator(
                    records, indicator, calendars[indicator.id], place, names
                )
            except InputError as error:
                if repr(indicator.id) in str(error):
                    raise
                raise InputError(f"indicator {indicator.id!r}: {error}") from error
            except (duckdb.Error, IbisError, *backends.errors()) as error:
                raise InputError(
                    f"indicator {indicator.id!r}: the query failed: {error}"
                ) from error
            values.append(one)
            inequality.append(measured)
            if progress is not None:
                progress(done, len(indicators), indicator.id)
    return Result(
        concat(values, "indicator_values"), concat(inequality, "inequality_measures"), (first, last)
    )


def _prepare(
    records: Records,
    indicators: Sequence[Indicator],
    calendars: dict[str, pd.DataFrame],
    reference: pd.DataFrame,
) -> None:
    """Cache the person table and events the indicators need; count shared masks."""
    conditions = sorted(
        {c for i in indicators for c in i.population.conditions}
        | {i.numerator.concept for i in indicators if i.numerator.kind == "condition"}
    )
    records.prepare(
        reference,
        conditions,
        sorted({i.numerator.concept for i in indicators}),
        value_sets=[i.numerator.value_in for i in indicators if i.numerator.value_in],
        values=any(i.method == "mean" for i in indicators),
    )
    for i in indicators:
        if i.method == "proportion" and i.numerator.kind == "event":
            key = records.mask_key(i, calendars[i.id])
            records.mask_uses[key] = records.mask_uses.get(key, 0) + 1


class _Spanned(Protocol):
    """What :func:`data_window` reads: events and persons tables and the persons' columns."""

    @property
    def events(self) -> ir.Table: ...
    @property
    def persons(self) -> ir.Table: ...
    @property
    def person_columns(self) -> Collection[str]: ...


def data_window(records: _Spanned) -> tuple[date, date]:
    """The events' first and last dates; the start no earlier than the first registration
    (diagnoses recorded before the record opened do not open it).

    ``records`` is anything with ``events``, ``persons`` (Ibis tables) and
    ``person_columns``: the engine's records or the targeting queries' own."""
    e = records.events
    ends = e.agg(first=e.date.min(), last=e.date.max()).to_pandas()
    if ends.empty or ends.isna().any(axis=None):
        raise InputError("the events file has no dated events: no data window")
    first, last = (pd.Timestamp(ends[c].iloc[0]).date() for c in ("first", "last"))
    if "registered_from" in records.person_columns:
        p = records.persons
        opened = p.agg(opened=p.registered_from.min()).to_pandas()["opened"].iloc[0]
        if pd.notna(opened):
            first = max(first, pd.Timestamp(opened).date())
    return first, last


def _dates(indicator: Indicator, first: date, last: date) -> pd.DataFrame:
    try:
        return period_table(
            indicator.periods, first, last, window_days=indicator.numerator.window_days
        )
    except InputError as error:
        raise InputError(f"indicator {indicator.id!r} key 'periods': {error}") from None


def _indicator(
    records: Records,
    indicator: Indicator,
    dates: pd.DataFrame,
    place: Place,
    names: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sex = {"F": "Female", "M": "Male"}.get(indicator.population.sex or "", "Persons")
    ctx = Context(place.code, place.name, place.area_type, sex, indicator.population, names)
    standardised = indicator.method in cube.STANDARDISED
    keys = ["period_order", "age_group"] if standardised else ["period_order"]
    sums = cube.measures_of(indicator)
    groups = plan(indicator.breakdowns, indicator.method)
    cubes = cube.build(records, indicator, dates, groups)
    frames = [stack(c, g.breakdowns, ctx, keys, sums) for c, g in zip(cubes, groups, strict=True)]
    rows = pd.concat(frames, ignore_index=True)
    rows["gid"] = rows.groupby(
        ["breakdown_type", "area_code", "category", "period_order"], sort=False
    ).ngroup()
    crude = (indicator.method == "dsr") & rows["breakdown_type"].str.contains(
        "age_band", regex=False
    ).to_numpy(dtype=bool)
    totals = rows[rows["breakdown_type"] == TOTAL]
    results = compute(indicator, rows[~crude], totals)
    if crude.any():
        results = pd.concat([results, crude_rates(indicator, rows[crude])], ignore_index=True)
    groups = rows.drop_duplicates("gid").drop(columns=[*sums, "age_group"], errors="ignore")
    out = groups.merge(results, on="gid", how="left").merge(dates, on="period_order")
    out = _compare(indicator, out)
    out["recent_trend"] = _recent_trends(indicator, out)
    measured = measures(indicator, out).merge(dates[["period_order", "period"]], on="period_order")
    return value_rows(indicator, out), measure_rows(indicator, measured, place.code, sex)


def _compare(indicator: Indicator, out: pd.DataFrame) -> pd.DataFrame:
    total = out["breakdown_type"].to_numpy() == TOTAL
    benchmark = out[total].set_index("period_order")["value"]
    out["benchmark_value"] = out["period_order"].map(benchmark).where(~total)
    limits = {"lower": [LIMITS[0], LIMITS[2]], "upper": [LIMITS[1], LIMITS[3]]}
    compared = compare(
        out,
        "value",
        benchmark="benchmark_value",
        polarity=indicator.polarity,
        confidence=list(CONFIDENCE),
        **limits,
    )
    out["comparison"] = compared["comparison"].astype(object).where(~total, None)
    return out


def _recent_trends(indicator: Indicator, out: pd.DataFrame) -> pd.Series:
    """The recent-trend marker of each row: over the five periods ending with its own."""
    series = out.groupby(["breakdown_type", "area_code", "category"], sort=False).ngroup()
    work = windows(out.assign(series=series.to_numpy()))
    trend = pd.Series("Cannot be calculated", index=out.index, dtype=object)
    if work.empty:
        return trend
    proportion = indicator.method == "proportion"
    result = recent_trend(
        work,
        None if proportion else "value",
        period="period_order",
        lower=None if proportion else "lower_ci_95",
        upper=None if proportion else "upper_ci_95",
        count="count" if proportion else None,
        denominator="denominator" if proportion else None,
        by=["series", "as_of"],
        points=POINTS,
        polarity=indicator.polarity,
    )
    found = result.set_index(["series", "as_of"])["trend"].astype(object)
    at = pd.MultiIndex.from_arrays([series.to_numpy(), out["period_order"].to_numpy()])
    matched = found.reindex(at).to_numpy()
    trend[pd.notna(matched)] = matched[pd.notna(matched)]
    return trend
