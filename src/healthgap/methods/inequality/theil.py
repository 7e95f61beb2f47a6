"""WHO HEAT's disproportionality measures: Theil index (TI) and mean log deviation (MLD).

With population shares :math:`p_j`, estimates :math:`y_j` (a zero replaced by
:math:`10^{-6}`, as HEAT), the weighted mean :math:`\\mu = \\sum_j p_j y_j` and
:math:`r_j = y_j / \\mu`, HEAT reports both multiplied by 1000:

.. math::

    TI = 1000 \\sum_j p_j r_j \\ln r_j, \\qquad MLD = 1000 \\sum_j p_j (-\\ln r_j)

Standard errors are analytic, by the delta method with independent subgroup estimates
of standard errors :math:`se_j` (Ahn et al. 2018), on the same ×1000 scale:

.. math::

    SE_{TI} = 1000 \\sqrt{\\sum_j \\left(1 + \\ln r_j - \\sum_i p_i r_i (1 + \\ln r_i)\\right)^2
              \\frac{p_j^2 \\, se_j^2}{\\mu^2}}, \\qquad
    SE_{MLD} = 1000 \\sqrt{\\sum_j \\frac{p_j^2 \\, se_j^2}{\\mu^2}
               \\left(1 - \\frac{1}{r_j}\\right)^2}

and the limits are :math:`\\pm z \\, SE`. Both need subgroup populations; the limits need
every subgroup's standard error. HEAT's and healthequal's code add the unscaled standard
error to the ×1000 value (so their limits are a thousand times too narrow); here the
standard error is scaled with the value.

References
----------
Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G (2018), *JCO Clin Cancer Inform* 2:1–19.
Theil H (1967), *Economics and Information Theory*. Schlotheuber A, Hosseinpoor AR (2022),
*Int J Environ Res Public Health* 19:3697. The same as ``healthequal::ti`` /
``healthequal::mld`` and HEAT's ``calc_ti`` / ``calc_mld``.
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
from healthgap.methods.inequality._subgroups import complete

#: HEAT reports TI and MLD multiplied by 1000.
MULTIPLIER = 1000.0
_ZERO = 1e-6  # HEAT's stand-in for a zero estimate, whose logarithm is undefined


def theil(
    y: np.ndarray, share: np.ndarray, se: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """TI, its SE, MLD and its SE (all ×1000) for each row; padding has zero share.

    >>> y, p = np.array([[0.0, 0.0, 0.0, 10.0, 10.0, 10.0]]), np.full((1, 6), 1 / 6)
    >>> ti, _, mld, _ = theil(y, p, np.ones((1, 6)))
    >>> round(float(ti[0]), 1), round(float(mld[0]), 1)  # 1000 ln 2; 500 ln(2.5·10⁶)
    (693.1, 7365.9)
    """
    y = np.where(y == 0, _ZERO, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = (share * y).sum(axis=1)
        r = np.where(share > 0, y / mu[:, None], 1.0)
        log_r = np.log(r)
        ti = MULTIPLIER * (share * r * log_r).sum(axis=1)
        mld = MULTIPLIER * (share * -log_r).sum(axis=1)
        spread = (share * se / mu[:, None]) ** 2
        centre = (share * r * (1 + log_r)).sum(axis=1)
        ti_se = MULTIPLIER * np.sqrt((spread * (1 + log_r - centre[:, None]) ** 2).sum(axis=1))
        mld_se = MULTIPLIER * np.sqrt((spread * (1 - 1 / r) ** 2).sum(axis=1))
    return ti, ti_se, mld, mld_se


def _parts(settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mask = settings.mask
    usable = complete(settings, settings.y, settings.pop, settings.share)
    usable &= ~(mask & (settings.y < 0)).any(axis=1)
    share = np.where(mask & usable[:, None], settings.share, 0.0)
    usable &= share.sum(axis=1) > 0
    share = np.where(usable[:, None], share, 0.0)
    y = np.where(mask & usable[:, None], settings.y, 1.0)
    has_se = complete(settings, settings.se)
    se = np.where(mask & has_se[:, None], settings.se, 0.0)
    ti, ti_se, mld, mld_se = theil(y, share, se)
    blank = np.where(usable, 0.0, np.nan)
    se_blank = np.where(usable & has_se, 0.0, np.nan)
    return ti + blank, ti_se + se_blank, mld + blank, mld_se + se_blank


def _ti(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    ti, se, _, _ = _parts(settings)
    return Estimate(ti, se, normal_limits(ti, se, levels))


def _mld(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
    _, _, mld, se = _parts(settings)
    return Estimate(mld, se, normal_limits(mld, se, levels))


# Relative measures for non-ordered dimensions, more than two subgroups, population shares.
_measure = partial(
    Measure,
    kind="relative",
    dimensions="non-ordered",
    min_subgroups=3,
    null=0.0,
    requires=frozenset({"population"}),
)

MEASURES: tuple[Measure, ...] = (
    _measure(
        code="ti",
        name="Theil index",
        interpretation=(
            "0 means no inequality; larger values mean greater inequality (×1000). It "
            "compares each subgroup's share of the indicator with its share of the "
            "population, giving more weight to subgroups far above the average."
        ),
        compute=_ti,
    ),
    _measure(
        code="mld",
        name="Mean log deviation",
        interpretation=(
            "0 means no inequality; larger values mean greater inequality (×1000). It "
            "compares each subgroup's share of the indicator with its share of the "
            "population, giving more weight to subgroups far below the average."
        ),
        compute=_mld,
    ),
)
