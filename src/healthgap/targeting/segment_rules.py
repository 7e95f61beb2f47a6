"""Rules that put every person in one population segment, as SQL ``CASE`` expressions.

Two rule sets, each a small frozen dataclass whose fields are its thresholds and the
concepts it reads (all configurable, e.g. from a ``[segments]`` TOML table via
:func:`rules_from_mapping`):

- :class:`BridgesRules` — the eight segments of *Bridges to Health* (Lynn et al. 2007),
  approximated from age, long-term conditions, PLUS flags, emergency admissions and deaths;
- :class:`NeedTierRules` — three tiers of need (universal, targeted, specialist) from the
  count of long-term conditions, PLUS flags and emergency admissions.

Both read a table of per-person *features* (built by :mod:`~healthgap.targeting.segments`):
``age`` (on the period's last day), ``infant`` (under one at some time in the period),
``ltcs`` (long-term conditions recorded by the period's end), ``has_<concept>`` for each
condition, ``admissions`` (emergency admissions in the period), ``died`` (in the period)
and the PLUS flags (false when missing). The first rule that holds wins; the order is part
of each rule set's documentation (docs/targeting.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import ibis
import ibis.expr.types as ir

from healthgap.errors import InputError

#: Long-term conditions of the demo data (docs/synthetic-data.md) counted by default.
LTC_CONCEPTS: tuple[str, ...] = ("hypertension", "diabetes", "copd", "asthma", "chd", "depression")
PLUS_FLAGS: tuple[str, ...] = ("learning_disability", "severe_mental_illness", "carer", "homeless")
ADMISSION = "emergency_admission"


def _any(t: ir.Table, columns: tuple[str, ...]) -> ir.BooleanValue:
    out: ir.BooleanValue = ibis.literal(False)
    for column in columns:
        out |= t[column]
    return out


def _count(t: ir.Table, columns: tuple[str, ...]) -> ir.IntegerValue:
    out: ir.IntegerValue = ibis.literal(0, "int64")
    for column in columns:
        out += t[column].ifelse(1, 0)
    return out


@dataclass(frozen=True)
class BridgesRules:
    """Bridges to Health's eight segments, approximated from primary-care records.

    Assigned in this order (the first that holds wins):

    1. ``short_decline`` — died in the period, aged under ``frailty_age``, without an
       organ-failure or frailty condition (the trajectory of most cancer deaths);
    2. ``organ_failure`` — an ``organ_failure`` condition (COPD, CHD) and at least
       ``exacerbation_admissions`` emergency admissions, or death, in the period;
    3. ``frailty`` — a ``frailty_conditions`` concept (e.g. dementia), or aged
       ``frailty_age`` or over with ``frailty_ltcs`` or more conditions, an emergency
       admission or death in the period;
    4. ``disability`` — a ``disability_flags`` flag (learning disability);
    5. ``maternal_infant`` — under one year old at some time in the period (no pregnancy
       records: mothers cannot be identified);
    6. ``chronic`` — at least one long-term condition or a ``chronic_flags`` flag (severe
       mental illness);
    7. ``acutely_ill`` — at least one emergency admission in the period;
    8. ``healthy`` — everyone else.
    """

    name: ClassVar[str] = "bridges"
    SEGMENTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("healthy", "Healthy"),
        ("maternal_infant", "Maternal and infant health"),
        ("acutely_ill", "Acutely ill, mostly curable"),
        ("chronic", "Chronic conditions, normal function"),
        ("disability", "Stable but serious disability"),
        ("short_decline", "Short period of decline before dying"),
        ("organ_failure", "Limited reserve and serious exacerbations"),
        ("frailty", "Long period of decline (frailty, dementia)"),
    )

    conditions: tuple[str, ...] = LTC_CONCEPTS
    organ_failure: tuple[str, ...] = ("copd", "chd")
    frailty_conditions: tuple[str, ...] = ("dementia",)
    frailty_age: int = 85
    frailty_ltcs: int = 2
    exacerbation_admissions: int = 1
    disability_flags: tuple[str, ...] = ("learning_disability",)
    chronic_flags: tuple[str, ...] = ("severe_mental_illness",)
    admission: str = ADMISSION

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def concepts(self) -> tuple[str, ...]:
        """Every condition concept the rules read."""
        return tuple(dict.fromkeys([*self.conditions, *self.organ_failure,
                                    *self.frailty_conditions]))  # fmt: skip

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.disability_flags, *self.chronic_flags]))

    def assign(self, t: ir.Table) -> ir.StringValue:
        """The segment of each row of the features table ``t``."""
        organ = _any(t, tuple(f"has_{c}" for c in self.organ_failure))
        events = (t.admissions >= self.exacerbation_admissions) | t.died
        old = t.age >= self.frailty_age
        dementia = _any(t, tuple(f"has_{c}" for c in self.frailty_conditions))
        frail = dementia | (old & ((t.ltcs >= self.frailty_ltcs) | (t.admissions >= 1) | t.died))
        return ibis.cases(
            (t.died & ~old & ~organ & ~dementia, "short_decline"),
            (organ & events, "organ_failure"),
            (frail, "frailty"),
            (_any(t, self.disability_flags), "disability"),
            (t.infant, "maternal_infant"),
            ((t.ltcs >= 1) | _any(t, self.chronic_flags), "chronic"),
            (t.admissions >= 1, "acutely_ill"),
            else_="healthy",
        )


@dataclass(frozen=True)
class NeedTierRules:
    """Three tiers of need for proportionate universalism.

    1. ``specialist`` — ``specialist_ltcs`` or more long-term conditions, or
       ``specialist_admissions`` or more emergency admissions in the period;
    2. ``targeted`` — ``targeted_ltcs`` or more conditions, ``targeted_plus`` or more
       PLUS flags (of ``plus_flags``), or ``targeted_admissions`` or more admissions;
    3. ``universal`` — everyone else.
    """

    name: ClassVar[str] = "need_tiers"
    SEGMENTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("universal", "Universal"),
        ("targeted", "Targeted"),
        ("specialist", "Specialist"),
    )

    conditions: tuple[str, ...] = LTC_CONCEPTS
    plus_flags: tuple[str, ...] = PLUS_FLAGS
    specialist_ltcs: int = 3
    specialist_admissions: int = 2
    targeted_ltcs: int = 1
    targeted_plus: int = 1
    targeted_admissions: int = 1
    admission: str = ADMISSION

    def __post_init__(self) -> None:
        _validate(self)
        for tier in ("ltcs", "admissions"):
            low, high = getattr(self, f"targeted_{tier}"), getattr(self, f"specialist_{tier}")
            if low > high:
                raise InputError(
                    f"segment rule 'targeted_{tier}' ({low}) must not exceed "
                    f"'specialist_{tier}' ({high})"
                )

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.conditions))

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.plus_flags))

    def assign(self, t: ir.Table) -> ir.StringValue:
        """The tier of each row of the features table ``t``."""
        plus = _count(t, self.plus_flags)
        return ibis.cases(
            ((t.ltcs >= self.specialist_ltcs) | (t.admissions >= self.specialist_admissions),
             "specialist"),
            ((t.ltcs >= self.targeted_ltcs) | (plus >= self.targeted_plus)
             | (t.admissions >= self.targeted_admissions), "targeted"),
            else_="universal",
        )  # fmt: skip


Rules = BridgesRules | NeedTierRules
RULES: dict[str, type[BridgesRules] | type[NeedTierRules]] = {
    BridgesRules.name: BridgesRules,
    NeedTierRules.name: NeedTierRules,
}


def rules_from_mapping(mapping: Mapping[str, Any], name: str | None = None) -> Rules:
    """Rules from a ``[segments]`` table: ``rules = "bridges"`` (or ``"need_tiers"``) and
    optional sub-tables ``[segments.bridges]``, ``[segments.need_tiers]`` of settings.

    ``name`` overrides ``mapping["rules"]``.

    Raises
    ------
    InputError
        Unknown rule set, unknown setting, or a setting of the wrong type or range.

    Examples
    --------
    >>> rules_from_mapping({"rules": "need_tiers", "need_tiers": {"specialist_ltcs": 4}})
    ... # doctest: +ELLIPSIS
    NeedTierRules(conditions=(...), ..., specialist_ltcs=4, ...)
    """
    if not isinstance(mapping, Mapping):
        raise InputError(f"the segment settings must be a table, got {type(mapping).__name__}")
    unknown = [k for k in mapping if k != "rules" and k not in RULES]
    if unknown:
        raise InputError(f"unknown [segments] key(s) {', '.join(map(repr, unknown))}; "
                         f"the keys are rules, {', '.join(RULES)}")  # fmt: skip
    chosen = name if name is not None else mapping.get("rules", BridgesRules.name)
    if chosen not in RULES:
        raise InputError(f"unknown segment rules {chosen!r}; choose one of {', '.join(RULES)}")
    settings = mapping.get(chosen, {})
    if not isinstance(settings, Mapping):
        raise InputError(f"[segments.{chosen}] must be a table")
    cls = RULES[chosen]
    allowed = [f.name for f in fields(cls)]
    bad = [k for k in settings if k not in allowed]
    if bad:
        raise InputError(f"unknown [segments.{chosen}] setting(s) {', '.join(map(repr, bad))}; "
                         f"the settings are {', '.join(allowed)}")  # fmt: skip
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in settings.items()
    }
    return cls(**values)


def rules_named(rules: str | Rules) -> Rules:
    """``rules`` itself, or the default rules of that name."""
    if isinstance(rules, (BridgesRules, NeedTierRules)):
        return rules
    if rules not in RULES:
        raise InputError(f"unknown segment rules {rules!r}; choose one of {', '.join(RULES)}")
    return RULES[rules]()


def _validate(rules: Rules) -> None:
    for field in fields(rules):
        value = getattr(rules, field.name)
        if field.type in ("int",):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"segment rule {field.name!r} must be a whole number of 0 "
                                 f"or more, got {value!r}")  # fmt: skip
        elif field.type == "str":
            if not isinstance(value, str) or not value:
                raise InputError(f"segment rule {field.name!r} must be a concept name, "
                                 f"got {value!r}")  # fmt: skip
        elif not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
            raise InputError(f"segment rule {field.name!r} must be a list of names, "
                             f"got {value!r}")  # fmt: skip
