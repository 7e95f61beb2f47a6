"""Breakdowns: which columns of the person-level records each one needs, how the engine
groups them into as few queries as possible, and the categories' labels and order.

The engine aggregates the records once per *query group* to a small table (the "cube",
one row per period and combination of the group's columns); every breakdown of the group
is then a sum over that cube (:func:`plan` chooses the groups).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.indicators.definition import AREA_BREAKDOWNS, Population

TOTAL = "total"
#: Breakdowns whose categories are ordered from most to least deprived (SII, RII, gap).
ORDERED: tuple[str, ...] = ("imd_decile", "imd_quintile")
UNKNOWN, UNKNOWN_ORDER = "Unknown", 99
#: ONS high-level ethnic groups, in ONS's order.
ETHNIC_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other")
#: Age bands of the ``age_band`` breakdown (start, last age or None); five-year and
#: life-table bands nest in them.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 4),
    (5, 14),
    (15, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 74),
    (75, 84),
    (85, None),
)

_COLUMN = {
    "imd_decile": "imd_decile",
    "imd_quintile": "imd_decile",
    "core20": "imd_decile",
    "lsoa": "lsoa_code",
    "msoa": "msoa_code",
    "lad": "lad_code",
    "practice": "practice_code",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "age_band": "age_group",
}


def column(part: str) -> str:
    """The cube column a breakdown part needs (PLUS flags are their own column)."""
    return _COLUMN.get(part, part)


@dataclass(frozen=True)
class Breakdown:
    """One breakdown: ``"total"``, ``"imd_decile"`` or a cross such as ``"sex*lsoa"``."""

    name: str
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, name: str) -> Breakdown:
        if name == TOTAL:
            return cls(TOTAL, ())
        return cls(name, tuple(p.strip() for p in name.split("*")))

    @property
    def area(self) -> str | None:
        return next((p for p in self.parts if p in AREA_BREAKDOWNS), None)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(p for p in self.parts if p not in AREA_BREAKDOWNS)

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(column(p) for p in self.parts)


def codes(breakdown: Breakdown) -> frozenset[str]:
    """Codes of the person table (:mod:`~healthgap.indicators.records`) a breakdown needs:
    ``l`` (LSOA), ``decile``, ``pr`` (practice), ``pp`` (sex, ethnic group, PLUS flags)."""
    out = set()
    for part in breakdown.parts:
        if part in ("lsoa", "msoa", "lad"):
            out.add("l")
        elif part == "practice":
            out.add("pr")
        elif part in ("imd_decile", "imd_quintile", "core20"):
            out.add("decile")
        elif part != "age_band":
            out.add("pp")
    return frozenset(out)


def _grain(breakdowns: Sequence[Breakdown]) -> tuple[str, ...]:
    grain = frozenset().union(*(codes(b) for b in breakdowns))
    if "l" in grain:
        grain -= {"decile"}  # the LSOA fixes the decile
    return tuple(sorted(grain))


@dataclass(frozen=True)
class Group:
    """Breakdowns summed from one cube: grouped by ``grain`` codes, with ages or not."""

    grain: tuple[str, ...]
    aged: bool
    breakdowns: tuple[Breakdown, ...]

    @property
    def columns(self) -> list[str]:
        """The breakdown columns the cube needs (see :func:`column`)."""
        return sorted({column(p) for b in self.breakdowns for p in b.parts})


def plan(names: Sequence[str], method: str) -> list[Group]:
    """The cubes of an indicator's breakdowns: few, and each small.

    A cube is counted by the codes its breakdowns need, so crossing every LSOA with every
    personal characteristic (and every age) is avoided: area breakdowns (LSOA, MSOA, local
    authority, practice) share one cube, breakdowns by personal characteristics and
    deprivation another, a cross of the two its own; ages (age bands; every breakdown of
    a standardised method) are a further dimension. The engine computes all the cubes of
    an indicator in one query.

    >>> for g in plan(["sex", "lsoa", "practice", "core20", "age_band"], "rate"):
    ...     print(g.grain, g.aged, [b.name for b in g.breakdowns])
    ('l', 'pr') False ['lsoa', 'practice']
    ('decile', 'pp') False ['total', 'sex', 'core20']
    () True ['age_band']
    """
    aged_everywhere = method in ("dsr", "isr", "life_expectancy")
    found: dict[tuple[str, bool], list[Breakdown]] = {}
    for name in names:
        b = Breakdown.parse(name)
        c = codes(b)
        aged = aged_everywhere or "age_band" in b.parts
        if c & {"l", "pr"} and "pp" not in c:
            kind = "area"
        elif c & {"decile", "pp"} and not c & {"l", "pr"}:
            kind = "person"
        elif not c:
            kind = "none"
        else:
            kind = "+".join(sorted(c))
        found.setdefault((kind, aged), []).append(b)
    total = Breakdown.parse(TOTAL)
    home = next((k for k in found if k[1] == aged_everywhere), None)
    if home is None:
        found[("none", aged_everywhere)] = [total]
    else:
        found[home].insert(0, total)
    ordered = sorted(
        found,
        key=lambda k: (
            k[1],
            ["area", "person", "none"].index(k[0]) if k[0] in ("area", "person", "none") else 3,
            k[0],
        ),
    )
    return [Group(_grain(found[k]), k[1], tuple(found[k])) for k in ordered]


@dataclass(frozen=True)
class Context:
    """What labelling needs: the place, the population and area names."""

    place_code: str
    place_name: str
    place_type: str
    sex: str  # "Persons", "Female" or "Male": the indicator's sex label
    population: Population
    area_names: Mapping[str, str]


def _decile_label(d: int, n: int) -> str:
    return f"{d} (most deprived)" if d == 1 else f"{d} (least deprived)" if d == n else str(d)


def age_band_label(start: int, population: Population) -> tuple[str, int]:
    """The ``age_band`` category holding a five-year or life-table band ``start``."""
    lo, hi = next((lo, hi) for lo, hi in reversed(AGE_BANDS) if lo <= start)
    lo = max(lo, population.min_age)
    if population.max_age is not None:
        hi = population.max_age if hi is None else min(hi, population.max_age)
    text = f"{lo}+" if hi is None else str(lo) if hi == lo else f"{lo}-{hi}"
    return text, lo


def _category(part: str, value: object, ctx: Context) -> tuple[str, int]:
    """Label and order of one distinct cube value (None/NaN is Unknown)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return UNKNOWN, UNKNOWN_ORDER
    if part == "imd_decile":
        return _decile_label(int(value), 10), int(value)  # type: ignore[call-overload]
    if part == "imd_quintile":
        q = (int(value) + 1) // 2  # type: ignore[call-overload]
        return _decile_label(q, 5), q
    if part == "core20":
        return ("Core20", 1) if int(value) <= 2 else ("Rest", 2)  # type: ignore[call-overload]
    if part == "sex":
        return {"F": ("Female", 1), "M": ("Male", 2)}.get(str(value), (str(value), 50))
    if part == "ethnicity":
        text = str(value)
        return text, ETHNIC_GROUPS.index(text) + 1 if text in ETHNIC_GROUPS else 50
    if part == "age_band":
        return age_band_label(int(value), ctx.population)  # type: ignore[call-overload]
    return ("Yes", 1) if bool(value) else ("No", 2)  # a PLUS flag


