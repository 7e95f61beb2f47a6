"""The web app: a Django project serving a workspace's dashboard to people who don't code.

``healthgap serve`` points it at a workspace (:func:`healthgap.web.server.serve`); the
settings read the workspace folder from the ``HEALTHGAP_WORKSPACE`` environment variable.
Apps: ``accounts`` (organisations, roles, permissions) and ``dashboard`` (overview,
indicators, map, targeting). See ``docs/web.md``.
"""
