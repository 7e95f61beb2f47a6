"""Deaths: a Gompertz-type hazard by single year of age and sex, graded by deprivation.

For sex *s*, national IMD decile *d* and single year of age *x* the yearly hazard is

    μ(x) = [infant·1(x = 0) + child + hump·exp(−((x − 23)/7)²) + level·exp(rate·(x − 60))]
           × exp(gradient · w(x) · (5.5 − d)/9)

where w(x) = 1 up to age 70, falls linearly to 0.3 at 95 and stays there (the relative gap
between deprived and affluent areas is widest at working ages and narrows in old age), and
the hazard is constant within each year of age. ``level`` and ``gradient`` were calibrated
numerically (:func:`calibrate`) so that period life expectancy at birth, by the same
abridged life table as :func:`healthgap.life_expectancy` applied to the model's band death
rates, is 79.0 (men) and 83.0 (women) for the decile-average hazard, and the gap between
the least and most deprived deciles is 9.0 years for men and 7.0 for women, in line with
ONS (life expectancy at birth, England, 2021–2023; inequality by IMD decile, 2018–2020).
Mortality does not depend on ethnicity, conditions or PLUS flags in this model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from healthgap.demo._model import DECILES
from healthgap.demo.dates import PERIOD_START, PERIOD_STOP, YEAR
from healthgap.methods.life_expectancy import life_expectancy

#: Ages of the hazard tables (the last is far beyond anyone generated).
AGES = np.arange(0, 121)

#: Target life expectancy at birth (decile-average hazard) and gap between deciles 10 and 1.
TARGETS = {"M": (79.0, 9.0), "F": (83.0, 7.0)}


@dataclass(frozen=True)
class Hazard:
    """Yearly death hazard components of one sex (see the module docstring)."""

    infant: float
    child: float
    hump: float
    rate: float
    level: float
    gradient: float

    def baseline(self) -> np.ndarray:
        x = AGES.astype("float64")
        mu = self.child + self.hump * np.exp(-(((x - 23) / 7) ** 2))
        mu = mu + self.level * np.exp(self.rate * (x - 60))
        mu[0] += self.infant
        return mu

    def by_decile(self) -> np.ndarray:
        """Hazard by decile (rows 1–10) and single year of age (columns 0–120)."""
        position = (5.5 - DECILES[:, None]) / 9
        return self.baseline()[None, :] * np.exp(self.gradient * age_weight(AGES) * position)


def age_weight(x: np.ndarray) -> np.ndarray:
    """How much of the deprivation gradient applies at age ``x``."""
    return np.clip(1 - 0.7 * (np.asarray(x, dtype="float64") - 70) / 25, 0.3, 1.0)


#: Calibrated by :func:`calibrate` (run it to re-derive ``level`` and ``gradient``).
HAZARDS = {
    "M": Hazard(
        infant=0.0042, child=0.0001, hump=0.0005, rate=0.092,
        level=0.008272317954198484, gradient=0.9212671351910123,
    ),
    "F": Hazard(
        infant=0.0034, child=0.00008, hump=0.00015, rate=0.102,
        level=0.005216584375536119, gradient=0.8628438746470396,
    ),
}  # fmt: skip


def band_rates(mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Death rates in the abridged bands 0, 1–4, …, 90+ of a stationary population.

    ``mu`` is groups × single years of age; returns (rates per band, band start ages).
    """
    survive = np.exp(-mu)
    alive = np.concatenate([np.ones((mu.shape[0], 1)), np.cumprod(survive, axis=1)[:, :-1]], 1)
    deaths = alive * (1 - survive)
    years = deaths / mu  # person-years lived in each year of age
    starts = np.array([0, 1, *range(5, 95, 5)])
    band = np.searchsorted(starts, AGES, side="right") - 1
    d = np.stack([deaths[:, band == b].sum(axis=1) for b in range(len(starts))], axis=1)
    y = np.stack([years[:, band == b].sum(axis=1) for b in range(len(starts))], axis=1)
    return d / y, starts


