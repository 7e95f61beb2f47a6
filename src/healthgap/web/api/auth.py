"""Who is calling: a bearer token (scripts) or the browser's session (with CSRF on writes).

Either way the caller is a Django user; what they may do is then decided by their roles
(:func:`healthgap.web.accounts.checks.has_permission`), as in the pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from healthgap.web.accounts.checks import has_permission
from healthgap.web.accounts.permissions import Permission
from healthgap.web.tokens.actions import user_for

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class BearerToken(HttpBearer):
    """``Authorization: Bearer TOKEN`` with a token made by ``healthgap token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for(token.strip())
        if user is None:
            # A wrong token is refused outright rather than falling back to the session:
            # a script with a revoked token should hear so, not act as someone else.
            raise AuthenticationError(message="invalid or revoked token")
        request.user = user
        return user


class Session(APIKeyCookie):
    """The browser's Django session; unsafe methods also need Django's CSRF token.

    ninja's own session auth checks CSRF before it knows whether anyone is logged in,
    which would answer an anonymous POST with 403 instead of 401; this one checks
    CSRF only for a logged-in session, which is where the risk is.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken"
            )
        return user


#: Tried in order: a bearer header wins over a session cookie.
AUTH = [BearerToken(), Session()]


def caller(request: HttpRequest) -> Any:
    """The authenticated user of an API request."""
    return request.auth


def require(request: HttpRequest, permission: Permission) -> Any:
    """The caller, if they hold ``permission`` in some organisation; else 403."""
    user = caller(request)
    if not has_permission(user, permission):
        raise PermissionDenied(f"needs the {permission} permission")
    return user
