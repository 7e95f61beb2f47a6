"""Which rows add up to which: a table's cells and the sets of cells that sum to a total.

A *cell* is one distinct key (rows repeating a key — e.g. a unitary authority listed under
two Fingertips area types — are one cell and share its fate). A *structure* is one way
cells add up: the categories of a breakdown to the breakdown's total row, Male and Female
to Persons, small areas to their parent area. Each structure is a list of sets of member
cells, each set with the cell that is its total (or none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.errors import InputError


@dataclass(frozen=True)
class Spec:
    """The columns that say how rows add up (see :func:`healthgap.disclosure.protect`)."""

    siblings: tuple[str, ...]
    total: tuple[str, object] | None
    category: str | None
    margins: tuple[tuple[str, object], ...]
    parent: tuple[str, str, str] | None
    cross: str | None = None


@dataclass(frozen=True)
class Structure:
    """Sets of member cells that add up to a total cell."""

    name: str
    members: np.ndarray  # cell numbers of the categories
    sets: np.ndarray  # the set number of each member
    totals: np.ndarray  # per set: the cell holding its total, or -1

    @property
    def n_sets(self) -> int:
        return len(self.totals)


@dataclass(frozen=True)
class Layout:
    cell_of_row: np.ndarray
    first_row: np.ndarray  # a representative row of each cell
    structures: tuple[Structure, ...]

    @property
    def n_cells(self) -> int:
        return len(self.first_row)


class _Column:
    """A column as integer codes of its distinct values (missing values get a code)."""

    def __init__(self, series: pd.Series) -> None:
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        self.codes = codes.astype(np.int64)
        self.uniques = pd.Index(uniques).astype(object)

    def flags(self, test: np.ndarray) -> np.ndarray:
        """Per row: ``test`` (one flag per distinct value) of the row's value."""
        return np.asarray(test, dtype=bool)[self.codes]

    def equals(self, value: object) -> np.ndarray:
        return self.flags(np.asarray(self.uniques == value))

    def split(self, separator: str) -> tuple[np.ndarray, np.ndarray]:
        """Per distinct value: its text before and after ``separator`` ("" if absent)."""
        parts = pd.Series(self.uniques, dtype=object).astype(str).str.split(separator, n=1)
        ok = parts.str.len().eq(2).to_numpy()
        first = np.where(ok, parts.str[0].to_numpy(dtype=object), "")
        second = np.where(ok, parts.str[-1].to_numpy(dtype=object), "")
        return first, second

    def lookup(self, texts: np.ndarray) -> np.ndarray:
        """The code of each text among this column's values (-1 if absent)."""
        return pd.Index(self.uniques).get_indexer(pd.Index(texts, dtype=object))


def layout(df: pd.DataFrame, spec: Spec) -> Layout:
    """Group ``df``'s rows into cells and find the structures among them (vectorised)."""
    n = len(df)
    category = spec.category if spec.category in df.columns else None
    total_col = spec.total[0] if spec.total and spec.total[0] in df.columns else None
    margins = [(c, v) for c, v in spec.margins if c in df.columns] if category else []
    keys = _unique(
        [c for c in spec.siblings if c in df.columns]
        + ([total_col] if total_col else [])
        + [c for c, _ in margins]
        + ([category] if category else [])
    )
    columns = {c: _Column(df[c]) for c in keys}
    if category:
        cell_of_row = _combine([columns[c].codes for c in keys], n)
    else:
        cell_of_row = np.arange(n, dtype=np.int64)
    first_row = _first(cell_of_row)
    at = {c: columns[c].codes[first_row] for c in keys}
    cells = np.arange(len(first_row))
    structures: list[Structure | None] = []
    if total_col is not None and spec.total is not None:
        column = columns[total_col]
        is_total = column.equals(spec.total[1])[first_row]
        members = cells[~is_total & column.flags(column.uniques.notna())[first_row]]
        structures.append(_breakdowns(df, spec, total_col, keys, at, first_row, members, is_total))
    for name, value in margins:
        column = columns[name]
        is_total = column.equals(value)[first_row]
        members = cells[~is_total & column.flags(column.uniques.notna())[first_row]]
        rest = [c for c in keys if c != name]
        structures.append(
            _structure(
                f"{name} margin",
                members,
                [at[c][members] for c in rest],
                [at[c][members] for c in rest],
                cells[is_total],
                [at[c][is_total] for c in rest],
            )
        )
    if category and spec.parent:
        structures.append(_hierarchy(df, spec.parent, keys, columns, first_row))
    if category and total_col and spec.cross:
        structures += _cross(spec.cross, total_col, category, keys, columns, first_row)
    return Layout(cell_of_row, first_row, tuple(s for s in structures if s is not None))


def _breakdowns(
    df: pd.DataFrame,
    spec: Spec,
    total_col: str,
    keys: list[str],
    at: dict[str, np.ndarray],
    first_row: np.ndarray,
    members: np.ndarray,
    is_total: np.ndarray,
) -> Structure | None:
    """The categories of each breakdown and the total row they add up to."""
    assert spec.total is not None
    set_cols = [c for c in keys if c != spec.category]
    match = [c for c in set_cols if c != total_col]
    tot_cells = np.flatnonzero(is_total)
    tot_key = _combine([at[c][tot_cells] for c in match], len(tot_cells))
    repeated = np.bincount(tot_key)[tot_key] > 1 if len(tot_cells) else tot_key.astype(bool)
    if repeated.any():
        raise InputError(
            f"several total rows ({total_col} == {spec.total[1]!r}) share one key of "
            f"{', '.join(map(repr, match)) or 'no columns'}; pass the columns that identify "
            "a breakdown as siblings=",
            column=total_col,
            rows=df.index[first_row[tot_cells[repeated]]],
        )
    return _structure(
        "breakdown",
        members,
        [at[c][members] for c in set_cols],
        [at[c][members] for c in match],
        tot_cells,
        [at[c][tot_cells] for c in match],
    )


