"""Template context for every page: the place, whether the data are synthetic, the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from healthgap.errors import InputError
from healthgap.web.accounts.checks import permissions_of


def workspace(request: HttpRequest) -> dict[str, Any]:
    from healthgap.web.dashboard.snapshot import current

    try:
        snapshot = current()
    except (InputError, OSError):
        return {"place_name": "healthgap", "synthetic": False, "can": frozenset()}
    user = request.user
    granted = permissions_of(user) if user.is_authenticated else frozenset()
    return {
        "place_name": snapshot.workspace.place_name,
        "synthetic": snapshot.synthetic,
        "built_at": snapshot.built_at,
        "can": {p.replace(".", "_"): True for p in granted},
    }
