"""The demo workspace the web and report benchmarks measure: reused, or built once."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def demo_workspace(folder: Path | None, *, prefix: str) -> Path:
    """``folder`` if it holds a built workspace, else a full-size demo Luton built there."""
    if folder is not None and (folder / "warehouse.duckdb").exists():
        return folder
    root = folder or Path(tempfile.mkdtemp(prefix=prefix)) / "luton"
    print(f"Building the demo workspace in {root} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "healthgap", "demo", "--dir", str(root), "--no-serve"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return root
