"""Server-side SVG maps: projection, paths, colours, accessibility and escaping."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from healthgap.charts.svg_map import (
    ATTRIBUTION,
    COMPARISON_COLOURS,
    COMPARISON_LEGEND,
    NO_DATA_LABEL,
    YLGNBU_5,
    Scale,
    choropleth_svg,
    tile_map_svg,
)
from healthgap.errors import InputError
from healthgap.reference.boundaries import lsoa_boundaries
from healthgap.reference.lsoa import lsoas

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"[MlzZ]|-?(?:\d+(?:\.\d*)?|\.\d+)")


def feature(code, rings, name=None, multi=None):
    geometry = (
        {"type": "MultiPolygon", "coordinates": multi}
        if multi is not None
        else {"type": "Polygon", "coordinates": rings}
    )
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name or code},
        "geometry": geometry,
    }


def box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def subpaths(d):
    """Absolute vertices of each subpath of ``M x y l dx dy … z`` path data."""
    tokens = NUMBER.findall(d)
    rings, i = [], 0
    while i < len(tokens):
        assert tokens[i] == "M"
        x, y = float(tokens[i + 1]), float(tokens[i + 2])
        ring = [(x, y)]
        assert tokens[i + 3] == "l"
        i += 4
        while tokens[i] != "z":
            x, y = x + float(tokens[i]), y + float(tokens[i + 1])
            ring.append((x, y))
            i += 2
        rings.append(ring)
        i += 1
    return rings


def paths(svg):
    root = ET.fromstring(svg)
    return root, root.findall(f".//{SVG}path[@d]")


def area_paths(svg):
    """Paths drawing areas (those with a hover title), not the hatch pattern's."""
    _, found = paths(svg)
    return [p for p in found if p.find(f"{SVG}title") is not None]


def test_a_square_on_the_ground_projects_to_a_square_filling_the_box():
    # At 60°N a degree of longitude is cos 60° = 0.5 of a degree of latitude, so 2° × 1°
    # around 60°N is a square. With no key or small print it fills 300 − 2 × 8 units.
    square = feature("A", [box(0.0, 59.5, 2.0, 60.5)])
    svg = choropleth_svg(
        [square], {}, colours={"A": "#000000"}, title="t", width=300, height=300,
        attribution=None,
    )  # fmt: skip
    (path,) = area_paths(svg)
    (ring,) = subpaths(path.get("d"))
    assert len(ring) == 4
    corners = sorted(ring)
    assert corners == [(8, 8), (8, 292), (292, 8), (292, 292)]


def test_a_wide_area_is_centred_vertically():
    strip = feature("A", [box(0.0, -0.5, 4.0, 0.5)])  # 4:1 at the equator
    svg = choropleth_svg(
        [strip], {}, colours={"A": "#000"}, title="t", width=216, height=216, attribution=None
    )
    (ring,) = subpaths(area_paths(svg)[0].get("d"))
    xs, ys = zip(*ring, strict=True)
    assert (min(xs), max(xs)) == (8, 208)
    assert (min(ys), max(ys)) == (83, 133)  # 50 units tall, centred in 8…208


def test_holes_and_multipolygons_are_subpaths_filled_even_odd():
    ring = feature("A", [box(0, 0, 4, 4), box(1, 1, 3, 3)])
    islands = feature("B", None, multi=[[box(5, 0, 6, 1)], [box(7, 0, 8, 1)]])
    svg = choropleth_svg([ring, islands], {"A": 1, "B": 2}, title="t", attribution=None)
    root, _ = paths(svg)
    group = root.find(f"{SVG}g")
    assert group.get("fill-rule") == "evenodd"
    a, b = area_paths(svg)
    assert a.get("d").count("M") == 2 and len(subpaths(a.get("d"))) == 2
    assert len(subpaths(b.get("d"))) == 2


