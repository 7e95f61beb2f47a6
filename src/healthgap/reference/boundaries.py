"""Outlines of England's LSOAs, MSOAs (2021) and local authorities, for maps.

Each loader returns a GeoJSON-like ``FeatureCollection`` (WGS84 longitude/latitude, RFC 7946
winding) whose features carry two properties, ``code`` and ``name``, and ``id`` = code.
Coordinates are tuples, shared with a cache: treat the result as read-only.

Sources (Open Government Licence v3.0), generalised ("BGC") boundaries published by ONS:
LSOAs (December 2021), MSOAs (December 2021, England only) and local authority districts
(2021–22 codes). The 2023 unitary authorities (Cumberland, Westmorland and Furness, North
Yorkshire, Somerset) are dissolved from their predecessor districts, and Barnsley and
Sheffield's 2025 codes reuse their earlier outlines (every LSOA maps one-to-one). Any map
drawn from these must show :data:`ATTRIBUTION`.

Storage: ``scripts/build_reference_data.py`` rounds coordinates to 4 decimal places (about
7–11 m, much finer than the generalisation), drops repeated points and writes one zip per
area type. Each zip holds ``index.json`` (which codes are in which chunk, provenance) and
one JSON member per chunk: LSOAs and MSOAs are chunked by 2025 local authority, so one
place's areas load without reading all of England. A ring is stored as integers in units
of 1/10,000 degree: its first point, then the step to each next point.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from importlib import resources
from itertools import chain
from typing import Any, Literal

import numpy as np

from healthgap.errors import InputError

#: Credit line to show wherever a map drawn from these boundaries appears.
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021"
)

#: Area types with boundaries, named as in the warehouse's ``area_type`` column.
AREA_TYPES: tuple[str, ...] = ("lsoa", "msoa", "lad")

#: Local authority boundary years available to :func:`lad_boundaries`.
LAD_YEARS: tuple[int, ...] = (2022, 2023, 2025)

AreaType = Literal["lsoa", "msoa", "lad"]
Missing = Literal["raise", "skip"]
FeatureCollection = dict[str, Any]

_FILES = {
    "lsoa": "lsoa21_boundaries.zip",
    "msoa": "msoa21_boundaries.zip",
    "lad": "lad_boundaries.zip",
}
_FORMAT = 1
_SHOWN = 5
# Chunks are about 125 LSOAs (or 25 MSOAs) of one local authority, under 1 MB decoded:
# keep the places a dashboard is likely to show without holding all of England in memory.
_CACHED_CHUNKS = 64

Geometry = dict[str, Any]


class _Index:
    """What one area type's zip holds: the chunk of each code, and the file's metadata."""

    def __init__(self, area_type: str, meta: dict[str, Any]) -> None:
        if meta.get("format") != _FORMAT or meta.get("area_type") != area_type:
            raise RuntimeError(  # pragma: no cover - only a damaged install gets here
                f"the shipped {_FILES[area_type]} is not a format-{_FORMAT} {area_type} file"
            )
        self.scale = float(meta["scale"])
        self.chunk_of = {code: chunk for chunk, codes in meta["chunks"].items() for code in codes}
        self.years: dict[str, list[str]] = meta.get("years", {})


@contextmanager
def _open(area_type: str) -> Iterator[zipfile.ZipFile]:
    path = resources.files("healthgap.reference") / "data" / _FILES[area_type]
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        yield archive


@cache
def _index(area_type: str) -> _Index:
    with _open(area_type) as archive:
        return _Index(area_type, json.loads(archive.read("index.json")))


def _geometries(encoded: list[list[list[list[int]]]], scale: float) -> list[Geometry]:
    """Undo the step encoding of a chunk's rings at once, and close each ring."""
    rings = [ring for geometry in encoded for polygon in geometry for ring in polygon]
    lengths = np.fromiter((len(r) // 2 for r in rings), dtype=np.intp, count=len(rings))
    steps = np.fromiter(chain.from_iterable(rings), dtype=np.int64, count=2 * lengths.sum())
    totals = np.cumsum(steps.reshape(-1, 2), axis=0)
    # Each ring restarts from its own first point: remove the running total before it.
    ends = np.cumsum(lengths)
    before = np.vstack([np.zeros((1, 2), dtype=np.int64), totals[ends[:-1] - 1]])
    points = list(map(tuple, ((totals - np.repeat(before, lengths, axis=0)) / scale).tolist()))
    closed = iter(
        (*points[start:end], points[start])
        for start, end in zip((ends - lengths).tolist(), ends.tolist(), strict=True)
    )
    out: list[Geometry] = []
    for geometry in encoded:
        polygons = tuple(tuple(next(closed) for _ in polygon) for polygon in geometry)
        if len(polygons) == 1:
            out.append({"type": "Polygon", "coordinates": polygons[0]})
        else:
            out.append({"type": "MultiPolygon", "coordinates": polygons})
    return out


def _decode(
    area_type: str, chunk: str, archive: zipfile.ZipFile | None = None
) -> dict[str, tuple[str, Geometry]]:
    if archive is None:
        with _open(area_type) as opened:
            raw = json.loads(opened.read(f"{chunk}.json"))
    else:
        raw = json.loads(archive.read(f"{chunk}.json"))
    geometries = _geometries(raw["geometry"], _index(area_type).scale)
    return {
        code: (name, geometry)
        for code, name, geometry in zip(raw["code"], raw["name"], geometries, strict=True)
    }


@lru_cache(maxsize=_CACHED_CHUNKS)
def _chunk(area_type: str, chunk: str) -> dict[str, tuple[str, Geometry]]:
    return _decode(area_type, chunk)


def _codes(codes: Iterable[str] | str) -> list[str]:
    """The requested codes in order, without repeats (a single string is one code)."""
    wanted = [codes] if isinstance(codes, str) else list(codes)
    bad = [c for c in wanted if not isinstance(c, str)]
    if bad:
        shown = ", ".join(repr(c) for c in bad[:_SHOWN])
        raise InputError(f"area codes must be text, not {shown}")
    return list(dict.fromkeys(c.strip() for c in wanted))


def _collection(rows: Iterable[tuple[str, str, Geometry]]) -> FeatureCollection:
    # Fresh feature and property dicts on every call: only the coordinate tuples are shared.
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": dict(geometry),
            }
            for code, name, geometry in rows
        ],
    }


