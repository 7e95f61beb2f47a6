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

Helpers shared by the other family modules (``normal_limits``, ``at``, ``pick``) live
here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._measure import Measure
from healthgap.methods.inequality._settings import Estimate, Settings


def at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[i, index[i]]`` for every setting ``i``."""
    return values[np.arange(values.shape[0]), index]


def pick(settings: Settings, which: str) -> np.ndarray:
    """Column index, per setting, of a subgroup chosen by HEAT's rules.

    ``which`` is ``"highest"`` or ``"lowest"`` estimate, ``"most"`` or ``"least"``
    advantaged (ordered dimensions: highest or lowest ``order``), or ``"reference"``
    (-1 where a setting has none). Ties go to the first subgroup.
    """
    s = settings
    if which == "highest":
        return np.where(s.mask, s.y, -np.inf).argmax(axis=1)
    if which == "lowest":
        return np.where(s.mask, s.y, np.inf).argmin(axis=1)
    if which == "most":
        return np.where(s.mask, s.order, -np.inf).argmax(axis=1)
    if which == "least":
        return np.where(s.mask, s.order, np.inf).argmin(axis=1)
    if which == "reference":
        return np.where(s.reference.any(axis=1), s.reference.argmax(axis=1), -1)
    raise ValueError(f"unknown subgroup choice {which!r}")


def normal_limits(
    value: np.ndarray, se: np.ndarray, levels: Sequence[Level]
) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Symmetric normal limits ``value ± z·se`` for each level."""
    return {lv.level: (value - lv.z * se, value + lv.z * se) for lv in levels}


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


def _difference(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
    """D = y1 − y2 with SE √(se1² + se2²) and normal limits (Ahn et al. 2018)."""
    i1, i2 = pair(settings)
    y1, y2 = at(settings.y, i1), at(settings.y, i2)
    se = np.sqrt(at(settings.se, i1) ** 2 + at(settings.se, i2) ** 2)
    value = y1 - y2
    return Estimate(value, se, normal_limits(value, se, levels))


def _ratio(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
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
        limits = {
            lv.level: (np.exp(log_r - lv.z * log_se), np.exp(log_r + lv.z * log_se))
            for lv in levels
        }
    return Estimate(value, log_se, limits)


MEASURES: tuple[Measure, ...] = (
    Measure(
        code="d",
        name="Difference",
        kind="absolute",
        dimensions="any",
        min_subgroups=2,
        null=0.0,
        interpretation=(
            "Gap between two subgroups in the indicator's units; 0 means no inequality. "
            "Positive means the most disadvantaged (or worst-performing) subgroup is behind."
        ),
        compute=_difference,
    ),
    Measure(
        code="r",
        name="Ratio",
        kind="relative",
        dimensions="any",
        min_subgroups=2,
        null=1.0,
        interpretation=(
            "Ratio of two subgroups; 1 means no inequality. Above 1 means the most "
            "disadvantaged (or worst-performing) subgroup is behind."
        ),
        compute=_ratio,
    ),
)
