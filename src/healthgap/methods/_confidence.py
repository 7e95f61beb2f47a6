"""Confidence levels and the names of the columns that hold their limits.

With one level the limits are ``lower_ci`` and ``upper_ci``; with several, each pair is
suffixed by the level: ``lower_ci_95``, ``upper_ci_95``, ``lower_ci_99_8``, ``upper_ci_99_8``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from healthgap.errors import InputError

Confidence = float | Sequence[float]


@dataclass(frozen=True)
class Level:
    """One confidence level and the names of its limit columns."""

    level: float
    lower: str
    upper: str

    @property
    def z(self) -> float:
        """Two-sided standard normal quantile, e.g. 1.959964 for 0.95."""
        return float(stats.norm.ppf(0.5 + self.level / 2))

    @property
    def alpha(self) -> float:
        return 1.0 - self.level


def suffix(level: float) -> str:
    """Column suffix for a level: 0.95 → ``"95"``, 0.998 → ``"99_8"``."""
    text = f"{level * 100:.10g}"
    return text.replace(".", "_")


def levels(confidence: Confidence) -> list[Level]:
    """Validate ``confidence`` and return its levels with their column names.

    >>> [(lv.lower, lv.upper) for lv in levels([0.95, 0.998])]
    [('lower_ci_95', 'upper_ci_95'), ('lower_ci_99_8', 'upper_ci_99_8')]
    >>> levels(0.95)[0].lower
    'lower_ci'
    """
    values = [confidence] if np.isscalar(confidence) else list(confidence)
    if not values:
        raise InputError("confidence must name at least one level, e.g. 0.95")
    checked: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise InputError(f"confidence must be a number between 0.9 and 1, got {value!r}")
        if not 0.9 <= float(value) < 1:
            raise InputError(
                f"confidence must be between 0.9 and 1 (e.g. 0.95 or 0.998), got {value!r}"
            )
        checked.append(float(value))
    if len(set(checked)) != len(checked):
        raise InputError(f"confidence levels must differ, got {values!r}")
    if len(checked) == 1:
        return [Level(checked[0], "lower_ci", "upper_ci")]
    return [Level(v, f"lower_ci_{suffix(v)}", f"upper_ci_{suffix(v)}") for v in checked]
