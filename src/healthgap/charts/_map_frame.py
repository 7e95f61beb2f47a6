"""What every SVG map shares: area values and colours, the key, the document around it."""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from healthgap.charts._palette import (
    Scale,
)
from healthgap.errors import InputError

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
