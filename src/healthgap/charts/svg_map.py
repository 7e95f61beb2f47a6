"""Maps as inline SVG text: choropleths of area outlines, and ordered tile views.

Built entirely on the server so that a map needs no JavaScript, no map tiles and no
internet: the web dashboard and the board report paste the returned string into HTML.
Every area is one ``<path>`` (or ``<rect>``) with a ``<title>`` child, which browsers show
on hover, optionally wrapped in a link. The ``<svg>`` is ``role="img"`` labelled by its
``<title>`` and a ``<desc>`` that spells out the key with the number of areas in each
class; as an image to assistive technology its links are not announced, so pages should
list the same areas and links in a table too.

Projection: equirectangular with a cosine correction, ``x = λ·cos φ₀``, ``y = −φ``, where
φ₀ is the latitude of the middle of the areas drawn, scaled to fit the drawing area and
centred. Shapes are true at φ₀; at the top and bottom of an all-England map (50°–56° N)
east–west distances are about 7% too wide or narrow; across even a large local authority the
error is about 1%. That is plenty for generalised boundaries and keeps the arithmetic
trivial. Coordinates are written in tenths of an SVG unit: one absolute move to each ring's
first point, then relative line steps, with repeated points dropped.

References
----------
Snyder, J. P. (1987). *Map Projections — A Working Manual*. U.S. Geological Survey
Professional Paper 1395, pp. 90–91 (equidistant cylindrical projection).
https://doi.org/10.3133/pp1395

W3C (2018). *Scalable Vector Graphics (SVG) 2*, §9.3 (path data) and §11.4 (fill-rule).
https://www.w3.org/TR/SVG2/

W3C (2018). *WAI-ARIA Graphics Module*, ``img`` role with ``title`` and ``desc``.
https://www.w3.org/TR/graphics-aria-1.0/
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from healthgap.charts._palette import (
    COMPARISON_COLOURS,
    COMPARISON_LEGEND,
    VIRIDIS_5,
    YLGNBU_5,
    Scale,
)
from healthgap.errors import InputError
from healthgap.reference.boundaries import ATTRIBUTION

__all__ = [
    "ATTRIBUTION",
    "COMPARISON_COLOURS",
    "COMPARISON_LEGEND",
    "NO_DATA_LABEL",
    "VIRIDIS_5",
    "YLGNBU_5",
    "Scale",
    "choropleth_svg",
    "tile_map_svg",
]

from healthgap.charts._map_frame import (
    _LEGEND_WIDTH,
    _PAD,
    _STROKE,
    NO_DATA_LABEL,
    Value,
    _areas,
    _description,
    _document,
    _fill,
    _footer,
    _format,
    _has_no_data,
    _legend,
    _prefix,
    _shape,
)
from healthgap.charts._projection import (
    _features,
    _path_data,
    _project,
)
from healthgap.charts.tile_map import tile_map_svg


def choropleth_svg(
    features: Mapping[str, Any] | Iterable[Mapping[str, Any]],
    values: Mapping[str, Value],
    *,
    title: str,
    colours: Mapping[str, str] | None = None,
    legend: Sequence[tuple[str, str]] | None = None,
    scale: Scale | None = None,
    width: int = 640,
    height: int = 480,
    labels: Mapping[str, str] | None = None,
    link: Callable[[str], str] | None = None,
    legend_title: str | None = None,
    description: str | None = None,
    format_value: Callable[[float], str] = _format,
    attribution: str | None = ATTRIBUTION,
    id_prefix: str | None = None,
) -> str:
    """A choropleth map of area outlines as an accessible, self-contained SVG string.

    Parameters
    ----------
    features : FeatureCollection or iterable of features
        GeoJSON-like Polygon/MultiPolygon features in longitude/latitude with a ``code``
        (or ``id``) and ``name`` property, e.g. from
        :func:`healthgap.reference.boundaries.boundaries_for`. Holes are kept
        (``fill-rule="evenodd"``).
    values : mapping of code to number
        Each area's value. Missing areas, None, NaN and ``"*"`` (suppressed) are drawn
        hatched grey and keyed :data:`NO_DATA_LABEL`.
    title : str
        The map's accessible name (``<title>``); not drawn, as the page shows a heading.
    colours : mapping of code to colour, optional
        Categorical colours chosen by the caller (e.g. :data:`COMPARISON_COLOURS` by each
        area's comparison outcome) instead of classing ``values``; areas without one are
        "no data". ``values`` then only feed the hover text.
    legend : sequence of (label, colour), optional
        The key's rows (e.g. :data:`COMPARISON_LEGEND`), replacing the scale's classes.
    scale : Scale, optional
        Palette and classification of ``values``; by default five quantile classes of
        ColorBrewer YlGnBu.
    width, height : int
        Size in SVG units (also the ``viewBox``); CSS can resize it.
    labels : mapping of code to str, optional
        Hover text to show instead of the formatted value (e.g. "12.3 (worse than England)").
    link : callable, optional
        ``link(code)`` gives the URL each area links to.
    legend_title : str, optional
        Heading of the key (e.g. the unit).
    description : str, optional
        Opening sentence of ``<desc>``, before the generated summary of the key.
    format_value : callable
        Formats numbers in hover text and the key (default: one decimal place).
    attribution : str or None
        Small print under the map; the ONS boundary licence statement by default.
    id_prefix : str, optional
        Prefix of element ids; by default a hash of the content, so identical maps get
        identical text and different maps on one page do not clash.

    Returns
    -------
    str
        ``<svg role="img" aria-labelledby="…">`` with ``<title>``, ``<desc>``, one
        ``<path>`` per area (each with a ``<title>`` "name (code): value"), a key and the
        attribution.

    Examples
    --------
    >>> square = {"type": "Feature", "properties": {"code": "A", "name": "Square"},
    ...           "geometry": {"type": "Polygon",
    ...                        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}
    >>> svg = choropleth_svg([square], {"A": 2.5}, title="Demo", width=300, height=200,
    ...                      attribution=None)
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200"')
    True
    >>> "<title>Square (A): 2.5</title>" in svg
    True
    """
    shapes = _features(features)
    codes = [code for code, _, _ in shapes]
    names = [name for _, name, _ in shapes]
    areas, rows = _areas(codes, names, values, colours, legend, scale, labels, format_value)

    legend_width = min(_LEGEND_WIDTH, width * 0.4) if rows or legend_title else 0
    small, small_height = _footer(attribution, width, height)
    box = (_PAD, _PAD, width - legend_width - _PAD, height - small_height - _PAD)
    if box[2] - box[0] < 20 or box[3] - box[1] < 20:
        raise InputError(f"{width}×{height} leaves no room for the map: make it larger")

    rings = [np.asarray(ring, dtype=float) for _, _, ps in shapes for p in ps for ring in p]
    if not rings or any(r.ndim != 2 or len(r) < 1 or r.shape[1] < 2 for r in rings):
        raise InputError("every ring must be a list of [longitude, latitude] positions")
    rings = [r[:, :2] for r in rings]
    lengths = np.fromiter(map(len, rings), dtype=np.intp, count=len(rings))
    ring_text = _path_data(_project(np.concatenate(rings), box), lengths)
    per_area = np.cumsum([0] + [sum(map(len, polygons)) for _, _, polygons in shapes]).tolist()
    prefix = _prefix("map", f"{title}\x1f{description}", areas, id_prefix)
    paths = []
    for i, area in enumerate(areas):
        data = "".join(ring_text[per_area[i] : per_area[i + 1]])
        if data:  # an area smaller than a tenth of a unit at this scale is not drawn
            paths.append(_shape("path", f'd="{data}" fill="{_fill(area, prefix)}"', area, link))
    key, _ = _legend(rows, legend_title, width - legend_width + _PAD, _PAD, prefix)
    body = [f'<g fill-rule="evenodd" {_STROKE}>', *paths, "</g>", *key, *small]
    summary = _description("Map", len(areas), rows, description)
    return _document(width, height, prefix, title, summary, body, _has_no_data(rows))
