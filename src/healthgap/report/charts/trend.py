"""Small trend charts: a value over periods with its 95% band, and sparklines.

:func:`trend_line` is a small multiple for the headline outcomes: the place's value in
each period as a line with points, its 95% confidence interval as a shaded band, and
the target as a dashed line when there is one. :func:`sparkline` is a word-sized line
(Tufte, 2006) for a table cell. Both say in their description where the series started,
where it ended and its lowest and highest points, so no reader needs the picture.

References
----------
Tufte, E. R. (2006). *Beautiful Evidence*, ch. 2 (sparklines). Graphics Press.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthgap.report.charts._svg import (
    BAND,
    BLUE,
    GREY,
    INK,
    RULE,
    Figure,
    esc,
    number,
    places_for,
    svg_document,
    ticks,
)

WIDTH, HEIGHT = 270, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 10, 30


def trend_line(
    periods: Sequence[str],
    values: Sequence[float],
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
    *,
    title: str,
    unit: str,
    target: float | None = None,
    places: int = 1,
) -> Figure:
    """A small line chart of ``values`` by period with an optional 95% band and target.

    Examples
    --------
    >>> figure = trend_line(["2021/22", "2022/23", "2023/24"], [9.5, 9.1, 8.7],
    ...                     [8.9, 8.5, 8.1], [10.1, 9.7, 9.3], title="Gap", unit="years")
    >>> "From 9.5 in 2021/22 to 8.7 in 2023/24" in figure.svg
    True
    >>> figure.svg.count("<circle")
    3
    """
    value = np.asarray(values, dtype="float64")
    low = value if lower is None else np.asarray(lower, dtype="float64")
    high = value if upper is None else np.asarray(upper, dtype="float64")
    known = np.concatenate([value, low, high, [] if target is None else [target]])
    known = known[np.isfinite(known)]
    scale = ticks(float(known.min()), float(known.max()), 4) if known.size else [0.0, 1.0]
    y0, y1 = scale[0], scale[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(periods)

    def x(i: float) -> float:
        return LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y0) / (y1 - y0))

    parts = []
    tick_places = places_for(scale[1] - scale[0]) if len(scale) > 1 else 0
    for t in scale:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{RULE}"/><text x="{LEFT - 5}" y="{y(t) + 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="{INK}">{number(t, tick_places)}</text>'
        )
    band = np.isfinite(low) & np.isfinite(high) & np.isfinite(value)
    if lower is not None and band.sum() >= 2:
        index = np.flatnonzero(band).tolist()
        edge = [f"{x(i):.1f},{y(high[i]):.1f}" for i in index]
        edge += [f"{x(i):.1f},{y(low[i]):.1f}" for i in index[::-1]]
        parts.append(f'<polygon points="{" ".join(edge)}" fill="{BAND}" stroke="none"/>')
    if target is not None and np.isfinite(target):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{INK}" stroke-dasharray="5 3"/>'
        )
    drawn = np.flatnonzero(np.isfinite(value)).tolist()
    if len(drawn) >= 2:
        points = " ".join(f"{x(i):.1f},{y(value[i]):.1f}" for i in drawn)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(value[i]):.1f}" r="3" fill="{BLUE}"/>'
              for i in drawn]  # fmt: skip
    for i in sorted({0, n - 1}):
        anchor = "start" if i == 0 and n > 1 else "end" if n > 1 else "middle"
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 15}" text-anchor="{anchor}" '
            f'font-size="10" fill="{GREY}">{esc(periods[i])}</text>'
        )
    desc = describe(periods, value, unit, places)
    if target is not None:
        desc += f" Target: {number(target, places)} (dashed line)."
    caption = "Line: the value each period" + (
        "; shaded band: its 95% confidence interval" if lower is not None else ""
    ) + ("; dashed line: the target" if target is not None else "") + "."  # fmt: skip
    return Figure(svg_document(WIDTH, HEIGHT, title, desc, "".join(parts)), caption)


def sparkline(
    periods: Sequence[str], values: Sequence[float], *, title: str, unit: str, places: int = 1
) -> Figure:
    """A word-sized line of ``values`` for a table cell, its last point marked.

    Examples
    --------
    >>> spark = sparkline(["2024", "2025"], [3.0, 4.0], title="Trend", unit="%")
    >>> "From 3.0 in 2024 to 4.0 in 2025" in spark.svg and spark.caption == ""
    True
    """
    width, height, pad = 76, 20, 3
    value = np.asarray(values, dtype="float64")
    drawn = np.flatnonzero(np.isfinite(value)).tolist()
    parts = []
    if drawn:
        lo, hi = float(np.nanmin(value)), float(np.nanmax(value))
        span = hi - lo or 1.0
        n = len(values)

        def x(i: float) -> float:
            return pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)

        def y(v: float) -> float:
            return height - pad - (height - 2 * pad) * (v - lo) / span

        if len(drawn) >= 2:
            points = " ".join(f"{x(i):.1f},{y(value[i]):.1f}" for i in drawn)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{GREY}" stroke-width="1.2"/>'
            )
        last = drawn[-1]
        parts.append(f'<circle cx="{x(last):.1f}" cy="{y(value[last]):.1f}" r="2" fill="{BLUE}"/>')
    desc = describe(periods, value, unit, places)
    return Figure(svg_document(width, height, title, desc, "".join(parts)), "")


def describe(periods: Sequence[str], value: np.ndarray, unit: str, places: int) -> str:
    """The series in words: first and last value, lowest and highest.

    Examples
    --------
    >>> describe(["a", "b", "c"], np.array([2.0, 1.0, 3.0]), "%", 1)
    'From 2.0 in a to 3.0 in c (%); lowest 1.0 in b, highest 3.0 in c.'
    >>> describe(["a"], np.array([np.nan]), "%", 1)
    'No values to show.'
    """
    drawn = np.flatnonzero(np.isfinite(value))
    if not drawn.size:
        return "No values to show."
    first, last = drawn[0], drawn[-1]
    low, high = drawn[np.argmin(value[drawn])], drawn[np.argmax(value[drawn])]
    if first == last:
        return f"One value: {number(value[first], places)} {unit} in {periods[first]}."
    return (
        f"From {number(value[first], places)} in {periods[first]} to "
        f"{number(value[last], places)} in {periods[last]} ({unit}); lowest "
        f"{number(value[low], places)} in {periods[low]}, highest "
        f"{number(value[high], places)} in {periods[high]}."
    )
