"""The ordered tile view: one square per area, for areas without outlines."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

from healthgap.charts._map_frame import (
    _LEGEND_WIDTH,
    _PAD,
    _SMALL,
    _TILE_MAX,
    Value,
    _areas,
    _description,
    _document,
    _fill,
    _footer,
    _format,
    _has_no_data,
    _legend,
    _number,
    _prefix,
    _shape,
    _wrap,
)
from healthgap.charts._palette import (
    Scale,
)
from healthgap.errors import InputError


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
