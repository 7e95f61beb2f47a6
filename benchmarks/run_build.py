"""Benchmark of ``healthgap build``: the demo catalogue on 1 M and 10 M synthetic persons.

For each size the synthetic place (Luton, scaled) is generated once and kept in the data
folder (``--data``, default ``<tmp>/healthgap-bench``); the build then runs in a fresh
process, so that its peak memory (``ru_maxrss``) is its own. Printed per size: persons and
events, wall and CPU time of the build, peak memory, persons and events per second, and
warehouse rows written. Goal on the project's 2-core machines: 10 M persons under 60 s
and 8 GB.

    python benchmarks/run_build.py [--sizes 1e6 1e7] [--engine duckdb] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACE = "Luton"
SEED = 2025


def _population(place: str) -> int:
    from healthgap.reference.lsoa import lsoas
    from healthgap.reference.places import find_place

    code = find_place(place).code
    table = lsoas()
    return int(table.loc[table["lad_code"] == code, "population"].sum())


def _data(folder: Path, size: float) -> tuple[Path, dict[str, object]]:
    """The synthetic records for ``size`` persons, made unless already there."""
    from healthgap.demo import synthesise

    scale = round(size / _population(PLACE), 4)
    out = folder / f"{PLACE.lower()}-{size:.0e}"
    truth = out / "truth.json"
    if truth.exists():
        saved = json.loads(truth.read_text(encoding="utf-8"))
        if saved.get("scale") == scale and saved.get("seed") == SEED:
            return out, {
                "persons": saved["counts"]["persons"],
                "events": saved["counts"]["events"],
                "synth_seconds": None,
            }
    started = time.perf_counter()
    result = synthesise(PLACE, seed=SEED, scale=scale, out=out)
    return out, {
        "persons": result.persons,
        "events": result.events,
        "synth_seconds": time.perf_counter() - started,
    }


def _build_once(data: Path, engine: str) -> None:
    """In a child process: make a workspace over ``data``, build it, print JSON."""
    from healthgap.build import run_build
    from healthgap.demo_workspace import catalogue_path
    from healthgap.workspace import init_workspace

    with tempfile.TemporaryDirectory() as folder:
        init_workspace(
            folder,
            place=PLACE,
            persons=data / "persons.parquet",
            events=data / "events.parquet",
            catalogue=catalogue_path(),
            synthetic=True,
        )
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_build(folder, engine=engine)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(
            json.dumps(
                {
                    "seconds": time.perf_counter() - started,
                    "cpu_seconds": time.process_time() - cpu,
                    "peak_mb": usage.ru_maxrss / 1024,
                    "indicators": len(summary.indicators),
                    "rows": summary.rows + summary.measures,
                }
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "healthgap-bench"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _build_once(args.child, args.engine)
        return
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"healthgap build — demo catalogue, {PLACE} scaled, engine {args.engine}")
    header = (
        f"{'persons':>11} {'events':>11} {'build s':>8} {'cpu s':>7} {'peak GB':>8} "
        f"{'persons/s':>10} {'events/s':>10} {'rows':>7}"
    )
    print(header)
    for size in args.sizes:
        data, counts = _data(args.data, size)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(data), "--engine", args.engine],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        persons, events, seconds = counts["persons"], counts["events"], result["seconds"]
        print(
            f"{persons:>11,} {events:>11,} {seconds:>8.1f} {result['cpu_seconds']:>7.1f} "
            f"{result['peak_mb'] / 1024:>8.2f} {persons / seconds:>10,.0f} "
            f"{events / seconds:>10,.0f} {result['rows']:>7,}",
            flush=True,
        )
        if counts["synth_seconds"] is not None:
            print(f"{'':>11} (synthesised in {counts['synth_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
