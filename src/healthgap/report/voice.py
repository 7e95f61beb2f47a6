"""Community voice: what people told the partnership, and what was done about it.

Read from the web app's database as it stands on the day the report is made, over the
:data:`MONTHS` months up to that day. *Top themes* are the themes most often tagged on
insights in that window (an insight may carry several). *You said, we did* pairs the
most recent insights that are linked to an action with those actions, their lead
organisation and status. Insights hold no personal data (docs/plan.md); counts are of
insights, not of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

MONTHS = 12
THEMES = 5
EXAMPLES = 6


@dataclass(frozen=True)
class ThemeCount:
    name: str
    insights: int
    share: float  # of the window's insights, in percent


@dataclass(frozen=True)
class YouSaid:
    date: date
    source: str
    group: str
    text: str
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # (title, lead, status)


@dataclass(frozen=True)
class VoiceSection:
    since: date
    until: date
    insights: int
    linked: int
    themes: list[ThemeCount]
    you_said: list[YouSaid]


def voice_section(today: date, *, months: int = MONTHS) -> VoiceSection:
    """Insights of the ``months`` months to ``today``: top themes and "you said, we did"."""
    from django.db.models import Count

    from healthgap.web.voice.models import Insight, Theme

    since = today - timedelta(days=round(months * 365.25 / 12))
    window = Insight.objects.filter(date__gt=since, date__lte=today)
    total = window.count()
    linked = window.filter(actions__isnull=False).distinct()
    themes = (
        Theme.objects.filter(insights__in=window)
        .annotate(n=Count("insights", distinct=True))
        .order_by("-n", "name")[:THEMES]
    )
    said = []
    recent = linked.select_related("group").prefetch_related("actions__lead")
    for insight in recent.order_by("-date", "-id")[:EXAMPLES]:
        said.append(
            YouSaid(
                date=insight.date,
                source=insight.get_source_display(),
                group=insight.group.name if insight.group else "",
                text=insight.text,
                actions=[(a.title, a.lead.name, a.get_status_display())
                         for a in insight.actions.all()],
            )
        )  # fmt: skip
    return VoiceSection(
        since=since + timedelta(days=1),
        until=today,
        insights=total,
        linked=linked.count(),
        themes=[ThemeCount(t.name, t.n, 100 * t.n / total if total else 0.0) for t in themes],
        you_said=said,
    )
