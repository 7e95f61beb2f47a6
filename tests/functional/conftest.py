"""Browser tests: a small demo workspace served by `healthgap serve`, driven by Chromium.

Built once for this folder (package-scoped fixtures, so the server and the browser stop
before the rest of the suite runs: Playwright's sync API keeps an asyncio loop on the main
thread while it is open, which Django's async-safety check would trip over):

- ``workspace``: ``healthgap demo --no-serve`` at a small scale in a temporary folder;
- ``accounts``: one user per role, made with ``healthgap createuser`` (password on stdin);
- ``server``: ``healthgap serve`` on a free port of 127.0.0.1, up once ``/health/`` answers;
- ``browser``: Debian's Chromium (``/usr/bin/chromium``) through ``playwright.sync_api``;
- ``logged_in(role)`` / ``anonymous``: a page in a fresh browser context;
- ``axe(page)``: fails on serious or critical WCAG 2.0-2.2 A/AA violations (axe-core).

Chromium and axe-core come from ``scripts/setup-browser`` (run by ``make test``). Without
them these tests fail, never skip: CI must not pass by silently dropping them. Test
modules here set ``pytestmark = MARKS`` (see ``support.py``).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, sync_playwright

from tests.functional.support import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    ROLES,
    SETUP,
    Account,
    Server,
    log_in,
    run_axe,
)

# Three tenths of the place's population. Smaller scales build hardly faster (fixed costs
# dominate) and at 0.1 the overview loses its life expectancy gap by IMD decile; at 0.3
# small groups still leave suppressed cells in the CSV.
SCALE = "0.3"
START_TIMEOUT = 180.0  # seconds for `healthgap serve` to answer /health/ (migrate, load data)


def _environment() -> dict[str, str]:
    """The test process's environment without settings that would redirect the app.

    pytest-django sets ``DJANGO_SETTINGS_MODULE``; a developer may have a
    ``HEALTHGAP_DATABASE_URL`` or secret key set: the subprocesses use the workspace's own.
    """
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("HEALTHGAP_") and name != "DJANGO_SETTINGS_MODULE"
    }


def _healthgap(*args: str, stdin: str | None = None) -> str:
    """Run the installed package's CLI; fail with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "healthgap", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`healthgap {' '.join(args)}` exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return done.stdout


@pytest.fixture(scope="package")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "demo"
    _healthgap("demo", "--dir", str(root), "--no-serve", "--scale", SCALE)
    return root


@pytest.fixture(scope="package")
def accounts(workspace: Path) -> dict[str, Account]:
    """One user per role, named apart from the demo's own logins (viewer, analyst…)."""
    made = {}
    for role in ROLES:
        account = Account(f"browser_{role}", secrets.token_urlsafe(16), role)
        _healthgap(
            *("createuser", account.username, "--dir", str(workspace), "--role", role),
            stdin=account.password + "\n",
        )
        made[role] = account
    return made


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(json.load(response).get("status") == "ok")
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


@pytest.fixture(scope="package")
def server(workspace: Path, accounts: dict[str, Account]) -> Iterator[Server]:
    port = _free_port()
    log = workspace.parent / "serve.log"
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "healthgap", "serve", "--dir", str(workspace)),
                *("--host", "127.0.0.1", "--port", str(port)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_environment(),
        )
    running = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{running.url}/health/"):
            running.assert_alive()
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`healthgap serve` did not answer /health/ within {START_TIMEOUT:.0f} s;"
                    f" its output:\n{running.output()}",
                    pytrace=False,
                )
            time.sleep(0.25)
        yield running
        running.assert_alive()  # it should have lived through every test
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: {SETUP}", pytrace=False)
    # Plain playwright.sync_api, not pytest-playwright, which wants Playwright's own
    # downloaded browsers.
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def _sessions(
    browser: Browser, server: Server, accounts: dict[str, Account]
) -> Callable[[str], StorageState]:
    """Each role's cookies after logging in through the form once (reused by later tests)."""
    states: dict[str, StorageState] = {}

    def session(role: str) -> StorageState:
        if role not in states:
            context = browser.new_context(base_url=server.url)
            account = accounts[role]
            page = context.new_page()
            log_in(page, account.username, account.password)
            if "/accounts/login/" in page.url:
                server.assert_alive()
                pytest.fail(f"could not log in as {account.username} ({role})", pytrace=False)
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return session


@pytest.fixture
def _contexts(browser: Browser, server: Server) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts for one test, closed after it (and the server checked)."""
    opened: list[BrowserContext] = []

    def new_context(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=server.url, accept_downloads=True, **options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        opened.append(context)
        return context

    yield new_context
    for context in opened:
        context.close()
    server.assert_alive()


@pytest.fixture
def logged_in(
    _contexts: Callable[..., BrowserContext], _sessions: Callable[[str], StorageState]
) -> Callable[[str], Page]:
    """``logged_in(role)``: a page of a browser logged in as that role's user."""

    def page_for(role: str) -> Page:
        return _contexts(storage_state=_sessions(role)).new_page()

    return page_for


@pytest.fixture
def anonymous(_contexts: Callable[..., BrowserContext]) -> Page:
    """A page of a browser that has not logged in."""
    return _contexts().new_page()


@pytest.fixture(scope="package")
def axe() -> Callable[[Page], None]:
    """``axe(page)``: fail on serious or critical WCAG 2.0-2.2 A/AA violations."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: {SETUP}", pytrace=False)
    source = AXE.read_text(encoding="utf-8")

    def check(page: Page) -> None:
        run_axe(page, source)

    return check
