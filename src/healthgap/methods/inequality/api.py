"""The public entry point: WHO HEAT summary measures of inequality for many settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from healthgap.errors import InputError
from healthgap.methods import _frame
from healthgap.methods._confidence import Confidence, levels
from healthgap.methods.inequality._build import build_settings
from healthgap.methods.inequality._catalogue import catalogue
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Settings

# What a measure needs beyond the subgroup estimates (HEAT marks these in its tables):
# population sizes (for shares or ranks), a setting average (the population-weighted
# mean, or setting_average=), or a reference subgroup.
_NEEDS_POPULATION = frozenset(
    {"aci", "rci", "sii", "rii", "bgv", "bgsd", "cov", "idisw", "mdbw", "mdmw", "mdrw", "ti", "mld"}
)
_NEEDS_MEAN = frozenset({"paf", "par", "idisu", "mdmu"})
_NEEDS_REFERENCE = frozenset({"mdru", "mdrw"})
_SHOWN = 5


def inequality(
    df: pd.DataFrame,
    value: str,
    *,
    subgroup: str,
    se: str | None = None,
    population: str | None = None,
    by: _frame.By = None,
    order: str | None = None,
    favourable: bool | str = True,
    reference: Hashable | None = None,
    measures: str | Sequence[str] = "all",
    scale: float = 100,
    confidence: Confidence = 0.95,
    seed: int | None = None,
    setting_average: str | None = None,
) -> pd.DataFrame:
    """Summary measures of inequality between subgroups, as WHO's HEAT computes them.

    Each setting (a ``by`` group: e.g. one indicator in one area and year) holds one row
    per subgroup of a dimension of inequality (IMD deciles, ethnic groups…). All settings
    are computed together, vectorised.

    Measures (codes): difference ``d`` and ratio ``r``; population attributable fraction
    ``paf`` and risk ``par``; concentration indices ``aci``, ``rci``; slope and relative
    index of inequality ``sii``, ``rii``; between-group variance ``bgv`` and standard
    deviation ``bgsd``; coefficient of variation ``cov``; index of disparity ``idisu``,
    ``idisw``; mean differences from the best subgroup ``mdbu``, ``mdbw``, the mean
    ``mdmu``, ``mdmw`` and the reference subgroup ``mdru``, ``mdrw`` (``u`` unweighted,
    ``w`` population-weighted); Theil index ``ti``; mean log deviation ``mld``.

    HEAT's rules decide where a measure applies: ``aci`` … ``rii`` need an ordered
    dimension, ``bgv`` … ``mld`` a non-ordered one; all but ``d`` and ``r`` need more than
    two subgroups; weighted measures need ``population``; ``paf``, ``par``, ``mdmu`` and
    ``idisu`` need a setting average (from ``population`` or ``setting_average``); ``mdru``
    and ``mdrw`` need a reference subgroup. With ``measures="all"`` measures (or settings)
    where a measure does not apply are left out; naming such a measure raises.

    .. math::

        D = y_1 - y_2, \\qquad R = y_1 / y_2, \\qquad
        PAR = y_{ref} - \\mu, \\qquad PAF = 100\\,PAR / \\mu, \\qquad
        BGV = \\sum_j p_j (y_j - \\mu)^2

    Parameters
    ----------
    df : DataFrame
        One row per setting × subgroup; it is not modified.
    value : str
        Column of subgroup estimates (e.g. a percentage or a rate).
    subgroup : str
        Column of subgroup labels, unique within a setting.
    se : str, optional
        Column of the estimates' standard errors; without it there are no limits.
    population : str, optional
        Column of subgroup population sizes (weights, shares and the setting average μ).
    by : str or list of str, optional
        Columns identifying settings.
    order : str, optional
        Column ranking subgroups of an ordered dimension, 1 = most disadvantaged … k =
        most advantaged. None for a non-ordered dimension.
    favourable : bool or str
        True when higher values are better (e.g. vaccination coverage), False when they
        are worse (e.g. mortality); or a True/False column, constant within a setting.
    reference : label or str, optional
        Non-ordered dimensions only: a subgroup label present in every setting, or the
        name of a True/False column marking at most one subgroup per setting.
    measures : "all", str or list of str
        Measure codes to compute (see above).
    scale : float
        The indicator's scale: 100 for percentages, 1000 for rates per 1,000…
        Simulations keep percentages within [0, 100].
    confidence : float or list of float
        0.95, 0.998, or both.
    seed : int, optional
        Seed for the simulated confidence limits (one generator per call).
    setting_average : str, optional
        Column of the setting average μ (e.g. a national value), one value per setting,
        used when ``population`` is not given (as healthequal).

    Returns
    -------
    DataFrame
        One row per setting × measure, settings in first-seen order and measures in the
        order above: the ``by`` columns, ``measure`` (code), ``name``, ``value``, ``se``,
        the confidence limits and a plain-English ``interpretation``. ``se`` is missing
        where HEAT's limits are simulated; for ``r`` it is the standard error of ln R.

    Raises
    ------
    InputError
        Bad input (see :func:`build_settings`), unknown measure codes, or a named
        measure that cannot apply to the data.

    References
    ----------
    World Health Organization (2024), *Health Equity Assessment Toolkit (HEAT): technical
    notes*. Schlotheuber A, Hosseinpoor AR (2022), *Int J Environ Res Public Health*
    19:3697. WHO's R package ``healthequal`` 1.0.1. Walter SD (1978), *Int J Epidemiol*
    7:175–182. Ahn J et al. (2018), *JCO Clin Cancer Inform* 2:1–19; (2019) *PLoS One*
    14:e0219542.

    Examples
    --------
    >>> df = pd.DataFrame({"sex": ["F", "M"], "pct": [80.0, 64.0], "se": [2.0, 2.0]})
    >>> out = inequality(df, "pct", subgroup="sex", se="se", measures=["d", "r"])
    >>> out[["measure", "value", "lower_ci", "upper_ci"]].round(3)
      measure  value  lower_ci  upper_ci
    0       d  16.00    10.456    21.544
    1       r   1.25     1.156     1.352
    """
    ci_levels = levels(confidence)
    available = catalogue()
    explicit, chosen = _choose(measures, available)
    settings = build_settings(
        df,
        value,
        subgroup=subgroup,
        se=se,
        population=population,
        by=by,
        order=order,
        favourable=favourable,
        reference=reference,
        scale=scale,
        setting_average=setting_average,
    )
    rng = np.random.default_rng(seed)
    parts = []
    for rank, measure in enumerate(chosen):
        rows, reason = _applicable(measure, settings, population is not None)
        if explicit and not rows.all():
            raise InputError(reason)
        if not rows.any():
            continue
        subset = settings if rows.all() else _subset(settings, rows)
        estimate = measure.compute(subset, ci_levels, rng)
        part = pd.DataFrame(
            {
                "_setting": np.flatnonzero(rows),
                "_rank": rank,
                "measure": measure.code,
                "name": measure.name,
                "value": estimate.value,
                "se": estimate.se,
            }
        )
        for lv in ci_levels:
            low, high = estimate.limits.get(lv.level, (np.nan, np.nan))
            part[lv.lower] = low
            part[lv.upper] = high
        part["interpretation"] = measure.interpretation
        parts.append(part)
    return _assemble(settings, parts, [c for lv in ci_levels for c in (lv.lower, lv.upper)])


def _choose(measures: str | Sequence[str], available: dict[str, Measure]) -> tuple[bool, list]:
    """Whether measures were named, and the chosen ones in canonical order."""
    if isinstance(measures, str) and measures.lower() == "all":
        return False, list(available.values())
    names = [measures] if isinstance(measures, str) else list(measures)
    valid = ", ".join(available)
    if not names:
        raise InputError(f"measures must be 'all' or name at least one of {valid}")
    bad = [n for n in names if not isinstance(n, str) or n.lower() not in available]
    if bad:
        raise InputError(f"unknown measure(s) {', '.join(map(repr, bad))}; choose from {valid}")
    wanted = {n.lower() for n in names}
    return True, [m for code, m in available.items() if code in wanted]


def _applicable(
    measure: Measure, settings: Settings, has_population: bool
) -> tuple[np.ndarray, str]:
    """Settings the measure applies to under HEAT's rules, and why not where it does not."""
    code, none = measure.code, np.zeros(settings.n_settings, dtype=bool)
    if measure.dimensions == "ordered" and not settings.ordered:
        return none, f"{code!r} applies to ordered dimensions only (give order=)"
    if measure.dimensions == "non-ordered" and settings.ordered:
        return none, f"{code!r} applies to non-ordered dimensions only (order= was given)"
    if code in _NEEDS_POPULATION and not has_population:
        return none, f"{code!r} weights subgroups by population: give population="
    if code in _NEEDS_MEAN and np.isnan(settings.mean).all():
        return none, f"{code!r} needs the setting average: give population= or setting_average="
    rows = settings.n_subgroups >= measure.min_subgroups
    reason = f"{code!r} needs at least {measure.min_subgroups} subgroups per setting"
    if code in _NEEDS_REFERENCE:
        rows &= settings.reference.any(axis=1)
        reason = f"{code!r} needs a reference subgroup and {measure.min_subgroups}+ subgroups"
    return rows, f"{reason}; not so in {_describe(settings.keys, ~rows)}"


