"""Bars by deprivation group, with 95% confidence intervals and the slope index line.

One bar per IMD decile (or quintile), most deprived on the left, each with its 95%
interval as a whisker. The slope index of inequality (SII) is drawn as a dotted line
through each group's middle rank, as the dashboard draws it: groups are placed by
their share of the population, so the line's rise from the left edge (rank 0, the
most deprived person) to the right edge (rank 1, the least deprived) is the SII
(Low & Low, 2004). A group with no published value (too few events, or suppressed) has
no bar and is named in the description.

References
----------
Low, A. & Low, A. (2004). Measuring the gap: quantifying and comparing local health
inequalities. *Journal of Public Health*, 26(4), 388–395.
https://doi.org/10.1093/pubmed/fdh175
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthgap.report.charts._svg import (
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

WIDTH, HEIGHT = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 46


def decile_bars(
    categories: Sequence[str],
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    population: Sequence[float],
    *,
    title: str,
    unit: str,
    line: tuple[float, float] | None = None,
    places: int = 1,
) -> Figure:
    """Bars of each group's value with 95% limits, and the SII line if given.

    Parameters
    ----------
    categories : sequence of str
        Group labels, most deprived first (e.g. ``"1 (most deprived)"``, ``"2"``…).
    values, lower, upper : sequence of float
        Each group's value and 95% limits (NaN: no published value).
    population : sequence of float
        Each group's population (denominator), placing the SII line's points.
    title : str
        The chart's accessible name.
    unit : str
        The values' unit, for the axis and the description.
    line : (intercept, slope), optional
        The fitted SII line, ``value = intercept + slope × rank`` (rank 0 = most
        deprived).
    places : int
        Decimal places of numbers in the description.

    Returns
    -------
    Figure

    Examples
    --------
    >>> figure = decile_bars(["1 (most deprived)", "2", "3"], [70.0, 75.0, float("nan")],
    ...                      [68.0, 73.0, float("nan")], [72.0, 77.0, float("nan")],
    ...                      [100, 100, 100], title="Life expectancy", unit="years")
    >>> figure.svg.count("<rect class=\\"bar\\"")
    2
    >>> "3: no published value" in figure.svg
    True
    """
    value = np.asarray(values, dtype="float64")
    low = np.where(np.isnan(np.asarray(lower, dtype="float64")), value, lower)
    high = np.where(np.isnan(np.asarray(upper, dtype="float64")), value, upper)
    shown = ~np.isnan(value)
    known = np.concatenate([value[shown], low[shown], high[shown]])
    top_value = float(known.max()) if known.size else 1.0
    bottom_value = float(known.min()) if known.size else 0.0
    # Bars start at zero unless every value sits far above it (life expectancy): the
    # description then says where the axis starts.
    from_zero = bottom_value <= 0 or bottom_value < 0.5 * top_value
    scale = ticks(0.0 if from_zero else bottom_value, top_value)
    y0, y1 = scale[0], scale[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y0) / (y1 - y0))

    n = len(categories)
    slot = plot_w / max(n, 1)
    parts = []
    tick_places = places_for(scale[1] - scale[0]) if len(scale) > 1 else 0
    for t in scale:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{RULE}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{number(t, tick_places)}</text>'
        )
    for i, label in enumerate(categories):
        centre = LEFT + slot * (i + 0.5)
        short = str(label).split(" ")[0]
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{esc(short)}</text>'
        )
        if not shown[i]:
            parts.append(
                f'<text x="{centre:.1f}" y="{y(y0) - 4:.1f}" text-anchor="middle" '
                f'font-size="11" fill="{GREY}">–</text>'
            )
            continue
        bar_w = slot * 0.62
        parts.append(
            f'<rect class="bar" x="{centre - bar_w / 2:.1f}" y="{y(value[i]):.1f}" '
            f'width="{bar_w:.1f}" height="{y(y0) - y(value[i]):.1f}" fill="{BLUE}"/>'
            f'<line x1="{centre:.1f}" x2="{centre:.1f}" y1="{y(high[i]):.1f}" '
            f'y2="{y(low[i]):.1f}" stroke="{INK}" stroke-width="1.2"/>'
            f'<line x1="{centre - 5:.1f}" x2="{centre + 5:.1f}" y1="{y(high[i]):.1f}" '
            f'y2="{y(high[i]):.1f}" stroke="{INK}" stroke-width="1.2"/>'
            f'<line x1="{centre - 5:.1f}" x2="{centre + 5:.1f}" y1="{y(low[i]):.1f}" '
            f'y2="{y(low[i]):.1f}" stroke="{INK}" stroke-width="1.2"/>'
        )
    if line is not None:
        parts.append(_sii_path(line, population, slot, y))
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-size="11" fill="{INK}">Deprivation group (1 = most deprived)</text>'
        f'<text x="12" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" font-size="11" '
        f'fill="{INK}" transform="rotate(-90 12 {TOP + plot_h / 2:.1f})">{esc(unit)}</text>'
    )
    desc = _describe(categories, value, low, high, unit, places, from_zero, y0, line)
    caption = (
        "Bars: each deprivation group's value; whiskers: 95% confidence intervals"
        + ("; dotted line: the slope index of inequality" if line is not None else "")
        + ("" if from_zero else f"; the axis starts at {number(y0, tick_places)}, not zero")
        + "."
    )
    return Figure(svg_document(WIDTH, HEIGHT, title, desc, "".join(parts)), caption)


def _sii_path(line: tuple[float, float], population: Sequence[float], slot: float, y) -> str:
    """The SII line through each group's middle rank (share of the population)."""
    intercept, slope = line
    people = np.nan_to_num(np.asarray(population, dtype="float64"))
    share = people / people.sum() if people.sum() else np.full(len(people), 1 / len(people))
    middle = np.cumsum(share) - share / 2  # each group's middle rank, 0 = most deprived
    points = " ".join(
        f"{LEFT + slot * (i + 0.5):.1f},{y(intercept + slope * m):.1f}"
        for i, m in enumerate(middle)
    )
    return (
        f'<polyline points="{points}" fill="none" stroke="{INK}" stroke-width="1.6" '
        f'stroke-dasharray="2 3"/>'
    )


def _describe(
    categories: Sequence[str],
    value: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    unit: str,
    places: int,
    from_zero: bool,
    y0: float,
    line: tuple[float, float] | None,
) -> str:
    words = []
    for label, v, lo, hi in zip(categories, value, low, high, strict=True):
        if np.isnan(v):
            words.append(f"{label}: no published value")
        else:
            words.append(f"{label}: {number(v, places)} ({number(lo, places)} to "
                         f"{number(hi, places)})")  # fmt: skip
    text = f"Values in {unit} with 95% confidence intervals, by deprivation group: "
    text += "; ".join(words) + "."
    if line is not None:
        text += f" Slope index of inequality: {number(line[1], places)} {unit}."
    if not from_zero:
        text += f" The vertical axis starts at {number(y0, places)}."
    return text
