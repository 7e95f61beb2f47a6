"""Simple (pairwise) measures: difference (D) and ratio (R) between two subgroups.

Which two subgroups HEAT compares depends on the dimension and the indicator:

===========================  ===========================  ===========================
dimension                    favourable indicator         adverse indicator
===========================  ===========================  ===========================
ordered                      most − least advantaged      least − most advantaged
non-ordered, no reference    highest − lowest             highest − lowest
non-ordered, reference       reference − lowest           highest − reference
===========================  ===========================  ===========================

(ratios likewise, ``/`` for ``−``), so a positive D and an R above 1 mean the
disadvantaged or worse-off subgroup is behind. This is healthequal 1.0.1's selection
(its ``d`` and ``r``), including the 1.0.1 fix that makes non-ordered comparisons
without a reference highest − lowest and highest / lowest for both kinds of indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._limits import normal_limits, ratio_limits
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation
from healthgap.methods.inequality._subgroups import at, pick


def pair(settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Column indices of subgroups 1 and 2 (``D = y1 − y2``) for every setting."""
    fav = settings.favourable
    if settings.ordered:
        most, least = pick(settings, "most"), pick(settings, "least")
        return np.where(fav, most, least), np.where(fav, least, most)
    high, low, ref = (
        pick(settings, "highest"),
        pick(settings, "lowest"),
        pick(settings, "reference"),
    )
    has_ref = ref >= 0
    first = np.where(has_ref & fav, ref, high)
    second = np.where(has_ref & ~fav, ref, low)
    return first, second


def _difference(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """D = y1 − y2 with SE √(se1² + se2²) and normal limits (Ahn et al. 2018)."""
    i1, i2 = pair(settings)
    y1, y2 = at(settings.y, i1), at(settings.y, i2)
    se = np.sqrt(at(settings.se, i1) ** 2 + at(settings.se, i2) ** 2)
    value = y1 - y2
    return Estimate(value, se, normal_limits(value, se, levels))


def _ratio(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    """R = y1 / y2; limits exp(ln R ± z·SE(ln R)), SE(ln R) = √(se1² + R²se2²) / (y2·R).

    ``se`` is the standard error of ln R, as healthequal reports it.
    """
    i1, i2 = pair(settings)
    y1, y2 = at(settings.y, i1), at(settings.y, i2)
    se1, se2 = at(settings.se, i1), at(settings.se, i2)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = y1 / y2
        log_se = np.sqrt(se1**2 + value**2 * se2**2) / np.abs(y2) / value
        positive = (y1 > 0) & (y2 > 0)
        log_se = np.where(positive, log_se, np.nan)
        log_r = np.log(np.where(positive, value, np.nan))
    return Estimate(value, log_se, ratio_limits(log_r, log_se, levels))


# HEAT computes D and R for any dimension with two or more subgroups.
_measure = partial(Measure, dimensions="any", min_subgroups=2, requires=frozenset())

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="d",
        name="Difference",
        kind="absolute",
        null=0.0,
        interpretation=(
            "Gap between two subgroups in the indicator's units; 0 means no inequality. "
            "Positive means the most disadvantaged (or worst-performing) subgroup is behind."
        ),
        compute=_difference,
    ),
    _measure(
        code="r",
        name="Ratio",
        kind="relative",
        null=1.0,
        interpretation=(
            "Ratio of two subgroups; 1 means no inequality. Above 1 means the most "
            "disadvantaged (or worst-performing) subgroup is behind."
        ),
        compute=_ratio,
    ),
)
