"""``audit_service``: read a service's CSV file and audit it against the workspace's population.

The file is either **person-level** — one row per person reached, with any of
``lsoa_code``, ``ethnicity``, ``sex``, ``age`` or ``birth_date`` (other columns, such as
a pseudonym, are ignored) — or **aggregated**: a ``count`` column and any of
``imd_quintile``, ``ethnicity``, ``sex``, ``age_band``. The population is the people of
the workspace's persons.parquet registered on the day, living in the place; without a
persons file, Census 2021 residents by IMD quintile and age band. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.disclosure import DisclosureRules, protect, render
from healthgap.errors import InputError
from healthgap.methods._confidence import Confidence
from healthgap.reference.lsoa import AGE_GROUPS, lsoas
from healthgap.targeting._areas import place_lsoas
from healthgap.targeting._persons import AGE_BANDS, records_end, registered
from healthgap.targeting._service import read_service
from healthgap.targeting.audit import DIMENSIONS, equity_audit
from healthgap.workspace import Workspace, load_workspace

_VALUES = ("service_share", "population_share", "expected", "ratio")


@dataclass(frozen=True)
class Audit:
    """An equity audit of a service (see :func:`audit_service`).

    ``table`` holds raw counts (:func:`~healthgap.targeting.audit.equity_audit`'s
    output); publish :meth:`published` instead. ``unknown`` counts the service records
    left out of each dimension for a missing value; ``outside`` those living outside the
    place (person-level files with ``lsoa_code``).
    """

    table: pd.DataFrame
    dimensions: tuple[str, ...]
    person_level: bool
    population_source: str
    unknown: dict[str, int]
    outside: int
    notes: tuple[str, ...]
    synthetic: bool

    def published(self, rules: DisclosureRules | None = None) -> pd.DataFrame:
        """The table with disclosure control: small service or population counts
        suppressed (with their shares, ratio, limits and verdict), secondary
        suppression within each dimension, other counts rounded; ``"*"`` where hidden."""
        rules = rules if rules is not None else DisclosureRules()
        raw = self.table
        limits = [c for c in raw.columns if c.startswith(("lower_ci", "upper_ci"))]
        totals = raw.groupby("dimension", sort=False, as_index=False)[
            ["service_count", "population_count"]
        ].sum()
        marked = pd.concat(
            [raw.assign(kind="category"), totals.assign(kind="total", category="All")],
            ignore_index=True,
        )
        values = (*_VALUES, *limits)
        safe = protect(
            marked,
            rules,
            count="service_count",
            denominator="population_count",
            values=values,
            siblings=("dimension",),
            total=("kind", "total"),
            category="category",
            margins=(),
            parent=None,
            derived=("verdict", "method"),
        )
        safe = safe[safe["kind"] == "category"].drop(columns=["kind"])
        for column in ("service_count", "population_count"):
            shown = safe[column].dropna()
            if (shown == shown.round()).all():
                safe[column] = safe[column].astype("Int64")
        safe = safe.round({c: 1 for c in ("service_share", "population_share", "expected")})
        safe = safe.round({c: 3 for c in ("ratio", *limits)})
        out = render(safe, count="service_count", denominator="population_count", values=values)
        out["note"] = out.pop("value_note").fillna("").astype(object)
        for column in ("verdict", "method"):
            out[column] = out[column].fillna("").astype(object)
        if self.synthetic:
            out["note"] = np.where(out["note"] == "", "SYNTHETIC", "SYNTHETIC; " + out["note"])
        return out.drop(columns=["suppressed"]).reset_index(drop=True)


def audit_service(
    workspace: Workspace | str | Path,
    service: str | Path,
    *,
    on: date | None = None,
    confidence: Confidence = 0.95,
) -> Audit:
    """Audit the service in the CSV file ``service`` against the workspace's population.

    Parameters
    ----------
    workspace : Workspace or path
    service : path
        The service's CSV file (person-level or aggregated; see the module docstring).
    on : date, optional
        The day ages (from ``birth_date``) and the registered population are taken on;
        default the last event date of the workspace's records (today without them).
    confidence : float or list of float

    Returns
    -------
    Audit

    Raises
    ------
    InputError
        A missing or malformed file (naming the row and column), no dimension the
        population has, or categories the population lacks.

    References
    ----------
    Department of Health (2003) *Health Equity Audit: A Guide for the NHS*.

    Examples
    --------
    >>> import tempfile
    >>> from healthgap.workspace import init_workspace
    >>> folder = Path(tempfile.mkdtemp())
    >>> workspace = init_workspace(folder, place="Luton")
    >>> counts = "imd_quintile,count\\n1,150\\n2,60\\n3,25\\n4,25\\n5,5\\n"
    >>> _ = (folder / "clinic.csv").write_text(counts)
    >>> audit = audit_service(workspace, folder / "clinic.csv")
    >>> audit.population_source
    'Census 2021 usual residents (ONS)'
    >>> audit.table["verdict"].tolist()[:2]
    ['over-represented', 'under-represented']
    """
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    day = on if on is not None else records_end(ws.events)
    place = place_lsoas(ws)
    counts, person_level, unknown, outside = read_service(Path(service), day, place)
    if ws.persons.is_file():
        wanted = [d for d in DIMENSIONS if d in counts.columns]
        population = _registered_population(ws, day, wanted, set(place["lsoa_code"]))
        source = f"people registered on {day:%d %B %Y}, living in the place ({ws.persons.name})"
    else:
        population = _census_population(place)
        source = "Census 2021 usual residents (ONS)"
    dims = tuple(d for d in DIMENSIONS if d in counts.columns and d in population.columns)
    missing = [d for d in DIMENSIONS if d in counts.columns and d not in dims]
    if not dims:
        raise InputError(
            f"{service}: none of its categories ({', '.join(missing)}) can be compared: the "
            "population without person-level data has only imd_quintile and age_band"
        )
    table = equity_audit(counts, population, by=dims, confidence=confidence)
    notes = [f"{d}: not in the population data ({source}), so not audited" for d in missing]
    return Audit(table, dims, person_level, source, unknown, outside, tuple(notes), ws.synthetic)


def _registered_population(
    ws: Workspace, day: date, dims: list[str], codes: set[str]
) -> pd.DataFrame:
    counts = registered(ws.persons, day, ["lsoa_code", *dims])
    counts = counts[counts["lsoa_code"].isin(codes)].drop(columns=["lsoa_code"])
    if "sex" in counts.columns:
        counts["sex"] = counts["sex"].map({"F": "Female", "M": "Male"}).fillna(counts["sex"])
    if not dims:
        return counts.rename(columns={"population": "count"})
    grouped = counts.groupby(dims, dropna=False, as_index=False)["population"].sum()
    return grouped.rename(columns={"population": "count"})


def _census_population(place: pd.DataFrame) -> pd.DataFrame:
    """Census 2021 residents by IMD quintile and age band (the shipped LSOA table)."""
    table = lsoas()
    table = table[table["lsoa_code"].isin(set(place["lsoa_code"]))]
    wide = pd.DataFrame({"imd_quintile": (table["imd_decile"].astype("int64") + 1) // 2})
    for column, band in zip(AGE_GROUPS, AGE_BANDS, strict=True):
        wide[band] = table[column].astype("int64").to_numpy()
    long = wide.melt(id_vars="imd_quintile", var_name="age_band", value_name="count")
    return long.groupby(["imd_quintile", "age_band"], as_index=False)["count"].sum()