def life_expectancy_at_birth(mu: np.ndarray) -> np.ndarray:
    """Abridged (Chiang II) life expectancy at birth of each row of hazards ``mu``."""
    rates, starts = band_rates(mu)
    groups = np.repeat(np.arange(mu.shape[0]), len(starts))
    frame = pd.DataFrame(
        {"group": groups, "age": np.tile(starts, mu.shape[0]), "deaths": rates.ravel() * 1e9}
    )
    frame["population"] = 1e9
    result = life_expectancy(frame, "deaths", "population", age="age", by="group", start_ages=0)
    return result["value"].to_numpy(dtype="float64")


def model_life_expectancy() -> dict[str, dict[str, float]]:
    """Life expectancy at birth by sex: ``"1"`` … ``"10"`` (deciles) and ``"england"``."""
    out = {}
    for sex, hazard in HAZARDS.items():
        table = hazard.by_decile()
        e0 = life_expectancy_at_birth(np.vstack([table, table.mean(axis=0, keepdims=True)]))
        out[sex] = {**{str(d): round(float(e), 3) for d, e in zip(DECILES, e0, strict=False)}}
        out[sex]["england"] = round(float(e0[-1]), 3)
    return out


def calibrate(sex: str) -> tuple[float, float]:
    """``level`` and ``gradient`` of ``sex`` that meet :data:`TARGETS` (slow-ish: ~1 s)."""
    hazard = HAZARDS[sex]
    national, gap = TARGETS[sex]

    def miss(v: np.ndarray) -> list[float]:
        trial = Hazard(**{**hazard.__dict__, "level": float(np.exp(v[0])), "gradient": v[1]})
        table = trial.by_decile()
        e0 = life_expectancy_at_birth(np.vstack([table, table.mean(axis=0, keepdims=True)]))
        return [e0[-1] - national, (e0[9] - e0[0]) - gap]

    solution = optimize.fsolve(miss, [np.log(hazard.level), hazard.gradient], xtol=1e-12)
    return float(np.exp(solution[0])), float(solution[1])


def _cumulative() -> tuple[np.ndarray, np.ndarray]:
    """Cumulative hazard at whole ages per (sex, decile), flattened with offsets per group.

    Group ``g = 10·male + decile − 1`` has ages ``AGES + 200·g`` and cumulative hazards
    ``C + 1e5·g``, so one monotone table serves every group in one ``np.interp``.
    """
    tables = np.vstack([HAZARDS["F"].by_decile(), HAZARDS["M"].by_decile()])
    cumulative = np.concatenate([np.zeros((20, 1)), np.cumsum(tables, axis=1)], axis=1)
    ages = np.arange(cumulative.shape[1], dtype="float64")
    group = np.arange(20)[:, None]
    return (ages[None, :] + 200.0 * group).ravel(), (cumulative + 1e5 * group).ravel()


_AGE_FLAT, _CUM_FLAT = _cumulative()


def death_times(
    birth: np.ndarray, male: np.ndarray, decile: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """Time of death within the period (days since 1970-01-01), or inf if alive at its end.

    Each person's remaining lifetime is drawn by inverting their cumulative hazard from
    their exact age at the start of the period (at birth, age 0, for babies born in it)
    with an exponential variate ``−log(1 − u)``.
    """
    group = 10 * male.astype("int64") + decile - 1
    entry = np.maximum(birth, PERIOD_START)
    start_age = (entry - birth) / YEAR
    offset = 200.0 * group
    at_start = np.interp(start_age + offset, _AGE_FLAT, _CUM_FLAT)
    age_at_death = np.interp(at_start - np.log1p(-u), _CUM_FLAT, _AGE_FLAT) - offset
    when = birth + age_at_death * YEAR
    return np.where(when < PERIOD_STOP, np.maximum(when, entry), np.inf)
