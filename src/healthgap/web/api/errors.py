"""How refusals become answers: 401, 403, 404, 409 and 422, always JSON with a ``detail``.

The actions layers raise plain exceptions (``PermissionDenied``, ``DoesNotExist``,
:class:`~healthgap.web.plan.errors.Invalid`, :class:`~healthgap.web.plan.errors.Conflict`);
this module is the one place that turns them into status codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthgap.web.plan.errors import Conflict, Invalid

#: Where ninja puts a parameter's value; the field is the first name after it.
_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")
#: The name every body parameter has in this API's operations (not a field).
BODY = "payload"


def field_of(loc: Sequence[Any]) -> str:
    """The field a ninja/pydantic error location points at.

    Examples
    --------
    >>> field_of(["body", "payload", "partners", 0]), field_of(["query", "status"])
    ('partners', 'status')
    >>> field_of(["body", "payload"])
    'body'
    """
    names = [str(part) for part in loc if isinstance(part, str)]
    names = [n for n in names if n not in _SOURCES and n != BODY]
    return names[0] if names else (str(loc[0]) if loc else "body")


def invalid(request: HttpRequest, api: NinjaAPI, errors: Mapping[str, str]) -> HttpResponse:
    """422 listing ``errors`` (field → message) in ninja's shape and as a plain mapping."""
    detail = [{"loc": ["body", f], "msg": m, "type": "invalid"} for f, m in errors.items()]
    return api.create_response(request, {"detail": detail, "errors": dict(errors)}, status=422)


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    @api.exception_handler(ValidationError)
    def malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(field_of(error.get("loc", ())), str(error.get("msg", "invalid")))
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))}
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(Invalid)
    def refused_values(request: HttpRequest, exc: Invalid) -> HttpResponse:
        return invalid(request, api, exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else "authentication required"
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="healthgap"'  # RFC 6750 §3
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return api.create_response(request, {"detail": "not found"}, status=404)

    @api.exception_handler(Conflict)
    def stale(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc), "version": exc.current}, status=409
        )
