"""The public entry point: WHO HEAT summary measures of inequality for many settings."""

from __future__ import annotations

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
from healthgap.methods.inequality._simulation import Simulation

_SHOWN = 5  # settings named in an error message


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
        Column of the estimates' standard errors. Without it only PAF, PAR, ACI, RCI, SII
        and RII, whose standard errors come from the populations or a regression, get
        limits.
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
        Seed for the simulated confidence limits. The datasets are simulated once per
        call and shared by every simulated measure, so a measure's limits do not depend
        on which other measures are asked for.
    setting_average : str, optional
        Column of the setting average μ (e.g. a national value), one value per setting,
        used when ``population`` is not given (as healthequal).

    Returns
    -------
    DataFrame
        One row per setting × measure, settings in first-seen order and measures in the
        order above: the ``by`` columns, ``measure`` (code), ``name``, ``value``, ``se``,
        the confidence limits and a plain-English ``interpretation``. ``se`` is missing
        where HEAT's limits are simulated; for ``r`` and ``rii`` it is the standard error
        of the logarithm.

    Raises
    ------
    InputError
        Bad input (see :func:`build_settings`), unknown measure codes, or a named
        measure that cannot apply to the data.

    Notes
    -----
    Scales are HEAT's: PAF, COV, IDIS and RCI are in per cent (×100), TI and MLD ×1000,
    the absolute measures in the indicator's units. Confidence limits follow the
    technical notes: analytic (normal, or log-normal for ratios) for D, R, PAF, PAR, ACI,
    RCI, SII, RII, BGV, TI and MLD; simulated for BGSD, COV, the mean differences and the
    indices of disparity, from 100 datasets in which every subgroup estimate is drawn
    from a normal distribution with its standard error, truncated to [0, 100] for
    percentages (``scale=100``) and to [0, ∞) otherwise, the limits being the
    percentiles of the recomputed measure. Limits built from subgroup standard errors
    need every subgroup's; PAF and PAR take theirs from the populations (Walter 1978),
    ACI, RCI, SII and RII from the regression across subgroups.

    References
    ----------
    World Health Organization (2024), *Health Equity Assessment Toolkit (HEAT): technical
    notes* (summary measures of health inequality), Geneva: WHO,
    https://www.who.int/data/inequality-monitor/assessment_toolkit.
    Hosseinpoor AR, Schlotheuber A, Nambiar D, Ross Z (2018), Health Equity Assessment
    Toolkit Plus (HEAT Plus), *Glob Health Action* 11(sup1):1440783.
    Schlotheuber A, Hosseinpoor AR (2022), Summary measures of health inequality: a
    review of existing measures and their application, *Int J Environ Res Public Health*
    19:3697.
    WHO, ``healthequal``: Compute Summary Measures of Health Inequality, R package 1.0.1,
    https://github.com/WHOequity/healthequal (the reference implementation these
    results are tested against).
    Walter SD (1978), *Int J Epidemiol* 7:175–182 (PAF). Ahn J et al. (2018), *JCO Clin
    Cancer Inform* 2:1–19 (analytic standard errors); Ahn J et al. (2019), *PLoS One*
    14:e0219542 (simulated limits).

    Examples
    --------
    >>> df = pd.DataFrame({"sex": ["F", "M"], "pct": [80.0, 64.0], "se": [2.0, 2.0]})
    >>> out = inequality(df, "pct", subgroup="sex", se="se", measures=["d", "r"])
    >>> out[["measure", "value", "lower_ci", "upper_ci"]].round(3)
      measure  value  lower_ci  upper_ci
    0       d  16.00    10.456    21.544
    1       r   1.25     1.156     1.352

    Coverage (%) by wealth quintile in two areas: every measure HEAT computes for an
    ordered dimension with more than two subgroups (area B shown):

    >>> q = pd.DataFrame({
    ...     "area": ["A"] * 5 + ["B"] * 5,
    ...     "quintile": [1, 2, 3, 4, 5] * 2,
    ...     "pct": [60.0, 65, 70, 75, 80, 70, 71, 72, 73, 74],
    ...     "se": 1.5,
    ...     "births": [1200, 1100, 1000, 900, 800] * 2,
    ... })
    >>> out = inequality(q, "pct", subgroup="quintile", se="se", population="births",
    ...                  by="area", order="quintile")
    >>> out.loc[out["area"] == "B", ["measure", "value", "lower_ci", "upper_ci"]].round(2)
       measure  value  lower_ci  upper_ci
    8        d   4.00     -0.16      8.16
    9        r   1.06      1.00      1.12
    10     paf   3.06     -0.84      6.96
    11     par   2.20     -0.60      5.00
    12     aci   0.79      0.74      0.84
    13     rci   1.10      1.03      1.17
    14     sii   4.91      4.48      5.33
    15     rii   1.07      1.06      1.08
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
    simulation = Simulation(settings, seed)
    limit_columns = [name for lv in ci_levels for name in (lv.lower, lv.upper)]
    found: list[tuple[int, np.ndarray, dict[str, np.ndarray]]] = []
    for rank, measure in enumerate(chosen):
        rows = _applicable(measure, settings, population is not None, explicit)
        if not rows.any():
            continue
        sim = simulation if rows.all() else simulation.select(rows)
        estimate = measure.compute(sim.settings, ci_levels, sim)
        columns = {"value": estimate.value, "se": estimate.se}
        for lv in ci_levels:
            low, high = estimate.limits.get(lv.level, (np.nan, np.nan))
            columns[lv.lower], columns[lv.upper] = low, high
        found.append((rank, np.flatnonzero(rows), columns))
    return _assemble(settings, chosen, found, limit_columns)


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
    measure: Measure, settings: Settings, has_population: bool, explicit: bool
) -> np.ndarray:
    """The settings the measure applies to under HEAT's rules.

    A measure that was named (``explicit``) must apply to every setting: else this raises
    InputError saying why not.
    """
    code, needs = measure.code, measure.requires
    reason = None
    if measure.dimensions == "ordered" and not settings.ordered:
        reason = f"{code!r} applies to ordered dimensions only (give order=)"
    elif measure.dimensions == "non-ordered" and settings.ordered:
        reason = f"{code!r} applies to non-ordered dimensions only (order= was given)"
    elif "population" in needs and not has_population:
        reason = f"{code!r} weights subgroups by population: give population="
    elif "setting_average" in needs and np.isnan(settings.mean).all():
        reason = f"{code!r} needs the setting average: give population= or setting_average="
    if reason is not None:
        if explicit:
            raise InputError(reason)
        return np.zeros(settings.n_settings, dtype=bool)
    rows = settings.n_subgroups >= measure.min_subgroups
    reason = f"{code!r} needs at least {measure.min_subgroups} subgroups per setting"
    if "reference" in needs:
        rows &= settings.reference.any(axis=1)
        reason = f"{code!r} needs a reference subgroup and {measure.min_subgroups}+ subgroups"
    if explicit and not rows.all():
        raise InputError(f"{reason}; not so in {_describe(settings.keys, ~rows)}")
    return rows


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


