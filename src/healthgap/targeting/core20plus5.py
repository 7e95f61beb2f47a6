"""Core20PLUS5: the local Core20 and PLUS populations and the five adult clinical areas.

NHS England's Core20PLUS5 names the population to focus on — the *Core20*, people living
in the most deprived 20% of England's neighbourhoods (national IMD deciles 1 and 2), and
*PLUS* groups chosen locally — and five clinical areas. :func:`core20plus5` reports, for a
workspace's place and one financial year:

- the Core20 and PLUS populations (people registered and alive at the year's end, counted
  from ``persons.parquet`` in DuckDB), with the Census 2021 Core20 share for comparison;
- for each clinical area the data support, the rate among the Core20 and the rest, each
  PLUS group and everyone else, and each ethnic minority group (and all of them together)
  and White people; the gap (group minus comparator, percentage points) with Newcombe's
  hybrid score interval; and whether the national ambition is met, where there is one;
- the areas, or parts of them, that the data cannot support, with the reason.

The rates are the indicator engine's (:func:`healthgap.indicators.engine.evaluate`) for the
definitions in :mod:`~healthgap.targeting._core20_areas`. See docs/targeting.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd

from healthgap.disclosure import DisclosureRules
from healthgap.indicators import backends
from healthgap.indicators.engine import Place, evaluate, quiet
from healthgap.profile import CORE20_DECILES, deprivation_profile
from healthgap.targeting import _core20_tables as tables
from healthgap.targeting._core20_areas import (
    ALWAYS_UNSUPPORTED,
    AREAS,
    MEASURES,
    PLUS_GROUPS,
    Measure,
    Unsupported,
)
from healthgap.targeting._data import (
    Records,
    Year,
    data_window,
    financial_year,
    open_records,
    registered_on,
)
from healthgap.workspace import Workspace

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Core20Plus5Result:
    """What :func:`core20plus5` found.

    Attributes
    ----------
    place : str
        The place's name.
    period : str
        The financial year (flu-season measures use the season ending in its March).
    reference_date : date
        The year's last day: the population is counted on it.
    population : DataFrame
        ``group_type`` (``all``, ``core20``, ``plus``, ``ethnicity``), ``group``,
        ``count`` and ``share`` (% of everyone) of the people registered and alive on
        ``reference_date``, from persons.parquet.
    census_core20_share : float
        The Core20 share of the place's Census 2021 residents (shipped reference data).
    rates : DataFrame
        One row per measure and comparison: ``area``, ``area_title``, ``measure``,
        ``measure_title``, ``period``, ``group_type``, ``group``, ``comparator``, the
        group's ``count``, ``denominator``, ``rate`` (%), ``lower_ci``, ``upper_ci``
        (95% Wilson), the comparator's ``comparator_count`` … ``comparator_upper_ci``,
        ``gap`` (group − comparator, percentage points), ``gap_lower_ci``,
        ``gap_upper_ci`` (95% Newcombe), ``ambition`` (%), ``met`` (the group's rate
        reaches the ambition; missing where there is none), ``note``, and the keys of the
        two cells compared: ``breakdown_type``, ``category``, ``comparator_category``.
    unsupported : tuple of Unsupported
        Areas or measures the data cannot support, each with its reason.
    cells : DataFrame
        The raw counts behind ``rates`` (every category, Unknown included), used by
        :meth:`protected` for disclosure control.
    """

    place: str
    period: str
    reference_date: date
    population: pd.DataFrame
    census_core20_share: float
    rates: pd.DataFrame
    unsupported: tuple[Unsupported, ...]
    cells: pd.DataFrame
    population_cells: pd.DataFrame

    @property
    def core20_count(self) -> int:
        row = self.population[self.population["group"] == "Core20"]
        return int(row["count"].iloc[0]) if len(row) else 0

    @property
    def core20_share(self) -> float:
        """Percentage of the registered population living in Core20 neighbourhoods."""
        row = self.population[self.population["group"] == "Core20"]
        return float(row["share"].iloc[0]) if len(row) else float("nan")

    def protected(self, rules: DisclosureRules | None = None) -> pd.DataFrame:
        """``rates`` with disclosure control: counts and denominators rounded, small ones
        suppressed (with secondary suppression), and what they would reveal hidden."""
        return tables.protect_rates(self.rates, self.cells, rules or DisclosureRules())

    def protected_population(self, rules: DisclosureRules | None = None) -> pd.DataFrame:
        """``population`` with disclosure control."""
        return tables.protect_population(self.population_cells, rules or DisclosureRules())


def core20plus5(
    workspace: Workspace,
    *,
    period: str | None = None,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> Core20Plus5Result:
    """Local Core20PLUS5 figures for ``workspace``'s place in one financial year.

    Parameters
    ----------
    workspace : Workspace
        A loaded workspace (:func:`healthgap.workspace.load_workspace`).
    period : str, optional
        A financial year such as ``"2024/25"`` (``"2024-25"`` also works); default the
        latest complete one in the records. Flu-season measures use the season ending in
        the year's March.
    engine : {"duckdb", "spark"}
        The indicator engine's backend.
    progress : callable, optional
        ``progress(done, total)`` after each measure.

    Returns
    -------
    Core20Plus5Result

    Raises
    ------
    InputError
        No place in the workspace, missing files or columns, or a period that is not a
        complete financial year of the records.

    References
    ----------
    NHS England (2021, updated 2023). *Core20PLUS5 – an approach to reducing healthcare
    inequalities (adults)*. Newcombe RG (1998). Interval estimation for the difference
    between independent proportions: comparison of eleven methods. *Stat Med*
    17:873–890 (method 10).

    Examples
    --------
    Usage (needs real files, so not run as a doctest)::

        from healthgap.workspace import load_workspace
        result = core20plus5(load_workspace("luton"), period="2024/25")
        result.core20_share, [str(u) for u in result.unsupported]
        result.rates.query("group == 'Core20'")[["measure", "rate", "gap"]]
    """
    place = Place.of(workspace.area_codes, workspace.place_name)
    with quiet():
        con = backends.connect(engine)
        records = open_records(workspace, con)
        window = data_window(records)
        year = financial_year(period, window)
        columns = records.person_columns
        flags = [f for f in PLUS_GROUPS if f in columns]
        ethnicity = "ethnicity" in columns
        population_cells = _population(records, year.end, flags, ethnicity)
        concepts = records.concepts()
    unsupported = [*ALWAYS_UNSUPPORTED, *_absent_groups(flags, ethnicity)]
    chosen: list[Measure] = []
    for measure in MEASURES:
        reason = _missing(measure, concepts, columns)
        if reason:
            unsupported.append(Unsupported(measure.area, measure.indicator.title, reason))
        else:
            chosen.append(measure)
    with quiet():
        values = _evaluate(chosen, workspace, place, con, window, flags, ethnicity, progress)
    cells, missing = _cells(chosen, values, year)
    for measure in missing:
        label = year.season if measure.indicator.periods == "flu_season" else year.label
        reason = f"the records do not cover the whole of {label} and its look-back"
        unsupported.append(Unsupported(measure.area, measure.indicator.title, reason))
    measures = [m for m in chosen if m not in missing]
    rates = tables.comparisons(cells, measures, PLUS_GROUPS)
    return Core20Plus5Result(
        place=place.name,
        period=year.label,
        reference_date=year.end,
        population=tables.population_table(population_cells, PLUS_GROUPS),
        census_core20_share=_census_share(workspace.area_codes),
        rates=rates,
        unsupported=tuple(sorted(unsupported, key=lambda u: list(AREAS).index(u.area)
                                 if u.area in AREAS else len(AREAS))),
        cells=cells,
        population_cells=population_cells,
    )  # fmt: skip


def _population(records: Records, day: date, flags: list[str], ethnicity: bool) -> pd.DataFrame:
    """People registered and alive on ``day``, counted by Core20, flags and ethnicity."""
    b = records.base
    b = b.filter(registered_on(b, records, day))
    core20 = b.imd_decile.isnull().ifelse(
        "Unknown", b.imd_decile.isin(list(CORE20_DECILES)).ifelse("Core20", "Rest")
    )
    keys: dict[str, ir.Value] = {"core20": core20}
    for column in [*flags, *(["ethnicity"] if ethnicity else [])]:
        keys[column] = b[column]
    grouped = b.group_by(**keys).agg(count=b.count()).to_pandas()
    return tables.population_cells(grouped, list(keys))


def _absent_groups(flags: list[str], ethnicity: bool) -> list[Unsupported]:
    out = [
        Unsupported("plus", label, f"persons.parquet has no {flag!r} column")
        for flag, label in PLUS_GROUPS.items()
        if flag not in flags
    ]
    if not ethnicity:
        out.append(
            Unsupported("plus", "Ethnic minority groups", "persons.parquet has no 'ethnicity'")
        )
    return out


def _missing(measure: Measure, concepts: set[str], columns: frozenset[str]) -> str:
    indicator = measure.indicator
    needed = [indicator.numerator.concept, *indicator.population.conditions]
    absent = [c for c in needed if c not in concepts]
    if absent:
        return f"no {', '.join(map(repr, absent))} events in the data"
    flags = [f for f in indicator.population.flags if f not in columns]
    if flags:
        return f"persons.parquet has no {', '.join(map(repr, flags))} column"
    return ""


def _evaluate(
    measures: list[Measure],
    workspace: Workspace,
    place: Place,
    con: ibis.BaseBackend,
    window: tuple[date, date],
    flags: list[str],
    ethnicity: bool,
    progress: Progress | None,
) -> pd.DataFrame:
    if not measures:
        return pd.DataFrame(columns=["indicator_id", "period", "breakdown_type", "category"])
    indicators = []
    for measure in measures:
        own = measure.indicator.population.flags
        names = ["core20", *(f for f in flags if f not in own)]
        names += ["ethnicity"] if ethnicity else []
        indicators.append(replace(measure.indicator, breakdowns=tuple(names)))
    report = (lambda done, total, _id: progress(done, total)) if progress else None
    result = evaluate(indicators, persons=workspace.persons, events=workspace.events,
                      place=place, engine=con, window=window, progress=report)  # fmt: skip
    return result.values


def _cells(
    measures: list[Measure], values: pd.DataFrame, year: Year
) -> tuple[pd.DataFrame, list[Measure]]:
    """The chosen year's rows of each measure; measures without that period."""
    wanted = {
        m.indicator.id: year.season if m.indicator.periods == "flu_season" else year.label
        for m in measures
    }
    label = values["indicator_id"].map(wanted)
    rows = values[values["period"] == label]
    missing = [m for m in measures if m.indicator.id not in set(rows["indicator_id"])]
    cells = rows[["indicator_id", "period", "breakdown_type", "category", "count",
                  "denominator"]].reset_index(drop=True)  # fmt: skip
    return cells, missing


def _census_share(area_codes: tuple[str, ...]) -> float:
    profiles = [deprivation_profile(code) for code in area_codes]
    core20 = sum(p.core20_population for p in profiles)
    total = sum(p.population for p in profiles)
    return 100 * core20 / total if total else float("nan")
