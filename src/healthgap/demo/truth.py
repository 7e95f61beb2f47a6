"""truth.json: every built-in rate and gradient of a run, and the planted neighbourhoods.

Analyses of the synthetic files should recover these numbers (within sampling error):
life expectancy at birth by sex and decile, uptake by decile for the reference person,
condition risks, admission rates, the birth rule, and the planted low-uptake
neighbourhoods.
"""

from __future__ import annotations

from typing import Any

from healthgap.demo import (
    admissions,
    births,
    conditions,
    ethnicity,
    mortality,
    persons,
    plus,
    practices,
    screening,
    smoking,
    vaccination,
)
from healthgap.demo.events import CONCEPTS
from healthgap.demo.geography import (
    PLANTED_CONCEPT,
    PLANTED_CUT,
    PLANTED_MAX,
    PLANTED_MIN,
    PLANTED_SHARE,
    Geography,
)


def truth(
    geo: Geography, *, seed: int, scale: float, version: str, counts: dict[str, Any]
) -> dict[str, Any]:
    """The truth.json document of a run (deterministic: no timestamps)."""
    areas = geo.areas
    return {
        "synthetic": True,
        "notice": "SYNTHETIC data: generated people on real English geography, not patients",
        "software": {"name": "healthgap", "version": version},
        "seed": seed,
        "scale": scale,
        "place": {"code": geo.place.code, "name": geo.place.name},
        "census_day": "2021-03-21",
        "period": {"start": "2021-04-01", "end": "2026-03-31"},
        "counts": counts,
        "concepts": list(CONCEPTS),
        "planted": {
            "concept": PLANTED_CONCEPT,
            "lsoa_codes": geo.planted_codes,
            "cut_percentage_points": round(100 * PLANTED_CUT),
            "rule": f"{PLANTED_SHARE:.1%} of the place's LSOAs (at least {PLANTED_MIN}, at "
            f"most {PLANTED_MAX}, at most a third of the candidates), chosen from the seed "
            "among LSOAs with at least the place's upper-quartile number of census residents "
            "aged 65+",
        },
        "neighbourhoods": {
            "lsoas": len(areas),
            "msoas": len(geo.msoa_codes),
            "persons_by_imd_decile": {
                str(d): int(areas.loc[areas["imd_decile"] == d, "persons"].sum())
                for d in range(1, 11)
            },
        },
        "population": {
            "age_weights_65_plus": {
                "shares_65_69_to_90_plus": list(persons.OLDER_SHARES),
                "over_90_ratio": persons.OVER_90_RATIO,
                "max_age": persons.MAX_AGE,
            },
            "female_share_by_age": {str(a): s for a, s in persons.FEMALE_SHARE},
            "yearly_move_away_rate_by_age": {f"{a}+": r for a, r in persons.MOVE_AWAY},
            "registered_from": "2021-04-01 for census-day residents (the record opens); "
            "the birth date for babies born in the record",
        },
        "births": births.truth(),
        "ethnicity": {
            "england_shares": ethnicity.ENGLAND_SHARES,
            "minority_effects_per_sd": ethnicity.MINORITY_EFFECTS,
            "minority_random_effect_sd": ethnicity.MINORITY_SD,
            "minority_age_offsets": list(ethnicity.AGE_OFFSETS),
            "composition_effects": {
                "Asian": ethnicity.ASIAN_EFFECTS,
                **ethnicity.COMPOSITION_EFFECTS,
            },
            "composition_random_effect_sd": ethnicity.COMPOSITION_SD,
            "mixed_age_offsets": list(ethnicity.MIXED_AGE_OFFSETS),
            "intercepts": [round(float(v), 6) for v in ethnicity.intercepts()],
            "place_expected_shares": _place_shares(geo),
        },
        "practices": {
            "count": len(geo.practices.table),
            "per_msoa": [practices.MIN_PER_MSOA, practices.MAX_PER_MSOA],
            "residents_per_practice": practices.RESIDENTS_PER_PRACTICE,
            "own_msoa_share": practices.OWN_MSOA_SHARE,
            "uptake_effect_sd": practices.PRACTICE_EFFECT_SD,
            "uptake_log_odds_effect": {
                str(code): round(float(effect), 6)
                for code, effect in zip(
                    geo.practices.table["practice_code"], geo.practices.effect, strict=True
                )
            },
        },
        "plus_flags": {name: model.truth() for name, model in plus.MODELS.items()},
        "mortality": {
            "life_expectancy_at_birth": mortality.model_life_expectancy(),
            "method": "Chiang II abridged life table (healthgap.life_expectancy) of the "
            "model's band death rates in a stationary population",
            "hazards": {sex: h.__dict__ for sex, h in mortality.HAZARDS.items()},
            "targets": {sex: list(t) for sex, t in mortality.TARGETS.items()},
        },
        "conditions": {name: model.truth() for name, model in conditions.MODELS.items()},
        "smoking_status": smoking.truth(),
        "prevention": {**vaccination.truth(), **screening.truth()},
        "emergency_admission": admissions.truth(),
    }


def _place_shares(geo: Geography) -> dict[str, float]:
    weights = geo.counts[:, :, None] * geo.ethnic
    shares = weights.sum(axis=(0, 1)) / max(geo.counts.sum(), 1)
    return {g: round(float(s), 4) for g, s in zip(ethnicity.ETHNIC_GROUPS, shares, strict=True)}
