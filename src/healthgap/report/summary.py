"""The summary: a handful of sentences a board member reads first.

Each sentence restates a number from a later section (nothing new is computed), so the
summary and the body can never disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from healthgap.report.headline import decile_number

if TYPE_CHECKING:
    from healthgap.report.gather import Report

#: Tartan outcomes counted as worse or better than the benchmark.
WORSE = {"Worse", "Worst"}
BETTER = {"Better", "Best"}


def key_messages(report: Report) -> list[str]:
    """The summary's sentences, in the order of the report's sections."""
    found = []
    gap = report.headline.main_gap
    if gap is not None:
        way = "lower" if gap.gap >= 0 else "higher"
        found.append(
            f"{gap.indicator.title} is {abs(gap.gap):.1f} years {way} in the most deprived "
            f"tenth of {report.place} ({gap.most['value']:.1f} years) than in the least "
            f"deprived tenth present (decile {decile_number(gap.least)}: "
            f"{gap.least['value']:.1f} years), {gap.period}."
        )
    trends = Counter(s.trend for s in report.headline.sii)
    if report.headline.sii:
        found.append(
            f"Across deprivation (slope index of inequality, {len(report.headline.sii)} "
            f"indicators): inequality is narrowing for {trends['Narrowing']}, widening for "
            f"{trends['Widening']}, with no significant change for "
            f"{trends['No significant change']}; too few periods to tell for the rest."
        )
    compared = [r for g in report.tartan for r in g.rows if r.against]
    if compared:
        worse = sum(r.place.outcome in WORSE for r in compared)
        better = sum(r.place.outcome in BETTER for r in compared)
        found.append(
            f"Of {len(compared)} indicators compared with England or their target, "
            f"{report.place} is significantly worse on {worse} and better on {better}."
        )
    gaps = [g for family in report.group_gaps.values() for g in family]
    if gaps:
        widest = max(gaps, key=lambda g: g.relative)
        found.append(
            f"The widest gap by group: {widest.group}, {widest.indicator.lower()} "
            f"({widest.period}): {widest.sentence}."
        )
    if report.plan is not None:
        plan = report.plan
        risky = plan.count("at_risk") + plan.count("off_track")
        found.append(
            f"The action plan has {plan.total} actions: {plan.count('done')} done, "
            f"{plan.count('on_track')} on track, {risky} at risk or off track, and "
            f"{len(plan.overdue)} overdue."
        )
    if report.voice is not None and report.voice.themes:
        top = report.voice.themes[0]
        found.append(
            f"Communities most often raised {top.name.lower()} ({top.insights} of "
            f"{report.voice.insights} insights in the last twelve months)."
        )
    return found
