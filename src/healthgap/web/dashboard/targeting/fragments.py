"""The sections' results as HTML, rendered once and kept on the snapshot.

A section's results depend only on the warehouse and the section's own validated
choices, so their HTML is rendered once per choice (and, for the allocation, whose budget
is free input, for the last few choices only) and each request renders just the page
frame and the forms, which carry the request's values and errors. The section data
underneath are kept too (:mod:`.outcome`), so a template change needs no recomputation.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.targeting import allocation, communities, core20, segments
from healthgap.web.dashboard.targeting.outcome import recent


def _html(template: str, context: dict[str, Any]) -> SafeString:
    return SafeString(render_to_string(f"dashboard/{template}", context))


def communities_html(snapshot: Snapshot, ranking: communities.Ranking) -> SafeString:
    return snapshot.memo(
        ("targeting", "html", "communities", ranking),
        lambda: _html(
            "_targeting_communities_result.html",
            {"communities": communities.section(snapshot, ranking), "top": communities.TOP},
        ),
    )


def core20_html(snapshot: Snapshot) -> SafeString:
    return snapshot.memo(
        ("targeting", "html", "core20plus5"),
        lambda: _html("_targeting_core20.html", {"core20": core20.section(snapshot)}),
    )


def segments_html(snapshot: Snapshot) -> SafeString:
    return snapshot.memo(
        ("targeting", "html", "segments"),
        lambda: _html("_targeting_segments.html", {"segments": segments.section(snapshot)}),
    )


def allocation_html(snapshot: Snapshot, plan: allocation.Plan) -> SafeString:
    context = {"place_name": snapshot.workspace.place_name}
    outcome = recent(
        snapshot,
        "allocation html",
        allocation.key(plan),
        lambda: _html(
            "_targeting_allocation_result.html",
            {**context, "allocation": allocation.section(snapshot, plan)},
        ),
    )
    return outcome.value if outcome.value is not None else SafeString("")
