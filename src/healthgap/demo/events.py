"""The events table's vocabulary and the batches the model steps produce."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Every ``concept`` in events.parquet, in dictionary order.
CONCEPTS = (
    "death",
    "hypertension",
    "diabetes",
    "copd",
    "asthma",
    "chd",
    "depression",
    "smoking_status",
    "flu_vaccination",
    "covid_booster",
    "mmr2",
    "cervical_screening",
    "breast_screening",
    "bowel_screening",
    "nhs_health_check",
    "smi_health_check",
    "emergency_admission",
)

#: Every non-missing ``value`` (only ``smoking_status`` events carry one).
VALUES = ("current", "ex", "never")


@dataclass(frozen=True)
class Batch:
    """Events of one concept: chunk-local person rows, continuous times, value codes."""

    concept: str
    rows: np.ndarray
    times: np.ndarray
    values: np.ndarray | None = None  # codes into VALUES; None = all missing

    def __post_init__(self) -> None:
        if self.concept not in CONCEPTS:
            raise ValueError(f"unknown concept {self.concept!r}")


def within(rows: np.ndarray, times: np.ndarray, exit_times: np.ndarray) -> np.ndarray:
    """Mask of events that happen while the person is still in the record."""
    return times < exit_times[rows]
