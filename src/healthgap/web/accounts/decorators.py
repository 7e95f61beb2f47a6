"""View decorators: declare the permission a view needs; refuse with 403 otherwise."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.permissions import Permission

View = Callable[..., HttpResponse]


def require(permission: Permission) -> Callable[[View], View]:
    """Only people holding ``permission`` (in any organisation) may open the view."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_permission(request.user, permission):
                raise PermissionDenied(f"needs the {permission} permission")
            return view(request, *args, **kwargs)

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked

    return decorate
