"""Logins for a demo workspace: one user per role, with fresh random passwords.

The passwords are printed by ``healthgap demo`` and kept in the workspace's
``demo-logins.txt`` (readable by its owner only) so that ``healthgap serve`` can remind
whoever starts it. Demo workspaces hold synthetic data only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from healthgap.web.accounts.roles import ROLES

LOGINS_FILENAME = "demo-logins.txt"


def create_demo_users(root: Path, organisation: str) -> list[tuple[str, str, str]]:
    """(username, role, password) for each role, (re)made; also written to the workspace."""
    from healthgap.web.accounts.actions import create_user

    logins = []
    for slug in ROLES:
        password = secrets.token_urlsafe(12)
        create_user(slug, password, role=slug, organisation=organisation, replace=True)
        logins.append((slug, slug, password))
    path = root / LOGINS_FILENAME
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as out:
        out.write("# Demo logins (synthetic data only): username role password\n")
        out.writelines(f"{user} {role} {password}\n" for user, role, password in logins)
    return logins


def read_demo_logins(root: Path) -> list[tuple[str, str, str]]:
    path = root / LOGINS_FILENAME
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]
