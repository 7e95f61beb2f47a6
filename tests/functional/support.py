"""What the browser tests share besides fixtures: settings, the login form, waiting, axe.

The fixtures themselves are in ``conftest.py``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

#: Every test module here carries these: the ``browser`` marker, and pytest-socket's
#: ``allow_hosts`` for 127.0.0.1, so the test process may talk to its own server (and to
#: nothing else; Chromium is a separate process that pytest-socket does not see).
MARKS = [pytest.mark.browser, pytest.mark.allow_hosts(["127.0.0.1"])]

ROLES = ("viewer", "analyst", "editor", "admin")
CHROMIUM = Path("/usr/bin/chromium")
# scripts/setup-browser installs axe-core into the virtual environment running the tests.
AXE = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SETUP = "run `make test`, or `scripts/setup-browser .venv`, to install it"
# Keeps Chromium off the network and quiet: the server on 127.0.0.1 is all it may reach.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 30_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str


@dataclass(frozen=True)
class Server:
    """A running ``healthgap serve``: its address, process and output file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self, last: int = 60) -> str:
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(lines[-last:])

    def assert_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            pytest.fail(
                f"`healthgap serve` died (exit {code}); its output:\n{self.output()}",
                pytrace=False,
            )


def log_in(page: Page, username: str, password: str) -> None:
    """Fill in and submit the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def settle(page: Page) -> None:
    """Wait until the page is loaded and charts.js has drawn every chart on it."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-chart]')]"
            ".every((chart) => chart.dataset.drawn)",
            timeout=PAGE_TIMEOUT_MS,
        )
    except Exception as error:  # Playwright's TimeoutError, given a clearer message
        pytest.fail(f"the charts of {page.url} were not drawn: {error}", pytrace=False)


def describe(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations, one rule a paragraph, one line per offending element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    at {target}\n      {node['html'][:200]}\n      {summary}")
    return "\n".join(lines)


def run_axe(page: Page, source: str) -> None:
    """Fail if axe-core finds serious or critical WCAG 2.0-2.2 A/AA violations on ``page``."""
    settle(page)
    # Evaluated rather than added as a <script> tag (page.add_script_tag): the app's
    # Content-Security-Policy (script-src 'self') rightly blocks inline scripts, and
    # evaluating keeps that policy in force while axe audits the page.
    page.evaluate(source)
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        others = [v for v in results["violations"] if v not in blocking]
        report = describe(blocking)
        if others:
            report += "\nAlso (moderate or minor):\n" + describe(others)
        pytest.fail(
            f"axe-core {results['testEngine']['version']} found serious or critical "
            f"WCAG 2.x A/AA violations on {page.url}:\n{report}",
            pytrace=False,
        )
