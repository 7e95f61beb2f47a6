"""Benchmarks for this machine: `make bench` prints them.

Each case times the best of a few runs of a public method on synthetic data of the size
named in the issue, and compares it with the time the reference R package
(PHEindicatormethods 2.1.0) took for the same work on these machines.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import healthgap as hg

AREAS = 32_844  # LSOAs in England (2011 geography), the size PHE's tools are run at
ROWS = 1_000_000


@dataclass
class Case:
    name: str
    run: Callable[[], object]
    reference_seconds: float | None = None


def _banded(rng: np.random.Generator, starts: list[int]) -> pd.DataFrame:
    n = len(starts)
    population = rng.integers(20, 400, size=AREAS * n)
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(AREAS), n),
            "age": np.tile(starts, AREAS),
            "population": population,
            "deaths": rng.binomial(population, 0.01),
        }
    )


def cases() -> list[Case]:
    rng = np.random.default_rng(20261124)
    esp_starts = list(range(0, 95, 5))
    dsr_data = _banded(rng, esp_starts)
    isr_data = dsr_data.assign(
        ref_count=np.tile(rng.integers(1_000, 50_000, 19), AREAS),
        ref_pop=np.tile(rng.integers(500_000, 3_000_000, 19), AREAS),
    )
    le_data = _banded(rng, [0, 1, *range(5, 95, 5)])
    denominators = rng.integers(50, 5_000, size=ROWS)
    rows = pd.DataFrame({"count": rng.binomial(denominators, 0.2), "denominator": denominators})

    trend_groups = 100_000
    trend = pd.DataFrame(
        {
            "group": np.repeat(np.arange(trend_groups), 5),
            "year": np.tile(np.arange(2020, 2025), trend_groups),
            "value": rng.normal(50, 5, trend_groups * 5),
            "se": rng.uniform(0.5, 2, trend_groups * 5),
        }
    )
    lsoa_scores = pd.DataFrame({"score": rng.gamma(2, 10, AREAS)})
    sii_data = pd.DataFrame(
        {
            "area": np.repeat(np.arange(300), 10),
            "decile": np.tile(np.arange(1, 11), 300),
            "population": rng.integers(5_000, 25_000, 3_000),
            "value": rng.normal(78, 3, 3_000),
            "se": rng.uniform(0.2, 2, 3_000),
        }
    )
    settings, groups = 1_000, 10
    heat_data = pd.DataFrame(
        {
            "setting": np.repeat(np.arange(settings), groups),
            "group": np.tile(np.arange(1, groups + 1), settings),
            "value": rng.uniform(20, 90, settings * groups),
            "se": rng.uniform(0.5, 3, settings * groups),
            "population": rng.integers(1_000, 20_000, settings * groups),
            "reference": np.tile(np.arange(groups) == 0, settings),
        }
    )
    heat = {"subgroup": "group", "se": "se", "population": "population", "by": "setting"}
    # measures="all" computes every measure that applies: 8 of the 21 for an ordered
    # dimension (group 1 … 10 as deciles), the other 17 (with a reference subgroup, the
    # simulated ones among them) for a non-ordered one.
    heat_name = f"inequality, all 21 HEAT measures, {settings:,} settings × {groups} subgroups"
    return [
        Case("rate, 1,000,000 rows", lambda: hg.rate(rows, "count", "denominator"), 1.7),
        Case(
            "proportion, 1,000,000 rows",
            lambda: hg.proportion(rows, "count", "denominator"),
            1.7,
        ),
        Case(
            f"dsr, {AREAS:,} areas × 19 bands",
            lambda: hg.dsr(dsr_data, "deaths", "population", age="age", by="area"),
            8.2,
        ),
        Case(
            f"isr, {AREAS:,} areas × 19 bands",
            lambda: hg.isr(
                isr_data,
                "deaths",
                "population",
                reference_count="ref_count",
                reference_population="ref_pop",
                by="area",
            ),
            13.6,
        ),
        Case(
            f"life_expectancy, {AREAS:,} areas × 20 bands",
            lambda: hg.life_expectancy(le_data, "deaths", "population", age="age", by="area"),
            76.0,
        ),
        Case(
            f"quantiles, {AREAS:,} areas into deciles", lambda: hg.quantiles(lsoa_scores, "score")
        ),
        Case(
            "sii, 300 areas × 10 deciles, 100,000 reps, RII, 95%+99.8%",
            lambda: hg.sii(
                sii_data,
                "value",
                "population",
                quantile="decile",
                by="area",
                se="se",
                rii=True,
                confidence=[0.95, 0.998],
                seed=1,
            ),
            97.5,
        ),
        Case(
            f"recent_trend, {trend_groups:,} groups × 5 points",
            lambda: hg.recent_trend(trend, "value", period="year", se="se", by="group"),
        ),
        Case(
            f"{heat_name}, ordered",
            lambda: hg.inequality(heat_data, "value", order="group", seed=1, **heat),
        ),
        Case(
            f"{heat_name}, non-ordered",
            lambda: hg.inequality(heat_data, "value", reference="reference", seed=1, **heat),
        ),
    ]


def best_of(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


SYNTH_PLACE, SYNTH_SCALE = "Luton", 10.0  # about 2.25 million persons


def synth_benchmark() -> None:
    """Synthetic population generation: persons per second (one run; it is long)."""
    from healthgap.demo import synthesise

    with tempfile.TemporaryDirectory() as folder:
        result = synthesise(SYNTH_PLACE, scale=SYNTH_SCALE, out=Path(folder) / "synth")
    rate = result.persons / result.seconds
    print(
        f"synth {SYNTH_PLACE} × {SYNTH_SCALE:g}: {result.persons:,} persons, "
        f"{result.events:,} events in {result.seconds:.1f} s = {rate:,.0f} persons per second"
    )


def main() -> None:
    all_cases = cases()
    width = max(len(case.name) for case in all_cases)
    print(f"{'case':<{width}} {'seconds':>9} {'R (s)':>8} {'speed-up':>9}")
    for case in all_cases:
        seconds = best_of(case.run)
        if case.reference_seconds:
            ratio = f"{case.reference_seconds / seconds:>8.0f}×"
            reference = f"{case.reference_seconds:>8.1f}"
        else:
            ratio = reference = ""
        print(f"{case.name:<{width}} {seconds:>9.3f} {reference:>8} {ratio:>9}")
    synth_benchmark()


if __name__ == "__main__":
    main()