def _levels(cube: pd.DataFrame, part: str, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    """Per cube row a level code (-1: no area) and the levels' attributes."""
    codes, uniques = pd.factorize(cube[column(part)], use_na_sentinel=part in AREA_BREAKDOWNS)
    values = list(np.asarray(uniques, dtype=object))
    if part in AREA_BREAKDOWNS:
        table = pd.DataFrame({"area_code": [str(v) for v in values]})
        table["area_name"] = [ctx.area_names.get(c, c) for c in table["area_code"]]
        return codes, table
    pairs = [_category(part, v, ctx) for v in values]
    labels = pd.Series([p[0] for p in pairs], dtype=object)
    merged, label_uniques = pd.factorize(labels)  # e.g. deciles 1 and 2 → quintile 1
    table = pd.DataFrame({"label": np.asarray(label_uniques, dtype=object)})
    orders = pd.Series([p[1] for p in pairs]).groupby(merged).min()
    table["order"] = orders.to_numpy()
    return merged[codes], table


def stack(
    cube: pd.DataFrame,
    breakdowns: Sequence[Breakdown],
    ctx: Context,
    keys: Sequence[str],
    measures: Sequence[str],
) -> pd.DataFrame:
    """Every breakdown's categories, summed from the cube, stacked in one frame.

    ``keys`` are cube columns kept as they are (the period and, for standardised methods,
    the age group); ``measures`` are summed. Returns the keys, the measures and
    ``breakdown_type``, ``area_code``, ``area_name``, ``area_type``, ``parent_code``,
    ``category``, ``category_order`` and ``sex``.
    """
    key_codes = cube.groupby(list(keys), sort=True).ngroup().to_numpy()
    key_table = cube[list(keys)].drop_duplicates().sort_values(list(keys)).reset_index(drop=True)
    n_keys = len(key_table)
    values = cube[list(measures)].to_numpy(dtype="float64")
    found: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}
    columns: dict[str, list[np.ndarray]] = {}
    for breakdown in breakdowns:
        levels = []
        for part in breakdown.parts:
            if part not in found:
                found[part] = _levels(cube, part, ctx)
            levels.append((part, *found[part]))
        keep = np.ones(len(cube), dtype=bool)
        combined = np.zeros(len(cube), dtype="int64")
        for _, codes, table in levels:
            keep &= codes >= 0
            combined = combined * len(table) + codes
        combined = combined * n_keys + key_codes
        unique, inverse = np.unique(combined[keep], return_inverse=True)
        out = {k: key_table[k].to_numpy()[unique % n_keys] for k in keys}
        for i, name in enumerate(measures):
            out[name] = np.bincount(inverse, weights=values[keep, i], minlength=len(unique))
        rest, at = unique // n_keys, []
        for _, _, table in reversed(levels):
            at.append(rest % len(table))
            rest = rest // len(table)
        out |= _describe(len(unique), breakdown, levels, at[::-1], ctx)
        for name, array in out.items():
            columns.setdefault(name, []).append(array)
    order = ["breakdown_type", "area_code", "area_name", "area_type", "parent_code"]
    order += ["category", "category_order", "sex", *keys, *measures]
    frame = pd.DataFrame({name: np.concatenate(columns[name]) for name in order})
    frame["category_order"] = frame["category_order"].astype("Int64")
    return frame


