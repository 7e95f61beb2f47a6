"""Ethnic group (ONS 5 high-level groups) by neighbourhood and age.

No ethnicity data is shipped, so the mix is *modelled*, plausibly, from what is: the share
of people from ethnic minority groups in a neighbourhood follows a logistic model of its
income, living-environment and crime deprivation scores, its share of young adults and
whether it is in London, with random effects for its MSOA (neighbourhoods cluster) and for
the LSOA itself. Minority groups are younger (an offset per census age band). Among
minority groups, the split into Asian, Black, Mixed and Other is a multinomial logit with
MSOA random effects (communities cluster), more Black and Other residents in London,
more Asian residents where adult-skills (education) deprivation is high, and a younger
Mixed group. Intercepts are calibrated numerically, once per process, so that England as
a whole matches Census 2021: White 81.0%, Asian 9.6%, Black 4.2%, Mixed 3.0%, Other 2.2%.

The result is a plausible pattern, not a place's real ethnic mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from scipy import optimize

from healthgap.demo._model import ETHNIC_GROUPS, expit
from healthgap.demo.streams import area_rng
from healthgap.reference.lsoa import AGE_GROUPS, lsoas

#: Census 2021, England: share of usual residents in each high-level ethnic group.
ENGLAND_SHARES = {"White": 0.810, "Asian": 0.096, "Black": 0.042, "Mixed": 0.030, "Other": 0.022}

#: Log-odds of belonging to an ethnic minority group per standard deviation of each
#: neighbourhood covariate (``london`` is 0/1).
MINORITY_EFFECTS = {
    "housing_score": 0.9,
    "environment_score": 0.4,
    "crime_score": 0.3,
    "income_score": 0.1,
    "children": 0.2,
    "older": -0.8,
    "london": 0.4,
}

#: Standard deviations of the MSOA and LSOA random effects on the minority log-odds.
MINORITY_SD = {"msoa": 0.7, "lsoa": 0.35}

#: Minority log-odds offset by census age band (0–15 … 65+): minority groups are younger.
AGE_OFFSETS = (0.46, 0.35, 0.24, 0.06, -0.54, -1.30)

#: Among minority groups, log-odds of each group against Asian per covariate.
COMPOSITION_EFFECTS = {
    "Black": {"london": 1.1, "crime_score": 0.3},
    "Mixed": {"london": 0.2},
    "Other": {"london": 0.5},
}
#: Asian share rises with adult-skills (education) deprivation.
ASIAN_EFFECTS = {"education_score": 0.3}

#: Standard deviation of each group's MSOA random effect in the composition model.
COMPOSITION_SD = 0.6

#: Extra log-odds of the Mixed group by census age band (a young group).
MIXED_AGE_OFFSETS = (0.8, 0.4, 0.0, -0.3, -0.6, -0.8)

#: Seed of the fixed random effects used to calibrate the intercepts.
CALIBRATION_SEED = 0

#: Upper bounds of the numeric parts of MSOA and LSOA codes (sizes of England-wide arrays).
MAX_MSOA, MAX_LSOA = 10_000, 40_000


_SCORES = (
    "income_score",
    "environment_score",
    "crime_score",
    "education_score",
    "housing_score",
)


def _raw(table: pd.DataFrame) -> dict[str, np.ndarray]:
    population = table["population"].to_numpy(dtype="float64")
    raw = {name: table[name].to_numpy(dtype="float64") for name in _SCORES}
    people = np.maximum(population, 1)
    raw["children"] = table["pop_0_15"].to_numpy(dtype="float64") / people
    raw["older"] = table["pop_65_plus"].to_numpy(dtype="float64") / people
    return raw


@cache
def _england_moments() -> dict[str, tuple[float, float]]:
    """Population-weighted mean and standard deviation of each covariate in England."""
    table = lsoas()
    weights = table["population"].to_numpy(dtype="float64")
    moments = {}
    for name, x in _raw(table).items():
        mean = float(np.average(x, weights=weights))
        moments[name] = (mean, float(np.sqrt(np.average((x - mean) ** 2, weights=weights))))
    return moments


def _covariates(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Covariates standardised against England (so a place's values are comparable)."""
    moments = _england_moments()
    out = {name: (x - moments[name][0]) / moments[name][1] for name, x in _raw(table).items()}
    out["london"] = table["lad_code"].str.startswith("E09").to_numpy(dtype="float64")
    return out


def _linear(z: dict[str, np.ndarray], effects: dict[str, float], n: int) -> np.ndarray:
    total = np.zeros(n)
    for name, coef in effects.items():
        total += coef * z[name]
    return total


