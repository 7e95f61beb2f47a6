"""Benchmark of the board report: the time to make the demo's 2025-26 report.

Builds (or reuses) the full-size demo Luton workspace with its seeded action plan
(``healthgap demo``), then times, in this process, each step of the report as
``healthgap report`` runs it: reading and protecting the warehouse, gathering the
sections (including the plan and community voice from the web app's database),
rendering the HTML and laying out the PDF. Each step runs ``--rounds`` times; the
median and the fastest are printed, with the PDF's size and page count.

    python benchmarks/report.py [--workspace DIR] [--rounds 3] [--period 2025-26]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from _demo import demo_workspace  # benchmarks/ is on sys.path when run as a script


def _time[T](step: Callable[[], T], rounds: int) -> tuple[T, list[float]]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return result, times  # type: ignore[return-value]


def _pages(pdf: bytes) -> str:
    """The PDF's page count from poppler's pdfinfo (installed by scripts/setup-pdf)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        try:
            info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
        except FileNotFoundError:
            return "?"
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return found.group(1) if found else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="a demo workspace to reuse")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--period", default="2025-26")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    root = demo_workspace(args.workspace, prefix="healthgap-report-bench-")
    from healthgap.web.server import configure, migrate

    configure(root)
    migrate()
    from healthgap.report import gather, render_html, render_pdf
    from healthgap.web.dashboard.snapshot import _load
    from healthgap.workspace import load_workspace

    workspace = load_workspace(root)
    snapshot, load = _time(lambda: _load(workspace), args.rounds)
    report, collect = _time(lambda: gather(snapshot, args.period), args.rounds)
    html, write = _time(lambda: render_html(report), args.rounds)
    pdf, layout = _time(lambda: render_pdf(html), args.rounds)
    pages = _pages(pdf)

    print(f"Board report, {workspace.place_name} {args.period} ({args.rounds} rounds, seconds):")
    rows = [("read + protect warehouse", load), ("gather sections", collect),
            ("render HTML", write), ("lay out PDF (WeasyPrint)", layout)]  # fmt: skip
    for name, times in rows:
        print(f"  {name:<26} median {statistics.median(times):6.2f}  best {min(times):6.2f}")
    html_total = statistics.median(collect) + statistics.median(write)
    print(f"  {'report as HTML':<26} median {html_total:6.2f}")
    print(f"  {'report as PDF':<26} median {html_total + statistics.median(layout):6.2f}")
    print(
        f"  HTML {len(html.encode()) / 1024:,.0f} KB; PDF {len(pdf) / 1024:,.0f} KB, {pages} pages"
    )


if __name__ == "__main__":
    main()
