"""Simulated confidence limits, for the measures whose limits HEAT simulates.

HEAT (Ahn et al. 2019; ``healthequal``) draws every subgroup estimate from a normal
distribution with its standard error, truncated to the indicator's range, a hundred
times; recomputes the measure on each simulated dataset; and takes the (1 ± level)/2
quantiles of the results as the limits. Here one :class:`Simulation` per call of
``inequality()`` draws those datasets once and every simulated measure (BGSD, COV, MD…,
IDIS…) is recomputed on the same datasets. Each measure's limits have the distribution
they would have with draws of their own, and they do not depend on which other measures
were asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
from scipy import special

from healthgap.methods._confidence import Level
from healthgap.methods.inequality._limits import Limits
from healthgap.methods.inequality._settings import Settings
from healthgap.methods.inequality._subgroups import complete

#: Simulated datasets per confidence interval (HEAT's and healthequal's number).
SIMULATIONS = 100
#: Upper bound on simulated values held at once (repetitions × settings × subgroups).
_CHUNK = 2_000_000

#: Maps simulated estimates (repetitions, settings, subgroups), 0 in padding, to the
#: measure's values (repetitions, settings).
Statistic = Callable[[np.ndarray], np.ndarray]


def bounds(scale: float) -> tuple[float, float]:
    """The range simulated estimates are kept in: [0, 100] for percentages, else [0, ∞)."""
    return 0.0, (100.0 if scale == 100 else np.inf)


def truncated_normal(
    rng: np.random.Generator,
    mean: np.ndarray,
    sd: np.ndarray,
    lower: float,
    upper: float,
    size: tuple[int, ...],
) -> np.ndarray:
    """Draws from N(mean, sd²) restricted to [lower, upper], by inverting the CDF.

    The same distribution as healthequal's redraw-until-inside loop, from one uniform
    number per draw (so drawing in chunks of repetitions gives the same values). An
    interval lying wholly above the mean is mirrored below it, so the normal CDF is
    evaluated in its lower tail, where it is precise; ``sd = 0`` gives the mean (clipped
    to the bounds), and so does an ``sd`` so small (subnormal) that the bounds lie
    infinitely many standard deviations away, or an interval the CDF cannot resolve.
    """
    flip = mean < lower
    centre = np.where(flip, -mean, mean)
    spread = np.where(sd > 0, sd, 1.0)
    with np.errstate(over="ignore"):  # a subnormal sd puts a bound at ±inf: ndtr copes
        lo = special.ndtr((np.where(flip, -upper, lower) - centre) / spread)
        hi = special.ndtr((np.where(flip, -lower, upper) - centre) / spread)
    fixed = ~((sd > 0) & (hi > lo))  # no spread or no room: CDF value ½ gives the mean
    lo = np.where(fixed, 0.5, lo)
    width = np.where(fixed, 0.0, hi - lo)
    draws = rng.uniform(size=size)  # transformed in place: u → CDF value → draw
    draws *= width
    draws += lo
    special.ndtri(draws, out=draws)
    draws *= np.where(flip, -spread, spread)  # mirrored back: mean ∓ spread·z
    draws += mean
    return np.clip(draws, lower, upper, out=draws)


def quantiles(values: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """R's type-7 quantiles over repetitions (axis 0), shape (len(q), settings).

    Failed (NaN) repetitions are skipped, as R's ``na.rm = TRUE`` does; a setting whose
    every repetition failed gets NaN. One sort serves every quantile and setting.

    >>> quantiles(np.array([[1.0, np.nan], [2.0, np.nan], [np.nan, np.nan], [4.0, 5.0]]),
    ...           [0.0, 0.5, 1.0]).tolist()
    [[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]]
    """
    ordered = np.sort(values, axis=0)  # NaN last
    n = (~np.isnan(values)).sum(axis=0)
    h = np.maximum(n - 1, 0) * np.asarray(q, dtype=float)[:, None]
    below = np.floor(h).astype(np.intp)
    above = np.minimum(below + 1, np.maximum(n - 1, 0))
    a = np.take_along_axis(ordered, below, axis=0)
    b = np.take_along_axis(ordered, above, axis=0)
    t = h - below
    with np.errstate(invalid="ignore"):  # infinite values: inf − inf
        gap = b - a
        out = np.where(t < 0.5, a + gap * t, b - gap * (1 - t))
    out = np.where(a == b, a, out)
    return np.where(n > 0, out, np.nan)


class Simulation:
    """The simulated datasets of one call, shared by every simulated measure.

    Each real subgroup estimate is drawn ``repetitions`` times from a normal distribution
    with its standard error, truncated to :func:`bounds`; a setting with any missing
    standard error gets no limits. Draws come from a generator seeded by ``seed`` and
    are made in chunks of repetitions to bound memory. When they fit in one chunk they
    are kept for the next measure; otherwise each measure draws them again, with the
    same values.

    Parameters
    ----------
    settings : Settings
    seed : int or SeedSequence, optional
        None takes fresh entropy (once, so every measure still sees the same datasets).
    repetitions : int
    """

    def __init__(
        self,
        settings: Settings,
        seed: int | np.random.SeedSequence | None = None,
        repetitions: int = SIMULATIONS,
    ) -> None:
        self.settings = settings
        self.repetitions = repetitions
        self._seed = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        self._source = self  # whose datasets these are …
        self._rows: np.ndarray | None = None  # … and which of its settings
        self._kept: list[np.ndarray] | None = None

    def select(self, rows: np.ndarray) -> Simulation:
        """The same datasets for the settings flagged by the boolean array ``rows``."""
        part = Simulation(self.settings.select(rows), self._seed, self.repetitions)
        index = np.flatnonzero(rows)
        part._source = self._source
        part._rows = index if self._rows is None else self._rows[index]
        return part

    def limits(self, statistic: Statistic, levels: Sequence[Level]) -> Limits:
        """Percentile limits of ``statistic`` over the simulated datasets, for each level."""
        s = self.settings
        known = complete(s, s.se)
        if not known.any():  # no standard errors: nothing to simulate
            missing = np.full(s.n_settings, np.nan)
            return {lv.level: (missing, missing.copy()) for lv in levels}
        rows = self._rows
        values = np.concatenate(
            [statistic(chunk if rows is None else chunk[:, rows]) for chunk in self._datasets()]
        )
        q = [p for lv in levels for p in (lv.alpha / 2, 1 - lv.alpha / 2)]
        out = np.where(known, quantiles(values, q), np.nan)
        return {lv.level: (out[2 * i], out[2 * i + 1]) for i, lv in enumerate(levels)}

    def _datasets(self) -> Iterable[np.ndarray]:
        """The source's datasets in chunks of repetitions, kept when they fit in one."""
        source = self._source
        if source._kept is not None:
            return source._kept
        if source.repetitions * source.settings.mask.size <= _CHUNK:
            source._kept = list(source._draw())
            return source._kept
        return source._draw()

    def _draw(self) -> Iterator[np.ndarray]:
        s = self.settings
        lower, upper = bounds(s.scale)
        mean = np.where(s.mask, s.y, 0.0)
        sd = np.nan_to_num(np.where(s.mask, s.se, 0.0))
        rng = np.random.default_rng(self._seed)
        step = max(1, _CHUNK // max(mean.size, 1))
        for start in range(0, self.repetitions, step):
            size = (min(step, self.repetitions - start), *mean.shape)
            yield truncated_normal(rng, mean, sd, lower, upper, size)
