"""What every report chart shares: the figure, the accessible ``<svg>`` and axis ticks.

A chart is a :class:`Figure`: SVG text to paste into the report and a caption in plain
English. The ``<svg>`` is ``role="img"`` and labelled by its own ``<title>`` and
``<desc>`` (the WAI-ARIA Graphics Module's pattern), so a screen reader announces one
image with its description rather than every line; the ``<desc>`` says in words what
the chart shows, including every number a reader would otherwise take from it. Charts
use no fonts, images or scripts from outside: they render the same offline, in a browser
and in WeasyPrint.

References
----------
W3C (2018). *WAI-ARIA Graphics Module*, ``graphics-document`` and ``img`` roles with
``title`` and ``desc``. https://www.w3.org/TR/graphics-aria-1.0/

Heckbert, P. S. (1990). Nice numbers for graph labels. In A. S. Glassner (ed.),
*Graphics Gems*, pp. 61–63. Academic Press.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from html import escape

INK = "#0b0c0c"
GREY = "#505a5f"
LIGHT = "#b1b4b6"
RULE = "#dcdcdc"
BLUE = "#1d4ed8"
BAND = "#c7d2fe"
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Figure:
    """A chart: ``svg`` (self-contained markup) and a plain-English ``caption``."""

    svg: str  # templates print it with ``|safe``: it is built from escaped parts
    caption: str


def esc(text: object) -> str:
    """Text made safe inside SVG markup (``<``, ``&`` and quotes escaped)."""
    return escape(str(text), quote=True)


def svg_document(width: float, height: float, title: str, desc: str, body: str) -> str:
    """An accessible ``<svg>`` of ``width`` × ``height`` units around ``body``.

    Element ids come from a hash of the content, so the same chart gives the same text
    and two charts in one document never share an id.

    Examples
    --------
    >>> svg = svg_document(10, 5, "A & B", "Two <things>", "")
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    True
    >>> "<title id=" in svg and "A &amp; B</title>" in svg and "Two &lt;things&gt;" in svg
    True
    """
    key = hashlib.sha1(f"{title}\n{desc}\n{body}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="t-{key} d-{key}" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" class="chart" {FONT}>'
        f'<title id="t-{key}">{esc(title)}</title><desc id="d-{key}">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def nice_number(x: float, round_: bool) -> float:
    """Heckbert's "nice" number near ``x``: 1, 2 or 5 (or 10) times a power of ten.

    Examples
    --------
    >>> nice_number(7.3, True), nice_number(7.3, False), nice_number(0.034, True)
    (10.0, 10.0, 0.05)
    """
    if x <= 0:
        return 1.0
    exponent = math.floor(math.log10(x))
    fraction = x / 10**exponent
    if round_:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return round(nice * 10.0**exponent, 12)


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` nice tick values covering ``low`` to ``high`` (Heckbert, 1990).

    Examples
    --------
    >>> ticks(77.7, 87.2)
    [76.0, 78.0, 80.0, 82.0, 84.0, 86.0, 88.0]
    >>> ticks(0, 63)
    [0.0, 20.0, 40.0, 60.0, 80.0]
    >>> ticks(5, 5)
    [4.0, 5.0, 6.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high == low:
        step = nice_number(abs(low) / 5 or 1.0, True)
        return [low - step, float(low), low + step]
    span = nice_number(high - low, False)
    step = nice_number(span / (count - 1), True)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    n = round((last - first) / step)
    return [round(first + i * step, 10) for i in range(n + 1)]


def places_for(step: float) -> int:
    """Decimal places that show a tick ``step`` exactly (0 for whole steps).

    Examples
    --------
    >>> places_for(20.0), places_for(0.5), places_for(0.25)
    (0, 1, 2)
    """
    for places in range(4):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 4


def number(value: float, places: int = 1) -> str:
    """``1234.5`` → ``"1,234.5"``; not a number → ``"no value"``."""
    if value is None or not math.isfinite(value):
        return "no value"
    return f"{value:,.{places}f}"
