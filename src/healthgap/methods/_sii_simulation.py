"""The simulation behind :func:`healthgap.methods.sii.sii`'s confidence limits.

Repetitions are drawn for blocks of groups at once (all of a block's repetitions are
held, so that PHE's order-statistic limits can be picked out exactly), in chunks that
bound the memory used whatever the number of groups and repetitions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from healthgap.methods._confidence import Level
from healthgap.methods._sii import Quantiles, unlink

_DRAWS = 1 << 20  # normal draws generated at a time
_HELD = 1 << 22  # simulated statistics held at a time (per statistic)


def positions(repetitions: int, ci_levels: Sequence[Level]) -> list[tuple[int, int]]:
    """PHE's limits: the round(R(1-p))-th and round(Rp)-th of R sorted draws, p = (1+level)/2.

    Returned 0-based; Python's ``round`` halves to even, as R's ``round`` does.
    """
    found = []
    for level in ci_levels:
        p = level.level + (1 - level.level) / 2
        low, high = round(repetitions * (1 - p)), round(repetitions * p)
        found.append((min(max(low, 1), repetitions) - 1, min(max(high, 1), repetitions) - 1))
    return found


def order_statistics(
    x: np.ndarray, repetitions: int, pairs: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Each run's lower and upper limits: the order statistics (0-based) in ``pairs``.

    ``x`` (groups, runs × repetitions) is partitioned in place; returns (groups, runs,
    len(pairs), 2). One partition of the runs at the innermost low position and one at the
    innermost high position, then small partitions of the tails beyond them, are much
    cheaper than one partition at every position.
    """
    runs = x.reshape(x.shape[0], -1, repetitions)
    wanted = [p for pair in pairs for p in pair]
    found: dict[int, np.ndarray] = {}
    lows = sorted({p for p in wanted if p < repetitions // 2})
    highs = sorted({p for p in wanted if p >= repetitions // 2}, reverse=True)
    for side, is_low in ((lows, True), (highs, False)):
        if not side:
            continue
        cut = side[-1]  # the position nearest the middle
        runs.partition(cut, axis=-1)
        offset = 0 if is_low else cut
        tail = runs[..., : cut + 1] if is_low else runs[..., cut:]
        tail = np.partition(tail, [p - offset for p in side], axis=-1)
        for p in side:
            found[p] = tail[..., p - offset]
    return np.stack([found[p] for p in wanted], axis=-1).reshape(*runs.shape[:2], -1, 2)


def simulate(
    q: Quantiles,
    c: np.ndarray,
    d: np.ndarray,
    *,
    back: str,
    total: int,
    intercepts: bool,
    rng: np.random.Generator,
) -> Iterator[tuple[slice, np.ndarray, np.ndarray | None]]:
    """Slopes (and intercepts) refitted to ``total`` simulated sets of quantile values.

    Each quantile's value is drawn from :math:`N(\\mu_j, SE_j^2)` on the link scale, taken
    back to the indicator's scale when ``back`` names a value type (``"rate"`` →
    :math:`e^y`, ``"proportion"`` → expit), and the line refitted. Yields, for blocks of
    groups, (group slice, slopes (n, total), intercepts (n, total) or None).

    When nothing is taken back the fit is linear in the draws, so (slope, intercept) is
    exactly bivariate normal with mean :math:`(\\sum c\\mu, \\sum d\\mu)` and covariance
    :math:`\\sum (c, d)^T (c, d) SE^2`: drawing that pair directly (one or two normals per
    repetition instead of one per quantile) gives the same distribution, far faster.
    """
    n_groups, k = q.mu.shape
    block = max(1, min(n_groups, _HELD // total))
    for g0 in range(0, n_groups, block):
        g = slice(g0, min(n_groups, g0 + block))
        if back == "none":
            yield g, *_linear(q.mu[g], q.se[g], c[g], d[g], total, intercepts, rng)
            continue
        n = g.stop - g.start
        slopes = np.empty((n, total))
        icpts = np.empty((n, total)) if intercepts else None
        coef = np.stack([c[g], d[g]], axis=-1)[:, :, : 2 if intercepts else 1]
        chunk = max(1, _DRAWS // (n * k))
        for r0 in range(0, total, chunk):
            r = slice(r0, min(total, r0 + chunk))
            y = rng.standard_normal((n, r.stop - r.start, k))
            y *= q.se[g][:, None, :]
            y += q.mu[g][:, None, :]
            with np.errstate(over="ignore"):  # an extreme draw of a log rate: inf, as R
                fitted = unlink(y, back) @ coef
            slopes[:, r] = fitted[..., 0]
            if icpts is not None:
                icpts[:, r] = fitted[..., 1]
        yield g, slopes, icpts


def _linear(
    mu: np.ndarray,
    se: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    total: int,
    intercepts: bool,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Slopes and intercepts drawn as a bivariate normal (Cholesky factor of their
    covariance): slope = s0 + z0 sd_s, intercept = i0 + z0 l21 + z1 l22."""
    var = se**2
    sd_s = np.sqrt((c**2 * var).sum(axis=1))[:, None]
    slopes = rng.standard_normal((len(mu), total))
    icpts = None
    if intercepts:
        cov = (c * d * var).sum(axis=1)[:, None]
        l21 = np.divide(cov, sd_s, out=np.zeros_like(cov), where=sd_s > 0)
        l22 = np.sqrt(np.maximum((d**2 * var).sum(axis=1)[:, None] - l21**2, 0.0))
        icpts = rng.standard_normal((len(mu), total))
        icpts *= l22
        icpts += (d * mu).sum(axis=1)[:, None]
        icpts += l21 * slopes
    slopes *= sd_s
    slopes += (c * mu).sum(axis=1)[:, None]
    return slopes, icpts


def mean_abs_difference(limits: np.ndarray) -> np.ndarray:
    """PHE's reliability statistic from (groups, 10 runs, 2) lower and upper limits: the
    mean absolute difference of runs 2–10 from the first run, over both limits."""
    return np.abs(limits[:, 1:] - limits[:, :1]).mean(axis=(1, 2))
