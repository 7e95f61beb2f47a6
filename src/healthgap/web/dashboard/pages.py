"""Pages rendered once per warehouse version and permission set, then served from memory.

Everything inside a dashboard page's main content depends only on the warehouse, the
request's validated parameters and what the user may do, so its HTML is rendered once
and kept on the snapshot; each request renders only the frame around it (header with
the user's name, the logout form and its CSRF token). This keeps page times low with
many people reading at once (``make bench``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from healthgap.web.accounts.checks import permissions_of
from healthgap.web.dashboard.snapshot import Snapshot

#: Scripts a page may ask for (static paths), loaded deferred at the end of the body.
CHARTS = ("vendor/plotly/plotly.min.js", "healthgap/charts.js")
HTMX = ("django_htmx/htmx-2.min.js",)


def render_page(
    request: HttpRequest,
    snapshot: Snapshot,
    template: str,
    key: Hashable,
    build: Callable[[], dict[str, Any]],
    *,
    title: str,
    scripts: Sequence[str] = (),
) -> HttpResponse:
    """Render ``template`` (content only) through the cache, inside the site's frame."""
    granted = permissions_of(request.user)

    def body() -> str:
        can = {p.replace(".", "_"): True for p in granted}
        context = {**build(), "can": can, "place_name": snapshot.workspace.place_name}
        return render_to_string(template, context)

    html = snapshot.memo(("page", template, key, granted), body)
    return render(request, "page.html", {"body": html, "title": title, "scripts": scripts})