def _describe(
    n: int,
    breakdown: Breakdown,
    levels: list[tuple[str, np.ndarray, pd.DataFrame]],
    at: list[np.ndarray],
    ctx: Context,
) -> dict[str, np.ndarray]:
    def constant(value: object) -> np.ndarray:
        return np.full(n, value, dtype=object)

    out = {
        "breakdown_type": constant(breakdown.name),
        "area_code": constant(ctx.place_code),
        "area_name": constant(ctx.place_name),
        "area_type": constant(ctx.place_type),
        "parent_code": constant(None),
        "sex": constant(ctx.sex),
    }
    labels: list[np.ndarray] = []
    order = np.zeros(n, dtype="float64")
    for (part, _, table), rows in zip(levels, at, strict=True):
        if part in AREA_BREAKDOWNS:
            out["area_code"] = table["area_code"].to_numpy(dtype=object)[rows]
            out["area_name"] = table["area_name"].to_numpy(dtype=object)[rows]
            out["area_type"], out["parent_code"] = constant(part), constant(ctx.place_code)
            continue
        label = table["label"].to_numpy(dtype=object)[rows]
        labels.append(label)
        order = order * 100 + table["order"].to_numpy(dtype="float64")[rows]
        if part == "sex":
            out["sex"] = label
    if labels:
        category = labels[0]
        for label in labels[1:]:
            category = category + " | " + label
        out["category"], out["category_order"] = category, order
    else:
        out["category"], out["category_order"] = constant(""), np.full(n, np.nan)
    return out
