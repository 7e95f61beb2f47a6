"""The person-level records on one backend, and the compact person table the engine
queries.

:meth:`Records.prepare` caches, once per build, one row per person holding only numbers
and dates: ``l`` (the row of the person's LSOA in the reference table, which also fixes
the MSOA, local authority and IMD decile), ``decile``, ``pr`` (practice) and ``pp`` (the
combination of sex, ethnic group and PLUS flags), birth year and month-day, registration
dates, and the dates of death and of first record of each condition used; and the events
of the concepts the indicators use, with each concept as a small number. Grouping by a
few small integers is much faster than by the text columns, which :meth:`decode` gives
back on the (small) aggregates.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.indicators.definition import BREAKDOWNS, Indicator

DEATH = "death"
PERSON_COLUMNS = ("person_id", "sex", "birth_date", "lsoa_code")
EVENT_COLUMNS = ("person_id", "date", "concept")
#: Personal characteristics coded together in ``pp``.
PROFILE = (
    "sex",
    "ethnicity",
    *(
        b
        for b in BREAKDOWNS
        if b
        not in (
            "imd_decile",
            "imd_quintile",
            "core20",
            "ethnicity",
            "sex",
            "age_band",
            "lsoa",
            "msoa",
            "lad",
            "practice",
        )
    ),
)
_MISSING_TEXT = "\x00"


class Records:
    """Persons and events files read in place on ``con``."""

    def __init__(self, con: ibis.BaseBackend, persons: Path, events: Path) -> None:
        self.con = con
        self.persons = _read(con, persons, PERSON_COLUMNS)
        self.events = _read(con, events, EVENT_COLUMNS)
        self.person_columns = frozenset(self.persons.columns)
        self.first: dict[str, str] = {}
        self.reference = pd.DataFrame()
        self.profiles = pd.DataFrame()
        self.practices: list[str] = []
        self.codes: dict[str, int] = {}
        self.value_sets: dict[tuple[str, ...], int] = {}
        self.results: OrderedDict[object, pd.DataFrame] = OrderedDict()  # fetched, by query
        self.mask_uses: dict[tuple[object, ...], int] = {}  # how many indicators share a mask
        self._masks: dict[tuple[object, ...], ir.Table] = {}
        self._coded: ir.Table | None = None
        self._base: ir.Table | None = None

    @property
    def coded(self) -> ir.Table:
        """The events of the concepts in use, cached (see :meth:`prepare`)."""
        assert self._coded is not None, "call prepare() first"
        return self._coded

    @coded.setter
    def coded(self, table: ir.Table) -> None:
        self._coded = table

    @property
    def base(self) -> ir.Table:
        assert self._base is not None, "call prepare() first"
        return self._base

    def cache(self, table: ir.Table) -> ir.Table:
        """``table.cache()``; on PySpark, whose cache does not register in-memory tables
        with the session, after running it once with no rows (which does)."""
        if self.con.name == "pyspark":
            register = getattr(self.con, "_run_pre_execute_hooks", None)
            if register is not None:
                register(table)
            else:  # pragma: no cover - a future Ibis without the hook
                table.limit(0).to_pandas()
        return table.cache()

    def require(self, indicator: Indicator, columns: Sequence[str], key: str) -> None:
        missing = [c for c in columns if c not in self.person_columns]
        if missing:
            raise InputError(
                f"indicator {indicator.id!r} key {key!r}: the persons file has no column "
                f"{', '.join(map(repr, missing))}"
            )

    @staticmethod
    def mask_key(indicator: Indicator, dates: pd.DataFrame) -> tuple[object, ...]:
        n = indicator.numerator
        return (n.concept, n.value_in, tuple(dates["window_start"]), tuple(dates["period_end"]))

    def mask(
        self,
        indicator: Indicator,
        dates: pd.DataFrame,
        make: Callable[[Records, Indicator, pd.DataFrame], ir.Table],
    ) -> ir.Table:
        """The indicator's event masks (``make``), cached when indicators share them."""
        key = self.mask_key(indicator, dates)
        if key not in self._masks:
            table = make(self, indicator, dates)
            self._masks[key] = self.cache(table) if self.mask_uses.get(key, 1) > 1 else table
        return self._masks[key]

    def prepare(
        self,
        reference: pd.DataFrame,
        conditions: Sequence[str],
        concepts: Sequence[str] = (),
        *,
        value_sets: Sequence[tuple[str, ...]] = (),
        values: bool = False,
    ) -> None:
        """Cache the person table, with the first dates of ``conditions``, and the events
        of the ``concepts`` (and conditions) the indicators count: ``person_id``, ``date``,
        ``c`` (the concept's number in :attr:`codes`), ``v`` (bit ``j`` set when the value
        is one of ``value_sets[j]``) and, if ``values`` (means), ``value``."""
        self.reference = reference.reset_index(drop=True)
        self.first = {c: f"first_{i}" for i, c in enumerate(dict.fromkeys([DEATH, *conditions]))}
        self.codes = {c: i for i, c in enumerate(dict.fromkeys([*self.first, *concepts]))}
        self.value_sets = {tuple(v): j for j, v in enumerate(dict.fromkeys(value_sets))}
        names = ibis.memtable(
            pd.DataFrame({"cc": list(self.codes), "c": list(self.codes.values())}),
            schema={"cc": "string", "c": "int64"},
        )
        e = self.events.join(names, self.events.concept == names.cc)
        columns: dict[str, ir.Value] = {
            "person_id": e.person_id,
            "date": e.date,
            "c": e.c.cast("int16"),
        }
        if self.value_sets and "value" in e.columns:
            flags = [
                e.value.isin(list(v)).fill_null(False).ifelse(1 << j, 0)
                for v, j in self.value_sets.items()
            ]
            columns["v"] = sum(flags[1:], flags[0]).cast("int64")
        if values and "value" in e.columns:
            columns["value"] = e.value
        self.coded = self.cache(e.select(**columns))
        p = self.persons
        keys = {c: _key(p[c]) for c in PROFILE if c in self.person_columns}
        p = p.mutate(
            birth_year=p.birth_date.year().cast("int32"),
            birth_md=(p.birth_date.month() * 100 + p.birth_date.day()).cast("int32"),
            **{f"k_{c}": value for c, value in keys.items()},
        )
        found = (
            p.select(
                *(f"k_{c}" for c in keys),
                pr_code=p.practice_code
                if "practice_code" in self.person_columns
                else ibis.null("string"),
            )
            .distinct()
            .to_pandas()
        )
        profiles = found.drop(columns="pr_code").drop_duplicates()
        self.profiles = profiles.sort_values(list(profiles.columns)).reset_index(drop=True)
        mapping = ibis.memtable(self.profiles.assign(pp=np.arange(len(self.profiles))))
        t = p.join(mapping, [p[f"k_{c}"] == mapping[f"k_{c}"] for c in keys])
        ref = ibis.memtable(
            self.reference[["lsoa_code", "imd_decile"]].assign(l=np.arange(len(self.reference)))
        ).rename(ref_lsoa="lsoa_code", decile="imd_decile")
        t = t.left_join(ref, t.lsoa_code == ref.ref_lsoa)
        if "practice_code" in self.person_columns:
            self.practices = sorted({str(c) for c in found["pr_code"].dropna()})
            codes = ibis.memtable(
                pd.DataFrame({"pr_code": self.practices, "pr": np.arange(len(self.practices))})
            )
            t = t.left_join(codes, t.practice_code == codes.pr_code)
        else:
            t = t.mutate(pr=ibis.null("int64"))
        e = self.coded
        firsts = (
            e.filter(e.c < len(self.first))
            .group_by(f_person=e.person_id)
            .agg(**{name: e.date.min(where=e.c == self.codes[c]) for c, name in self.first.items()})
        )
        t = t.left_join(firsts, t.person_id == firsts.f_person)
        kept = [
            "person_id",
            "l",
            "decile",
            "pr",
            "pp",
            "birth_year",
            "birth_md",
            *(c for c in ("sex", "registered_from", "registered_to") if c in self.person_columns),
            *(f for f in PROFILE[2:] if f in self.person_columns),
            *self.first.values(),
        ]
        t = t.select(*kept)
        self._base = self.cache(t)

    def decode(self, cube: pd.DataFrame, wanted: Sequence[str]) -> pd.DataFrame:
        """Replace the codes ``l``, ``decile``, ``pr``, ``pp`` of ``cube`` by the breakdown
        columns ``wanted`` (``lsoa_code``, ``imd_decile``, ``practice_code``, ``sex``…)."""
        out = cube.drop(columns=[c for c in ("l", "decile", "pr", "pp") if c in cube])
        if "l" in cube:
            at = cube["l"].to_numpy(dtype="float64")
            rows = self.reference.reindex(np.where(np.isnan(at), -1, at).astype("int64"))
            for name in ("lsoa_code", "msoa_code", "lad_code", "imd_decile"):
                if name in wanted:
                    out[name] = rows[name].to_numpy(dtype=object)
        elif "imd_decile" in wanted:
            out["imd_decile"] = cube["decile"].astype(object).to_numpy()
        if "practice_code" in wanted:
            codes = np.array([*self.practices, None], dtype=object)
            at = cube["pr"].to_numpy(dtype="float64")
            out["practice_code"] = codes[np.where(np.isnan(at), -1, at).astype("int64")]
        if "pp" in cube:
            at = cube["pp"].to_numpy(dtype="int64")
            for name in PROFILE:
                if name in wanted:
                    raw = self.profiles[f"k_{name}"].tolist()
                    if name in PROFILE[2:]:
                        decoded = [None if v == -1 else bool(v == 1) for v in raw]
                    else:
                        decoded = [None if v == _MISSING_TEXT else v for v in raw]
                    out[name] = np.array(decoded, dtype=object)[at]
        return out


def _key(column: ir.Value) -> ir.Value:
    """A join key without missing values: text with a marker, flags as 1/0/-1."""
    if column.type().is_boolean():
        return column.ifelse(1, 0).fill_null(-1).cast("int64")
    return column.cast("string").fill_null(_MISSING_TEXT)


def _read(con: ibis.BaseBackend, path: Path, required: Sequence[str]) -> ir.Table:
    if not Path(path).is_file():
        raise InputError(f"no file {path}: check [data] in healthgap.toml")
    table = con.read_parquet(str(path))
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(f"{path} has no column {', '.join(map(repr, missing))}")
    return table