def test_luton_lsoas_project_inside_the_view_box():
    table = lsoas()
    luton = table[table["lad_code"] == "E06000032"]
    values = dict(zip(luton["lsoa_code"], luton["imd_score"].astype(float), strict=True))
    svg = choropleth_svg(lsoa_boundaries(luton["lsoa_code"]), values, title="Luton")
    root, _ = paths(svg)
    assert root.get("viewBox") == "0 0 640 480"
    drawn = area_paths(svg)
    assert len(drawn) == 125
    points = np.array([p for path in drawn for r in subpaths(path.get("d")) for p in r])
    assert points[:, 0].min() >= 8 and points[:, 0].max() <= 640 - 180
    assert points[:, 1].min() >= 8 and points[:, 1].max() <= 480
    # The whole fitted box is used in one direction at least.
    spans = points.max(axis=0) - points.min(axis=0)
    assert max(spans[0] / (640 - 180 - 16), spans[1] / 400) > 0.9


def test_svg_is_accessible_xml_with_title_and_description():
    svg = choropleth_svg(
        [feature("A", [box(0, 0, 1, 1)], name="Alpha")],
        {"A": 3.25},
        title="Rate by area",
        description="Directly standardised rate per 100,000.",
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "Rate by area")
    assert desc.get("id") == desc_id
    assert desc.text.startswith("Directly standardised rate per 100,000. Map of 1 area.")
    (path,) = area_paths(svg)
    assert path.find(f"{SVG}title").text == "Alpha (A): 3.2"  # one decimal place, half-even
    assert ATTRIBUTION.split()[-1] in svg and "Open Government" in svg


def test_text_is_escaped():
    nasty = 'Bad <&> "name"'
    svg = choropleth_svg(
        [feature("E1", [box(0, 0, 1, 1)], name=nasty)],
        {"E1": 1.0},
        title="a < b & c",
        labels={"E1": "<script>alert(1)</script>"},
        legend_title="x > y",
        link=lambda code: f'/area/{code}?a=1&b="2"',
    )
    assert "<script>" not in svg and "<&>" not in svg
    root = ET.fromstring(svg)  # would fail on unescaped markup
    assert root.find(f"{SVG}title").text == "a < b & c"
    (path,) = area_paths(svg)
    assert path.find(f"{SVG}title").text == f"{nasty} (E1): <script>alert(1)</script>"
    (anchor,) = root.findall(f".//{SVG}a")
    assert anchor.get("href") == '/area/E1?a=1&b="2"'
    assert "x > y" in [t.text for t in root.iter(f"{SVG}text")]


def test_missing_and_suppressed_values_are_hatched_and_keyed():
    areas = [feature(code, [box(i, 0, i + 1, 1)]) for i, code in enumerate("ABCDEF")]
    values = {"A": 1.0, "B": None, "C": math.nan, "D": "*", "F": pd.NA}  # E absent
    svg = choropleth_svg(areas, values, title="t")
    root = ET.fromstring(svg)
    (pattern,) = root.findall(f".//{SVG}pattern")
    hatch = f"url(#{pattern.get('id')})"
    fills = {p.find(f"{SVG}title").text: p.get("fill") for p in area_paths(svg)}
    assert fills == {
        "A: 1.0": YLGNBU_5[0],
        "B: no data": hatch,
        "C: no data": hatch,
        "D: suppressed": hatch,
        "E: no data": hatch,
        "F: no data": hatch,
    }
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert NO_DATA_LABEL == "No data / suppressed" and NO_DATA_LABEL in labels
    assert "No data / suppressed: 5 areas" in root.find(f"{SVG}desc").text


def test_no_hatch_or_no_data_key_when_nothing_is_missing():
    svg = choropleth_svg([feature("A", [box(0, 0, 1, 1)])], {"A": 1.0}, title="t")
    assert "<pattern" not in svg and NO_DATA_LABEL not in svg


