"""Downloads: an indicator's values as a Fingertips-layout CSV, disclosure-controlled.

The rows come from the snapshot, which has already been through
:func:`healthgap.disclosure.protect` (secondary suppression judged across the whole
warehouse), so a subset of them is still safe to publish.
"""

from __future__ import annotations

from healthgap.disclosure import render
from healthgap.warehouse.export import layout, mark_synthetic, sort_rows
from healthgap.web.dashboard.snapshot import Snapshot


def indicator_csv(snapshot: Snapshot, indicator_id: str) -> str:
    rows = sort_rows(snapshot.rows(indicator_id))
    rows = mark_synthetic(rows, snapshot.synthetic)
    return layout(render(rows), text=True).to_csv(index=False)
