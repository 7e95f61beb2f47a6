"""The methods and data-quality annex: sources, periods, disclosure control applied.

"Cells suppressed" counts the values of the report's periods (every indicator's report
period, all breakdowns and areas) that disclosure control hid: small numbers themselves
and the cells hidden so that they cannot be worked out from totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.disclosure import DisclosureRules
from healthgap.report.scope import report_periods
from healthgap.web.dashboard.snapshot import Snapshot

SOURCES = {
    "build": "computed by healthgap from person-level records",
    "fingertips": "imported from OHID Fingertips",
    "table": "imported from a published table",
}


@dataclass(frozen=True)
class Build:
    kind: str
    finished: str
    version: str
    synthetic: bool


@dataclass(frozen=True)
class Annex:
    place: str
    area_codes: tuple[str, ...]
    synthetic: bool
    builds: list[Build]
    sources: list[tuple[str, int]]  # (description, values)
    periods: pd.DataFrame  # indicator title, period, start, end
    rules: DisclosureRules
    cells: int
    suppressed: int

    @property
    def suppressed_share(self) -> float:
        return 100 * self.suppressed / self.cells if self.cells else 0.0


def annex(snapshot: Snapshot) -> Annex:
    """The annex of ``snapshot`` (already cut at the end of the report year)."""
    periods = report_periods(snapshot)
    values = snapshot.values.merge(
        periods[["indicator_id", "period"]], on=["indicator_id", "period"], how="inner"
    )
    sources = values["source"].fillna("build").value_counts()
    builds = snapshot.workspace.warehouse().builds()
    if len(builds):
        builds = builds.sort_values("finished_at").tail(5)
    return Annex(
        place=snapshot.workspace.place_name,
        area_codes=tuple(snapshot.workspace.area_codes),
        synthetic=snapshot.synthetic,
        builds=[
            Build(
                str(b.kind),
                _when(b.finished_at),
                str(b.software_version),
                bool(b.synthetic) if pd.notna(b.synthetic) else False,
            )
            for b in builds.itertuples(index=False)
        ],
        sources=[(SOURCES.get(str(k), str(k)), int(n)) for k, n in sources.items()],
        periods=periods,
        rules=snapshot.rules,
        cells=len(values),
        suppressed=int(values["suppressed"].astype(bool).sum()),
    )


def _when(value: object) -> str:
    stamp = pd.Timestamp(value)
    return "–" if pd.isna(stamp) else f"{stamp:%d %B %Y %H:%M} UTC"
