"""Population segmentation: every person in one segment, by configurable rules.

:func:`segments` builds one row of features per person of a financial year's population
(people registered at some time in the year and alive at its start) in the database —
age, long-term conditions recorded by the year's end, emergency admissions and death in
the year, PLUS flags — and applies a rule set of
:mod:`~healthgap.targeting.segment_rules` as one ``CASE`` expression, so no person is
handled in Python. Segment sizes come back by national IMD 2025 decile, ethnic group and
MSOA; :meth:`SegmentResult.protected` applies disclosure control. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from healthgap.disclosure import DisclosureRules, protect
from healthgap.errors import InputError
from healthgap.indicators import backends
from healthgap.indicators.breakdowns import ETHNIC_GROUPS
from healthgap.indicators.engine import quiet
from healthgap.targeting._data import (
    DEATH,
    Records,
    Year,
    age_on,
    data_window,
    financial_year,
    open_records,
    reference,
    registered_during,
    year_before,
)
from healthgap.targeting.segment_rules import Rules, rules_named
from healthgap.workspace import Workspace

TOTAL, ALL, UNKNOWN = "total", "All", "Unknown"
#: ``by`` choices and the feature column each groups by.
BREAKDOWNS: dict[str, str] = {"imd_decile": "imd_decile", "ethnicity": "ethnicity",
                              "msoa": "msoa_code"}  # fmt: skip
COLUMNS = ["breakdown_type", "category", "category_name", "segment", "segment_label",
           "count", "denominator", "share"]  # fmt: skip


@dataclass(frozen=True)
class SegmentResult:
    """Segment sizes of one financial year's population.

    Attributes
    ----------
    rules : BridgesRules or NeedTierRules
    period : str
        The financial year, e.g. ``"2024/25"``; ``start`` and ``end`` its first and last
        days.
    sizes : DataFrame
        ``breakdown_type`` (``total``, ``imd_decile``, ``ethnicity``, ``msoa``),
        ``category`` (decile, ethnic group or MSOA code; ``""`` for the total),
        ``category_name``, ``segment`` (``"All"`` for everyone in the category),
        ``segment_label``, ``count``, ``denominator`` (people in the category) and
        ``share`` (% of the category in the segment). Raw counts: see :meth:`protected`.
    notes : tuple of str
        What the rules could not use (a flag column or a concept absent from the data).
    """

    rules: Rules
    period: str
    start: date
    end: date
    sizes: pd.DataFrame
    notes: tuple[str, ...]

    @property
    def population(self) -> int:
        """Everyone segmented."""
        total = self.sizes[(self.sizes["breakdown_type"] == TOTAL)
                           & (self.sizes["segment"] == ALL)]  # fmt: skip
        return int(total["count"].sum())

    def table(self, by: str | None = None) -> pd.DataFrame:
        """The total rows, and the rows of breakdown ``by`` (every breakdown if None)."""
        kinds = [TOTAL, *([check_by(by)] if by is not None else BREAKDOWNS)]
        rows = self.sizes[self.sizes["breakdown_type"].isin(kinds)]
        return rows.reset_index(drop=True)

    def protected(
        self, rules: DisclosureRules | None = None, by: str | None = None
    ) -> pd.DataFrame:
        """:meth:`table` with disclosure control: counts rounded, small ones suppressed
        (and enough others that no suppressed count can be worked out from the totals of
        segments or of categories); shares hidden with their counts."""
        rows = self.table(by)
        done = protect(rows[["breakdown_type", "category", "segment", "count"]],
                       rules or DisclosureRules(), siblings=("segment",), values=(),
                       category="category", margins=(("segment", ALL),), parent=None,
                       derived=())  # fmt: skip
        out = rows.copy()
        out["count"], out["suppressed"] = done["count"].to_numpy(), done["suppressed"].to_numpy()
        everyone = out[out["segment"] == ALL].set_index(["breakdown_type", "category"])["count"]
        key = pd.MultiIndex.from_frame(out[["breakdown_type", "category"]])
        out["denominator"] = everyone.reindex(key).to_numpy()
        out["share"] = out["share"].mask(out["suppressed"])
        return out


def segments(
    workspace: Workspace,
    *,
    rules: str | Rules = "bridges",
    period: str | None = None,
    engine: str = "duckdb",
) -> SegmentResult:
    """Put every person of a financial year's population in one segment.

    Parameters
    ----------
    workspace : Workspace
    rules : {"bridges", "need_tiers"} or BridgesRules or NeedTierRules
        The rule set (:mod:`~healthgap.targeting.segment_rules`); a name takes its
        default thresholds.
    period : str, optional
        A financial year (``"2024/25"``); default the latest complete one in the records.
    engine : {"duckdb", "spark"}

    Returns
    -------
    SegmentResult

    Raises
    ------
    InputError
        Unknown rules, missing files or columns, or a period that is not a complete
        financial year of the records.

    References
    ----------
    Lynn J, Straube BM, Bell KM, Jencks SF, Kambic RT (2007). Using population
    segmentation to provide better health care for all: the "Bridges to Health" model.
    *Milbank Q* 85:185–208.

    Examples
    --------
    Usage (needs real files, so not run as a doctest)::

        from healthgap.workspace import load_workspace
        result = segments(load_workspace("luton"), rules="need_tiers")
        result.table("imd_decile")
    """
    chosen = rules_named(rules)
    with quiet():
        con = backends.connect(engine)
        records = open_records(workspace, con, chosen.concepts)
        year = financial_year(period, data_window(records))
        notes = _notes(records, chosen)
        t = features(records, chosen, year)
        keys = [c for c in BREAKDOWNS.values() if c in t.columns]
        t = t.mutate(segment=chosen.assign(t))
        cube = t.group_by(["segment", *keys]).agg(count=t.count()).to_pandas()
    sizes = _sizes(cube, chosen, keys)
    return SegmentResult(chosen, year.label, year.start, year.end, sizes, notes)


def features(records: Records, rules: Rules, year: Year) -> ir.Table:
    """One row per person of ``year``'s population with the features the rules read."""
    b = records.base
    b = b.filter(registered_during(b, records, year.start, year.end))
    start, end = ibis.literal(year.start, "date"), ibis.literal(year.end, "date")
    values: dict[str, ir.Value] = {}
    for concept in rules.concepts:
        first = b[records.first[concept]]
        values[f"has_{concept}"] = first.notnull() & (first <= end)
    ltcs: ir.IntegerValue = ibis.literal(0, "int64")
    for concept in rules.conditions:
        ltcs += values[f"has_{concept}"].ifelse(1, 0)
    died = b[records.first[DEATH]]
    values["died"] = died.notnull() & (died >= start) & (died <= end)
    values["ltcs"] = ltcs
    values["age"] = age_on(b, year.end)
    values["infant"] = b.birth_date > ibis.literal(year_before(year.start), "date")
    for flag in rules.flags:
        present = flag in records.person_columns
        values[flag] = b[flag].fill_null(False) if present else ibis.literal(False)
    keep = ["person_id", "imd_decile", "msoa_code"]
    keep += ["ethnicity"] if "ethnicity" in records.person_columns else []
    t = b.select(*keep, **values)
    e = records.events
    admitted = e.filter(e.concept == rules.admission, e.date >= start, e.date <= end)
    counts = admitted.group_by(a_person=admitted.person_id).agg(admissions=admitted.count())
    t = t.left_join(counts, t.person_id == counts.a_person).drop("a_person")
    return t.mutate(admissions=t.admissions.fill_null(0))


