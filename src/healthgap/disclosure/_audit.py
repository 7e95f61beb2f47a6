"""The attacker: bounds on every hidden cell from all the additive structures together.

Each set of a structure is an equation, total = sum of members. Starting from what is
published (a published cell is known exactly; a hidden one is at least ``lo``; an
unknown one at least 0), the bounds of every cell are tightened equation by equation —

.. math::

    x_i \\le U_{total} - \\sum_{j \\ne i} L_j, \\qquad
    x_i \\ge L_{total} - \\sum_{j \\ne i} U_j, \\qquad
    \\sum_j L_j \\le x_{total} \\le \\sum_j U_j

— over all structures in turn until nothing changes (the "shuttle" algorithm of
Buzzigoli and Giusti, 1999). This finds what chains of equations across linked tables
reveal, e.g. a hidden Persons cell bounded by its breakdown, which in turn bounds a
hidden Male cell through Persons = Male + Female.
"""

from __future__ import annotations

import numpy as np

from healthgap.disclosure._layout import Structure

_MAX_ROUNDS = 50


def exposed(
    structures: tuple[Structure, ...],
    values: np.ndarray,
    hidden: np.ndarray,
    small: np.ndarray,
    threshold: int,
    lo: int,
) -> np.ndarray:
    """Hidden ``small`` cells the attacker can pin down or show to be at most ``threshold``."""
    known = ~np.isnan(values)
    lower = np.where(hidden, float(lo), np.where(known, values, 0.0))
    upper = np.where(hidden | ~known, np.inf, values)
    finite = values[known & np.isfinite(values)]
    whole = bool(np.all(finite == np.round(finite)))
    relations = [_relations(structure, values) for structure in structures]
    for _ in range(_MAX_ROUNDS):
        changed = False
        for structure, relation in zip(structures, relations, strict=True):
            changed |= _tighten(structure, relation, lower, upper, whole)
        if not changed:
            break
    if whole:
        pinned = upper - lower < 1.0 - 1e-9
    else:
        pinned = upper - lower < 1e-9
    return hidden & small & (pinned | (upper < threshold + 1))


def _relations(structure: Structure, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per set: do the members add up to the total (``exhaustive``), or do they add up to
    more (``overlap``: categories sharing people, or inconsistent data)?

    Judged on the true values; a set with an unknown value is taken to add up.
    """
    members, sets, totals, n = (
        structure.members,
        structure.sets,
        structure.totals,
        structure.n_sets,
    )
    x = values[members]
    unknown = np.bincount(sets, ~np.isfinite(x), n) > 0
    total = np.where(totals >= 0, values[np.maximum(totals, 0)], np.nan)
    unknown |= ~np.isfinite(total)
    sums = np.bincount(sets, np.where(np.isfinite(x), x, 0.0), n)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(total)))
    overlap = ~unknown & (sums > total + tolerance)
    exhaustive = unknown | (np.abs(sums - total) <= tolerance)
    return exhaustive, overlap


def _tighten(
    structure: Structure,
    relations: tuple[np.ndarray, np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    whole: bool,
) -> bool:
    """Tighten ``lower`` and ``upper`` in place with one structure's equations."""
    members, sets, totals, n = (
        structure.members,
        structure.sets,
        structure.totals,
        structure.n_sets,
    )
    has = totals >= 0
    t = np.where(has, totals, 0)
    low, up = lower[members], upper[members]
    finite = np.isfinite(up)
    sum_low = np.bincount(sets, low, n)
    sum_up = np.bincount(sets, np.where(finite, up, 0.0), n)
    n_infinite = np.bincount(sets, ~finite, n)
    exhaustive, overlap = relations
    exact = has & exhaustive
    total_low = np.where(has, lower[t], -np.inf)
    total_up = np.where(has, upper[t], np.inf)

    # x_i <= U_total - sum of the others' lower bounds: true whenever the members do not
    # overlap; x_i >= L_total - sum of the others' upper bounds: only if they add up.
    others_low = np.where(overlap[sets], 0.0, sum_low[sets] - low)
    others_unbounded = n_infinite[sets] - ~finite > 0
    others_up = np.where(others_unbounded, np.inf, sum_up[sets] - np.where(finite, up, 0.0))
    new_up = np.minimum(up, total_up[sets] - others_low)
    new_low = np.maximum(low, np.where(exact[sets], total_low[sets] - others_up, -np.inf))
    sum_up_all = np.where((n_infinite > 0) | ~exact, np.inf, sum_up)
    sum_low_all = np.where(overlap, 0.0, sum_low)
    if whole:
        new_up, new_low = np.floor(new_up + 1e-9), np.ceil(new_low - 1e-9)
        sum_up_all = np.floor(sum_up_all + 1e-9)
    changed = bool(np.any(new_up < up - 1e-9) or np.any(new_low > low + 1e-9))
    upper[members], lower[members] = new_up, new_low

    cells = t[has]
    before_up, before_low = upper[cells].copy(), lower[cells].copy()
    np.minimum.at(upper, cells, sum_up_all[has])
    np.maximum.at(lower, cells, sum_low_all[has])
    changed |= bool(np.any(upper[cells] < before_up - 1e-9))
    changed |= bool(np.any(lower[cells] > before_low + 1e-9))
    return changed
