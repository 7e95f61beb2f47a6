"""Settings that need a little logic: the database, the secret key, vendored JavaScript."""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from healthgap.errors import InputError

#: The web app's user database inside a workspace (SQLite).
DATABASE_FILENAME = "web.sqlite3"
SECRET_FILENAME = ".secret_key"


def database(url: str | None, workspace: Path | None) -> dict[str, Any]:
    """Django's ``DATABASES["default"]`` from a URL, or SQLite in the workspace.

    Examples
    --------
    >>> database("postgresql://hg:pw@db.example:5433/healthgap", None)["PORT"]
    5433
    >>> database(None, Path("/srv/place"))["NAME"]
    PosixPath('/srv/place/web.sqlite3')
    """
    if not url:
        name: Path | str = workspace / DATABASE_FILENAME if workspace else ":memory:"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "CONN_MAX_AGE": 60}
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise InputError(
            f"HEALTHGAP_DATABASE_URL must start postgresql://, got {parts.scheme or url!r}"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": parts.port or 5432,
        "CONN_MAX_AGE": 60,
    }


def secret_key(given: str | None, workspace: Path | None) -> str:
    """The given key, else the workspace's own (made once, readable by its owner only)."""
    if given:
        return given
    if workspace is None:
        return secrets.token_urlsafe(50)  # no workspace: sessions last one process
    path = workspace / SECRET_FILENAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together both end up reading the winner's key
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w") as out:
                out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def plotly_folder() -> Path:
    """Where the plotly package keeps ``plotly.min.js`` (served as a static file)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:  # pragma: no cover - plotly is a dependency
        raise RuntimeError("plotly is not installed: it provides the charts' JavaScript")
    return Path(spec.origin).parent / "package_data"
