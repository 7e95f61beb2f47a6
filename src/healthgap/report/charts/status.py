"""The action plan at a glance: one bar split by status, with a labelled key.

Each status's segment is as wide as its share of the actions. Colour is never the only
cue: the key under the bar names every status with its count, in the bar's order, and
segments wide enough carry their count too.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthgap.report.charts._svg import INK, Figure, esc, svg_document

WIDTH, BAR, KEY_ROW = 560, 28, 18
#: Colours of the plan's statuses (GOV.UK palette), keyed by ``Status`` value.
STATUS_COLOURS = {
    "not_started": "#b1b4b6",
    "on_track": "#00703c",
    "at_risk": "#f47738",
    "off_track": "#d4351c",
    "done": "#1d70b8",
    "stopped": "#505a5f",
}
#: Text colour on each segment with at least 4.5:1 contrast.
_ON = {"not_started": INK, "at_risk": INK}


def status_bar(counts: Sequence[tuple[str, str, int]], *, title: str) -> Figure:
    """A stacked bar of ``(key, label, count)`` statuses, in the order given.

    Examples
    --------
    >>> figure = status_bar([("on_track", "On track", 3), ("at_risk", "At risk", 1),
    ...                      ("done", "Done", 0)], title="Actions by status")
    >>> figure.svg.count("<rect class=\\"segment\\"")
    2
    >>> "On track: 3 (75%)" in figure.svg and "Done: 0" in figure.svg
    True
    """
    total = sum(count for _, _, count in counts)
    parts = []
    x = 0.0
    for key, _, count in counts:
        if not count:
            continue
        width = WIDTH * count / total
        colour = STATUS_COLOURS.get(key, "#b1b4b6")
        parts.append(
            f'<rect class="segment" x="{x:.1f}" y="0" width="{width:.1f}" height="{BAR}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
        )
        if width >= 24:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{BAR / 2 + 4}" text-anchor="middle" '
                f'font-size="11" font-weight="bold" fill="{_ON.get(key, "#ffffff")}">'
                f"{count}</text>"
            )
        x += width
    columns = 3
    for i, (key, label, count) in enumerate(counts):
        col, row = i % columns, i // columns
        kx, ky = col * WIDTH / columns, BAR + 10 + row * KEY_ROW
        parts.append(
            f'<rect x="{kx:.1f}" y="{ky:.1f}" width="12" height="12" '
            f'fill="{STATUS_COLOURS.get(key, "#b1b4b6")}"/>'
            f'<text x="{kx + 17:.1f}" y="{ky + 10:.1f}" font-size="11" fill="{INK}">'
            f"{esc(label)}: {count}</text>"
        )
    rows = -(-len(counts) // columns)
    height = BAR + 12 + rows * KEY_ROW
    desc = _describe(counts, total)
    caption = "Each segment's width is its share of the plan's actions; the key gives the counts."
    return Figure(svg_document(WIDTH, height, title, desc, "".join(parts)), caption)


def _describe(counts: Sequence[tuple[str, str, int]], total: int) -> str:
    if not total:
        return "The plan has no actions yet."
    shares = [
        f"{label}: {count} ({100 * count / total:.0f}%)" if count else f"{label}: 0"
        for _, label, count in counts
    ]
    return f"{total} actions by status. " + "; ".join(shares) + "."
