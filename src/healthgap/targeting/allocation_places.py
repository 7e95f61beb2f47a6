"""``allocation_for``: a budget shared across a workspace's areas (``healthgap allocate``).

Areas and their people come from the shipped Census 2021 LSOA table (LSOAs, MSOAs,
localities) or from persons.parquet (GP practices); need from the IMD 2025 score, an
indicator in the warehouse, or a weighted combination. See docs/targeting.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.disclosure import DisclosureRules, protect, render
from healthgap.errors import InputError
from healthgap.targeting._areas import LEVELS, areas
from healthgap.targeting._need_data import Need, imd_need, indicator_need, parse_spec
from healthgap.targeting._persons import records_end
from healthgap.targeting.allocation import allocate, allocation_gradient
from healthgap.targeting.need import COMBINE, Combine, need_index
from healthgap.workspace import Workspace, load_workspace

#: Columns of :attr:`Allocation.areas`, in order (``imd_decile`` for LSOAs only).
COLUMNS: tuple[str, ...] = (
    "area_code",
    "area_name",
    "population",
    "imd_score",
    "imd_decile",
    "need",
    "relative_need",
    "allocation",
    "per_head",
    "equal_per_head",
    "need_only",
)
_SMALL_NEED = "need not shown: small numbers"


@dataclass(frozen=True)
class Allocation:
    """A budget shared across a place's areas (see :func:`allocation_for`).

    Attributes
    ----------
    areas : DataFrame
        One row per area, most money per head first: :data:`COLUMNS`.
    gradient : DataFrame
        Pounds per head by national IMD 2025 decile: ``imd_decile``, ``population``,
        ``allocation``, ``equal_per_head``, ``need_only``.
    level, need : str
        The level and the need specification asked for.
    budget : int
    floor, steepness : float
    population_source : str
        Where the populations came from.
    from_persons : bool
        Populations counted from person-level records (rounded on export).
    needs : tuple of str
        How each component of need was made (measure, period, level).
    notes : tuple of str
        Caveats, e.g. areas without a value given the average need.
    need_counts : DataFrame or None
        Per area the smallest indicator count and denominator behind its need (for
        disclosure control of the exported need); None for IMD-only need.
    synthetic : bool
        The workspace's data are synthetic.
    """

    areas: pd.DataFrame
    gradient: pd.DataFrame
    level: str
    need: str
    budget: int
    floor: float
    steepness: float
    population_source: str
    from_persons: bool
    needs: tuple[str, ...]
    notes: tuple[str, ...]
    need_counts: pd.DataFrame | None
    synthetic: bool

    def table(self, rules: DisclosureRules | None = None) -> pd.DataFrame:
        """The areas table ready to publish: populations counted from person-level data
        rounded (and small ones suppressed with their amount per head), and need hidden
        where an indicator count behind it is small. Amounts of money are not counts and
        are published as they are. Suppressed cells show ``"*"``."""
        rules = rules if rules is not None else DisclosureRules()
        out = self.areas.round({"need": 3, "relative_need": 4})
        out["note"] = "SYNTHETIC" if self.synthetic else ""
        if self.need_counts is not None:
            counts = self.need_counts.set_index("area_code").reindex(out["area_code"])
            out["__count"] = counts["count"].to_numpy()
            out["__denominator"] = counts["denominator"].to_numpy()
            out = _protected(out, rules, "__count", "__denominator", ("need", "relative_need"))
            hidden = out.pop("suppressed").to_numpy(dtype=bool)
            out["note"] = _add_note(out["note"], hidden, _SMALL_NEED)
            out = out.drop(columns=["__count", "__denominator", "value_note"])
        if self.from_persons:
            out = _protected(out, rules, "population", None, ("per_head",))
            out["note"] = _add_note(
                out["note"],
                out.pop("suppressed").to_numpy(dtype=bool),
                "population suppressed: small numbers",
            )
            out = out.drop(columns=["value_note"])
        return out

    def gradient_table(self, rules: DisclosureRules | None = None) -> pd.DataFrame:
        """The gradient ready to publish (populations from person-level data rounded)."""
        out = self.gradient.round({"allocation": 2, "equal_per_head": 2, "need_only": 2})
        if self.from_persons:
            rules = rules if rules is not None else DisclosureRules()
            out = _protected(out, rules, "population", None, ()).drop(
                columns=["suppressed", "value_note"]
            )
        return out


def allocation_for(
    workspace: Workspace | str | Path,
    budget: float,
    *,
    level: str = "lsoa",
    need: str = "imd",
    floor: float = 0.5,
    steepness: float = 1.0,
    combine: Combine = "ratio",
    localities: str | Path | None = None,
    period: str | None = None,
    on: date | None = None,
) -> Allocation:
    """Share ``budget`` across the workspace's areas by proportionate universalism.

    Parameters
    ----------
    workspace : Workspace or path
    budget : float
        Whole pounds.
    level : {"lsoa", "msoa", "locality", "practice"}
        LSOAs, MSOAs and localities use Census 2021 usual residents. Localities are the
        groups of a ``localities`` CSV (columns ``lsoa_code`` or ``msoa_code``, and
        ``locality``), or without one the workspace's local authorities. Practices use
        the people of persons.parquet registered on ``on``.
    need : str
        ``"imd"`` (IMD 2025 score; population-weighted above LSOA level), an indicator
        id in the warehouse, or weighted components ``"imd:0.5,ID:0.5"``.
    floor, steepness : float
        As in :func:`~healthgap.targeting.allocation.allocate`.
    combine : {"ratio", "z", "rank"}
        How :func:`~healthgap.targeting.need.need_index` combines several components.
    localities : path, optional
    period : str, optional
        The indicators' period; default each indicator's latest.
    on : date, optional
        Day the practice populations are counted on; default the last event date.

    Returns
    -------
    Allocation

    Raises
    ------
    InputError
        An unknown level, need component or period, a bad localities file, no person
        data for practices, or bad budget, floor or steepness.

    References
    ----------
    Marmot M et al. (2010) *Fair Society, Healthy Lives*. NHS England (2024) *Technical
    guide to allocation formulae and pace of change*. MHCLG (2025) *English Indices of
    Deprivation 2025*; ONS, Census 2021.

    Examples
    --------
    >>> import tempfile
    >>> from healthgap.workspace import init_workspace
    >>> folder = init_workspace(tempfile.mkdtemp(), place="Luton").root
    >>> result = allocation_for(folder, 1_000_000, level="lsoa")
    >>> int(result.areas["allocation"].sum()), len(result.areas)
    (1000000, 125)
    >>> bool(result.gradient["allocation"].is_monotonic_decreasing)
    True
    """
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    if combine not in COMBINE:
        raise InputError(f"combine must be one of {', '.join(COMBINE)}, got {combine!r}")
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    weights = parse_spec(need)
    day = (
        on if on is not None else (records_end(ws.events) if level == "practice" else date.today())
    )
    found = areas(ws, level, localities=localities, on=day)
    table = found.table.copy()
    components: dict[str, Need] = {}
    for name in weights:  # a loop over the few components of need
        if name == "imd":
            components[name] = imd_need(found)
        else:
            components[name] = indicator_need(ws.warehouse(), name, found, period)
    for name, part in components.items():
        table[f"__{name}"] = part.values
    if len(components) == 1:
        table["need"] = next(iter(components.values())).values
    else:
        columns = {f"__{name}": w for name, w in weights.items()}
        table["need"] = need_index(table, columns, method=combine, population="population")
    out = allocate(
        table, budget, population="population", need="need", floor=floor, steepness=steepness
    )
    gradient = allocation_gradient(out, found.mix)
    out = out.reindex(columns=[c for c in COLUMNS if c in out.columns])
    out = out.sort_values(["per_head", "area_code"], ascending=[False, True], kind="stable")
    notes = [
        f"{p.filled} of {len(table)} areas have no value of {name}: given the average"
        for name, p in components.items()
        if p.filled
    ]
    if level == "locality" and localities is None:
        notes.append("no localities file: each local authority of the workspace is a locality")
    return Allocation(
        areas=out.reset_index(drop=True),
        gradient=gradient,
        level=level,
        need=need,
        budget=int(out["allocation"].sum()),
        floor=float(floor),
        steepness=float(steepness),
        population_source=found.source,
        from_persons=found.from_persons,
        needs=tuple(
            f"{name}: {p.description}" if len(components) > 1 else p.description
            for name, p in components.items()
        ),
        notes=tuple(notes),
        need_counts=_need_counts(table, components),
        synthetic=ws.synthetic,
    )


def _need_counts(table: pd.DataFrame, components: dict[str, Need]) -> pd.DataFrame | None:
    counted = [p for p in components.values() if p.count is not None]
    if not counted:
        return None
    count = np.fmin.reduce([p.count for p in counted if p.count is not None])
    den = np.fmin.reduce([p.denominator for p in counted if p.denominator is not None])
    return pd.DataFrame({"area_code": table["area_code"], "count": count, "denominator": den})


def _protected(
    df: pd.DataFrame,
    rules: DisclosureRules,
    count: str,
    denominator: str | None,
    values: tuple[str, ...],
) -> pd.DataFrame:
    """Primary suppression and rounding of one column (no totals are published here)."""
    name = denominator if denominator is not None else "__no_denominator"
    safe = protect(
        df,
        rules,
        count=count,
        denominator=name,
        values=values,
        total=None,
        margins=(),
        parent=None,
        derived=(),
    )
    shown = safe[count].dropna()
    if (shown == shown.round()).all():  # whole counts print as 310, not 310.0
        safe[count] = safe[count].astype("Int64")
    return render(safe, count=count, denominator=name, values=values)


def _add_note(notes: pd.Series, hidden: np.ndarray, text: str) -> pd.Series:
    joined = np.where(notes.astype(str) == "", text, notes.astype(str) + "; " + text)
    return pd.Series(np.where(hidden, joined, notes.astype(str)), index=notes.index, dtype=object)
