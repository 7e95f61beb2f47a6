"""``healthgap build``: evaluate a workspace's indicators and write them to its warehouse.

The build reads the workspace (:func:`healthgap.workspace.load_workspace`), evaluates every
indicator — or one, with ``only`` — on the person-level records
(:func:`healthgap.indicators.engine.evaluate`), and writes all the rows in one atomic,
recorded change of the warehouse: the rows a build wrote before (``source = "build"``)
are replaced, the inputs' SHA-256 hashes, the definitions' hash and the software version
are recorded in ``builds``, and data marked synthetic (workspace setting, or the Parquet
files' ``healthgap.synthetic`` metadata) is recorded as such. A build that fails — bad
definitions, missing columns, a killed process — writes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from healthgap.errors import InputError
from healthgap.indicators.engine import Place, evaluate
from healthgap.warehouse.store import Warehouse
from healthgap.workspace import load_workspace

#: ``progress(done, total, indicator_id)``, called after each indicator.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BuildSummary:
    """What :func:`run_build` did."""

    build_id: str
    indicators: tuple[str, ...]
    rows: int  # indicator_values rows written
    measures: int  # inequality_measures rows written
    window: tuple[date, date]  # the data window the periods were cut from
    synthetic: bool
    warehouse: Path
    seconds: float


def run_build(
    root: str | Path = ".",
    *,
    only: str | None = None,
    engine: str = "duckdb",
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the workspace in ``root`` into its warehouse.

    Parameters
    ----------
    root : path
        The workspace folder (holding ``healthgap.toml``).
    only : str, optional
        One indicator's id: only its rows are replaced.
    engine : {"duckdb", "spark"}
        The query engine (Spark needs the ``spark`` extra and Java 17).
    progress : callable, optional
        ``progress(done, total, indicator_id)`` after each indicator.

    Returns
    -------
    BuildSummary

    Raises
    ------
    InputError
        An invalid workspace, no indicators, an unknown ``only`` id, missing or malformed
        records, or an indicator that cannot be computed (naming it and the key at fault).
        Nothing is written then.

    Examples
    --------
    Usage (needs real files, so not run as a doctest)::

        summary = run_build("my-workspace")
        summary.rows, summary.build_id
        (15884, '20261124T021500-1a2b3c4d')
    """
    started = time.perf_counter()
    workspace = load_workspace(root)
    indicators = workspace.indicators
    if not indicators:
        raise InputError(
            f"{workspace.catalogue_path} declares no indicators: add [[indicator]] tables "
            "(see docs/indicators.md)"
        )
    if only is not None:
        indicators = (workspace.indicator(only),)
    place = Place.of(workspace.area_codes, workspace.place_name)
    inputs = {str(path): sha256(path) for path in (workspace.persons, workspace.events)}
    synthetic = workspace.synthetic or any(
        marked_synthetic(p) for p in (workspace.persons, workspace.events)
    )
    result = evaluate(
        indicators,
        persons=workspace.persons,
        events=workspace.events,
        place=place,
        engine=engine,
        progress=progress,
    )
    store = Warehouse.create(workspace.warehouse_path)
    values_where: dict[str, object] = {"source": "build"}
    measures_where: dict[str, object] = {}
    if only is not None:
        values_where["indicator_id"] = measures_where["indicator_id"] = only
    with store.change(
        "build", inputs=inputs, definitions_sha256=workspace.definitions_sha256, synthetic=synthetic
    ) as change:
        change.replace("indicator_values", result.values, where=values_where)
        change.replace("inequality_measures", result.measures, where=measures_where)
    return BuildSummary(
        build_id=change.build_id,
        indicators=tuple(i.id for i in indicators),
        rows=len(result.values),
        measures=len(result.measures),
        window=result.window,
        synthetic=synthetic,
        warehouse=store.path,
        seconds=time.perf_counter() - started,
    )


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    if not Path(path).is_file():
        raise InputError(f"no file {path}: check [data] in healthgap.toml")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def marked_synthetic(path: Path) -> bool:
    """True when a Parquet file's metadata says ``healthgap.synthetic = "true"``."""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):  # not Parquet: the engine reports it
        return False
    return metadata.get(b"healthgap.synthetic", b"").lower() == b"true"
