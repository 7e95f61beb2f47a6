"""Rebuild the packaged reference data from the project's shared public data folder.

Run from the repository root: ``.venv/bin/python scripts/build_reference_data.py ../shared/data``
(``--only lsoa`` or ``--only boundaries`` rebuilds one part). The outputs in
``src/healthgap/reference/data/`` are committed: the package never reads the shared folder at
run time. Sources (Open Government Licence v3.0):

- English Indices of Deprivation 2025 (MHCLG), LSOA 2021: IMD and domain ranks, scores, deciles.
- ONS Census 2021 usual residents by LSOA 2021 and six age groups (table TS007A-derived).
- ONS LSOA 2021 → MSOA 2021 → local authority lookup (2022, 2023 and 2025 boundaries).
- ONS generalised (BGC) boundaries of LSOAs and MSOAs (2021) and local authorities (2021–22
  codes; the 2023 mergers are dissolved here from their predecessors): the
  ``*_boundaries.zip`` files read by ``healthgap.reference.boundaries`` (format described
  there). "Source: Office for National Statistics licensed under the Open Government Licence
  v.3.0. Contains OS data © Crown copyright and database right 2021".
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

AGE_GROUPS = {
    "Aged 15 years and under": "pop_0_15",
    "Aged 16 to 24 years": "pop_16_24",
    "Aged 25 to 34 years": "pop_25_34",
    "Aged 35 to 49 years": "pop_35_49",
    "Aged 50 to 64 years": "pop_50_64",
    "Aged 65 years and over": "pop_65_plus",
}
DOMAINS = ["income", "employment", "education", "health", "crime", "housing", "environment"]


def build(shared: Path) -> pd.DataFrame:
    imd = pd.read_csv(shared / "imd2025_england_lsoa21.csv.gz")
    imd.columns = [
        c.lower().replace("housing_and_services", "housing").replace("lsoa21_code", "lsoa_code")
        for c in imd.columns
    ]
    lookup = pd.read_csv(shared / "lookup_lsoa21_msoa21_lad_england.csv.gz").rename(
        columns={
            "LSOA21CD": "lsoa_code",
            "LSOA21NM": "lsoa_name",
            "MSOA21CD": "msoa_code",
            "MSOA21NM": "msoa_name",
            "LAD25CD": "lad_code",
            "LAD25NM": "lad_name",
            "LAD23CD": "lad23_code",
            "LAD23NM": "lad23_name",
        }
    )[
        [
            "lsoa_code",
            "lsoa_name",
            "msoa_code",
            "msoa_name",
            "lad_code",
            "lad_name",
            "lad23_code",
            "lad23_name",
        ]
    ]
    census = pd.read_csv(shared / "census2021_usual_residents_lsoa21_6agebands_EW.csv.gz")
    population = (
        census.pivot_table(
            index="lsoa21_code", columns="age_group", values="usual_residents", aggfunc="sum"
        )
        .rename(columns=AGE_GROUPS)[list(AGE_GROUPS.values())]
        .rename_axis(index="lsoa_code", columns=None)
        .reset_index()
    )
    columns = ["imd_rank", "imd_score", "imd_decile"] + [
        f"{d}_{m}" for d in DOMAINS for m in ("rank", "score", "decile")
    ]
    table = lookup.merge(imd[["lsoa_code", *columns]], on="lsoa_code", validate="1:1")
    table = table.merge(population, on="lsoa_code", how="left", validate="1:1")
    missing = table[list(AGE_GROUPS.values())].isna().any(axis=1)
    if missing.any():
        raise SystemExit(f"{missing.sum()} English LSOAs have no census population")
    table[list(AGE_GROUPS.values())] = table[list(AGE_GROUPS.values())].astype("int64")
    return table.sort_values("lsoa_code").reset_index(drop=True)


# --- Boundaries -------------------------------------------------------------------------
# Coordinates are stored as integers in units of 1/SCALE degree (4 decimals, about 7-11 m in
# England: far finer than the generalised BGC outlines, which are drawn at most a few hundred
# pixels wide). Each ring is its first point followed by the step to each next point, which
# turns most numbers into one- or two-digit integers that deflate well.
SCALE = 10_000
BOUNDARY_FORMAT = 1
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021"
)
# Fixed member timestamps keep the zip files byte-for-byte reproducible.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Point = tuple[int, int]
Ring = list[Point]
Polygon = list[Ring]


def _signed_area2(ring: Ring) -> int:
    """Twice the signed area (positive: anticlockwise), exact on integer coordinates."""
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _quantise_ring(ring: list[list[float]]) -> Ring | None:
    """Round to the grid and drop repeated points; None if fewer than 3 distinct points remain."""
    points: Ring = []
    for x, y in ring:
        point = (round(x * SCALE), round(y * SCALE))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # closure is implicit in the stored form
    if len(points) < 3 or _signed_area2(points) == 0:
        return None
    return points


def _oriented(ring: Ring, *, exterior: bool) -> Ring:
    """RFC 7946 winding: exteriors anticlockwise, holes clockwise."""
    anticlockwise = _signed_area2(ring) > 0
    return ring if anticlockwise == exterior else ring[::-1]


def _quantise(geometry: dict[str, Any]) -> list[Polygon]:
    """A GeoJSON Polygon or MultiPolygon as a list of quantised polygons (exterior first)."""
    kind = geometry["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise SystemExit(f"unexpected geometry type {kind}")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    out: list[Polygon] = []
    for polygon in polygons:
        exterior = _quantise_ring(polygon[0])
        if exterior is None:
            continue  # a sliver smaller than the grid
        holes = [h for h in map(_quantise_ring, polygon[1:]) if h is not None]
        out.append(
            [_oriented(exterior, exterior=True)] + [_oriented(h, exterior=False) for h in holes]
        )
    if not out:
        raise SystemExit("a boundary vanished when rounded to 4 decimals")
    return out


def _inside(point: Point, ring: Ring) -> bool:
    """Even-odd point-in-ring test (the point is a vertex of another ring, never on this one)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _dissolve(parts: list[list[Polygon]]) -> list[Polygon]:
    """Merge adjoining areas into one outline by cancelling the edges they share.

    The generalised boundaries are topologically consistent (neighbours share the same
    vertices along a common border), so an edge drawn once in each direction is internal and
    the remaining edges chain into the outer rings (and any holes or islands).
    """
    edges: Counter[tuple[Point, Point]] = Counter()
    for polygons in parts:
        for polygon in polygons:
            for ring in polygon:
                edges.update(zip(ring, ring[1:] + ring[:1], strict=True))
    kept = {e for e in edges if (e[1], e[0]) not in edges}
    if any(edges[e] != 1 for e in kept):
        raise SystemExit("overlapping edges: the parts cannot be dissolved")
    outgoing: dict[Point, list[Point]] = defaultdict(list)
    for start, end in sorted(kept):
        outgoing[start].append(end)
    rings: list[Ring] = []
    while outgoing:
        first = min(outgoing)
        ring = [first]
        point = first
        while True:
            following = outgoing[point].pop(0)
            if not outgoing[point]:
                del outgoing[point]
            if following == first:
                break
            ring.append(following)
            point = following
            if point not in outgoing:
                raise SystemExit("dissolved outline does not close")
        rings.append(ring)
    # A ring inside an odd number of others is a hole of the smallest ring around it.
    depth = [sum(_inside(r[0], o) for o in rings if o is not r) for r in rings]
    exteriors = [i for i, d in enumerate(depth) if d % 2 == 0]
    polygons: dict[int, Polygon] = {i: [_oriented(rings[i], exterior=True)] for i in exteriors}
    for i, d in enumerate(depth):
        if d % 2:
            around = [j for j in exteriors if _inside(rings[i][0], rings[j])]
            owner = min(around, key=lambda j: abs(_signed_area2(rings[j])))
            polygons[owner].append(_oriented(rings[i], exterior=False))
    return [polygons[i] for i in exteriors]


