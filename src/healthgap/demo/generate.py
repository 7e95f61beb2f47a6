"""``synthesise``: the synthetic population of a place, written to a folder.

The pipeline per chunk of neighbourhoods (about 250,000 census-day residents): people
(age, sex, birth date, ethnic group, practice) → babies born in the record → PLUS flags →
smoking → long-term conditions → deaths and moves → events (diagnoses, smoking records,
vaccinations, screening, health checks, admissions) → Parquet row groups. Each step draws
from its own per-neighbourhood random streams (:mod:`healthgap.demo.streams`), so the
files depend only on the place, seed and scale.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from healthgap.demo.admissions import admissions
from healthgap.demo.births import with_births
from healthgap.demo.conditions import CONDITIONS, onsets
from healthgap.demo.events import CONCEPTS, Batch
from healthgap.demo.geography import Geography, geography
from healthgap.demo.mortality import death_times
from healthgap.demo.persons import NOT_BORN, People, make_people, move_away
from healthgap.demo.plus import plus_flags
from healthgap.demo.screening import health_checks, screening
from healthgap.demo.smoking import record_times, smoking_status
from healthgap.demo.streams import Draws
from healthgap.demo.truth import truth
from healthgap.demo.vaccination import covid, flu, mmr2
from healthgap.demo.writer import Output, events_table, persons_table
from healthgap.errors import InputError
from healthgap.reference.places import Place, find_place

DEFAULT_PLACE = "Luton"
DEFAULT_SEED = 2025
PERSONS_PER_CHUNK = 250_000
MAX_SCALE = 1_000.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SynthResult:
    """What :func:`synthesise` wrote.

    Attributes
    ----------
    place : Place
    seed : int
    scale : float
    out : Path
        The folder holding ``persons.parquet``, ``events.parquet`` and ``truth.json``.
    persons, events, deaths : int
    births : int
        Persons born in the record (included in ``persons``).
    events_by_concept : dict
    planted : list of str
        LSOA codes of the planted low-uptake neighbourhoods.
    seconds : float
        Wall-clock time taken.
    truth : dict
        The content of ``truth.json``.
    """

    place: Place
    seed: int
    scale: float
    out: Path
    persons: int
    events: int
    deaths: int
    events_by_concept: dict[str, int]
    planted: list[str]
    seconds: float
    truth: dict[str, Any] = field(repr=False)
    births: int = 0

    @property
    def files(self) -> list[Path]:
        return [self.out / name for name in ("persons.parquet", "events.parquet", "truth.json")]


def slug(name: str) -> str:
    """Folder-friendly name: ``"Bristol, City of"`` → ``"bristol-city-of"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("'", "")).strip("-")


def default_out(place: Place) -> Path:
    """``synthetic/<place-slug>`` (relative to the working directory)."""
    return Path("synthetic") / slug(place.name)