def _effects(seed: int, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Minority random effect per LSOA and composition random effects (LSOA × 4)."""
    msoa = table["msoa_code"].str[3:].astype("int64").to_numpy()
    lsoa = table["lsoa_code"].str[3:].astype("int64").to_numpy()
    minority_msoa = area_rng(seed, "ethnicity-msoa").standard_normal(MAX_MSOA)
    minority_lsoa = area_rng(seed, "ethnicity-lsoa").standard_normal(MAX_LSOA)
    mix = area_rng(seed, "ethnicity-mix").standard_normal((MAX_MSOA, 4))
    minority = MINORITY_SD["msoa"] * minority_msoa[msoa] + MINORITY_SD["lsoa"] * minority_lsoa[lsoa]
    return minority, COMPOSITION_SD * mix[msoa]


def _fixed(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Fixed parts: minority log-odds (LSOA × band) and composition logits (LSOA × band × 4)."""
    z = _covariates(table)
    n = len(table)
    minority = _linear(z, MINORITY_EFFECTS, n)[:, None] + np.asarray(AGE_OFFSETS)[None, :]
    mix = np.zeros((n, len(AGE_OFFSETS), 4))  # Asian, Black, Mixed, Other
    mix[:, :, 0] += _linear(z, ASIAN_EFFECTS, n)[:, None]
    for k, group in enumerate(("Black", "Mixed", "Other"), start=1):
        mix[:, :, k] += _linear(z, COMPOSITION_EFFECTS[group], n)[:, None]
    mix[:, :, 2] += np.asarray(MIXED_AGE_OFFSETS)[None, :]
    return minority, mix


@dataclass(frozen=True)
class _Parts:
    """Everything but the intercepts, for a table of LSOAs and a seed."""

    minority: np.ndarray  # fixed + random log-odds, LSOA × band
    mix: np.ndarray  # fixed + random composition logits, LSOA × band × 4
    bands: np.ndarray  # census population, LSOA × band


def _parts(table: pd.DataFrame, seed: int) -> _Parts:
    fixed_minority, fixed_mix = _fixed(table)
    random_minority, random_mix = _effects(seed, table)
    return _Parts(
        minority=fixed_minority + random_minority[:, None],
        mix=fixed_mix + random_mix[:, None, :],
        bands=table[list(AGE_GROUPS)].to_numpy(dtype="float64"),
    )


def _combine(parts: _Parts, values: np.ndarray) -> np.ndarray:
    """Probabilities (LSOA × band × 5 groups) for the intercepts ``values``."""
    minority = expit(values[0] + parts.minority)
    logits = parts.mix.copy()
    logits[:, :, 1:] += values[1:][None, None, :]
    mix = np.exp(logits - logits.max(axis=2, keepdims=True))
    mix /= mix.sum(axis=2, keepdims=True)
    return np.concatenate([(1 - minority)[:, :, None], minority[:, :, None] * mix], axis=2)


@cache
def intercepts() -> np.ndarray:
    """Calibrated intercepts: minority log-odds, then Black, Mixed, Other against Asian."""
    parts = _parts(lsoas(), CALIBRATION_SEED)
    weights = parts.bands / parts.bands.sum()
    target = np.array([ENGLAND_SHARES[g] for g in ETHNIC_GROUPS])

    def minority_gap(b0: float) -> float:
        return float((weights * expit(b0 + parts.minority)).sum()) - (1 - target[0])

    values = np.zeros(4)
    values[0] = optimize.brentq(minority_gap, -10.0, 5.0, xtol=1e-12)
    # Shares among minorities: softmax(mix + intercepts) = exp(mix)·exp(intercepts), normalised.
    minority = weights * expit(values[0] + parts.minority)
    exp_mix = np.exp(parts.mix - parts.mix.max(axis=2, keepdims=True))
    for _ in range(100):
        scaled = exp_mix * np.exp(np.concatenate([[0.0], values[1:]]))
        realised = np.einsum("lb,lbk->k", minority / scaled.sum(axis=2), scaled)
        step = np.log(target[2:] / realised[1:]) - np.log(target[1] / realised[0])
        values[1:] += step
        if np.abs(step).max() < 1e-9:
            break
    return values


def probabilities(seed: int, table: pd.DataFrame | None = None) -> np.ndarray:
    """Probability of each ethnic group (LSOA × census age band × group) for ``table``.

    ``table`` defaults to every English LSOA; the random effects of a neighbourhood depend
    only on the seed and its codes, not on which other neighbourhoods are in ``table``.
    """
    table = lsoas() if table is None else table
    return _combine(_parts(table, seed), intercepts())


def draw(u: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Ethnic group codes (0–4, see ``ETHNIC_GROUPS``) from uniforms and per-row probabilities."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative[:, -1] = 1.0
    return (u[:, None] >= cumulative[:, :-1]).sum(axis=1).astype("int8")