def _encode_geometry(polygons: list[Polygon]) -> list[list[list[int]]]:
    """Each ring as [x0, y0, dx1, dy1, ...]: first point, then steps to the next points."""
    encoded = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            flat = [ring[0][0], ring[0][1]]
            for (x0, y0), (x1, y1) in itertools.pairwise(ring):
                flat += [x1 - x0, y1 - y0]
            rings.append(flat)
        encoded.append(rings)
    return encoded


def _write_zip(
    path: Path,
    area_type: str,
    chunks: dict[str, list[tuple[str, str, list[Polygon]]]],
    source: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """One JSON member per chunk plus ``index.json`` (chunk → codes, provenance)."""
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    index = {
        "format": BOUNDARY_FORMAT,
        "area_type": area_type,
        "scale": SCALE,
        "source": source,
        "attribution": ATTRIBUTION,
        "chunks": {k: [code for code, _, _ in chunks[k]] for k in sorted(chunks)},
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w") as archive:

        def write(name: str, payload: object) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, json.dumps(payload, **compact), compresslevel=9)

        write("index.json", index)
        for key in sorted(chunks):
            rows = chunks[key]
            write(
                f"{key}.json",
                {
                    "code": [code for code, _, _ in rows],
                    "name": [name for _, name, _ in rows],
                    "geometry": [_encode_geometry(g) for _, _, g in rows],
                },
            )


def _small_areas(
    path: Path, code_field: str, name_field: str, lad_of: pd.Series
) -> dict[str, list[tuple[str, str, list[Polygon]]]]:
    """English small areas from a GeoJSON file, grouped by their 2025 local authority."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    chunks: dict[str, list[tuple[str, str, list[Polygon]]]] = defaultdict(list)
    for feature in features:
        props = feature["properties"]
        code = props[code_field]
        if not code.startswith("E"):
            continue  # Wales: healthgap's reference tables cover England
        chunks[lad_of[code]].append((code, props[name_field], _quantise(feature["geometry"])))
    wanted = set(lad_of.index)
    found = {code for rows in chunks.values() for code, _, _ in rows}
    if found != wanted:
        raise SystemExit(f"{path.name}: {len(wanted ^ found)} codes differ from the ONS lookup")
    return {k: sorted(v) for k, v in chunks.items()}


def build_boundaries(shared: Path, out_dir: Path) -> dict[str, int]:
    """Write ``lsoa21_boundaries.zip``, ``msoa21_boundaries.zip`` and ``lad_boundaries.zip``.

    LSOA and MSOA outlines are grouped by their 2025 local authority so that one place's areas
    load without reading all of England. Returns the size in bytes of each file written.
    """
    lookup = pd.read_csv(shared / "lookup_lsoa21_msoa21_lad_england.csv.gz")
    lsoa = _small_areas(
        shared / "lsoa21_boundaries_england.geojson.gz",
        "LSOA21CD",
        "LSOA21NM",
        lookup.set_index("LSOA21CD")["LAD25CD"],
    )
    msoa_lad = lookup[["MSOA21CD", "LAD25CD"]].drop_duplicates()
    if not msoa_lad["MSOA21CD"].is_unique:
        raise SystemExit("an MSOA lies in more than one local authority")
    msoa = _small_areas(
        shared / "msoa21_boundaries_ew.geojson.gz",
        "MSOA21CD",
        "MSOA21NM",
        msoa_lad.set_index("MSOA21CD")["LAD25CD"],
    )

    # Local authorities: the published outlines carry 2021-22 codes. Later codes are added by
    # dissolving the districts each 2023 unitary replaced, or by recoding (Barnsley and
    # Sheffield, 2025: every LSOA maps one-to-one, so the earlier outline is kept).
    las = json.loads((shared / "lad_boundaries_england_imd2019.geojson").read_text("utf-8"))
    outlines = {
        f["properties"]["lad_code"]: (f["properties"]["lad_name"], _quantise(f["geometry"]))
        for f in las["features"]
    }
    if set(outlines) != set(lookup["LAD22CD"]):
        raise SystemExit("LA boundary codes differ from the lookup's 2022 codes")
    years = {}
    rows = {code: (code, name, geometry) for code, (name, geometry) in outlines.items()}
    for year in ("22", "23", "25"):
        pairs = pd.DataFrame(
            {
                "part": lookup["LAD22CD"],
                "code": lookup[f"LAD{year}CD"],
                "name": lookup[f"LAD{year}NM"],
            }
        ).drop_duplicates()
        for (code, name), group in pairs.groupby(["code", "name"]):
            if code in rows:
                continue
            parts = sorted(group["part"])
            geometry = (
                outlines[parts[0]][1]
                if len(parts) == 1
                else _dissolve([outlines[p][1] for p in parts])
            )
            rows[code] = (code, name, geometry)
        years[f"20{year}"] = sorted(pairs["code"].unique())
    _write_zip(
        out_dir / "lad_boundaries.zip",
        "lad",
        {"england": sorted(rows.values())},
        "ONS local authority district boundaries (generalised), 2021-22 codes, with the 2023 "
        "unitary authorities dissolved from their predecessors and the 2025 recodings",
        {"years": years},
    )
    _write_zip(
        out_dir / "lsoa21_boundaries.zip",
        "lsoa",
        lsoa,
        "ONS Lower layer Super Output Areas (December 2021) boundaries EW BGC, England",
    )
    _write_zip(
        out_dir / "msoa21_boundaries.zip",
        "msoa",
        msoa,
        "ONS Middle layer Super Output Areas (December 2021) boundaries EW BGC, England",
    )
    return {
        name: (out_dir / name).stat().st_size
        for name in ("lsoa21_boundaries.zip", "msoa21_boundaries.zip", "lad_boundaries.zip")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", default="../shared/data", type=Path)
    parser.add_argument("--only", choices=["lsoa", "boundaries"])
    args = parser.parse_args()
    data = Path(__file__).parents[1] / "src/healthgap/reference/data"
    if args.only in (None, "lsoa"):
        out = data / "lsoa21.csv.gz"
        table = build(args.shared)
        table.to_csv(out, index=False, compression={"method": "gzip", "mtime": 0})
        print(f"wrote {out} ({len(table):,} LSOAs, {out.stat().st_size / 1e6:.1f} MB)")
    if args.only in (None, "boundaries"):
        for name, size in build_boundaries(args.shared, data).items():
            print(f"wrote {data / name} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
