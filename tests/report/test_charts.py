"""The report's inline SVG charts: accessible, self-contained, drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from healthgap.report.charts import decile_bars, sparkline, status_bar, trend_line

SVG = "{http://www.w3.org/2000/svg}"
NAN = float("nan")


def _charts():
    return [
        decile_bars(
            ["1 (most deprived)", "2", "3"],
            [20.0, 40.0, NAN],
            [18.0, 37.0, NAN],
            [22.0, 43.0, NAN],
            [100, 300, 50],
            title="Uptake by decile",
            unit="%",
            line=(15.0, 30.0),
        ),
        trend_line(
            ["2023/24", "2024/25", "2025/26"],
            [5.0, 6.0, 7.0],
            [4.0, 5.0, 6.0],
            [6.0, 7.0, 8.0],
            title="Trend",
            unit="%",
            target=8.0,
        ),
        sparkline(["a", "b"], [1.0, 2.0], title="Spark", unit="%"),
        status_bar([("on_track", "On track", 3), ("at_risk", "At risk", 1)], title="Plan"),
    ]


@pytest.mark.parametrize("figure", _charts(), ids=["deciles", "trend", "spark", "status"])
def test_every_chart_is_an_accessible_self_contained_image(figure):
    root = ET.fromstring(figure.svg)  # well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # Nothing from elsewhere: no links, images, fonts or CSS urls.
    assert not re.search(r"href|<image|url\(|@import|<script", figure.svg)


def test_bars_are_drawn_to_scale_from_zero_with_missing_groups_named():
    figure = _charts()[0]
    root = ET.fromstring(figure.svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    heights = [float(b.get("height")) for b in bars]
    assert len(bars) == 2  # the third group has no value: no bar
    assert heights[1] / heights[0] == pytest.approx(2.0, abs=0.01)  # 40 is twice 20
    desc = root.find(f"{SVG}desc").text
    assert "3: no published value" in desc
    assert "1 (most deprived): 20.0 (18.0 to 22.0)" in desc
    assert "Slope index of inequality: 30.0 %" in desc


def test_bars_far_from_zero_say_where_the_axis_starts():
    figure = decile_bars(["1", "2"], [78.0, 83.0], [76.0, 81.0], [80.0, 85.0], [1, 1],
                         title="Life expectancy", unit="years")  # fmt: skip
    assert "the axis starts at 76, not zero" in figure.caption


def test_the_status_bar_splits_its_width_by_count():
    root = ET.fromstring(_charts()[3].svg)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")
              if r.get("class") == "segment"]  # fmt: skip
    assert widths == [420.0, 140.0]  # 3 and 1 of 4 actions across 560 units
    assert "On track: 3 (75%)" in root.find(f"{SVG}desc").text


def test_the_trend_line_reads_in_words():
    desc = ET.fromstring(_charts()[1].svg).find(f"{SVG}desc").text
    assert desc.startswith("From 5.0 in 2023/24 to 7.0 in 2025/26 (%)")
    assert "Target: 8.0" in desc


def test_a_series_with_no_values_says_so():
    figure = sparkline(["a", "b"], np.array([NAN, NAN]), title="Empty", unit="%")
    assert "No values to show." in figure.svg and "<polyline" not in figure.svg
