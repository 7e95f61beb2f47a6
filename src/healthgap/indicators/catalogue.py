"""Reading and validating indicator definitions (``[[indicator]]`` tables) from TOML.

A catalogue is a TOML file of ``[[indicator]]`` tables, each with ``[indicator.population]``
and ``[indicator.numerator]`` sub-tables (the format is described in ``docs/indicators.md``).
Every problem in the file is reported at once, each naming the file, the line and the key::

    healthgap.toml, line 42, indicator 'flu_65' key 'method': must be one of proportion,
    rate, dsr, isr, life_expectancy, mean; got 'propotion' (did you mean 'proportion'?)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import MISSING, asdict, fields
from pathlib import Path
from typing import Any

from healthgap.errors import InputError
from healthgap.indicators import _rules as rules
from healthgap.indicators._checks import Checker, Section
from healthgap.indicators._rules import LIFE_TABLE_AGES, METHOD_KINDS
from healthgap.indicators._toml import DefinitionError, Locator, parse_toml
from healthgap.indicators.definition import (
    CORE20PLUS5_AREAS,
    MARMOT_PRINCIPLES,
    METHODS,
    PERIOD_KINDS,
    POLARITIES,
    Indicator,
    Numerator,
    Population,
)

#: Keys of an ``[[indicator]]`` table and of its sub-tables (from the dataclasses).
INDICATOR_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Indicator))
POPULATION_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Population))
NUMERATOR_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Numerator))
REQUIRED_KEYS: tuple[str, ...] = ("id", "title", "method", "numerator")

#: PLUS-group flags: boolean columns of the persons table.
PLUS_FLAGS: tuple[str, ...] = ("learning_disability", "severe_mental_illness", "carer", "homeless")
SEXES: tuple[str, ...] = ("F", "M")
KINDS: tuple[str, ...] = ("event", "condition", "value")

MAX_AGE = 120

__all__ = [
    "INDICATOR_KEYS",
    "LIFE_TABLE_AGES",
    "METHOD_KINDS",
    "NUMERATOR_KEYS",
    "PLUS_FLAGS",
    "POPULATION_KEYS",
    "DefinitionError",
    "definitions_sha256",
    "load_catalogue",
    "parse_catalogue",
    "read_indicators",
]

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
_ID_RULE = "a lower-case name: a letter, then letters, digits or _ (e.g. 'flu_65')"
_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(Indicator) if f.default is not MISSING
}


def load_catalogue(path: str | Path) -> tuple[Indicator, ...]:
    """The indicators of the catalogue file ``path``.

    Raises
    ------
    InputError
        The file is missing, not valid TOML or has invalid definitions (a
        ``DefinitionError`` listing each problem with the file, line and key).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no indicator catalogue at {path}") from None
    return parse_catalogue(text, source=str(path))


def parse_catalogue(text: str, *, source: str = "<string>") -> tuple[Indicator, ...]:
    """The indicators declared in the TOML ``text`` (``source`` names it in errors).

    Examples
    --------
    >>> text = '''
    ... [[indicator]]
    ... id = "diabetes_prevalence"
    ... title = "Diabetes: recorded prevalence (17+)"
    ... method = "proportion"
    ... population = { min_age = 17 }
    ... numerator = { concept = "diabetes", kind = "condition" }
    ... '''
    >>> (indicator,) = parse_catalogue(text)
    >>> indicator.population.min_age, indicator.numerator.kind
    (17, 'condition')
    >>> parse_catalogue(text.replace("proportion", "propotion"), source="my.toml")
    Traceback (most recent call last):
    ...
    healthgap.indicators._toml.DefinitionError: my.toml, line 5, indicator \
'diabetes_prevalence' key 'method': must be one of proportion, rate, dsr, isr, \
life_expectancy, mean; got 'propotion' (did you mean 'proportion'?)
    """
    document = parse_toml(text, source)
    checker = Checker(source, Locator(text))
    Section(checker, document, ()).check_keys(("indicator",))
    indicators = read_indicators(document, checker)
    checker.raise_if_any()
    return indicators


def read_indicators(document: Mapping[str, Any], checker: Checker) -> tuple[Indicator, ...]:
    """Validate the document's ``indicator`` array, recording problems in ``checker``."""
    tables = document.get("indicator", [])
    if isinstance(tables, dict):
        checker.report(
            ("indicator",),
            "key 'indicator'",
            "write each indicator as an [[indicator]] table (double brackets), not [indicator]",
        )
        return ()
    if not isinstance(tables, list):
        checker.report(("indicator",), "key 'indicator'", "must be [[indicator]] tables")
        return ()
    indicators: list[Indicator] = []
    first_line: dict[str, int | None] = {}
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            checker.report(("indicator", index), f"indicator #{index + 1}", "must be a table")
            continue
        section = _section(checker, table, index)
        indicator = _indicator(section)
        identifier = table.get("id")
        if isinstance(identifier, str):
            if identifier in first_line:
                first = first_line[identifier]
                section.report(
                    "id", f"{identifier!r} is already the id of the indicator on line {first}"
                )
                continue
            first_line[identifier] = checker.locator.line(("indicator", index))
        if indicator is not None:
            indicators.append(indicator)
    return tuple(indicators)


