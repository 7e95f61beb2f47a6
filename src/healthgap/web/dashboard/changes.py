"""What changed since the last period: each indicator's latest value against the one before.

A change is called significant when the 95% interval of the difference excludes zero,
with each value's standard error recovered from its 95% limits,
:math:`se = (U - L) / (2 \\times 1.96)`, and :math:`se_{diff} = \\sqrt{se_1^2 + se_2^2}`
(Altman DG, Bland JM (2003) Interaction revisited: the difference between two
estimates. *BMJ* 326:219). Asymmetric limits (Wilson, Byar) make this approximate; it
flags changes worth a look, the indicator page has the full trend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.indicators.definition import Indicator
from healthgap.web.dashboard.snapshot import Snapshot

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Change:
    indicator: Indicator
    period: str
    previous_period: str
    value: float
    previous: float
    significant: bool

    @property
    def difference(self) -> float:
        return self.value - self.previous

    @property
    def verdict(self) -> str:
        """Improved / Worsened / Increased / Decreased / No significant change."""
        if not self.significant:
            return "No significant change"
        up = self.difference > 0
        if self.indicator.polarity == "no judgement":
            return "Increased" if up else "Decreased"
        better = up == (self.indicator.polarity == "higher-is-better")
        return "Improved" if better else "Worsened"


def significant_difference(
    value: np.ndarray, lower: np.ndarray, upper: np.ndarray,
    previous: np.ndarray, previous_lower: np.ndarray, previous_upper: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Whether each difference's 95% interval excludes zero (NaN inputs → False).

    Examples
    --------
    >>> significant_difference(np.array([12.0]), np.array([10.0]), np.array([14.0]),
    ...                        np.array([8.0]), np.array([6.0]), np.array([10.0]))
    array([ True])
    """
    se = np.hypot((upper - lower) / (2 * Z95), (previous_upper - previous_lower) / (2 * Z95))
    with np.errstate(invalid="ignore"):
        return np.abs(value - previous) > Z95 * se


def changes(snapshot: Snapshot) -> list[Change]:
    found = []
    for indicator in snapshot.indicators():
        totals = snapshot.totals(indicator.id).dropna(subset=["value"])
        if len(totals) < 2:
            continue
        last, before = totals.iloc[-1], totals.iloc[-2]
        flag = significant_difference(
            *(
                np.array([float(row[c])])
                for row in (last, before)
                for c in ("value", "lower_ci_95", "upper_ci_95")
            )
        )
        found.append(
            Change(
                indicator,
                str(last["period"]),
                str(before["period"]),
                float(last["value"]),
                float(before["value"]),
                bool(flag[0]),
            )
        )
    order = {"Worsened": 0, "Improved": 1, "Increased": 2, "Decreased": 2}
    return sorted(found, key=lambda c: order.get(c.verdict, 3))


def frame_of(changes: list[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": [c.indicator.title for c in changes],
            "period": [c.period for c in changes],
            "value": [c.value for c in changes],
            "previous": [c.previous for c in changes],
            "verdict": [c.verdict for c in changes],
        }
    )