def _assemble(
    settings: Settings,
    chosen: list[Measure],
    found: list[tuple[int, np.ndarray, dict[str, np.ndarray]]],
    limits: list[str],
) -> pd.DataFrame:
    """One row per setting × measure, setting by setting, with the ``by`` columns in front.

    ``found`` holds, for each measure computed, its position in ``chosen``, the settings
    it was computed for and its output columns (arrays over those settings).
    """
    numbers = ["value", "se", *limits]
    if not found:
        empty = settings.keys.iloc[:0].reset_index(drop=True)
        columns = ["measure", "name", *numbers, "interpretation"]
        return pd.concat([empty, pd.DataFrame(columns=columns)], axis=1)
    setting = np.concatenate([rows for _, rows, _ in found])
    which = np.concatenate([np.full(len(rows), rank) for rank, rows, _ in found])
    order = np.lexsort((which, setting))
    which = which[order]

    def text(attribute: str) -> pd.api.extensions.ExtensionArray:
        return pd.array([getattr(m, attribute) for m in chosen], dtype="str").take(which)

    table = {"measure": text("code"), "name": text("name")}
    for name in numbers:
        table[name] = np.concatenate(
            [np.broadcast_to(columns[name], len(rows)) for _, rows, columns in found]
        )[order]
    table["interpretation"] = text("interpretation")
    keys = settings.keys.iloc[setting[order]].reset_index(drop=True)
    return pd.concat([keys, pd.DataFrame(table)], axis=1)