def definitions_sha256(indicators: tuple[Indicator, ...]) -> str:
    """SHA-256 of the definitions' content: unchanged by comments, layout or key order.

    >>> definitions_sha256(()) == definitions_sha256(())
    True
    """
    canonical = json.dumps([asdict(i) for i in indicators], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _section(checker: Checker, table: Mapping[str, Any], index: int) -> Section:
    identifier = table.get("id")
    label = f"indicator {identifier!r}" if isinstance(identifier, str) and identifier else None
    return Section(checker, table, ("indicator", index), label=label or f"indicator #{index + 1}")


def _indicator(s: Section) -> Indicator | None:
    before = len(s.checker.problems)
    s.check_keys(INDICATOR_KEYS, required=REQUIRED_KEYS)
    identifier = s.string("id", None, pattern=ID_PATTERN, rule=_ID_RULE)
    title = s.string("title", None, empty=False)
    method = s.string("method", None, choices=METHODS)
    multiplier = s.number("multiplier", None, positive=True)
    polarity = s.string("polarity", _DEFAULTS["polarity"], choices=POLARITIES)
    target = s.number("target", None)
    population = _population(s)
    numerator = _numerator(s)
    breakdowns = _breakdowns(s)
    values = {
        "unit": s.string("unit", _DEFAULTS["unit"]),
        "periods": s.string("periods", _DEFAULTS["periods"], choices=PERIOD_KINDS),
        "marmot": s.strings("marmot", choices=tuple(MARMOT_PRINCIPLES)),
        "core20plus5": s.strings("core20plus5", choices=CORE20PLUS5_AREAS),
        "description": s.string("description", _DEFAULTS["description"]),
    }
    if method is not None and numerator is not None and population is not None:
        rules.method_rules(s, method, numerator, population, multiplier)
    if target is not None:
        rules.target_rules(s, method, multiplier, polarity, target)
    if population is not None:
        rules.breakdown_rules(s, population, breakdowns, method)
    if len(s.checker.problems) > before or numerator is None or population is None:
        return None
    return Indicator(
        id=identifier,
        title=title,
        method=method,
        numerator=numerator,
        population=population,
        multiplier=multiplier,
        polarity=polarity,
        target=target,
        breakdowns=breakdowns,
        **values,
    )


def _population(s: Section) -> Population | None:
    table = s.table("population")
    if table is None:
        return None if s.has("population") else Population()
    p = s.child("population", table)
    p.check_keys(POPULATION_KEYS)
    min_age = p.integer("min_age", 0, minimum=0, maximum=MAX_AGE)
    max_age = p.integer("max_age", None, minimum=0, maximum=MAX_AGE)
    if max_age is not None and max_age < min_age:
        p.report("max_age", f"must be at least min_age ({min_age}); got {max_age}")
        max_age = None
    conditions = p.strings("conditions")
    any_condition = p.boolean("any_condition")
    if any_condition and not conditions:
        p.report("any_condition", "needs a list of conditions (population.conditions)")
    return Population(
        min_age=min_age,
        max_age=max_age,
        sex=p.string("sex", None, choices=SEXES),
        flags=p.strings("flags", choices=PLUS_FLAGS),
        conditions=conditions,
        any_condition=any_condition,
    )


def _numerator(s: Section) -> Numerator | None:
    table = s.table("numerator")
    if table is None:
        return None
    n = s.child("numerator", table)
    n.check_keys(NUMERATOR_KEYS, required=("concept",))
    concept = n.string("concept", None, empty=False)
    kind = n.string("kind", "event", choices=KINDS)
    window_days = n.integer("window_days", None, minimum=1, maximum=MAX_AGE * 366)
    value_in = n.strings("value_in")
    if concept is None:
        return None
    return Numerator(concept=concept, kind=kind, window_days=window_days, value_in=value_in)


def _breakdowns(s: Section) -> tuple[str, ...]:
    names = s.strings("breakdowns", _DEFAULTS["breakdowns"])
    good: list[str] = []
    seen: set[frozenset[str]] = set()
    raw = s.value("breakdowns")
    for name in names:
        position = raw.index(name) if isinstance(raw, list) and name in raw else None
        parts = [part.strip() for part in name.split("*")]
        problem = rules.breakdown_problem(parts)
        if problem is None and frozenset(parts) in seen:
            problem = f"{name!r} repeats an earlier breakdown"
        if problem is not None:
            s.report("breakdowns", problem, element=position)
            continue
        seen.add(frozenset(parts))
        good.append("*".join(parts))
    return tuple(good)
