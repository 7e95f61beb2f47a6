"""Analytic confidence limits shared by the family modules (simulated ones: ``_simulation``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from healthgap.methods._confidence import Level

Limits = dict[float, tuple[np.ndarray, np.ndarray]]


def normal_limits(value: np.ndarray, se: np.ndarray, levels: Sequence[Level]) -> Limits:
    """Symmetric normal limits ``value ± z·se`` for each level."""
    return {lv.level: (value - lv.z * se, value + lv.z * se) for lv in levels}


def ratio_limits(log_value: np.ndarray, log_se: np.ndarray, levels: Sequence[Level]) -> Limits:
    """Limits of a ratio from those of its logarithm: ``exp(ln R ± z·SE(ln R))``."""
    with np.errstate(over="ignore", invalid="ignore"):
        return {
            level: (np.exp(low), np.exp(high))
            for level, (low, high) in normal_limits(log_value, log_se, levels).items()
        }
