"""Everything the board report shows, gathered for one financial year.

:func:`gather` takes the disclosure-controlled snapshot of the warehouse (the dashboard's
:class:`~healthgap.web.dashboard.snapshot.Snapshot`), cuts it at the end of the year
(:mod:`healthgap.report.scope`) and asks each section's module for its part. The plan and
community voice come from the web app's database, so Django must be configured for the
workspace first (``healthgap.web.server.configure`` and ``migrate``, as the command
does); ``plan=False`` leaves those sections out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from healthgap.report.annex import Annex, annex
from healthgap.report.charts import Figure, sparkline
from healthgap.report.group_gaps import GroupGap, group_gaps
from healthgap.report.headline import Headline, headline
from healthgap.report.period import FinancialYear, choose
from healthgap.report.plan import PlanSection, plan_section
from healthgap.report.scope import restrict
from healthgap.report.summary import key_messages
from healthgap.report.targeting import Ranking, rankings
from healthgap.report.voice import VoiceSection, voice_section
from healthgap.web.dashboard.snapshot import Snapshot
from healthgap.web.dashboard.tartan import TartanGroup, tartan

#: The report's sections: (id, heading), in order; the contents list links to the ids.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("headline", "Headline outcomes"),
    ("tartan", "Indicators by Marmot principle"),
    ("groups", "The largest gaps by group"),
    ("targeting", "Targeting: communities with the most to gain"),
    ("plan", "The action plan"),
    ("voice", "Community voice"),
    ("annex", "Annex: methods and data quality"),
)


@dataclass(frozen=True)
class Report:
    place: str
    year: FinancialYear
    made_on: date
    synthetic: bool
    built_at: pd.Timestamp | None
    summary: list[str]
    headline: Headline
    tartan: list[TartanGroup]
    sparklines: dict[str, Figure]
    group_gaps: dict[str, list[GroupGap]]
    targeting: list[Ranking]
    plan: PlanSection | None
    voice: VoiceSection | None
    annex: Annex

    @property
    def sections(self) -> list[tuple[str, str]]:
        return list(SECTIONS)

    @property
    def title(self) -> str:
        return f"{self.place}: health inequalities board report, {self.year.label}"


def gather(
    snapshot: Snapshot, period: str, *, today: date | None = None, plan: bool = True
) -> Report:
    """The report of ``snapshot`` for the financial year ``period`` (e.g. ``"2025-26"``).

    Raises
    ------
    InputError
        ``period`` is not a financial year, or no indicator has a period ending in it
        (the message lists the years available).
    """
    today = today or date.today()
    year = choose(snapshot.values, period)
    scoped = restrict(snapshot, year)
    top = headline(scoped)
    groups = tartan(scoped)
    gaps = group_gaps(scoped)
    ranked = rankings(scoped)
    actions = plan_section(scoped, today) if plan else None
    voice = voice_section(today) if plan else None
    report = Report(
        place=snapshot.workspace.place_name,
        year=year,
        made_on=today,
        synthetic=snapshot.synthetic,
        built_at=snapshot.built_at,
        summary=[],
        headline=top,
        tartan=groups,
        sparklines=_sparklines(scoped, groups),
        group_gaps=gaps,
        targeting=ranked,
        plan=actions,
        voice=voice,
        annex=annex(scoped),
    )
    report.summary.extend(key_messages(report))
    return report


def _sparklines(snapshot: Snapshot, groups: list[TartanGroup]) -> dict[str, Figure]:
    found = {}
    for group in groups:
        for row in group.rows:
            totals = snapshot.totals(row.indicator.id)
            found[row.indicator.id] = sparkline(
                totals["period"].astype(str).tolist(),
                totals["value"].to_numpy(dtype="float64"),
                title=f"{row.indicator.title}: trend",
                unit=row.indicator.unit or "",
            )
    return found
