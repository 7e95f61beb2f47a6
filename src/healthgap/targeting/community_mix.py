"""Who lives in each community: its deprivation (IMD 2025) and ethnic mix.

LSOAs take their IMD 2025 score and decile from the shipped reference table
(:func:`healthgap.reference.lsoa.lsoas`). MSOAs and GP practices take the mean IMD score
of their people (a population-weighted mean of their LSOAs' scores) and the share living
in Core20 LSOAs (national IMD deciles 1 and 2). The ethnic mix is counted from the
person-level file, read in place by DuckDB: only one row per community comes back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from healthgap.indicators.breakdowns import ETHNIC_GROUPS
from healthgap.indicators.definition import Population
from healthgap.reference.lsoa import lsoas

#: Area breakdowns that have a mix, and the column of persons.parquet (or the LSOA
#: reference) that places a person in one.
UNITS = {"lsoa": "lsoa_code", "msoa": "msoa_code", "practice": "practice_code"}
GROUPS = (*ETHNIC_GROUPS, "Unknown")


def ethnicity_columns() -> list[str]:
    """Share columns of the ethnic mix (percent of the community's people)."""
    return [f"ethnicity_{g.lower()}" for g in GROUPS]


def community_mix(
    unit: str, persons: Path | None, on: date | None, population: Population
) -> pd.DataFrame:
    """One row per community of ``unit`` ("lsoa", "msoa" or "practice") with its
    deprivation and ethnic mix.

    The people counted are those in ``persons`` registered on ``on`` (the period's last
    day) of the indicator population's ages and sex (its condition and PLUS-flag criteria
    are not applied). Without a persons file, MSOAs are weighted by their LSOAs' Census
    2021 residents and there is no ethnic mix.

    Returns
    -------
    DataFrame
        ``area_code``; for LSOAs ``imd_decile`` and ``imd_score``; for all units
        ``imd_score`` (mean), ``core20_share`` (%), ``persons``, ``ethnicity_<group>``
        (% of ``persons``) and ``persons_<group>`` (counts).
    """
    reference = _reference()
    counted = _count(unit, persons, on, population, reference) if persons else None
    if counted is None:
        counted = _census(unit, reference)
    if unit == "lsoa":
        own = reference[["lsoa_code", "imd_decile", "imd_score"]].rename(
            columns={"lsoa_code": "area_code"}
        )
        counted = counted.drop(columns=["imd_score"]).merge(own, on="area_code", how="left")
        counted["core20_share"] = np.where(counted["imd_decile"] <= 2, 100.0, 0.0)
    return counted


def _reference() -> pd.DataFrame:
    table = lsoas()
    return pd.DataFrame(
        {
            "lsoa_code": table["lsoa_code"].astype(str).to_numpy(),
            "msoa_code": table["msoa_code"].astype(str).to_numpy(),
            "imd_decile": table["imd_decile"].to_numpy(dtype="int64"),
            "imd_score": table["imd_score"].to_numpy(dtype="float64"),
            "population": table["population"].to_numpy(dtype="float64"),
        }
    )


def _count(
    unit: str, persons: Path, on: date | None, population: Population, reference: pd.DataFrame
) -> pd.DataFrame | None:
    """Counts by community from the persons file (None if it is missing or unusable)."""
    if not persons.is_file():
        return None
    with duckdb.connect() as con:
        source = "read_parquet(?)"
        columns = set(con.execute(f"SELECT * FROM {source} LIMIT 0", [str(persons)]).df())
        needed = {"lsoa_code", "ethnicity"} | ({"practice_code"} if unit == "practice" else set())
        if not needed <= columns:
            return None
        where, params = _filters(columns, on, population)
        key = "p.practice_code" if unit == "practice" else f"r.{UNITS[unit]}"
        shares = ", ".join(
            f'count(*) FILTER (WHERE {_is(group)}) AS "persons_{group.lower()}"' for group in GROUPS
        )
        con.register("ref", reference)
        sql = (
            f"SELECT {key} AS area_code, count(*) AS persons, avg(r.imd_score) AS imd_score, "
            "100 * avg(CASE WHEN r.imd_decile <= 2 THEN 1.0 ELSE 0.0 END) AS core20_share, "
            f"{shares} FROM {source} p LEFT JOIN ref r ON p.lsoa_code = r.lsoa_code "
            f"{where} GROUP BY ALL"
        )
        counted = con.execute(sql, [str(persons), *params]).df()
    counted = counted[counted["area_code"].notna()].reset_index(drop=True)
    total = counted["persons"].to_numpy(dtype="float64")
    for group in GROUPS:
        share = counted[f"persons_{group.lower()}"].to_numpy(dtype="float64") / total * 100
        counted[f"ethnicity_{group.lower()}"] = share
    counted["area_code"] = counted["area_code"].astype(str)
    return counted


def _is(group: str) -> str:
    """SQL condition: a person of ``group`` (Unknown: missing or not an ONS group)."""
    if group == "Unknown":
        known = ", ".join(f"'{g}'" for g in ETHNIC_GROUPS)
        return f"coalesce(p.ethnicity, '') NOT IN ({known})"
    return f"p.ethnicity = '{group}'"


def _filters(
    columns: set[str], on: date | None, population: Population
) -> tuple[str, list[object]]:
    """WHERE clause: registered on ``on``, of the population's ages and sex."""
    parts: list[str] = []
    params: list[object] = []
    if on is not None and {"registered_from", "registered_to"} <= columns:
        parts.append("p.registered_from <= ? AND (p.registered_to IS NULL OR p.registered_to >= ?)")
        params += [on, on]
    if on is not None and "birth_date" in columns:
        age = (
            "(year(CAST(? AS DATE)) - year(p.birth_date) - CASE WHEN month(p.birth_date) * 100 "
            "+ day(p.birth_date) > month(CAST(? AS DATE)) * 100 + day(CAST(? AS DATE)) "
            "THEN 1 ELSE 0 END)"
        )
        parts.append(f"{age} >= ?")
        params += [on, on, on, population.min_age]
        if population.max_age is not None:
            parts.append(f"{age} <= ?")
            params += [on, on, on, population.max_age]
    if population.sex is not None and "sex" in columns:
        parts.append("p.sex = ?")
        params.append(population.sex)
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def _census(unit: str, reference: pd.DataFrame) -> pd.DataFrame:
    """Without person records: LSOAs and MSOAs from the Census 2021 reference alone."""
    if unit == "practice":
        return pd.DataFrame(columns=["area_code", "imd_score", "core20_share"])
    key = UNITS[unit]
    weights = reference["population"].to_numpy()
    frame = pd.DataFrame(
        {
            "area_code": reference[key],
            "w": weights,
            "ws": weights * reference["imd_score"].to_numpy(),
            "wc": weights * (reference["imd_decile"].to_numpy() <= 2),
        }
    )
    sums = frame.groupby("area_code", as_index=False)[["w", "ws", "wc"]].sum()
    return pd.DataFrame(
        {
            "area_code": sums["area_code"].astype(str),
            "imd_score": sums["ws"] / sums["w"],
            "core20_share": 100 * sums["wc"] / sums["w"],
        }
    )
