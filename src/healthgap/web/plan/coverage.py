"""Coverage: how many actions serve each population group under each priority.

The Board's question is "where is nobody acting?". :func:`coverage` answers it with a
matrix of priorities × population groups, each cell counting the plan's live actions
that name both (an action naming two priorities and three groups counts in all six
cells). Stopped actions are left out: they no longer serve anyone. Empty cells are the
gaps the coverage page highlights.

The counts come from two queries on the many-to-many link tables, turned into 0/1
incidence matrices (actions × priorities and actions × groups); their product is the
whole matrix at once, with no query per cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from healthgap.web.plan.models import Action, PopulationGroup, Priority, Status


@dataclass(frozen=True)
class Cell:
    """One cell of a coverage row: a population group and its action count."""

    group: PopulationGroup
    count: int

    @property
    def empty(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class CoverageRow:
    """One priority with its counts in the order of :attr:`Coverage.groups`."""

    priority: Priority
    counts: list[int]
    cells: list[Cell]

    @property
    def total(self) -> int:
        """Actions counted in this row's cells (an action may count in several)."""
        return sum(self.counts)


@dataclass(frozen=True)
class Coverage:
    """Actions counted by (priority, population group).

    Attributes
    ----------
    priorities, groups : list
        The matrix's rows and columns, in their display order.
    counts : dict
        ``(priority.pk, group.pk) → number of actions``; only non-zero cells are kept.
    """

    priorities: list[Priority]
    groups: list[PopulationGroup]
    counts: dict[tuple[int, int], int] = field(default_factory=dict)

    def count(self, priority: Priority, group: PopulationGroup) -> int:
        """Actions serving ``group`` under ``priority`` (0 when nobody is acting there)."""
        return self.counts.get((priority.pk, group.pk), 0)

    @property
    def empty(self) -> list[tuple[Priority, PopulationGroup]]:
        """The cells where nobody is acting, row by row."""
        return [
            (priority, group)
            for priority in self.priorities
            for group in self.groups
            if (priority.pk, group.pk) not in self.counts
        ]

    def rows(self) -> list[CoverageRow]:
        """Each priority with its counts in group order (what a template iterates)."""
        out = []
        for priority in self.priorities:
            counts = [self.count(priority, group) for group in self.groups]
            cells = [Cell(group, n) for group, n in zip(self.groups, counts, strict=True)]
            out.append(CoverageRow(priority, counts, cells))
        return out


def _live(actions: Iterable[Action] | QuerySet[Action] | None) -> QuerySet[Action]:
    """The actions to count, as a queryset usable as a subquery, stopped ones left out."""
    if actions is None:
        chosen = Action.objects.all()
    elif isinstance(actions, QuerySet):
        chosen = actions
    else:
        chosen = Action.objects.filter(pk__in=[a.pk for a in actions])
    return chosen.exclude(status=Status.STOPPED)


def incidence(
    pairs: Iterable[tuple[int, int]], rows: dict[int, int], columns: dict[int, int]
) -> np.ndarray:
    """A 0/1 matrix with a 1 at (rows[a], columns[b]) for each link ``(a, b)``.

    Links to rows or columns not listed are ignored.

    Examples
    --------
    >>> incidence([(10, 7), (11, 8), (11, 7)], {10: 0, 11: 1}, {7: 0, 8: 1}).tolist()
    [[1, 0], [1, 1]]
    """
    kept = [(rows[a], columns[b]) for a, b in pairs if a in rows and b in columns]
    matrix = np.zeros((len(rows), len(columns)), dtype=np.int64)
    if kept:
        index = np.array(kept, dtype=np.int64)
        matrix[index[:, 0], index[:, 1]] = 1
    return matrix


def coverage(actions: Iterable[Action] | QuerySet[Action] | None = None) -> Coverage:
    """Count the actions in every (priority, population group) cell.

    Parameters
    ----------
    actions : queryset or iterable of Action, optional
        The actions to count (for example the plan filtered by organisation or
        locality); default: the whole plan. Stopped actions are never counted.

    Returns
    -------
    Coverage
        Every priority and group, the non-zero counts, and the empty cells.
    """
    priorities = list(Priority.objects.all())
    groups = list(PopulationGroup.objects.all())
    live = _live(actions)
    links = Action.priorities.through.objects.filter(action__in=live)
    priority_links = list(links.values_list("action_id", "priority_id"))
    group_links = list(
        Action.groups.through.objects.filter(action__in=live).values_list(
            "action_id", "populationgroup_id"
        )
    )
    ids = sorted({a for a, _ in priority_links} & {a for a, _ in group_links})
    row_of = {pk: i for i, pk in enumerate(ids)}
    by_priority = incidence(priority_links, row_of, {p.pk: i for i, p in enumerate(priorities)})
    by_group = incidence(group_links, row_of, {g.pk: i for i, g in enumerate(groups)})
    matrix = by_priority.T @ by_group  # priorities × groups
    counts = {
        (priorities[i].pk, groups[j].pk): int(matrix[i, j])
        for i, j in zip(*np.nonzero(matrix), strict=True)
    }
    return Coverage(priorities, groups, counts)
