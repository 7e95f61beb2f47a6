"""WHO HEAT's mean differences (MDM, MDB, MDR) and index of disparity (IDIS).

Each is the average absolute difference between the subgroup estimates :math:`y_j` and a
reference value :math:`c`, unweighted (``…U``: every one of the :math:`n` subgroups counts
equally) or weighted by population share :math:`p_j` (``…W``):

.. math::

    MD_U = \\frac{1}{n} \\sum_j |y_j - c|, \\qquad MD_W = \\sum_j p_j |y_j - c|, \\qquad
    IDIS = 100 \\times \\frac{MD}{\\mu}

- MDM (from the mean): :math:`c = \\mu`, the setting average (MDMW and IDISW use the
  population-weighted mean :math:`\\sum_j p_j y_j`);
- MDB (from the best-performing subgroup): :math:`c = \\max_j y_j` for favourable
  indicators, :math:`\\min_j y_j` for adverse ones;
- MDR (from the reference subgroup): :math:`c` = the reference subgroup's estimate (NaN
  where a setting has none);
- IDIS: the MDM relative to the mean, in per cent.

Confidence limits are by simulation, as HEAT (see ``_simulation.py``): each subgroup
estimate is drawn 100 times from a normal distribution with its estimate and standard
error, truncated to :math:`[0, 100]` for percentages (scale 100) and to
:math:`[0, \\infty)` otherwise; the measure is recomputed on every draw (with the mean,
best and reference subgroup taken from the draw; a supplied setting average moves with
the drawn weighted mean where populations are known and stays fixed otherwise) and the
limits are the draws' :math:`\\alpha/2` and :math:`1 - \\alpha/2` quantiles (R's type 7).
``se`` is NaN, as in HEAT. Weighted measures need subgroup populations; limits need
every subgroup's standard error.

References
----------
Ahn J et al. (2019), *PLoS One* 14:e0219542 (Monte Carlo limits). Pearcy JN, Keppel KG
(2002), *Public Health Rep* 117:273–280 (index of disparity). Schlotheuber A,
Hosseinpoor AR (2022), *Int J Environ Res Public Health* 19:3697. The same definitions as
``healthequal::mdmu`` … ``idisw`` and HEAT's ``calc_mdmu`` … ``calc_idisw``.

Examples
--------
>>> import pandas as pd
>>> from healthgap.methods.inequality.api import inequality
>>> df = pd.DataFrame({"region": list("ABCD"), "pct": [60.0, 70, 80, 90], "se": 2.0, "n": 1})
>>> out = inequality(df, "pct", subgroup="region", se="se", population="n", reference="A",
...                  measures=["idisu", "mdbu", "mdmu", "mdru"], seed=1)
>>> out[["measure", "value"]].round(3)
  measure   value
0   idisu  13.333
1    mdbu  15.000
2    mdmu  10.000
3    mdru  15.000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._measure import Compute, Measure, Requirement
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation, Statistic
from healthgap.methods.inequality._subgroups import complete, weighted_sum

Centre = Literal["mean", "best", "reference"]


def _weights(settings: Settings, weighted: bool) -> np.ndarray:
    """Population shares (0 where a setting's populations are incomplete), or 1/n."""
    s = settings
    if weighted:
        return np.where(s.mask & complete(s, s.pop, s.share)[:, None], s.share, 0.0)
    return s.mask / s.n_subgroups[:, None]


def _statistic(settings: Settings, centre: Centre, weighted: bool, relative: bool) -> Statistic:
    """The measure as a function of subgroup estimates, 0 in padding: shape (settings,
    subgroups) → (settings,) or, for simulated datasets, (repetitions, settings,
    subgroups) → (repetitions, settings)."""
    s = settings
    weights = _weights(s, weighted)
    shares = _weights(s, True)
    sign = np.where(s.favourable, 1.0, -1.0)
    all_favourable, unpadded = bool(s.favourable.all()), bool(s.mask.all())
    reference = (s.reference & s.mask).astype(float)
    has_reference = reference.sum(axis=1) == 1
    # the setting average, moved by the change in weighted mean where populations are known
    fixed_part = s.mean - weighted_sum(np.where(s.mask, s.y, 0.0), shares)

    def mean(y: np.ndarray) -> np.ndarray:
        return weighted_sum(y, shares) + (0.0 if weighted else fixed_part)

    def best(y: np.ndarray) -> np.ndarray:  # highest if favourable, lowest if adverse
        signed = y if all_favourable else y * sign[:, None]
        return sign * (signed if unpadded else np.where(s.mask, signed, -np.inf)).max(axis=-1)

    def ref(y: np.ndarray) -> np.ndarray:
        return np.where(has_reference, weighted_sum(y, reference), np.nan)

    centre_of = {"mean": mean, "best": best, "reference": ref}[centre]

    def statistic(y: np.ndarray) -> np.ndarray:
        c = centre_of(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            gap = y - c[..., None]
            md = weighted_sum(np.abs(gap, out=gap), weights)
            return 100 * md / c if relative else md

    return statistic


def _compute(centre: Centre, weighted: bool, relative: bool) -> Compute:
    """A Measure.compute: the statistic on the estimates, simulated limits around it."""

    def compute(settings: Settings, levels: Sequence[Level], sim: Simulation) -> Estimate:
        usable = complete(settings, settings.y)
        if weighted:
            usable &= complete(settings, settings.pop, settings.share)
        statistic = _statistic(settings, centre, weighted, relative)
        value = np.where(usable, statistic(np.where(settings.mask, settings.y, 0.0)), np.nan)
        limits = {
            level: (np.where(usable, low, np.nan), np.where(usable, high, np.nan))
            for level, (low, high) in sim.limits(statistic, levels).items()
        }
        return Estimate(value, np.full(settings.n_settings, np.nan), limits)

    return compute


_CENTRES = {
    "mean": "the setting average",
    "best": "the best-performing subgroup",
    "reference": "the reference subgroup",
}


def _measure(code: str, name: str, centre: Centre, weighted: bool) -> Measure:
    relative = code.startswith("idis")
    requires: set[Requirement] = {"population"} if weighted else set()
    if centre == "mean" and not weighted:
        requires.add("setting_average")
    if centre == "reference":
        requires.add("reference")
    how = "weighted by population share" if weighted else "every subgroup counting equally"
    units = "as a percentage of that average" if relative else "in the indicator's units"
    return Measure(
        code=code,
        name=name,
        kind="relative" if relative else "absolute",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        requires=frozenset(requires),
        interpretation=(
            "0 means no inequality; larger values mean greater inequality. It is the average "
            f"absolute difference between each subgroup and {_CENTRES[centre]} ({how}), "
            f"{units}."
        ),
        compute=_compute(centre, weighted, relative),
    )


_BEST = "Mean difference from best performing subgroup"
_REF = "Mean difference from reference subgroup"
MEASURES: tuple[Measure, ...] = (
    _measure("mdmu", "Mean difference from mean (unweighted)", "mean", weighted=False),
    _measure("mdmw", "Mean difference from mean (weighted)", "mean", weighted=True),
    _measure("mdbu", f"{_BEST} (unweighted)", "best", weighted=False),
    _measure("mdbw", f"{_BEST} (weighted)", "best", weighted=True),
    _measure("mdru", f"{_REF} (unweighted)", "reference", weighted=False),
    _measure("mdrw", f"{_REF} (weighted)", "reference", weighted=True),
    _measure("idisu", "Index of disparity (unweighted)", "mean", weighted=False),
    _measure("idisw", "Index of disparity (weighted)", "mean", weighted=True),
)
