"""Small shared pieces of the synthetic model: gradients by deprivation decile, odds.

Every built-in gradient is stated at its two ends — the most deprived national IMD decile
(1) and the least deprived (10) — and interpolated linearly in between on the log-odds
scale (probabilities) or the log scale (rate ratios), so a reader of ``truth.json`` can see
each effect as two numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.special import expit, logit

#: ONS high-level ethnic groups in the order used for codes 0–4.
ETHNIC_GROUPS = ("White", "Asian", "Black", "Mixed", "Other")

#: Person-level flags of the NHS England Core20PLUS5 "PLUS" groups.
PLUS_FLAGS = ("learning_disability", "severe_mental_illness", "carer", "homeless")

DECILES = np.arange(1, 11)


def deprivation_position(decile: np.ndarray) -> np.ndarray:
    """0 for the least deprived decile (10), 1 for the most deprived (1), linear between."""
    return (10 - np.asarray(decile, dtype="float64")) / 9


def logit_between(most: float, least: float, decile: np.ndarray) -> np.ndarray:
    """Log-odds interpolated from ``least`` (decile 10) to ``most`` (decile 1)."""
    lo = float(logit(least))
    return lo + (float(logit(most)) - lo) * deprivation_position(decile)


def ratio_between(most: float, decile: np.ndarray) -> np.ndarray:
    """Rate ratio from 1 in decile 10 to ``most`` in decile 1, log-linear between."""
    return np.exp(np.log(most) * deprivation_position(decile))


def log_odds(table: Mapping[str, float], codes: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Per-row log of ``table[names[code]]`` (1 for names not in the table)."""
    logs = np.array([np.log(table.get(name, 1.0)) for name in names])
    return logs[codes]


def plus_log_odds(table: Mapping[str, float], flags: Mapping[str, np.ndarray]) -> np.ndarray:
    """Sum of log odds ratios of the PLUS flags a person has."""
    total: np.ndarray | float = 0.0
    for name, ratio in table.items():
        total = total + np.log(ratio) * flags[name]
    n = len(next(iter(flags.values())))
    return np.broadcast_to(np.asarray(total, dtype="float64"), (n,)).copy()


def by_decile(values: np.ndarray, digits: int = 4) -> dict[str, float]:
    """``{"1": v1, …, "10": v10}`` for truth.json."""
    return {str(d): round(float(v), digits) for d, v in zip(DECILES, values, strict=True)}


__all__ = [
    "DECILES",
    "ETHNIC_GROUPS",
    "PLUS_FLAGS",
    "by_decile",
    "deprivation_position",
    "expit",
    "log_odds",
    "logit",
    "logit_between",
    "plus_log_odds",
    "ratio_between",
]
