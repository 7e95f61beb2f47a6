"""What the pages show: one disclosure-controlled copy of the warehouse, kept in memory.

The warehouse changes only when a build or import swaps in a new file, so the app reads
it once per version (keyed by the file's modification time and size) and applies
disclosure control to every value before any page sees it: no page can show a raw small
number. Reading and protecting the demo warehouse takes about a second; every page after
that works on in-memory frames.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd
from django.conf import settings

from healthgap.disclosure import DisclosureRules, protect
from healthgap.errors import InputError
from healthgap.indicators.definition import Indicator
from healthgap.warehouse.export import SIBLINGS
from healthgap.warehouse.schema import TOTAL
from healthgap.workspace import Workspace, load_workspace

T = TypeVar("T")


@dataclass
class Snapshot:
    """One version of a workspace's warehouse, disclosure-controlled."""

    workspace: Workspace
    rules: DisclosureRules
    values: pd.DataFrame  # indicator_values after disclosure.protect
    measures: pd.DataFrame  # inequality_measures (summaries, no counts)
    built_at: pd.Timestamp | None
    synthetic: bool
    _memo: dict[object, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once per snapshot (pages reuse what they derived from it)."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            value = self._memo[key] = compute()
            return value

    @property
    def place_code(self) -> str:
        return self.workspace.area_codes[0]

    @cached_property
    def by_indicator(self) -> dict[str, pd.DataFrame]:
        return {key: rows for key, rows in self.values.groupby("indicator_id", sort=False)}

    def rows(self, indicator_id: str) -> pd.DataFrame:
        """Every protected row of one indicator (empty if it has none)."""
        return self.by_indicator.get(indicator_id, self.values.iloc[0:0])

    def indicators(self) -> list[Indicator]:
        """Catalogue indicators that have values, in catalogue order."""
        return [i for i in self.workspace.indicators if i.id in self.by_indicator]

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.workspace.indicators if i.id == indicator_id), None)

    def totals(self, indicator_id: str) -> pd.DataFrame:
        """The place's whole-population series of one indicator, oldest period first."""
        rows = self.rows(indicator_id)
        keep = (
            (rows["breakdown_type"] == TOTAL)
            & (rows["area_code"] == self.place_code)
            & (rows["sex"] == "Persons")
        )
        return rows[keep].sort_values("period_start")

    def latest_period(self, indicator_id: str) -> str | None:
        totals = self.totals(indicator_id)
        return None if totals.empty else str(totals["period"].iloc[-1])


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, ...], Snapshot]] = {}


def workspace_root() -> Path:
    root = settings.WORKSPACE
    if root is None:
        raise InputError("no workspace: set HEALTHGAP_WORKSPACE or run `healthgap serve --dir`")
    return Path(root)


def _version(paths: list[Path]) -> tuple[int, ...]:
    stamps: list[int] = []
    for path in paths:
        stat = path.stat() if path.exists() else None
        stamps += [stat.st_mtime_ns, stat.st_size] if stat else [0, 0]
    return tuple(stamps)


def current() -> Snapshot:
    """The snapshot of the configured workspace, re-read when any of its files change."""
    root = workspace_root()
    with _lock:
        cached = _cache.get(root)
        if cached is not None:
            workspace = cached[1].workspace
            files = [workspace.settings_path, workspace.catalogue_path, workspace.warehouse_path]
            if _version(files) == cached[0]:
                return cached[1]
        workspace = load_workspace(root)
        files = [workspace.settings_path, workspace.catalogue_path, workspace.warehouse_path]
        if not workspace.warehouse_path.exists():
            raise InputError(
                f"{workspace.warehouse_path}: no warehouse yet: run `healthgap build --dir {root}`"
            )
        version = _version(files)
        snapshot = _load(workspace)
        _cache[root] = (version, snapshot)
        return snapshot


def _load(workspace: Workspace) -> Snapshot:
    store = workspace.warehouse()
    raw = store.read("indicator_values")
    rules = DisclosureRules.from_mapping(workspace.disclosure)
    values = protect(raw, rules, siblings=SIBLINGS) if len(raw) else raw.assign(suppressed=False)
    measures = store.read("inequality_measures")
    builds = store.builds()
    built = pd.Timestamp(builds["finished_at"].max()) if len(builds) else None
    synthetic = workspace.synthetic or bool(builds["synthetic"].fillna(False).any())
    return Snapshot(workspace, rules, values, measures, built, synthetic)
