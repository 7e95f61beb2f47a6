"""Options shared by the workspace commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WorkspaceDir = Annotated[
    Path,
    typer.Option("--dir", help="The workspace folder (default: the current directory)."),
]
