"""People registered on a day, counted by a few columns, read in place by DuckDB.

Shared by ``allocate`` (practice list sizes and their patients' deprivation) and
``audit`` (the population a service serves). Only the counts come back to Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from healthgap.errors import InputError
from healthgap.reference.lsoa import AGE_GROUPS, lsoas

#: Age bands of the audit: Census 2021's groups in the shipped LSOA table.
AGE_BANDS: tuple[str, ...] = tuple(
    f"{lo}+" if hi is None else f"{lo}-{hi}" for lo, hi in AGE_GROUPS.values()
)
_DERIVED = {
    "imd_decile": ("lsoa_code",),
    "imd_quintile": ("lsoa_code",),
    "imd_score": ("lsoa_code",),
    "age": ("birth_date",),
    "age_band": ("birth_date",),
}


@cache
def reference() -> pd.DataFrame:
    """LSOA code → national IMD 2025 decile and score, for joining in DuckDB."""
    table = lsoas()
    return pd.DataFrame(
        {
            "lsoa_code": table["lsoa_code"].astype(object),
            "imd_decile": table["imd_decile"].astype("int64"),
            "imd_score": table["imd_score"].astype("float64"),
        }
    )


def age_band_sql(age: str) -> str:
    """SQL mapping completed years ``age`` to an :data:`AGE_BANDS` label."""
    cases = " ".join(
        f"WHEN {age} >= {lo} THEN '{label}'"
        for (lo, _), label in reversed(list(zip(AGE_GROUPS.values(), AGE_BANDS, strict=True)))
    )
    return f"CASE {cases} END"


def age_sql(birth: str, on: date) -> str:
    """SQL for completed years of age on ``on`` (the birthday rule)."""
    md = on.month * 100 + on.day
    return (
        f"({on.year} - year({birth}) - "
        f"CASE WHEN {md} < month({birth}) * 100 + day({birth}) THEN 1 ELSE 0 END)"
    )


def registered(persons: Path, on: date, by: Sequence[str]) -> pd.DataFrame:
    """People of ``persons`` registered on ``on``, counted by ``by``.

    Registered means born by ``on``, ``registered_from`` on or before it (or missing)
    and ``registered_to`` after it (or missing). ``by`` may name columns of the file and
    ``imd_decile``, ``imd_quintile``, ``imd_score`` (from the person's LSOA; missing
    outside England's table), ``age`` and ``age_band`` (on ``on``).

    Returns
    -------
    DataFrame
        ``by`` columns and ``population`` (people), one row per combination present.
    """
    path = Path(persons)
    if not path.is_file():
        raise InputError(f"no persons file at {path}: check [data] persons in healthgap.toml")
    with duckdb.connect() as con:
        try:
            names = set(con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)]).df())
        except duckdb.Error as error:
            raise InputError(f"cannot read {path} as Parquet: {error}") from None
        needed = {c for b in by for c in _DERIVED.get(b, (b,))}
        missing = sorted(needed - names)
        if missing:
            raise InputError(f"{path} has no column(s) {', '.join(missing)}")
        con.register("ref", reference())
        day = f"DATE '{on.isoformat()}'"
        where = []
        if "birth_date" in names:
            where.append(f"(p.birth_date IS NULL OR p.birth_date <= {day})")
        if "registered_from" in names:
            where.append(f"(p.registered_from IS NULL OR p.registered_from <= {day})")
        if "registered_to" in names:
            where.append(f"(p.registered_to IS NULL OR p.registered_to > {day})")
        age = age_sql("p.birth_date", on)
        expressions = {
            "imd_decile": "r.imd_decile",
            "imd_quintile": "(r.imd_decile + 1) // 2",
            "imd_score": "r.imd_score",
            "age": age,
            "age_band": age_band_sql(age),
        }
        select = ", ".join(f'{expressions.get(b, f"p.{b}")} AS "{b}"' for b in by)
        sql = (
            f"SELECT {select}{', ' if by else ''}count(*) AS population "
            "FROM read_parquet(?) AS p LEFT JOIN ref AS r ON p.lsoa_code = r.lsoa_code"
            if "lsoa_code" in names
            else f"SELECT {select}{', ' if by else ''}count(*) AS population "
            "FROM read_parquet(?) AS p"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        if by:
            sql += " GROUP BY ALL"
        try:
            out = con.execute(sql, [str(path)]).df()
        except duckdb.Error as error:
            raise InputError(f"cannot count the people in {path}: {error}") from None
    out["population"] = out["population"].astype("int64")
    return out


def records_end(events: Path) -> date:
    """The last event date in ``events`` (the end of the records); today if no file."""
    path = Path(events)
    if not path.is_file():
        return date.today()
    with duckdb.connect() as con:
        try:
            last = con.execute("SELECT max(date) FROM read_parquet(?)", [str(path)]).fetchone()
        except duckdb.Error as error:
            raise InputError(f"cannot read the event dates in {path}: {error}") from None
    if last is None or last[0] is None:
        return date.today()
    return pd.Timestamp(last[0]).date()
