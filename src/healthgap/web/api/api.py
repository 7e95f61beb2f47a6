"""The ``NinjaAPI``: authentication, error handlers and one router per resource."""

from __future__ import annotations

from ninja import NinjaAPI

from healthgap._version import __version__
from healthgap.web.api import actions, audit, errors, insights, organisations, updates
from healthgap.web.api.auth import AUTH

api = NinjaAPI(
    title="healthgap API",
    version=__version__,
    description=(
        "The multi-partner action plan and community voice. Authenticate with "
        "`Authorization: Bearer TOKEN` (`healthgap token USERNAME`). See docs/api.md."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url=None,  # ninja's docs page loads Swagger UI from a CDN; the app uses none
)
errors.install(api)
api.add_router("/organisations/", organisations.router)
api.add_router("/actions/", actions.router)
api.add_router("/actions/", updates.router)
api.add_router("/insights/", insights.router)
api.add_router("/audit/", audit.router)
