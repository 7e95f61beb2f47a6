"""Area outlines to SVG path data: rings, the equirectangular projection, compact paths.

The projection and path encoding are described in :mod:`healthgap.charts.svg_map`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from healthgap.charts._map_frame import (
    Position,
)
from healthgap.errors import InputError


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
