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
hidden Male cell through Persons = Male + Female. Sets whose members add up to less
than the total (categories that miss some people) give only the first and the lower
half of the last inequality; sets whose members add up to more (overlapping
categories) give only :math:`x_i \\le U_{total}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgap.disclosure._layout import Structure

_MAX_ROUNDS = 50
_EPS = 1e-9


@dataclass(frozen=True)
class Bounds:
    """What the attacker can say about every cell, from the sets holding a hidden cell."""

    lower: np.ndarray
    upper: np.ndarray
    structures: list[Structure]  # each structure cut down to the sets with a hidden cell
    kept: list[np.ndarray]  # per structure: which of its members were kept
    exhaustive: list[np.ndarray]  # per kept set: members add up to the total
    overlap: list[np.ndarray]  # per kept set: members add up to more
    whole: bool  # all values are whole numbers


def relations(
    structure: Structure, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per set: ``exhaustive`` (members add up to the total), ``overlap`` (to more:
    categories sharing people) and ``unrelated`` (a member larger than the total, so
    not a breakdown of it at all: inconsistent data, no equation).

    Judged on the true values; a set with an unknown value is taken to add up.
    """
    sets, n = structure.sets, structure.n_sets
    x = values[structure.members]
    total = np.where(structure.totals >= 0, values[np.maximum(structure.totals, 0)], np.nan)
    unknown = (np.bincount(sets, ~np.isfinite(x), n) > 0) | ~np.isfinite(total)
    sums = np.bincount(sets, np.where(np.isfinite(x), x, 0.0), n)
    tolerance = _EPS * np.maximum(1.0, np.abs(np.nan_to_num(total)))
    largest = np.zeros(n)
    np.maximum.at(largest, sets, np.where(np.isfinite(x), x, 0.0))
    unrelated = ~unknown & (largest > total + tolerance)
    overlap = ~unknown & (sums > total + tolerance)
    exhaustive = unknown | (np.abs(sums - total) <= tolerance)
    return exhaustive, overlap | unrelated, unrelated


def bounds(
    structures: tuple[Structure, ...],
    set_relations: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    values: np.ndarray,
    hidden: np.ndarray,
    lo: int,
) -> Bounds:
    """Tighten every cell's bounds through all structures until nothing changes.

    Only sets holding a hidden cell can say anything new, so only they are used.
    """
    known = ~np.isnan(values)
    lower = np.where(hidden, float(lo), np.where(known, values, 0.0))
    upper = np.where(hidden | ~known, np.inf, values)
    finite = values[known & np.isfinite(values)]
    whole = bool(np.all(finite == np.round(finite)))
    cut, kept, exhaustive, overlap = [], [], [], []
    for structure, (all_exhaustive, all_overlap, unrelated) in zip(
        structures, set_relations, strict=True
    ):
        has = structure.totals >= 0
        active = np.bincount(structure.sets, hidden[structure.members], structure.n_sets) > 0
        active |= has & hidden[np.maximum(structure.totals, 0)]
        keep = active[structure.sets]
        number = np.cumsum(active) - 1
        cut.append(
            Structure(
                structure.name,
                structure.members[keep],
                number[structure.sets[keep]],
                np.where(unrelated, -1, structure.totals)[active],
            )
        )
        kept.append(keep)
        exhaustive.append(all_exhaustive[active])
        overlap.append(all_overlap[active])
    result = Bounds(lower, upper, cut, kept, exhaustive, overlap, whole)
    for _ in range(_MAX_ROUNDS):
        changed = False
        for i, structure in enumerate(cut):
            changed |= _tighten(structure, result, i)
        if not changed:
            break
    return result


def exposed(
    found: Bounds, values: np.ndarray, hidden: np.ndarray, small: np.ndarray, threshold: int
) -> np.ndarray:
    """Hidden ``small`` cells pinned to one value or shown to be at most ``threshold``.

    Bounds that miss the true value (an attacker misled by its assumptions, e.g. that a
    hidden count is not zero) reveal nothing and are not counted.
    """
    pinned = found.upper - found.lower < 1.0 - _EPS
    true = (found.lower <= values + _EPS) & (values <= found.upper + _EPS)
    return hidden & small & true & (pinned | (found.upper < threshold + 1 - _EPS))


def binding(
    structure: Structure, i: int, found: Bounds, target: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per set of ``structure``: how far its equation keeps a cell's upper bound below
    the cell's ``target`` (NaN: no target), as a member (``total - others``) and as the
    total (``sum of members``); 0 where it does not."""
    member_up, total_up = _upper_from(structure, found, i)
    if found.whole:
        member_up, total_up = np.floor(member_up + _EPS), np.floor(total_up + _EPS)
    want = target[structure.members]
    short = np.where(member_up < want - _EPS, want - member_up, 0.0)  # NaN target: 0
    member_short = np.zeros(structure.n_sets)
    np.maximum.at(member_short, structure.sets, short)
    has = structure.totals >= 0
    want_total = np.where(has, target[np.maximum(structure.totals, 0)], np.nan)
    total_short = np.where(total_up < want_total - _EPS, want_total - total_up, 0.0)
    return member_short, total_short


def _upper_from(structure: Structure, found: Bounds, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds the structure's equations give: per member, and per set's total."""
    return _equations(structure, found, i)[:2]


def _equations(
    structure: Structure, found: Bounds, i: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What each set's equation says: members' upper and lower bounds, and the total's.

    For a member, :math:`x_i \\le U_{total} - \\sum_{j \\ne i} L_j` whenever the
    members do not overlap, and :math:`x_i \\ge L_{total} - \\sum_{j \\ne i} U_j` only
    if they add up to the total.
    """
    members, sets, n = structure.members, structure.sets, structure.n_sets
    has = structure.totals >= 0
    t = np.maximum(structure.totals, 0)
    low, up = found.lower[members], found.upper[members]
    finite = np.isfinite(up)
    up0 = np.where(finite, up, 0.0)
    sum_low = np.bincount(sets, low, n)
    sum_up = np.bincount(sets, up0, n)
    n_unbounded = np.bincount(sets, ~finite, n)
    exact = has & found.exhaustive[i]
    overlap = found.overlap[i]
    total_up = np.where(has, found.upper[t], np.inf)
    member_up = (total_up - np.where(overlap, 0.0, sum_low))[sets]
    member_up += low
    if overlap.any():
        member_up[overlap[sets]] -= low[overlap[sets]]
    start = np.where(exact, found.lower[t], -np.inf) - sum_up
    member_low = np.where(n_unbounded[sets] > ~finite, -np.inf, start[sets] + up0)
    sum_up_all = np.where((n_unbounded > 0) | ~exact, np.inf, sum_up)
    sum_low_all = np.where(overlap, 0.0, sum_low)
    return member_up, sum_up_all, member_low, sum_low_all


def _tighten(structure: Structure, found: Bounds, i: int) -> bool:
    """Tighten the bounds in place with one structure's equations; True if any moved."""
    members = structure.members
    lower, upper = found.lower, found.upper
    member_up, sum_up_all, member_low, sum_low_all = _equations(structure, found, i)
    low, up = lower[members], upper[members]
    new_up, new_low = np.minimum(up, member_up), np.maximum(low, member_low)
    if found.whole:
        new_up, new_low = np.floor(new_up + _EPS), np.ceil(new_low - _EPS)
        sum_up_all = np.floor(sum_up_all + _EPS)
    changed = bool(np.any(new_up < up - _EPS) or np.any(new_low > low + _EPS))
    upper[members], lower[members] = new_up, new_low

    has = structure.totals >= 0
    cells = structure.totals[has]
    before_up, before_low = upper[cells].copy(), lower[cells].copy()
    np.minimum.at(upper, cells, sum_up_all[has])
    np.maximum.at(lower, cells, sum_low_all[has])
    changed |= bool(np.any(upper[cells] < before_up - _EPS))
    changed |= bool(np.any(lower[cells] > before_low + _EPS))
    return changed