def _notes(records: Records, rules: Rules) -> tuple[str, ...]:
    concepts = records.concepts()
    notes = [f"no {c!r} events in the data: nobody has it"
             for c in (*rules.concepts, rules.admission) if c not in concepts]  # fmt: skip
    notes += [f"persons.parquet has no {f!r} column: treated as false for everyone"
              for f in rules.flags if f not in records.person_columns]  # fmt: skip
    return tuple(notes)


def check_by(by: str) -> str:
    """``by`` if it is one of :data:`BREAKDOWNS` (else InputError)."""
    if by not in BREAKDOWNS:
        raise InputError(f"unknown breakdown {by!r}; choose one of {', '.join(BREAKDOWNS)}")
    return by


def _sizes(cube: pd.DataFrame, rules: Rules, keys: list[str]) -> pd.DataFrame:
    """Sizes of every segment (zeros included) for everyone and for each breakdown's
    categories, with an ``All`` row per category."""
    labels = dict(rules.SEGMENTS)
    segments = [*labels, ALL]
    blank = pd.Series("", index=cube.index)
    frames = [_summed(cube, TOTAL, blank, pd.Series(0, index=cube.index), segments)]
    for kind, column in BREAKDOWNS.items():
        if column not in keys:
            continue
        raw = cube[column]
        known = raw.notna()
        if kind == "imd_decile":
            rank = raw.astype("Float64").fillna(99).astype("int64")
            text = raw.astype("Int64").astype(str).where(known, UNKNOWN)
        else:
            text = raw.astype(object).where(known, UNKNOWN).astype(str)
            if kind == "ethnicity":
                ranks = {g: i for i, g in enumerate(ETHNIC_GROUPS)}
                rank = text.map(ranks).fillna(50).astype("int64")
            else:
                rank = pd.Series(pd.factorize(text, sort=True)[0], index=cube.index)
                rank = rank.where(known, 10**6)
        frames.append(_summed(cube, kind, text, rank, segments))
    sizes = pd.concat(frames, ignore_index=True)
    names = reference()[1]
    sizes["segment_label"] = sizes["segment"].map(labels).fillna("Everyone")
    is_msoa = sizes["breakdown_type"] == "msoa"
    sizes["category_name"] = sizes["category"].map(names).where(is_msoa, "").fillna("")
    return sizes[COLUMNS]


def _summed(
    cube: pd.DataFrame, kind: str, text: pd.Series, rank: pd.Series, segments: list[str]
) -> pd.DataFrame:
    """Counts by category (in ``rank`` order) and segment (in ``segments`` order)."""
    work = pd.DataFrame({"segment": cube["segment"].astype(str), "category": text,
                         "rank": rank, "count": cube["count"].astype("float64")})  # fmt: skip
    grid = work.pivot_table(index=["rank", "category"], columns="segment", values="count",
                            aggfunc="sum", fill_value=0.0)  # fmt: skip
    grid = grid.reindex(columns=segments[:-1], fill_value=0.0)
    grid[segments[-1]] = grid.sum(axis=1)
    out = grid.stack().rename("count").reset_index()
    out["breakdown_type"] = kind
    out["denominator"] = out.groupby("category")["count"].transform("max")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["denominator"] > 0, 100 * out["count"] / out["denominator"],
                                np.nan)  # fmt: skip
    return out
