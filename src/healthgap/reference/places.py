"""Finding an English local authority by name or code."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import pandas as pd

from healthgap.errors import InputError
from healthgap.reference.lsoa import lsoas


@dataclass(frozen=True)
class Place:
    """A local authority (2025 boundaries)."""

    code: str
    name: str


@cache
def _authorities() -> pd.DataFrame:
    table = lsoas()
    current = table[["lad_code", "lad_name"]].drop_duplicates()
    older = table[["lad23_code", "lad23_name", "lad_code", "lad_name"]].drop_duplicates()
    return pd.concat(
        [
            current.assign(key_code=current["lad_code"], key_name=current["lad_name"]),
            older.rename(columns={"lad23_code": "key_code", "lad23_name": "key_name"}),
        ],
        ignore_index=True,
    ).drop_duplicates(["key_code", "lad_code"])


def authorities() -> pd.DataFrame:
    """English local authorities (2025 boundaries): ``code`` and ``name``, sorted by name."""
    table = _authorities()[["lad_code", "lad_name"]].drop_duplicates()
    return (
        table.rename(columns={"lad_code": "code", "lad_name": "name"})
        .sort_values("name")
        .reset_index(drop=True)
    )


def find_place(query: str) -> Place:
    """The English local authority named or coded ``query`` (case and spacing ignored).

    2023 codes and names (before the 2025 recoding of Barnsley and Sheffield) are
    accepted too. An unknown place raises :class:`InputError` suggesting close matches.

    Examples
    --------
    >>> find_place("luton")
    Place(code='E06000032', name='Luton')
    >>> find_place("E08000025").name
    'Birmingham'
    >>> find_place("Bristol").name
    'Bristol, City of'
    """
    table = _authorities()
    wanted = _fold(query)
    hit = table[
        (table["key_code"].str.casefold() == wanted)
        | (table["key_name"].map(_fold) == wanted)
        | (table["key_name"].map(_short_name) == wanted)
    ]
    if len(hit):
        row = hit.iloc[0]
        return Place(code=str(row["lad_code"]), name=str(row["lad_name"]))
    by_fold = {_fold(n): n for n in sorted(set(table["lad_name"]))}
    close = difflib.get_close_matches(wanted, list(by_fold), n=5, cutoff=0.6)
    close += [n for n in by_fold if wanted and wanted in n and n not in close]
    suggestion = [by_fold[c] for c in close][:5]
    hint = f" Did you mean: {'; '.join(suggestion)}?" if suggestion else ""
    raise InputError(
        f"{query!r} is not an English local authority name or code (2025 boundaries).{hint}"
    )


def _fold(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _short_name(name: str) -> str:
    """'Bristol, City of' → 'bristol'; 'Herefordshire, County of' → 'herefordshire'."""
    return _fold(name.split(",")[0])


def place_lsoas(place: Place) -> pd.DataFrame:
    """The LSOAs of ``place``, sorted by national IMD rank (most deprived first)."""
    table = lsoas()
    return table[table["lad_code"] == place.code].sort_values("imd_rank").reset_index(drop=True)
