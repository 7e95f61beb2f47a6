"""The JSON API under ``/api/`` (django-ninja), with its OpenAPI schema at
``/api/openapi.json``.

Scripts authenticate with ``Authorization: Bearer TOKEN`` (``healthgap token``); the
browser with its session, plus Django's CSRF token on writes. Every write goes through
the same actions layers as the pages (permission checks, one audit event per change,
optimistic concurrency), so the API can do nothing a person couldn't do in the app.
See ``docs/api.md``.
"""
