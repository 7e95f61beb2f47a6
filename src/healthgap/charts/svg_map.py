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

import hashlib
import math
import numbers
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pandas as pd

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

#: Legend label for areas with no value (missing or suppressed) or no colour.
NO_DATA_LABEL = "No data / suppressed"

# Text written for suppressed values by healthgap.disclosure.
_SUPPRESSED = "*"
_PAD = 8
_FONT = 11
_SMALL = 9
_SWATCH = 14
_ROW = 18
_LEGEND_WIDTH = 180
_TILE_MAX = 36
_STROKE = 'stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round"'
# A hatch that reads as "no data" in colour, greyscale and to colour-blind readers alike.
_HATCH = (
    '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
    '<path d="M0 0v6" stroke="#8c8c8c" stroke-width="1.5"/></pattern>'
)

Value = float | str | None
Row = tuple[str, str | None, int]  # legend label, colour (None: the no-data hatch), areas
Position = Sequence[float]


@dataclass(frozen=True)
class _Area:
    code: str
    fill: str | None  # None: no data
    tip: str  # the hover text, unescaped


def _format(value: float) -> str:
    return f"{value:,.1f}"


def _number(value: object, code: str) -> float:
    """A value as a float; NaN means missing. Bad values raise, naming the area."""
    if value is None or value is pd.NA or (isinstance(value, str) and value.strip() == _SUPPRESSED):
        return math.nan
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"area {code!r}: value {value!r} is not a number")
    number = float(value)
    if math.isinf(number):
        raise InputError(f"area {code!r}: value {value!r} is not finite")
    return number


def _areas(
    codes: Sequence[str],
    names: Sequence[str],
    values: Mapping[str, Value],
    colours: Mapping[str, str] | None,
    legend: Sequence[tuple[str, str]] | None,
    scale: Scale | None,
    labels: Mapping[str, str] | None,
    fmt: Callable[[float], str],
) -> tuple[list[_Area], list[Row]]:
    """Each area's fill and hover text, and the legend rows (label, colour, count)."""
    numbers_ = np.array([_number(values.get(c), c) for c in codes], dtype=float)
    if colours is None:
        classes = (scale or Scale()).classify(numbers_, fmt)
        fills = list(classes.colour)
        rows: list[Row] = [
            (label, colour, n)
            for (label, colour), n in zip(classes.legend, classes.counts, strict=True)
        ]
    else:
        fills = [colours.get(c) for c in codes]
        rows = []
    if legend is not None:
        tally = Counter(fill.casefold() for fill in fills if fill is not None)
        rows = [(label, colour, tally.get(colour.casefold(), 0)) for label, colour in legend]
    areas = []
    for code, name, number, fill in zip(codes, names, numbers_.tolist(), fills, strict=True):
        if labels is not None and code in labels:
            shown = labels[code]
        elif not math.isnan(number):
            shown = fmt(number)
        elif isinstance(values.get(code), str):
            shown = "suppressed"
        else:
            shown = "no data"
        who = code if not name or name == code else f"{name} ({code})"
        areas.append(_Area(code, fill, f"{who}: {shown}"))
    missing = sum(a.fill is None for a in areas)
    if missing:
        rows.append((NO_DATA_LABEL, None, missing))
    return areas, rows


def _has_no_data(rows: Sequence[Row]) -> bool:
    """Whether the key has the no-data row (so the hatch pattern is needed)."""
    return any(colour is None for _, colour, _ in rows)


def _prefix(kind: str, text: str, areas: Sequence[_Area], given: str | None) -> str:
    """Element ids unique to this picture (ids are global in an HTML page), yet repeatable."""
    if given is not None:
        if not re.fullmatch(r"[A-Za-z][\w-]*", given):
            raise InputError(f"id_prefix {given!r} must be a letter then letters, digits, - or _")
        return given
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{kind}\x1f{text}".encode())
    for area in areas:
        digest.update(f"\x1e{area.code}\x1f{area.fill}\x1f{area.tip}".encode())
    return f"hg{kind}-{digest.hexdigest()[:10]}"


