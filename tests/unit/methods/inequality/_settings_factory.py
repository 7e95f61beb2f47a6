"""Build :class:`Settings` directly for the measure tests (no input validation).

``make_settings`` takes one list per setting (ragged lists are padded), so a test can
state its subgroups plainly: ``make_settings([[20, 30, 40]], pop=[[1, 1, 2]])``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._confidence import levels
from healthgap.methods.inequality._settings import Estimate, Settings
from healthgap.methods.inequality._simulation import Simulation

Rows = Sequence[Sequence[float]] | None

LEVEL95 = levels(0.95)
LEVELS = levels([0.95, 0.998])


def _pad(rows: Rows, width: int, n: int, fill: float = np.nan) -> np.ndarray:
    out = np.full((n, width), fill, dtype=float)
    if rows is not None:
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
    return out


def make_settings(
    y: Sequence[Sequence[float]],
    *,
    se: Rows = None,
    pop: Rows = None,
    order: Rows = None,
    favourable: bool | Sequence[bool] = True,
    reference: Sequence[int | None] | None = None,
    mean: Sequence[float] | None = None,
    scale: float = 100.0,
) -> Settings:
    """Settings from per-setting lists; ``reference`` gives each setting's reference column."""
    n, width = len(y), max(len(row) for row in y)
    mask = np.zeros((n, width), bool)
    for i, row in enumerate(y):
        mask[i, : len(row)] = True
    yy = _pad(y, width, n)
    pp = _pad(pop, width, n)
    if pop is None:
        share = np.where(mask, np.nan, 0.0)
        default_mean = np.full(n, np.nan)
    else:
        share = np.where(mask, pp / np.nansum(pp, axis=1, keepdims=True), 0.0)
        default_mean = np.where(mask, share * yy, 0.0).sum(axis=1)
    ref = np.zeros((n, width), bool)
    for i, col in enumerate(reference or []):
        if col is not None:
            ref[i, col] = True
    labels = np.where(mask, np.arange(width)[None, :].astype(str).astype(object), None)
    return Settings(
        keys=pd.DataFrame(index=range(n)),
        labels=labels,
        mask=mask,
        y=yy,
        se=_pad(se, width, n),
        pop=pp,
        share=share,
        order=_pad(order, width, n),
        ordered=order is not None,
        favourable=np.broadcast_to(np.asarray(favourable, bool), (n,)).copy(),
        reference=ref,
        mean=np.asarray(mean, float) if mean is not None else default_mean,
        scale=float(scale),
    )


def compute(measures, code: str, settings: Settings, confidence=LEVEL95, seed: int = 1) -> Estimate:
    """Run the measure ``code`` from a family's ``MEASURES`` with seeded simulations."""
    measure = {m.code: m for m in measures}[code]
    return measure.compute(settings, confidence, Simulation(settings, seed))