def _describe(keys: pd.DataFrame, rows: np.ndarray) -> str:
    """Name the settings flagged by ``rows`` by their ``by`` values."""
    if keys.shape[1] == 0:
        return "the data"
    chosen = keys[rows]
    shown = [
        ", ".join(f"{col}={val!r}" for col, val in zip(keys.columns, rec, strict=True))
        for rec in chosen.head(_SHOWN).itertuples(index=False)
    ]
    more = f" and {len(chosen) - _SHOWN} more" if len(chosen) > _SHOWN else ""
    return "setting(s) " + "; ".join(f"({s})" for s in shown) + more


def _subset(settings: Settings, rows: np.ndarray) -> Settings:
    """The settings flagged by ``rows``."""
    s = settings
    return dataclasses.replace(
        s,
        keys=s.keys[rows].reset_index(drop=True),
        **{
            name: getattr(s, name)[rows]
            for name in ("labels", "mask", "y", "se", "pop", "share", "order", "favourable")
        },
        reference=s.reference[rows],
        mean=s.mean[rows],
    )


def _assemble(settings: Settings, parts: list[pd.DataFrame], limits: list[str]) -> pd.DataFrame:
    """Stack the measures' rows setting by setting, with the ``by`` columns in front."""
    columns = ["measure", "name", "value", "se", *limits, "interpretation"]
    if not parts:
        empty = settings.keys.iloc[:0].reset_index(drop=True)
        return pd.concat([empty, pd.DataFrame(columns=columns)], axis=1)
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.sort_values(["_setting", "_rank"], kind="stable", ignore_index=True)
    keys = settings.keys.iloc[rows["_setting"].to_numpy()].reset_index(drop=True)
    return pd.concat([keys, rows[columns]], axis=1)
