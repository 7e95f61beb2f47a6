"""Impact measures: population attributable risk (PAR) and fraction (PAF).

Both compare the setting average μ with a reference subgroup: the most advantaged
subgroup for ordered dimensions, and the best-performing subgroup (highest value for a
favourable indicator, lowest for an adverse one) for non-ordered dimensions. A
user-chosen reference subgroup is not used here, as in healthequal.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._limits import normal_limits
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation
from healthgap.methods.inequality._subgroups import at, pick


def reference_subgroup(settings: Settings) -> np.ndarray:
    """Column index of PAR's and PAF's reference subgroup in every setting."""
    if settings.ordered:
        return pick(settings, "most")
    return np.where(settings.favourable, pick(settings, "highest"), pick(settings, "lowest"))


def _gap(settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """``y_ref − μ`` floored at 0 in the direction of no further improvement, and the
    Walter (1978) standard error of the attributable fraction (on a 0–1 scale).

    The subgroup estimates are read as ``cases / population × scale``: the reference
    subgroup has ``c`` cases and ``d`` non-cases, the others ``a`` and ``b``.
    """
    s = settings
    ref = reference_subgroup(s)
    y_ref = at(s.y, ref)
    gap = y_ref - s.mean
    no_gain = np.where(s.favourable, gap < 0, gap > 0)
    gap = np.where(no_gain, 0.0, gap)

    pop_ref = at(s.pop, ref)
    total = np.where(s.mask, s.pop, 0.0).sum(axis=1)
    c = y_ref / s.scale * pop_ref
    d = pop_ref - c
    a = s.mean / s.scale * total - c
    b = total - a - pop_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = c * total * (a * d * (total - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3)
        se_fraction = np.sqrt(np.where(variance >= 0, variance, np.nan))
    return gap, se_fraction


def _par(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """PAR = y_ref − μ (0 if negative for favourable, positive for adverse indicators).

    SE = μ × Walter's SE of the attributable fraction; normal limits, as healthequal.
    """
    gap, se_fraction = _gap(settings)
    se = np.abs(settings.mean) * se_fraction
    return Estimate(gap, se, normal_limits(gap, se, levels))


def _paf(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """PAF = PAR / μ × 100, with SE = 100 × Walter's SE of the fraction; normal limits."""
    gap, se_fraction = _gap(settings)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = gap / settings.mean * 100
    se = 100 * se_fraction
    return Estimate(value, se, normal_limits(value, se, levels))


_IMPACT = (
    "0 means no gain is possible (every subgroup at or beyond the reference, best-off "
    "subgroup); further from 0 means more inequality. Positive for favourable, negative for "
    "adverse indicators."
)

# PAF and PAR: any dimension, more than two subgroups, and the setting average.
_measure = partial(
    Measure, dimensions="any", min_subgroups=3, null=0.0, requires=frozenset({"setting_average"})
)

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="paf",
        name="Population attributable fraction",
        kind="relative",
        interpretation=(
            "Improvement in the setting average, as a percentage of it, if every subgroup "
            "reached the reference subgroup's level. " + _IMPACT
        ),
        compute=_paf,
    ),
    _measure(
        code="par",
        name="Population attributable risk",
        kind="absolute",
        interpretation=(
            "Improvement in the setting average, in the indicator's units, if every "
            "subgroup reached the reference subgroup's level. " + _IMPACT
        ),
        compute=_par,
    ),
)
