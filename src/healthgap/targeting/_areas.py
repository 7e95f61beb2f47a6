"""The areas a budget is shared across: their people, IMD score and deprivation mix.

LSOAs, MSOAs and localities take Census 2021 usual residents from the shipped LSOA
table; GP practices take their registered people from persons.parquet. Areas larger than
an LSOA take the population-weighted mean IMD score of their LSOAs (MHCLG's "average
score" for higher geographies; OHID's practice deprivation score). ``mix`` says how each
area's people split across national IMD deciles, for the gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.reference.lsoa import lsoas
from healthgap.targeting._persons import registered
from healthgap.workspace import Workspace

LEVELS: tuple[str, ...] = ("lsoa", "msoa", "locality", "practice")


@dataclass(frozen=True)
class Areas:
    """The areas of one level.

    ``table``: ``area_code``, ``area_name``, ``population``, ``imd_score`` (and
    ``imd_decile`` for LSOAs). ``mix``: ``area_code``, ``imd_decile``, ``population``.
    ``lsoas``: the place's LSOAs with ``area_code`` (their area; LSOA levels only), for
    spreading MSOA or LSOA indicator values over areas.
    """

    level: str
    table: pd.DataFrame
    mix: pd.DataFrame
    lsoas: pd.DataFrame | None
    source: str
    from_persons: bool


def place_lsoas(workspace: Workspace) -> pd.DataFrame:
    """The LSOAs of the workspace's local authorities (codes as plain strings)."""
    if not workspace.area_codes:
        raise InputError(
            "the workspace names no local authority: set [place] area_codes in "
            'healthgap.toml (e.g. area_codes = ["E06000032"])'
        )
    table = lsoas()
    table = table[table["lad_code"].isin(list(workspace.area_codes))]
    columns = ["lsoa_code", "lsoa_name", "msoa_code", "msoa_name", "lad_code", "lad_name"]
    out = table[columns].astype(object)
    out["imd_decile"] = table["imd_decile"].astype("int64")
    out["imd_score"] = table["imd_score"].astype("float64")
    out["population"] = table["population"].astype("int64")
    return out.sort_values("lsoa_code").reset_index(drop=True)


def areas(
    workspace: Workspace, level: str, *, localities: str | Path | None = None, on: date
) -> Areas:
    """The areas of ``level`` ("lsoa", "msoa", "locality" or "practice")."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if level == "practice":
        return _practices(workspace, on)
    ref = place_lsoas(workspace)
    census = "Census 2021 usual residents (ONS)"
    if level == "lsoa":
        table = ref.rename(columns={"lsoa_code": "area_code", "lsoa_name": "area_name"})
        table = table[["area_code", "area_name", "population", "imd_score", "imd_decile"]]
        mix = table[["area_code", "imd_decile", "population"]]
        return Areas(level, table, mix, ref.assign(area_code=ref["lsoa_code"]), census, False)
    if level == "msoa":
        ref = ref.assign(area_code=ref["msoa_code"], area_name=ref["msoa_name"])
    elif localities is None:
        ref = ref.assign(area_code=ref["lad_code"], area_name=ref["lad_name"])
    else:
        ref = ref.assign(area_code=locality_lookup(localities, ref))
        ref["area_name"] = ref["area_code"]
    return Areas(level, _grouped(ref), _mix(ref), ref, census, False)


def _grouped(ref: pd.DataFrame) -> pd.DataFrame:
    weighted = ref.assign(score_x_people=ref["imd_score"] * ref["population"])
    table = weighted.groupby(["area_code", "area_name"], sort=True, as_index=False)[
        ["population", "score_x_people"]
    ].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["imd_score"] = table.pop("score_x_people") / table["population"]
    return table


def _mix(ref: pd.DataFrame) -> pd.DataFrame:
    return ref.groupby(["area_code", "imd_decile"], sort=True, as_index=False)["population"].sum()


def _practices(workspace: Workspace, on: date) -> Areas:
    counts = registered(workspace.persons, on, ["practice_code", "imd_decile", "imd_score"])
    counts = counts[counts["practice_code"].notna()].rename(columns={"practice_code": "area_code"})
    if counts.empty:
        raise InputError(f"nobody in {workspace.persons} is registered with a practice on {on}")
    counts["area_code"] = counts["area_code"].astype(str)
    known = counts["imd_score"].notna()
    counts["score_x_people"] = counts["imd_score"].fillna(0) * counts["population"]
    counts["known"] = np.where(known, counts["population"], 0)
    table = counts.groupby("area_code", sort=True, as_index=False)[
        ["population", "score_x_people", "known"]
    ].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["imd_score"] = table.pop("score_x_people") / table.pop("known")
    table.insert(1, "area_name", table["area_code"])
    mix = (
        counts[known]
        .groupby(["area_code", "imd_decile"], sort=True, as_index=False)["population"]
        .sum()
    )
    mix["imd_decile"] = mix["imd_decile"].astype("int64")
    source = f"people registered on {on:%d %B %Y} ({workspace.persons.name})"
    return Areas("practice", table, mix, None, source, True)


def locality_lookup(path: str | Path, ref: pd.DataFrame) -> pd.Series:
    """Each of the place's LSOAs' locality, from a CSV of ``lsoa_code`` or ``msoa_code``
    and ``locality`` (one row per code; rows number from 2, after the header)."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"no localities file at {file}")
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{file}: cannot read it as CSV: {error}") from None
    table.columns = [str(c).strip() for c in table.columns]
    key = next((c for c in ("lsoa_code", "msoa_code") if c in table.columns), None)
    if key is None or "locality" not in table.columns:
        raise InputError(
            f"{file}: needs a 'locality' column and an 'lsoa_code' or 'msoa_code' column; "
            f"it has {', '.join(map(repr, table.columns))}"
        )
    table.index = pd.RangeIndex(2, len(table) + 2, name="row")
    codes, names = table[key].str.strip(), table["locality"].str.strip()
    for column, values in ((key, codes), ("locality", names)):
        blank = (values == "").to_numpy()
        if blank.any():
            raise InputError(f"{file}: blank values", column=column, rows=table.index[blank])
    outside = ~codes.isin(set(ref[key])).to_numpy()
    if outside.any():
        raise InputError(
            f"{file}: codes not in the workspace's place", column=key, rows=table.index[outside]
        )
    repeated = codes.duplicated(keep=False).to_numpy()
    if repeated.any():
        raise InputError(
            f"{file}: a code is listed more than once", column=key, rows=table.index[repeated]
        )
    found = ref[key].map(dict(zip(codes, names, strict=True)))
    absent = found.isna().to_numpy()
    if absent.any():
        missing = sorted(set(ref.loc[absent, key]))
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise InputError(f"{file}: every {key} of the place needs a locality; missing {shown}")
    return found.astype(object)
