"""``healthgap demo``: a synthetic place, a workspace for it and its warehouse, built.

:func:`make_demo` synthesises the population (:func:`healthgap.demo.synthesise`) into
``<root>/data``, initialises the workspace (:func:`healthgap.workspace.init_workspace`)
with the packaged demo catalogue (``healthgap/demo/catalogue.toml``) and builds it
(:func:`healthgap.build.run_build`). Running it again on a demo workspace makes the data
afresh and rebuilds; a folder holding any other workspace is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from healthgap.build import BuildSummary, run_build
from healthgap.demo import DEFAULT_PLACE, DEFAULT_SEED, SynthResult, synthesise
from healthgap.errors import InputError
from healthgap.workspace import SETTINGS, init_workspace, load_workspace

#: ``progress(step, done, total)``: step ``"synthesise"`` (people made so far), then each
#: indicator's id as it is built.
Progress = Callable[[str, int, int], None]
DATA = "data"


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`make_demo` made."""

    root: Path
    synth: SynthResult
    build: BuildSummary


def catalogue_path() -> Path:
    """The packaged demo catalogue (24 indicators over the synthetic events)."""
    return Path(str(resources.files("healthgap.demo") / "catalogue.toml"))


def make_demo(
    root: str | Path,
    *,
    place: str = DEFAULT_PLACE,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> DemoSummary:
    """Make (or remake) the demo workspace in ``root`` and build it.

    Parameters
    ----------
    root : path
        The workspace folder; created if needed.
    place : str
        An English local authority, by name or code.
    seed, scale
        Passed to :func:`healthgap.demo.synthesise`.
    engine : {"duckdb", "spark"}
    progress : callable, optional
        ``progress(step, done, total)`` (see :data:`Progress`).

    Raises
    ------
    InputError
        ``root`` holds a workspace that is not synthetic, an unknown place, or a bad
        seed or scale.

    Examples
    --------
    Usage (needs real files, so not run as a doctest)::

        summary = make_demo("demo", place="Luton")
        summary.synth.persons, summary.build.rows
        (241094, 15888)
    """
    folder = Path(root)
    if (folder / SETTINGS).exists() and not load_workspace(folder).synthetic:
        raise InputError(f"{folder} is a workspace of real data; make the demo in another folder")

    def made(done: int, total: int) -> None:
        if progress is not None:
            progress("synthesise", done, total)

    synth = synthesise(place, seed=seed, scale=scale, out=folder / DATA, progress=made)
    init_workspace(
        folder,
        place=synth.place.code,
        persons=f"{DATA}/persons.parquet",
        events=f"{DATA}/events.parquet",
        catalogue=catalogue_path(),
        synthetic=True,
        force=True,
    )

    def built(done: int, total: int, indicator: str) -> None:
        if progress is not None:
            progress(indicator, done, total)

    build = run_build(folder, engine=engine, progress=built)
    return DemoSummary(root=folder, synth=synth, build=build)