def test_quantile_classes_of_one_to_ten_are_pairs():
    # Five quantile classes of 1…10: upper bounds at the 20th, 40th … percentiles, i.e. the
    # 2nd, 4th, 6th and 8th values.
    areas = [feature(f"A{i:02d}", [box(i, 0, i + 1, 1)]) for i in range(1, 11)]
    values = {f"A{i:02d}": float(i) for i in range(1, 11)}
    svg = choropleth_svg(areas, values, title="t", format_value="{:g}".format)
    fills = [p.get("fill") for p in area_paths(svg)]
    assert fills == [c for c in YLGNBU_5 for _ in range(2)]
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "Key: 1 – 2: 2 areas; 3 – 4: 2 areas; 5 – 6: 2 areas; 7 – 8: 2 areas; 9 – 10: 2" in desc


def test_equal_interval_and_fixed_breaks_put_a_value_on_a_break_in_the_lower_class():
    values = np.array([0.0, 2.0, 2.1, 10.0])
    equal = Scale(method="equal").classify(values, "{:g}".format)  # breaks 2, 4, 6, 8
    assert equal.colour == (YLGNBU_5[0], YLGNBU_5[0], YLGNBU_5[1], YLGNBU_5[4])
    assert [label for label, _ in equal.legend] == ["0 – 2", "2 – 4", "4 – 6", "6 – 8", "8 – 10"]
    assert equal.counts == (2, 1, 0, 0, 1)
    fixed = Scale(palette=("#000", "#111", "#222"), breaks=(1, 5)).classify(values, "{:g}".format)
    assert fixed.colour == ("#000", "#111", "#111", "#222")
    assert [label for label, _ in fixed.legend] == ["up to 1", "1 – 5", "over 5"]
    with pytest.raises(InputError, match="breaks"):
        Scale(palette=("#000", "#111"), breaks=(1, 2))
    with pytest.raises(InputError, match="increasing"):
        Scale(palette=("#000", "#111", "#222"), breaks=(2, 1))


def test_ties_merge_quantile_classes_and_spread_the_palette():
    classes = Scale().classify(np.array([1.0, 1.0, 1.0, 1.0, 9.0]), "{:g}".format)
    assert classes.legend == (("1", YLGNBU_5[0]), ("9", YLGNBU_5[4]))
    assert classes.counts == (4, 1)


def test_categorical_colours_with_the_fingertips_key():
    areas = [feature(code, [box(i, 0, i + 1, 1)]) for i, code in enumerate("ABCD")]
    outcome = {"A": "Better", "B": "Worse", "C": "Similar"}
    svg = choropleth_svg(
        areas,
        {"A": 10.0, "B": 30.0, "C": 20.0, "D": 5.0},
        colours={code: COMPARISON_COLOURS[o] for code, o in outcome.items()},
        legend=COMPARISON_LEGEND,
        labels={code: f"{o} compared with England" for code, o in outcome.items()},
        title="Compared with England",
    )
    fills = [p.get("fill") for p in area_paths(svg)]
    assert fills[:3] == ["#92D050", "#C00000", "#FFC000"]
    assert fills[3].startswith("url(#")  # no colour: no data
    titles = [p.find(f"{SVG}title").text for p in area_paths(svg)]
    assert titles == ["A: Better compared with England", "B: Worse compared with England",
                      "C: Similar compared with England", "D: 5.0"]  # fmt: skip
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "Better: 1 area; Similar: 1 area; Worse: 1 area; Not compared: 0 areas" in desc


def test_output_is_deterministic_and_ids_differ_between_maps():
    areas = [feature(code, [box(i, 0, i + 1, 1)]) for i, code in enumerate("ABC")]
    first = choropleth_svg(areas, {"A": 1.0, "B": 2.0, "C": 3.0}, title="t")
    again = choropleth_svg(areas, {"C": 3.0, "A": 1.0, "B": 2.0}, title="t")
    other = choropleth_svg(areas, {"A": 3.0, "B": 2.0, "C": 1.0}, title="t")
    assert first == again
    ids = {ET.fromstring(s).find(f"{SVG}title").get("id") for s in (first, other)}
    assert len(ids) == 2