def _load(
    area_type: str,
    codes: Iterable[str] | str | None,
    missing: Missing,
    everything: Iterable[str] | None = None,
) -> FeatureCollection:
    if missing not in ("raise", "skip"):
        raise InputError(f"missing must be 'raise' or 'skip', not {missing!r}")
    index = _index(area_type)
    if codes is None:
        wanted = sorted(index.chunk_of if everything is None else everything)
        chunks = {index.chunk_of[c] for c in wanted}
        # A whole-England load decodes every chunk once, bypassing the cache so that it
        # does not evict the places in use nor keep ~2 million points alive.
        with _open(area_type) as archive:
            areas = {
                code: area
                for chunk in sorted(chunks)
                for code, area in _decode(area_type, chunk, archive).items()
            }
        return _collection((code, *areas[code]) for code in wanted)
    wanted = _codes(codes)
    unknown = [c for c in wanted if c not in index.chunk_of]
    if unknown and missing == "raise":
        shown = ", ".join(unknown[:_SHOWN]) + (" …" if len(unknown) > _SHOWN else "")
        raise InputError(
            f"{len(unknown)} code(s) have no {area_type.upper()} boundary in England: {shown}"
        )
    found = [c for c in wanted if c in index.chunk_of]
    return _collection((code, *_chunk(area_type, index.chunk_of[code])[code]) for code in found)


