"""Writing the report: HTML or PDF, atomically, to a file named after the year.

A report is written to a temporary file beside its destination and renamed over it
only when complete, so a failure (a missing library, a full disk, Ctrl+C) never leaves
a half-written report where the Board's last good one was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

from healthgap.errors import InputError
from healthgap.report.gather import Report
from healthgap.report.pdf import render_pdf
from healthgap.report.render import render_html

Format = Literal["html", "pdf"]
FORMATS: tuple[str, ...] = ("html", "pdf")


def default_path(root: Path, period: str, fmt: str) -> Path:
    """``<root>/out/board-report-2025-26.pdf``.

    Examples
    --------
    >>> default_path(Path("demo"), "2025-26", "pdf").as_posix()
    'demo/out/board-report-2025-26.pdf'
    """
    return Path(root) / "out" / f"board-report-{period}.{fmt}"


def render(report: Report, fmt: str) -> bytes:
    """The report as bytes of ``fmt`` (``"html"``: UTF-8 text; ``"pdf"``)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}", column="format")
    html = render_html(report)
    return html.encode("utf-8") if fmt == "html" else render_pdf(html)


def write_atomic(data: bytes, path: Path) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        # mkstemp makes the file private (0600); a report is a document to share.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it, then back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