def synthesise(
    place: str | Place = DEFAULT_PLACE,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    out: str | Path | None = None,
    progress: Progress | None = None,
    persons_per_chunk: int = PERSONS_PER_CHUNK,
) -> SynthResult:
    """Generate a synthetic population for ``place`` and write it to ``out``.

    Parameters
    ----------
    place : str or Place
        English local authority name or code (2025 boundaries), e.g. ``"Luton"``.
    seed : int
        Non-negative seed; the same place, seed and scale give byte-identical files.
    scale : float
        Multiplies every neighbourhood's Census 2021 count per age band (rounded).
    out : str or Path, optional
        Output folder; default ``synthetic/<place-slug>``. An existing folder is replaced
        only if it holds earlier synthetic data.
    progress : callable, optional
        Called as ``progress(residents_done, residents_total)`` once the inputs are
        checked and after each chunk, counting census-day residents (the babies born in
        the record, decided as each chunk is made, come on top).
    persons_per_chunk : int
        Chunk size; the files' content does not depend on it (only row groups do).

    Returns
    -------
    SynthResult

    Raises
    ------
    InputError
        Unknown place (with suggestions), a bad seed or scale, or an ``out`` that is not
        a synthetic-data folder.
    """
    started = time.perf_counter()
    seed, scale = _seed(seed), _scale(scale)
    found = place if isinstance(place, Place) else find_place(place)
    target = Path(out) if out is not None else default_out(found)
    geo = geography(found, seed=seed, scale=scale)
    total = int(geo.counts.sum())
    if total == 0:
        raise InputError(f"scale {scale} gives no people in {found.name}; use a larger --scale")
    from healthgap._version import __version__

    fields = {"seed": str(seed), "place": found.code, "place_name": found.name}
    fields |= {"scale": repr(scale), "version": __version__}
    concepts: Counter[str] = Counter()
    done = residents = births = 0
    with Output(target, fields) as output:
        if progress is not None:
            progress(0, total)
        for start, stop in geo.chunks(persons_per_chunk):
            people, batches = _chunk(geo, seed, start, stop, first_id=done + 1)
            areas = geo.areas["lsoa_code"].iloc[start:stop].tolist()
            output.write("persons", persons_table(people, areas, list(geo.practices.codes)))
            output.write("events", events_table(people, batches))
            for batch in batches:
                concepts[batch.concept] += len(batch.rows)
            done += len(people)
            babies = int(np.count_nonzero(people.age == NOT_BORN))
            births += babies
            residents += len(people) - babies
            if progress is not None:
                progress(residents, total)
        by_concept = {name: concepts[name] for name in CONCEPTS}
        counts = {
            "persons": done,
            "births": births,
            "events": sum(by_concept.values()),
            "by_concept": by_concept,
        }
        document = truth(geo, seed=seed, scale=scale, version=__version__, counts=counts)
        output.finish(document)
    return SynthResult(
        place=found,
        seed=seed,
        scale=scale,
        out=target,
        persons=done,
        events=sum(by_concept.values()),
        deaths=by_concept["death"],
        events_by_concept=by_concept,
        planted=geo.planted_codes,
        seconds=time.perf_counter() - started,
        truth=document,
        births=births,
    )


def _chunk(
    geo: Geography, seed: int, start: int, stop: int, first_id: int
) -> tuple[People, list[Batch]]:
    numbers = geo.areas["number"].to_numpy()[start:stop]

    def draws(step: str) -> Draws:
        return Draws(seed, numbers, step)

    people = make_people(geo, start, stop, first_id, draws("persons"))
    people = with_births(geo, start, stop, people, first_id, draws("births"))
    people.flags = plus_flags(people, draws("plus"))
    people.smoking = smoking_status(people, draws("smoking"))
    people.onset = onsets(people, draws("conditions"))
    people.death = death_times(
        people.birth, people.male, people.decile, draws("death").uniform(people.lsoa)
    )
    people.moved = move_away(people, draws("moves").uniform(people.lsoa))
    return people, _events(people, draws)


def _events(people: People, draws: Callable[[str], Draws]) -> list[Batch]:
    exit_times = people.exit
    died = np.flatnonzero(people.death <= exit_times)
    batches = [Batch("death", died, people.death[died])]
    for name in CONDITIONS:
        onset = people.onset[name]
        rows = np.flatnonzero(onset < exit_times)
        batches.append(Batch(name, rows, onset[rows]))
    rows, times = record_times(people, draws("smoking-record"))
    batches.append(Batch("smoking_status", rows, times, people.smoking[rows]))
    batches += flu(people, draws("flu"))
    batches += covid(people, draws("covid"))
    batches += mmr2(people, draws("mmr2"))
    batches += screening(people, draws("screening"))
    batches += health_checks(people, draws("health-checks"))
    batches += admissions(people, draws("admissions"))
    return batches


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _scale(scale: object) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float | np.number):
        raise InputError(f"scale must be a number, got {scale!r}")
    value = float(scale)
    if not math.isfinite(value) or value <= 0 or value > MAX_SCALE:
        raise InputError(f"scale must be greater than 0 and at most {MAX_SCALE:g}, got {scale!r}")
    return value
