"""Secondary suppression: hide more cells until no hidden small count can be worked out.

The attacker assumed here is the strongest simple one: they know every published cell
*exactly* (rounding is no defence when a published rate times a published denominator
gives the count back), they know every published total, and they know that a hidden
count is at least ``lo`` (1 when zeros are published, so a hidden cell is not zero; 0
otherwise). In a set of categories adding up to a published total, they then know the
sum :math:`\\Sigma_S` of the set's hidden cells :math:`S` exactly, and the most any one
hidden cell can be is :math:`\\Sigma_S - (|S| - 1)\\,lo`. A set is safe when

.. math::

    |S| = 0 \\quad\\text{or}\\quad
    \\bigl(|S| \\ge 2 \\text{ and } \\Sigma_S - (|S| - 1)\\,lo \\ge t + 1\\bigr),

so that no hidden cell can be pinned down or shown to be at most the threshold
:math:`t`. A set whose total is itself hidden needs at least one hidden category, or the
total could be added up from them. Unsafe sets hide their smallest published non-zero
category (which is above the threshold, so one is always enough for whole-number
counts); a set with nothing left to hide hides its total instead. Passes repeat over
every structure and variable, each pass vectorised over all sets at once, until nothing
changes.

With one structure (a table of breakdowns and their totals) that is enough: the sets
share at most their total, and the property tests in ``tests/unit/disclosure`` check
it against an attacker who combines them. Linked structures (margins, area hierarchy,
cross-breakdowns) chain equations, so there the attacker of :mod:`._audit` then bounds
every hidden cell through all of them; each small cell it can narrow gets one more
hidden cell in the equation that set its bound, and the whole repeats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.disclosure._audit import Bounds, binding, bounds, exposed, relations
from healthgap.disclosure._layout import Structure


@dataclass
class Variable:
    """One additive quantity (counts or denominators) of the cells, and its hidden cells."""

    values: np.ndarray  # per cell; NaN when unknown
    hidden: np.ndarray  # per cell, updated in place


def secondary(
    count: Variable,
    denominator: Variable | None,
    structures: tuple[Structure, ...],
    threshold: int,
    lo: int,
) -> None:
    """Extend ``count.hidden`` (and ``denominator.hidden``) in place until every set is safe.

    A cell whose denominator is hidden has its count hidden too. After the per-set
    rules, the attacker of :mod:`._audit` bounds every hidden cell through all the
    structures together; each set holding a small cell it can bound hides one more
    category, and the whole repeats until the attacker learns nothing.
    """
    variables = [count] if denominator is None else [denominator, count]
    member_values = {
        (id(v), i): np.nan_to_num(v.values[s.members], nan=-1.0)
        for v in variables
        for i, s in enumerate(structures)
    }
    small = {id(v): (v.values >= lo) & (v.values <= threshold) for v in variables}
    set_relations = {id(v): [relations(s, v.values) for s in structures] for v in variables}
    while True:
        _per_set_rules(count, denominator, variables, structures, member_values, threshold, lo)
        if len(structures) < 2:
            return  # one structure: the per-set rules are enough (tests/unit/disclosure)
        repaired = False
        for variable in variables:
            if not variable.hidden.any():
                continue
            found = bounds(
                structures, set_relations[id(variable)], variable.values, variable.hidden, lo
            )
            bad = exposed(found, variable.values, variable.hidden, small[id(variable)], threshold)
            if bad.any():
                values = [member_values[id(variable), i] for i in range(len(structures))]
                repaired |= _repair(variable, values, found, bad, threshold, lo)
        if not repaired:
            return


def _repair(
    variable: Variable,
    member_values: list[np.ndarray],
    found: Bounds,
    bad: np.ndarray,
    threshold: int,
    lo: int,
) -> bool:
    """Raise the upper bound of each ``bad`` cell above the threshold.

    Every equation that keeps it lower hides its smallest published members until the
    bound is high enough (or, with none left, its total if published). An equation with
    nothing published left is only as tight as the bound of one of its hidden cells:
    that cell gets a target of its own, and the search moves out to it.
    """
    target = np.where(bad, float(threshold + 1), np.nan)
    visited = bad.copy()
    while not np.isnan(target).all():
        added = False
        further = np.full(len(target), np.nan)
        for i, structure in enumerate(found.structures):
            member_short, total_short = binding(structure, i, found, target)
            # Hiding members loosens x_i <= total - others, but not x_i <= total (sets
            # of overlapping categories): there only the total can move.
            over = (member_short > 0) & found.overlap[i]
            need = ((member_short > 0) & ~over) | (total_short > 0)
            x = member_values[i][found.kept[i]]
            add, helped = _smallest(structure, variable, x, need, member_short, lo)
            has = structure.totals >= 0
            known = has & np.isfinite(variable.values[np.maximum(structure.totals, 0)])
            shown = known & ~variable.hidden[np.maximum(structure.totals, 0)]
            add = np.concatenate([add, structure.totals[over & shown]])
            if len(add):
                variable.hidden[add] = True
                added = True
            # Nothing published left: loosen the hidden total, or the hidden members.
            stuck = ((member_short > 0) & ~helped | over) & has & ~shown
            totals = structure.totals[stuck]
            np.fmax.at(further, totals, found.upper[totals] + member_short[stuck])
            stuck = ((total_short > 0) & ~helped)[structure.sets]
            members = structure.members[stuck]
            lift = total_short[structure.sets[stuck]]
            np.fmax.at(further, members, found.upper[members] + lift)
        if added:
            return True
        further[~variable.hidden | visited | ~np.isfinite(further)] = np.nan
        visited |= ~np.isnan(further)
        target = further
    return False


def _per_set_rules(
    count: Variable,
    denominator: Variable | None,
    variables: list[Variable],
    structures: tuple[Structure, ...],
    member_values: dict[tuple[int, int], np.ndarray],
    threshold: int,
    lo: int,
) -> None:
    """Apply the per-set rules to every set, vectorised, until nothing changes."""
    version = dict.fromkeys(map(id, variables), 0)  # bumped whenever a variable changes
    checked: dict[tuple[int, int], int] = {}
    changed = True
    while changed:
        changed = False
        for variable in variables:
            for i, structure in enumerate(structures):
                key = (id(variable), i)
                if checked.get(key) == version[id(variable)]:
                    continue  # nothing hidden since this structure was last made safe
                add = _step(structure, variable, member_values[key], threshold, lo)
                if len(add):
                    variable.hidden[add] = True
                    version[id(variable)] += 1
                    changed = True
                else:
                    checked[key] = version[id(variable)]
        if denominator is not None and (denominator.hidden & ~count.hidden).any():
            count.hidden |= denominator.hidden
            version[id(count)] += 1
            changed = True


def _step(
    structure: Structure, variable: Variable, x: np.ndarray, threshold: int, lo: int
) -> np.ndarray:
    """Cells to hide so that each set of ``structure`` becomes (closer to) safe.

    ``x`` holds the members' values, -1 where unknown.
    """
    sets, totals, n_sets = structure.sets, structure.totals, structure.n_sets
    hidden = variable.hidden[structure.members]
    k = np.bincount(sets, weights=hidden, minlength=n_sets)
    hidden_sum = np.bincount(sets, np.where(hidden, np.maximum(x, 0.0), 0.0), n_sets)
    has_total = totals >= 0
    safe_totals = np.where(has_total, totals, 0)
    known = has_total & ~np.isnan(variable.values[safe_totals])
    total_hidden = known & variable.hidden[safe_totals]
    published = known & ~total_hidden
    exposed = (k >= 1) & ((k < 2) | (hidden_sum - (k - 1) * lo < threshold + 1))
    need = (published & exposed) | (total_hidden & (k == 0))
    if not need.any():
        return np.empty(0, dtype=np.int64)
    return _smallest(structure, variable, x, need)[0]


def _smallest(
    structure: Structure,
    variable: Variable,
    x: np.ndarray,
    need: np.ndarray,
    short: np.ndarray | None = None,
    lo: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """For each set in ``need``: its smallest published non-zero members, enough of them
    that hiding them frees ``short`` (each frees its value less ``lo``; one if ``short``
    is None) — or, if it has none, its total if that is published. Also: which sets got
    something to hide."""
    members, sets, totals, n_sets = (
        structure.members,
        structure.sets,
        structure.totals,
        structure.n_sets,
    )
    hidden = variable.hidden[members]
    positions = np.flatnonzero(~hidden & (x > 0) & need[sets])
    positions = positions[np.lexsort((x[positions], sets[positions]))]
    candidate_sets = sets[positions]
    freed = x[positions] - lo
    before = np.cumsum(freed) - freed  # freed by the set's smaller candidates, plus
    starts = np.ones(len(positions), dtype=bool)
    starts[1:] = candidate_sets[1:] != candidate_sets[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(positions)), 0))
    before -= before[first]  # ... minus those of earlier sets
    enough = 0.0 if short is None else short[candidate_sets]
    take = starts | (before < enough)
    helped = np.zeros(n_sets, dtype=bool)
    helped[candidate_sets[take]] = True
    safe_totals = np.maximum(totals, 0)
    published = (totals >= 0) & ~np.isnan(variable.values[safe_totals])
    published &= ~variable.hidden[safe_totals]
    stuck = need & published & ~helped
    cells = np.concatenate([members[positions[take]], totals[stuck]])
    return cells, helped | stuck
