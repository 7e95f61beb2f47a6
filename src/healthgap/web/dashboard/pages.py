"""Pages rendered once per warehouse version and permission set, then served from memory.

Everything inside a dashboard page's main content depends only on the warehouse, the
request's validated parameters and what the user may do, so its HTML is rendered once
and kept on the snapshot; each request renders only the frame around it (header with
the user's name, the logout form and its CSRF token). This keeps page times low with
many people reading at once (``make bench``). The frame itself is also kept, per user and
page, with placeholders for the content and the CSRF token, which is fresh each time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from healthgap.web.accounts.checks import permissions_of
from healthgap.web.dashboard.lru import LRU
from healthgap.web.dashboard.snapshot import Snapshot

#: Scripts a page may ask for (static paths), loaded deferred at the end of the body.
CHARTS = ("vendor/plotly/plotly.min.js", "healthgap/charts.js")
HTMX = ("django_htmx/htmx-2.min.js",)
#: Frames kept per snapshot (user × page × permissions).
FRAMES = 4096
_BODY = "HEALTHGAP-PAGE-BODY"
_TOKEN = "HEALTHGAP-CSRF-TOKEN"


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
    user = request.user
    match = request.resolver_match
    here = match.view_name if match else ""
    frames: LRU[tuple[str, str]] = snapshot.memo("frames", lambda: LRU(FRAMES))
    frame_key = (user.pk, user.get_username(), user.is_staff, granted, here, title, tuple(scripts))
    head, tail = frames.get(
        frame_key, lambda: _frame(request, snapshot, granted, title=title, scripts=scripts)
    )
    token = get_token(request)
    return HttpResponse(head.replace(_TOKEN, token) + html + tail.replace(_TOKEN, token))


def _frame(
    request: HttpRequest,
    snapshot: Snapshot,
    granted: frozenset[str],
    *,
    title: str,
    scripts: Sequence[str],
) -> tuple[str, str]:
    """The page around the content, split where the content goes."""
    context = {
        "request": request,
        "user": request.user,
        "can": {p.replace(".", "_"): True for p in granted},
        "place_name": snapshot.workspace.place_name,
        "synthetic": snapshot.synthetic,
        "built_at": snapshot.built_at,
        "csrf_token": _TOKEN,
        "body": mark_safe(_BODY),
        "title": title,
        "scripts": scripts,
    }
    head, _, tail = render_to_string("page.html", context).partition(_BODY)
    return head, tail
