"""Benchmark of the web app: page times with 50 concurrent clients on loopback.

Builds (or reuses) the full-size demo Luton workspace, starts ``healthgap serve`` in its
own process, logs 50 clients in, and has them fetch the overview and an indicator page
together. Printed per page: requests, p50, p95 and p99 latency, and throughput. The
clients run in this process (threads), so they share the 2 cores with the server: the
figures are an upper bound on what a browser on another machine would see. Goal: p95 <
300 ms.

    python benchmarks/web.py [--workspace DIR] [--clients 50] [--rounds 20]
"""

from __future__ import annotations

import argparse
import http.client
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import numpy as np

from _demo import demo_workspace  # benchmarks/ is on sys.path when run as a script

PAGES = {"overview": "/", "indicator": "/indicators/flu_65_plus/"}
PASSWORD = "bench-password-2025-long"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Session:
    """One logged-in client with its own keep-alive connection."""

    def __init__(self, port: int, username: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        status, _ = self.request("POST", "/accounts/login/", body)
        if status != 302:
            raise RuntimeError(f"login failed for {username}: HTTP {status}")

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def get(self, path: str) -> str:
        status, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        return text


def _run(sessions: list[Session], rounds: int) -> dict[str, list[float]]:
    clients = len(sessions)
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def work(session: Session) -> None:
        start.wait()
        for _ in range(rounds):
            for name, path in PAGES.items():
                t = time.perf_counter()
                session.get(path)
                with lock:
                    times[name].append(time.perf_counter() - t)

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _measure(port: int, clients: int, rounds: int) -> tuple[dict[str, list[float]], float]:
    for _ in range(600):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
            break
        except OSError:
            time.sleep(0.1)
    warm = Session(port, "bench0")
    for path in PAGES.values():
        warm.get(path)  # first visit fills the page caches
    sessions = [Session(port, f"bench{i}") for i in range(clients)]
    began = time.perf_counter()
    times = _run(sessions, rounds)
    return times, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    root = demo_workspace(args.workspace, prefix="healthgap-web-bench-")
    healthgap = [sys.executable, "-m", "healthgap"]
    for i in range(args.clients):
        subprocess.run(
            [*healthgap, "createuser", f"bench{i}", "--dir", str(root), "--role", "analyst"],
            input=PASSWORD + "\n", text=True, check=False, capture_output=True,
        )  # fmt: skip
    port = _free_port()
    # The server's log goes to a file: an unread pipe fills up and stalls the server.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [*healthgap, "serve", "--dir", str(root), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            times, elapsed = _measure(port, args.clients, args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(t) for t in times.values())
    print(f"\nWeb app, {args.clients} concurrent clients × {args.rounds} rounds, loopback")
    print(f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, values in times.items():
        ms = np.array(values) * 1000
        p50, p95, p99 = np.percentile(ms, [50, 95, 99])
        print(f"{name:<10} {len(ms):>8} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f}")
    print(f"throughput {total / elapsed:.0f} requests/s (goal: p95 < 300 ms)")


if __name__ == "__main__":
    main()
