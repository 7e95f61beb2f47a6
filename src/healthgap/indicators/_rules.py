"""Rules across keys of an indicator definition: what each method needs, targets, and
which breakdowns make sense for its population."""

from __future__ import annotations

from typing import Any

from healthgap.indicators._checks import Section
from healthgap.indicators._toml import suggest
from healthgap.indicators.definition import AREA_BREAKDOWNS, BREAKDOWNS, Numerator, Population

#: Numerator kinds each method can use.
METHOD_KINDS: dict[str, tuple[str, ...]] = {
    "proportion": ("event", "condition"),
    "rate": ("event",),
    "dsr": ("event",),
    "isr": ("event",),
    "life_expectancy": ("event",),
    "mean": ("value",),
}
#: Start ages of the life table's bands: life expectancy is given at one of these.
LIFE_TABLE_AGES: tuple[int, ...] = (0, 1, *range(5, 95, 5))


def breakdown_problem(parts: list[str]) -> str | None:
    """What is wrong with a breakdown (``parts`` split at "*"), or None."""
    for part in parts:
        if part not in BREAKDOWNS:
            hint = suggest(part, BREAKDOWNS)
            return f"unknown breakdown {part!r}{hint}; known: {', '.join(BREAKDOWNS)}"
    if len(parts) > 2:
        return "a cross-breakdown joins two breakdowns, e.g. 'ethnicity*imd_quintile'"
    if len(parts) == 2 and parts[0] == parts[1]:
        return f"a cross-breakdown joins two different breakdowns; got {'*'.join(parts)!r}"
    if len(parts) == 2 and all(part in AREA_BREAKDOWNS for part in parts):
        return "a cross-breakdown can have at most one area breakdown (lsoa, msoa, lad, practice)"
    return None


def method_rules(
    s: Section, method: str, numerator: Numerator, population: Population, multiplier: Any
) -> None:
    """What the method needs of the numerator, the population and the multiplier."""
    kinds = METHOD_KINDS[method]
    if numerator.kind not in kinds:
        wanted = " or ".join(f'"{k}"' for k in kinds)
        s.child("numerator", {}).report(
            "kind", f"method {method!r} needs kind = {wanted}; got {numerator.kind!r}"
        )
    if numerator.window_days is not None and not (
        (method == "proportion" and numerator.kind == "event") or method == "mean"
    ):
        s.child("numerator", {}).report(
            "window_days",
            "applies only to proportions of events and means (the period is the exposure "
            f"of method {method!r}; a condition counts whenever it was diagnosed)",
        )
    if numerator.value_in and numerator.kind == "value":
        s.child("numerator", {}).report("value_in", 'does not apply to kind = "value"')
    if method in ("life_expectancy", "mean") and multiplier is not None:
        s.report("multiplier", f"does not apply to method {method!r}")
    if method == "life_expectancy":
        if population.max_age is not None:
            s.child("population", {}).report(
                "max_age", "must not be set for life expectancy (the life table is open-ended)"
            )
        if population.min_age not in LIFE_TABLE_AGES:
            s.child("population", {}).report(
                "min_age",
                "is the age life expectancy is given at and must start a life-table band "
                f"({', '.join(map(str, LIFE_TABLE_AGES))}); got {population.min_age}",
            )


def target_rules(
    s: Section, method: str | None, multiplier: float | None, polarity: str, target: float
) -> None:
    """A target needs a direction and must lie on the indicator's scale."""
    if polarity == "no judgement":
        s.report("target", 'needs a polarity ("higher-is-better" or "lower-is-better")')
    if target < 0:
        s.report("target", f"must not be negative; got {target:g}")
    scale = multiplier if multiplier is not None else 100.0
    if method == "proportion" and target > scale:
        s.report("target", f"is on the indicator's scale (0–{scale:g}); got {target:g}")


def breakdown_rules(
    s: Section, population: Population, breakdowns: tuple[str, ...], method: str | None
) -> None:
    """Breakdowns that would have a single category, or make no sense for the method."""
    raw = s.value("breakdowns")
    for name in breakdowns:
        parts = name.split("*")
        position = raw.index(name) if isinstance(raw, list) and name in raw else None
        reasons = []
        if population.sex is not None and "sex" in parts:
            reasons.append(f"the population is sex {population.sex!r} only")
        reasons += [f"the population is {flag} only" for flag in population.flags if flag in parts]
        if method == "life_expectancy" and "age_band" in parts:
            reasons.append("life expectancy is computed over all ages")
        for reason in reasons:
            s.report("breakdowns", f"{name!r}: {reason}", element=position)