def _fill(area: _Area, prefix: str) -> str:
    return escape(area.fill, quote=True) if area.fill is not None else f"url(#{prefix}-nd)"


def _shape(tag: str, attributes: str, area: _Area, link: Callable[[str], str] | None) -> str:
    """One area's element with its hover title, inside a link if there is one."""
    shape = f"<{tag} {attributes}><title>{escape(area.tip)}</title></{tag}>"
    if link is None:
        return shape
    return f'<a href="{escape(link(area.code), quote=True)}">{shape}</a>'


def _wrap(text: str, width: float, size: int) -> list[str]:
    """Greedy word wrap for an estimated average glyph width of 0.52 em."""
    most = max(10, int(width / (0.52 * size)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _legend(
    rows: Sequence[Row], title: str | None, x: float, y: float, prefix: str
) -> tuple[list[str], float]:
    """The key as SVG elements, and the height it takes."""
    parts: list[str] = []
    top = y
    if title:
        parts.append(f'<text x="{x:g}" y="{y + _FONT:g}" font-weight="bold">{escape(title)}</text>')
        y += _ROW + 2
    for label, colour, _ in rows:
        fill = f"url(#{prefix}-nd)" if colour is None else escape(colour, quote=True)
        parts.append(
            f'<rect x="{x:g}" y="{y:g}" width="{_SWATCH}" height="{_SWATCH}" fill="{fill}" '
            'stroke="#6f6f6f" stroke-width="0.5"/>'
            f'<text x="{x + _SWATCH + 6:g}" y="{y + _SWATCH - 3:g}">{escape(label)}</text>'
        )
        y += _ROW
    return parts, y - top


def _description(kind: str, n: int, rows: Sequence[Row], extra: str | None) -> str:
    key = "; ".join(f"{label}: {count} area{'s' * (count != 1)}" for label, _, count in rows)
    text = f"{kind} of {n} area{'s' * (n != 1)}." + (f" Key: {key}." if key else "")
    return f"{extra} {text}" if extra else text


def _document(
    width: float,
    height: float,
    prefix: str,
    title: str,
    description: str,
    body: Iterable[str],
    any_missing: bool,
) -> str:
    defs = f"<defs>{_HATCH.format(id=f'{prefix}-nd')}</defs>" if any_missing else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" '
        f'aria-labelledby="{prefix}-t {prefix}-d" font-family="sans-serif" '
        f'font-size="{_FONT}" fill="#0b0c0c">'
        f'<title id="{prefix}-t">{escape(title)}</title>'
        f'<desc id="{prefix}-d">{escape(description)}</desc>'
        f"{defs}{''.join(body)}</svg>"
    )


def _footer(text: str | None, width: float, bottom: float) -> tuple[list[str], float]:
    """Small print (the attribution) above ``bottom``, and the height it takes."""
    if not text:
        return [], 0.0
    lines = _wrap(text, width - 2 * _PAD, _SMALL)
    step = _SMALL + 2
    top = bottom - _PAD - step * len(lines)
    parts = [
        f'<text x="{_PAD}" y="{top + step * (i + 1) - 2:g}" font-size="{_SMALL}" '
        f'fill="#505a5f">{escape(line)}</text>'
        for i, line in enumerate(lines)
    ]
    return parts, bottom - top


# --- Geometry ---------------------------------------------------------------------------


def _polygons(feature: Mapping[str, Any]) -> list[list[Sequence[Position]]]:
    geometry = feature.get("geometry") or {}
    kind = geometry.get("type")
    if kind == "Polygon":
        return [list(geometry["coordinates"])]
    if kind == "MultiPolygon":
        return [list(p) for p in geometry["coordinates"]]
    raise InputError(f"cannot draw geometry type {kind!r}: expected Polygon or MultiPolygon")


def _features(
    features: Mapping[str, Any] | Iterable[Mapping[str, Any]],
) -> list[tuple[str, str, list[list[Sequence[Position]]]]]:
    """(code, name, polygons) of each feature of a FeatureCollection or list of features."""
    items = features.get("features", ()) if isinstance(features, Mapping) else features
    out = []
    for feature in items:
        props = feature.get("properties") or {}
        code = props.get("code", feature.get("id"))
        if not isinstance(code, str) or not code:
            raise InputError("every feature needs a 'code' property (or an 'id')")
        out.append((code, str(props.get("name") or code), _polygons(feature)))
    if not out:
        raise InputError("there are no areas to draw")
    return out


def _project(points: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Longitude/latitude points → integer tenths of SVG units, fitted and centred in box."""
    lon, lat = points[:, 0], points[:, 1]
    mid = (lat.min() + lat.max()) / 2
    x = lon * math.cos(math.radians(mid))
    y = -lat
    left, top, right, bottom = box
    span_x = float(x.max() - x.min()) or 1.0
    span_y = float(y.max() - y.min()) or 1.0
    scale = min((right - left) / span_x, (bottom - top) / span_y)
    off_x = left + ((right - left) - span_x * scale) / 2 - x.min() * scale
    off_y = top + ((bottom - top) - span_y * scale) / 2 - y.min() * scale
    tenths = np.rint(np.column_stack([x * scale + off_x, y * scale + off_y]) * 10)
    return tenths.astype(np.int64)


def _tenths(value: int) -> str:
    """An integer number of tenths as the shortest SVG number: 12.3, 12, .5, -.5, 0."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _path_data(points: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Minimal path data of each ring: ``M x y``, relative ``l`` steps, ``z``; "" if too small.

    ``points`` are every ring's points (integer tenths) end to end; ``lengths`` how many
    belong to each ring. Repeated points, and a last point repeating the first (``z``
    closes the ring), are dropped; rings left with fewer than 3 points are not drawn.
    """
    n_rings = len(lengths)
    ring = np.repeat(np.arange(n_rings), lengths)
    starts = np.cumsum(lengths) - lengths

    def survivors(mask: np.ndarray) -> None:
        nonlocal points, ring, lengths, starts
        points, ring = points[mask], ring[mask]
        lengths = np.bincount(ring, minlength=n_rings)
        starts = np.cumsum(lengths) - lengths

    moved = np.ones(len(points), dtype=bool)
    moved[1:] = np.any(points[1:] != points[:-1], axis=1)
    moved[starts[lengths > 0]] = True
    survivors(moved)
    drawn = lengths > 1
    first, last = starts[drawn], (starts + lengths - 1)[drawn]
    closing = np.ones(len(points), dtype=bool)
    closing[last[np.all(points[first] == points[last], axis=1)]] = False
    survivors(closing)
    survivors((lengths >= 3)[ring])
    steps = points.copy()
    steps[1:] -= points[:-1]
    steps[starts[lengths > 0]] = points[starts[lengths > 0]]  # each ring starts absolute
    unique, inverse = np.unique(steps.ravel(), return_inverse=True)
    # A minus sign separates numbers by itself; otherwise one space is needed.
    tokens = np.array(
        [t if t[0] == "-" else f" {t}" for t in map(_tenths, unique.tolist())], dtype=object
    )[inverse].tolist()
    out = []
    for start, length in zip((2 * starts).tolist(), (2 * lengths).tolist(), strict=True):
        if not length:
            out.append("")
            continue
        steps_text = "".join(tokens[start + 2 : start + length]).lstrip()
        out.append(f"M{tokens[start].lstrip()}{tokens[start + 1]}l{steps_text}z")
    return out


# --- Public -----------------------------------------------------------------------------


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


def tile_map_svg(
    names: Mapping[str, str],
    values: Mapping[str, Value],
    *,
    title: str,
    rank: Mapping[str, float] | None = None,
    colours: Mapping[str, str] | None = None,
    legend: Sequence[tuple[str, str]] | None = None,
    scale: Scale | None = None,
    width: int = 640,
    columns: int | None = None,
    labels: Mapping[str, str] | None = None,
    link: Callable[[str], str] | None = None,
    legend_title: str | None = None,
    description: str | None = None,
    order_note: str | None = None,
    format_value: Callable[[float], str] = _format,
    attribution: str | None = None,
    id_prefix: str | None = None,
) -> str:
    """The ordered tile view: one square per area, for areas without outlines.

    Squares run left to right from the top left in order of ``rank`` (lowest first, e.g.
    IMD rank 1 = most deprived; areas without a rank go last, in the order given), coloured
    and titled exactly as :func:`choropleth_svg` colours and titles areas.

    Parameters
    ----------
    names : mapping of code to name
        The areas to draw; their order when ``rank`` is None.
    rank : mapping of code to number, optional
        Sort key of each area.
    columns : int, optional
        Squares per row; by default about 1.5 times as many columns as rows.
    order_note : str, optional
        A line under the tiles saying what the order means; by default, when ``rank`` is
        given, "Ordered by rank, lowest first, from the top left.".
    attribution : str or None
        Small print; none by default, as no boundaries are drawn.

    Other parameters are as for :func:`choropleth_svg`. The height follows from the
    number of rows and the key.

    Examples
    --------
    >>> svg = tile_map_svg({"A": "Alpha", "B": "Beta"}, {"A": 1.0, "B": None},
    ...                    title="Tiles", rank={"A": 2, "B": 1})
    >>> svg.index("Beta (B): no data") < svg.index("Alpha (A): 1.0")
    True
    """
    if not names:
        raise InputError("there are no areas to draw")
    order = list(names)
    if rank is not None:
        position = {code: i for i, code in enumerate(order)}
        ranks = {c: _number(rank.get(c), c) for c in order}
        order.sort(key=lambda c: (math.isnan(ranks[c]), ranks[c], position[c]))
        if order_note is None:
            order_note = "Ordered by rank, lowest first, from the top left."
    areas, rows = _areas(
        order, [names[c] for c in order], values, colours, legend, scale, labels, format_value
    )
    legend_width = min(_LEGEND_WIDTH, width * 0.4) if rows or legend_title else 0
    grid_width = width - legend_width - 2 * _PAD
    n = len(order)
    if columns is None:
        columns = max(1, min(n, math.ceil(math.sqrt(n * 1.5))))
    if columns < 1:
        raise InputError(f"columns must be at least 1, not {columns}")
    tile = min(_TILE_MAX, math.floor(grid_width / columns))
    if tile < 4:
        raise InputError(f"{n} tiles in {columns} columns do not fit in {width} units")
    grid_height = math.ceil(n / columns) * tile
    prefix = _prefix("tiles", f"{title}\x1f{description}", areas, id_prefix)
    key, key_height = _legend(rows, legend_title, width - legend_width + _PAD, _PAD, prefix)
    note_lines = _wrap(order_note, grid_width, _SMALL) if order_note else []
    below = len(note_lines) * (_SMALL + 2) + (_PAD if note_lines else 0)
    content = max(grid_height + below, key_height)
    small_text = _wrap(attribution, width - 2 * _PAD, _SMALL) if attribution else []
    height = _PAD + content + len(small_text) * (_SMALL + 2) + 2 * _PAD
    small, _ = _footer(attribution, width, height)
    rects = []
    for i, area in enumerate(areas):
        row, col = divmod(i, columns)
        rects.append(
            _shape(
                "rect",
                f'x="{_PAD + col * tile}" y="{_PAD + row * tile}" width="{tile - 1}" '
                f'height="{tile - 1}" fill="{_fill(area, prefix)}"',
                area,
                link,
            )
        )
    notes = [
        f'<text x="{_PAD}" y="{_PAD + grid_height + _PAD + (_SMALL + 2) * (i + 1) - 2}" '
        f'font-size="{_SMALL}" fill="#505a5f">{escape(line)}</text>'
        for i, line in enumerate(note_lines)
    ]
    body = ["<g>", *rects, "</g>", *notes, *key, *small]
    extra = " ".join(t for t in (description, order_note) if t) or None
    summary = _description("Tile view", n, rows, extra)
    return _document(width, height, prefix, title, summary, body, _has_no_data(rows))