def test_coordinates_are_compact_tenths():
    svg = choropleth_svg([feature("A", [box(0.123456, 0.0, 1.0, 0.987654)])], {"A": 1}, title="t")
    d = area_paths(svg)[0].get("d")
    assert re.fullmatch(r"M[\d.]+[ -][\d.]+l[-\d. ]+z", d)
    assert all(len(n.split(".")[1]) == 1 for n in re.findall(r"\d*\.\d+", d))
    tokens = NUMBER.findall(d)[4:-1]  # the relative steps
    steps = list(zip(tokens[0::2], tokens[1::2], strict=True))
    assert len(steps) == 3 and ("0", "0") not in steps  # the closing step is the "z"


def test_bad_input_is_reported():
    square = feature("A", [box(0, 0, 1, 1)])
    with pytest.raises(InputError, match=r"'A'.*not a number"):
        choropleth_svg([square], {"A": "lots"}, title="t")
    with pytest.raises(InputError, match="Point"):
        choropleth_svg(
            [{"type": "Feature", "properties": {"code": "P"},
              "geometry": {"type": "Point", "coordinates": [0, 0]}}],
            {}, title="t",
        )  # fmt: skip
    with pytest.raises(InputError, match="no areas"):
        choropleth_svg({"type": "FeatureCollection", "features": []}, {}, title="t")
    with pytest.raises(InputError, match="room"):
        choropleth_svg([square], {"A": 1}, title="t", width=100, height=60)


def test_tiles_run_in_rank_order_with_the_same_colours_and_titles():
    names = {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": "Delta <&>"}
    rank = {"A": 3, "B": 1, "C": 2}  # D has no rank: last
    values = {"A": 1.0, "B": 2.0, "D": 4.0}
    svg = tile_map_svg(names, values, rank=rank, title="Ordered", columns=2, link=str.lower)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    tiles = root.findall(f".//{SVG}rect[@x]")[:4]
    titles = [t.find(f"{SVG}title").text for t in tiles]
    assert titles == ["Beta (B): 2.0", "Gamma (C): no data", "Alpha (A): 1.0",
                      "Delta <&> (D): 4.0"]  # fmt: skip
    positions = [(float(t.get("x")), float(t.get("y"))) for t in tiles]
    assert positions[0][1] == positions[1][1] < positions[2][1] == positions[3][1]
    assert positions[0][0] == positions[2][0] < positions[1][0] == positions[3][0]
    assert all(t.get("width") == t.get("height") for t in tiles)
    assert tiles[1].get("fill").startswith("url(#")
    assert [a.get("href") for a in root.findall(f".//{SVG}a")] == ["b", "c", "a", "d"]
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert all(float(t.get("x")) + float(t.get("width")) <= width for t in tiles)
    assert all(float(t.get("y")) + float(t.get("height")) <= height for t in tiles)
    assert "Ordered by rank" in root.find(f"{SVG}desc").text
    assert svg == tile_map_svg(names, values, rank=rank, title="Ordered", columns=2, link=str.lower)


def test_tiles_without_rank_keep_the_given_order():
    svg = tile_map_svg({"Z": "Z", "A": "A"}, {"Z": 1.0, "A": 2.0}, title="t")
    titles = [t.text for t in ET.fromstring(svg).iter(f"{SVG}title")][1:]
    assert titles == ["Z: 1.0", "A: 2.0"]
    assert "Ordered by rank" not in svg


def test_a_given_id_prefix_names_the_elements_and_must_be_a_plain_name():
    square = feature("A", [box(0, 0, 1, 1)])
    svg = choropleth_svg([square], {}, title="t", id_prefix="lsoa-map")
    root = ET.fromstring(svg)
    assert root.get("aria-labelledby") == "lsoa-map-t lsoa-map-d"
    assert area_paths(svg)[0].get("fill") == "url(#lsoa-map-nd)"
    with pytest.raises(InputError, match="id_prefix"):
        choropleth_svg([square], {}, title="t", id_prefix='x" onload="alert(1)')