def lsoa_boundaries(
    codes: Iterable[str] | str | None = None, *, missing: Missing = "raise"
) -> FeatureCollection:
    """LSOA (2021) outlines: all 33,755 in England, or those in ``codes`` in that order.

    Parameters
    ----------
    codes : iterable of str, str or None
        LSOA 2021 codes (``E01…``); repeats are dropped. ``None`` loads all of England
        (a couple of seconds, and a large result: prefer one place's codes).
    missing : {"raise", "skip"}
        What to do with codes that have no boundary: raise :class:`InputError` naming
        them, or leave them out.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection; each feature's properties are ``code`` and ``name``.

    Examples
    --------
    >>> from healthgap.reference.lsoa import lsoas
    >>> table = lsoas()
    >>> luton = lsoa_boundaries(table.loc[table["lad_code"] == "E06000032", "lsoa_code"])
    >>> len(luton["features"]), luton["features"][0]["properties"]
    (125, {'code': 'E01015693', 'name': 'Luton 007A'})
    """
    return _load("lsoa", codes, missing)


def msoa_boundaries(
    codes: Iterable[str] | str | None = None, *, missing: Missing = "raise"
) -> FeatureCollection:
    """MSOA (2021) outlines: all 6,856 in England, or those in ``codes`` in that order.

    Parameters and result as for :func:`lsoa_boundaries`, with MSOA codes (``E02…``).

    Examples
    --------
    >>> msoa_boundaries("E02003264")["features"][0]["properties"]
    {'code': 'E02003264', 'name': 'Luton 007'}
    """
    return _load("msoa", codes, missing)


def lad_boundaries(
    codes: Iterable[str] | str | None = None,
    *,
    year: int = 2025,
    missing: Missing = "raise",
) -> FeatureCollection:
    """Local authority district outlines of England.

    Parameters
    ----------
    codes : iterable of str, str or None
        Local authority codes. Codes of any boundary year below are found, so data coded
        before the 2023 mergers still map. ``None`` gives every authority of ``year``.
    year : {2022, 2023, 2025}
        Whose authorities ``codes=None`` returns: 2022 (309, as in 2021–22), 2023 (296,
        after the Cumbria, North Yorkshire and Somerset mergers) or 2025 (296, with Barnsley
        and Sheffield recoded; the codes of :func:`healthgap.reference.places.authorities`).
    missing : {"raise", "skip"}
        As for :func:`lsoa_boundaries`.

    Examples
    --------
    >>> len(lad_boundaries()["features"]), len(lad_boundaries(year=2022)["features"])
    (296, 309)
    >>> lad_boundaries(["E06000032", "E07000026"])["features"][1]["properties"]["name"]
    'Allerdale'
    """
    if year not in LAD_YEARS:
        raise InputError(f"no local authority boundaries for {year!r}: choose one of {LAD_YEARS}")
    everything = _index("lad").years[str(year)] if codes is None else None
    return _load("lad", codes, missing, everything)


def boundaries_for(
    area_type: str, codes: Iterable[str] | str | None = None, *, missing: Missing = "raise"
) -> FeatureCollection:
    """Outlines of ``codes`` for an area type named as in the warehouse (``lsoa`` …).

    Local authorities are those of 2025 when ``codes`` is None.

    Examples
    --------
    >>> boundaries_for("lad", "E06000032")["features"][0]["properties"]["name"]
    'Luton'
    """
    if area_type not in AREA_TYPES:
        raise InputError(
            f"no boundaries for area type {area_type!r}: choose one of {', '.join(AREA_TYPES)}"
        )
    if area_type == "lad":
        return lad_boundaries(codes, missing=missing)
    return _load(area_type, codes, missing)


def boundary_codes(area_type: str) -> frozenset[str]:
    """Every code with an outline, e.g. to choose between a map and a tile view.

    Examples
    --------
    >>> len(boundary_codes("lsoa")), len(boundary_codes("msoa")), len(boundary_codes("lad"))
    (33755, 6856, 315)
    """
    if area_type not in AREA_TYPES:
        raise InputError(
            f"no boundaries for area type {area_type!r}: choose one of {', '.join(AREA_TYPES)}"
        )
    return frozenset(_index(area_type).chunk_of)
