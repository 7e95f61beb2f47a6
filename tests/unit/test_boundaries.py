"""The packaged LSOA, MSOA and local authority boundaries."""

from __future__ import annotations

from itertools import pairwise

import pytest

from healthgap.errors import InputError
from healthgap.reference import boundaries
from healthgap.reference.boundaries import (
    ATTRIBUTION,
    boundaries_for,
    boundary_codes,
    lad_boundaries,
    lsoa_boundaries,
    msoa_boundaries,
)
from healthgap.reference.lsoa import lsoas
from healthgap.reference.places import authorities

LUTON = "E06000032"


def polygons(feature):
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return list(geometry["coordinates"])


def ring_area(ring):
    """Shoelace area in square degrees (positive when anticlockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def area(feature):
    return sum(ring_area(ring) for polygon in polygons(feature) for ring in polygon)


def inside(point, feature):
    """Even-odd point-in-polygon over every ring of the feature."""
    x, y = point
    crossings = 0
    for polygon in polygons(feature):
        for ring in polygon:
            for (x0, y0), (x1, y1) in pairwise(ring):
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    crossings += 1
    return crossings % 2 == 1


@pytest.fixture(scope="module")
def table():
    return lsoas()


def test_luton_has_its_125_lsoas_in_the_order_asked(table):
    codes = table.loc[table["lad_code"] == LUTON, "lsoa_code"].tolist()
    assert len(codes) == 125  # ONS: Luton has 125 LSOAs (2021)
    features = lsoa_boundaries(codes)["features"]
    assert [f["properties"]["code"] for f in features] == codes
    assert [f["id"] for f in features] == codes
    names = dict(zip(table["lsoa_code"], table["lsoa_name"], strict=True))
    assert all(f["properties"]["name"] == names[f["id"]] for f in features)
    assert all(set(f["properties"]) == {"code", "name"} for f in features)


def test_every_english_lsoa_and_msoa_has_a_boundary(table):
    assert boundary_codes("lsoa") == set(table["lsoa_code"])
    assert boundary_codes("msoa") == set(table["msoa_code"])
    assert len(boundary_codes("lsoa")) == 33_755
    assert len(boundary_codes("msoa")) == 6_856


def test_local_authorities_match_the_places_list_and_older_codes():
    assert {f["id"] for f in lad_boundaries()["features"]} == set(authorities()["code"])
    assert len(lad_boundaries(year=2022)["features"]) == 309
    year_2023 = {f["id"] for f in lad_boundaries(year=2023)["features"]}
    # 2023 kept Barnsley's and Sheffield's old codes; 2025 recoded them.
    assert {"E08000016", "E08000019"} <= year_2023
    assert not {"E08000038", "E08000039"} & year_2023
    with pytest.raises(InputError, match="2024"):
        lad_boundaries(year=2024)


def test_a_merged_unitary_covers_exactly_its_predecessor_districts():
    # North Yorkshire (2023) replaced seven districts; dissolving their shared borders keeps
    # the total area, whatever the shape of the outline.
    districts = [f"E0700016{i}" for i in range(3, 10)]
    parts = lad_boundaries(districts)["features"]
    (merged,) = lad_boundaries("E06000065")["features"]
    assert merged["properties"]["name"] == "North Yorkshire"
    assert area(merged) == pytest.approx(sum(area(p) for p in parts), rel=1e-9)
    # Harrogate's town centre (54.0°N, 1.54°W) lies in the merged outline.
    assert inside((-1.54, 53.99), merged)


@pytest.mark.parametrize(
    ("code", "point"),
    [
        (LUTON, (-0.4200, 51.8787)),  # Luton town centre
        ("E09000033", (-0.1278, 51.5074)),  # Charing Cross, City of Westminster
        ("E08000025", (-1.9026, 52.4797)),  # Victoria Square, Birmingham
    ],
)
def test_known_places_fall_inside_their_authority(code, point):
    (feature,) = lad_boundaries(code)["features"]
    assert inside(point, feature)
    others = lad_boundaries(["E06000033", "E09000001"])["features"]  # Southend, City
    assert not any(inside(point, other) for other in others)


def test_rings_are_closed_rounded_to_4_decimals_and_wound_as_rfc_7946(table):
    luton = table[table["lad_code"] == LUTON]
    features = (
        msoa_boundaries(luton["msoa_code"].unique())["features"]
        + lsoa_boundaries(luton["lsoa_code"])["features"]
        + lad_boundaries(["E06000065", "E06000064"])["features"]  # dissolved here
    )
    for feature in features:
        for polygon in polygons(feature):
            for i, ring in enumerate(polygon):
                assert len(ring) >= 4
                assert ring[0] == ring[-1]
                assert all(b != a for a, b in pairwise(ring))  # no repeated points
                for x, y in ring:
                    assert abs(x * 1e4 - round(x * 1e4)) < 1e-6
                    assert abs(y * 1e4 - round(y * 1e4)) < 1e-6
                    assert -6.5 < x < 1.8 and 49.8 < y < 55.9  # England's extent
                assert (ring_area(ring) > 0) == (i == 0)  # exterior anticlockwise


def test_holes_are_kept():
    # Doncaster 026E surrounds Doncaster 026C: its hole is that LSOA's outline.
    outer, enclave = lsoa_boundaries(["E01007603", "E01007601"])["features"]
    (polygon,) = polygons(outer)
    assert len(polygon) == 2
    assert set(polygon[1]) == set(polygons(enclave)[0][0])
    assert ring_area(polygon[1]) == pytest.approx(-area(enclave))  # a clockwise hole


def test_boundaries_for_dispatches_by_area_type():
    assert boundaries_for("lsoa", "E01015693")["features"][0]["properties"]["name"] == (
        "Luton 007A"
    )
    assert boundaries_for("msoa", ["E02003264"])["features"][0]["id"] == "E02003264"
    assert boundaries_for("lad", [LUTON])["features"][0]["properties"]["name"] == "Luton"
    with pytest.raises(InputError, match="practice"):
        boundaries_for("practice", ["Y00001"])
    with pytest.raises(InputError, match="area type"):
        boundary_codes("region")


def test_unknown_codes_raise_or_are_skipped():
    with pytest.raises(InputError, match="W01000001"):
        lsoa_boundaries(["E01015693", "W01000001"])
    kept = lsoa_boundaries(["W01000001", "E01015693", "E01015693"], missing="skip")
    assert [f["id"] for f in kept["features"]] == ["E01015693"]
    with pytest.raises(InputError, match="text"):
        lsoa_boundaries([None])
    with pytest.raises(InputError, match="missing"):
        lsoa_boundaries(["E01015693"], missing="ignore")


def test_results_are_fresh_dicts_over_shared_read_only_coordinates():
    first = lsoa_boundaries("E01015693")
    first["features"][0]["properties"]["name"] = "changed"
    first["features"][0]["geometry"]["type"] = "changed"
    again = lsoa_boundaries("E01015693")["features"][0]
    assert again["properties"]["name"] == "Luton 007A"
    assert again["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert isinstance(again["geometry"]["coordinates"], tuple)


def test_one_place_loads_without_reading_all_of_england(table):
    codes = table.loc[table["lad_code"] == "E06000033", "lsoa_code"].tolist()  # Southend
    boundaries._chunk.cache_clear()
    features = lsoa_boundaries(codes)["features"]
    assert len(features) == len(codes)
    assert boundaries._chunk.cache_info().currsize == 1  # one authority's chunk decoded


def test_attribution_is_the_ons_statement():
    assert ATTRIBUTION == (
        "Source: Office for National Statistics licensed under the Open Government Licence "
        "v.3.0. Contains OS data © Crown copyright and database right 2021"
    )
