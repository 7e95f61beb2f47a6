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

Confidence limits are by simulation, as HEAT (shared helper
:func:`~healthgap.methods.inequality.variance.simulated_limits`): each subgroup estimate
is drawn 100 times from a normal distribution with its estimate and standard
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

from collections.abc import Callable, Sequence

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._measure import Compute, Measure
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality.variance import simulated_limits

Statistic = Callable[[Settings, np.ndarray], np.ndarray]


def _pop_known(settings: Settings) -> np.ndarray:
    known = np.isfinite(settings.pop) & np.isfinite(settings.share)
    return ~(settings.mask & ~known).any(axis=1)


def _weights(settings: Settings) -> np.ndarray:
    return np.where(settings.mask & _pop_known(settings)[:, None], settings.share, 0.0)


def _present(settings: Settings, y: np.ndarray) -> np.ndarray:
    return np.where(settings.mask, y, 0.0)


def _unweighted(settings: Settings, y: np.ndarray, centre: np.ndarray) -> np.ndarray:
    gap = np.where(settings.mask, np.abs(y - centre[..., None]), 0.0)
    return gap.sum(axis=-1) / settings.n_subgroups


def _weighted(settings: Settings, y: np.ndarray, centre: np.ndarray) -> np.ndarray:
    gap = np.where(settings.mask, np.abs(y - centre[..., None]), 0.0)
    return (_weights(settings) * gap).sum(axis=-1)


def _setting_mean(settings: Settings, y: np.ndarray) -> np.ndarray:
    """The setting average, moved by the change in weighted mean where populations are known."""
    w = _weights(settings)
    shift = (w * (_present(settings, y) - _present(settings, settings.y))).sum(axis=-1)
    return settings.mean + np.where(_pop_known(settings), shift, 0.0)


def _weighted_mean(settings: Settings, y: np.ndarray) -> np.ndarray:
    return (_weights(settings) * _present(settings, y)).sum(axis=-1)


def _best(settings: Settings, y: np.ndarray) -> np.ndarray:
    top = np.where(settings.mask, y, -np.inf).max(axis=-1)
    bottom = np.where(settings.mask, y, np.inf).min(axis=-1)
    return np.where(settings.favourable, top, bottom)


def _reference(settings: Settings, y: np.ndarray) -> np.ndarray:
    ref = settings.reference & settings.mask
    value = np.where(ref, y, 0.0).sum(axis=-1)
    return np.where(ref.sum(axis=1) == 1, value, np.nan)


def _mdmu(s: Settings, y: np.ndarray) -> np.ndarray:
    return _unweighted(s, y, _setting_mean(s, y))


def _mdmw(s: Settings, y: np.ndarray) -> np.ndarray:
    return _weighted(s, y, _weighted_mean(s, y))


def _mdbu(s: Settings, y: np.ndarray) -> np.ndarray:
    return _unweighted(s, y, _best(s, y))


def _mdbw(s: Settings, y: np.ndarray) -> np.ndarray:
    return _weighted(s, y, _best(s, y))


def _mdru(s: Settings, y: np.ndarray) -> np.ndarray:
    return _unweighted(s, y, _reference(s, y))


def _mdrw(s: Settings, y: np.ndarray) -> np.ndarray:
    return _weighted(s, y, _reference(s, y))


def _idisu(s: Settings, y: np.ndarray) -> np.ndarray:
    mean = _setting_mean(s, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100 * _unweighted(s, y, mean) / mean


def _idisw(s: Settings, y: np.ndarray) -> np.ndarray:
    mean = _weighted_mean(s, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100 * _weighted(s, y, mean) / mean


def _compute(stat: Statistic, weighted: bool) -> Compute:
    """A Measure.compute: the statistic on the estimates, simulation limits around it."""

    def compute(settings: Settings, levels: Sequence[Level], rng: np.random.Generator) -> Estimate:
        usable = ~(settings.mask & ~np.isfinite(settings.y)).any(axis=1)
        if weighted:
            usable &= _pop_known(settings)
        with np.errstate(invalid="ignore"):
            value = np.where(usable, stat(settings, settings.y), np.nan)

        def statistic(draws: np.ndarray) -> np.ndarray:
            with np.errstate(divide="ignore", invalid="ignore"):
                return stat(settings, draws)

        limits = simulated_limits(settings, statistic, levels, rng)
        limits = {
            lv: (np.where(usable, lo, np.nan), np.where(usable, hi, np.nan))
            for lv, (lo, hi) in limits.items()
        }
        return Estimate(value, np.full(settings.n_settings, np.nan), limits)

    return compute


def _md(code: str, name: str, stat: Statistic, weighted: bool, centre: str) -> Measure:
    how = "weighted by population share" if weighted else "every subgroup counting equally"
    return Measure(
        code=code,
        name=name,
        kind="absolute",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        interpretation=(
            "0 means no inequality; larger values mean greater inequality. It is the average "
            f"absolute difference between each subgroup and {centre} ({how}), in the "
            "indicator's units."
        ),
        compute=_compute(stat, weighted),
    )


def _idis(code: str, name: str, stat: Statistic, weighted: bool) -> Measure:
    how = "weighted by population share" if weighted else "every subgroup counting equally"
    return Measure(
        code=code,
        name=name,
        kind="relative",
        dimensions="non-ordered",
        min_subgroups=3,
        null=0.0,
        interpretation=(
            "0 means no inequality; larger values mean greater inequality. It is the average "
            f"absolute difference between each subgroup and the setting average ({how}), as "
            "a percentage of that average."
        ),
        compute=_compute(stat, weighted),
    )


_MEAN, _BEST, _REF = "the setting average", "the best-performing subgroup", "the reference subgroup"
MEASURES: tuple[Measure, ...] = (
    _md("mdmu", "Mean difference from mean (unweighted)", _mdmu, False, _MEAN),
    _md("mdmw", "Mean difference from mean (weighted)", _mdmw, True, _MEAN),
    _md("mdbu", "Mean difference from best performing subgroup (unweighted)", _mdbu, False, _BEST),
    _md("mdbw", "Mean difference from best performing subgroup (weighted)", _mdbw, True, _BEST),
    _md("mdru", "Mean difference from reference subgroup (unweighted)", _mdru, False, _REF),
    _md("mdrw", "Mean difference from reference subgroup (weighted)", _mdrw, True, _REF),
    _idis("idisu", "Index of disparity (unweighted)", _idisu, False),
    _idis("idisw", "Index of disparity (weighted)", _idisw, True),
)