def _hierarchy(
    df: pd.DataFrame,
    parent: tuple[str, str, str],
    keys: list[str],
    columns: dict[str, _Column],
    first_row: np.ndarray,
) -> Structure | None:
    """Areas (one set per area type) adding up to the area their parent column names."""
    code_col, parent_col, level_col = parent
    if code_col not in keys or parent_col not in df.columns:
        return None
    area = columns[code_col]
    parents = _Column(df[parent_col])
    # Each parent's code among the areas (-1: not an area of this table).
    up_of_value = pd.Index(area.uniques).get_indexer(parents.uniques)
    up_of_value[~np.asarray(parents.uniques.notna() & (parents.uniques != ""))] = -1
    own, up = area.codes[first_row], up_of_value[parents.codes[first_row]]
    members = np.flatnonzero((up >= 0) & (up != own))
    if len(members) == 0:
        return None
    parents_cells = np.flatnonzero(np.isin(own, up[members]))
    rest = [c for c in keys if c != code_col]
    at = {c: columns[c].codes[first_row] for c in rest}
    level = _Column(df[level_col]).codes[first_row] if level_col in df.columns else own * 0
    return _structure(
        "area hierarchy",
        members,
        [up[members], level[members], *(at[c][members] for c in rest)],
        [up[members], *(at[c][members] for c in rest)],
        parents_cells,
        [own[parents_cells], *(at[c][parents_cells] for c in rest)],
    )


def _cross(
    separator: str,
    total_col: str,
    category: str,
    keys: list[str],
    columns: dict[str, _Column],
    first_row: np.ndarray,
) -> list[Structure | None]:
    """Cross-breakdown cells adding up to the categories of each of their two breakdowns.

    A row of breakdown ``"a*b"`` and category ``"x*y"`` is one of the cells that add up
    to the row of breakdown ``"a"``, category ``"x"`` (over all ``y``), and to the row of
    breakdown ``"b"``, category ``"y"`` (over all ``x``).
    """
    kinds, labels = columns[total_col], columns[category]
    kind_parts, label_parts = kinds.split(separator), labels.split(separator)
    kind, label = kinds.codes[first_row], labels.codes[first_row]
    members = np.flatnonzero((kind_parts[0] != "")[kind] & (label_parts[0] != "")[label])
    if len(members) == 0:
        return []
    rest = [c for c in keys if c not in (total_col, category)]
    at = {c: columns[c].codes[first_row] for c in rest}
    plain = np.flatnonzero(~np.isin(np.arange(len(first_row)), members))
    structures = []
    for side in (0, 1):
        # The margin's breakdown and category as codes of the plain rows' values, plus 1
        # (0: no such row); the set is the margin's category text.
        margin_kind = kinds.lookup(kind_parts[side])[kind[members]] + 1
        margin_label = labels.lookup(label_parts[side])[label[members]] + 1
        label_text = pd.factorize(label_parts[side])[0][label[members]]
        structures.append(
            _structure(
                f"cross-breakdown margin {side + 1}",
                members,
                [kind[members], label_text, *(at[c][members] for c in rest)],
                [margin_kind, margin_label, *(at[c][members] for c in rest)],
                plain,
                [kind[plain] + 1, label[plain] + 1, *(at[c][plain] for c in rest)],
            )
        )
    return structures


def _structure(
    name: str,
    members: np.ndarray,
    set_parts: Sequence[np.ndarray],
    member_match: Sequence[np.ndarray],
    tot_cells: np.ndarray,
    tot_match: Sequence[np.ndarray],
) -> Structure | None:
    """Number the sets of ``members`` and find each set's total by matching keys."""
    if len(members) == 0:
        return None
    sets = _combine(set_parts, len(members))
    first = _first(sets)
    n_sets = len(first)
    joint = _combine(
        [np.concatenate([m[first], t]) for m, t in zip(member_match, tot_match, strict=True)],
        n_sets + len(tot_cells),
        dense=False,
    )
    set_key, tot_key = joint[:n_sets], joint[n_sets:]
    totals = np.full(n_sets, -1, dtype=np.int64)
    if len(tot_cells):
        unique, where = np.unique(tot_key, return_index=True)  # first total of each key
        pos = np.minimum(np.searchsorted(unique, set_key), len(unique) - 1)
        found = unique[pos] == set_key
        totals[found] = tot_cells[where[pos[found]]]
    return Structure(name, members, sets, totals)


def _combine(parts: Sequence[np.ndarray], n: int, *, dense: bool = True) -> np.ndarray:
    """Ids of the rows' combinations of codes in ``parts``: dense in first-seen order, or
    (``dense=False``) merely equal for equal combinations.

    Codes are combined in mixed radix while the product of the radices fits in 62 bits,
    and renumbered densely when it would not.
    """
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for part in parts:
        size = int(part.max()) + 1 if len(part) else 1
        if span * size >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1 if n else 1
        key = key * size + part
        span *= size
    return pd.factorize(key)[0].astype(np.int64) if dense and len(parts) else key


def _first(ids: np.ndarray) -> np.ndarray:
    """Position of the first occurrence of each id 0..max(ids)."""
    first = np.empty(int(ids.max()) + 1 if len(ids) else 0, dtype=np.int64)
    first[ids[::-1]] = np.arange(len(ids) - 1, -1, -1)
    return first


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
