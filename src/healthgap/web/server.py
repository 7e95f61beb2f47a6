"""Running the web app on a workspace: configure Django, migrate, serve with waitress."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

from healthgap.errors import InputError
from healthgap.workspace import load_workspace


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (plain HTTP is then acceptable).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configure(root: str | Path, *, host: str = "127.0.0.1") -> Path:
    """Point Django at the workspace in ``root`` and set it up (once per process)."""
    import django
    from django.conf import settings

    workspace = load_workspace(root)  # a clear error for a folder that isn't a workspace
    folder = workspace.root.resolve()
    if settings.configured and settings.WORKSPACE and Path(settings.WORKSPACE) != folder:
        raise InputError(f"this process already serves {settings.WORKSPACE}")
    os.environ["HEALTHGAP_WORKSPACE"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.web.settings")
    if is_loopback(host):
        os.environ.setdefault("HEALTHGAP_INSECURE_COOKIES", "1")
    django.setup()
    return folder


def migrate() -> None:
    """Create or update the web app's own database (users, organisations, audit)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def application() -> Any:
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def serve(root: str | Path, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Serve the dashboard of the workspace in ``root`` until interrupted."""
    import waitress

    from healthgap.web.dashboard.snapshot import current

    configure(root, host=host)
    migrate()
    current()  # read and protect the warehouse now, not on the first visitor's request
    if not is_loopback(host):
        os.environ.setdefault("HEALTHGAP_ALLOWED_HOSTS", host)
    waitress.serve(application(), host=host, port=port, threads=threads, ident="healthgap")
