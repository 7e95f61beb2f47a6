"""Typed reads of TOML tables that record problems (with their lines) instead of raising.

Validation reads every key through a :class:`Section`; a wrong value is recorded as a
:class:`~healthgap.indicators._toml.Problem` and replaced by its default, so one pass
finds every problem in a file and :meth:`Checker.raise_if_any` reports them together.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from healthgap.indicators._toml import (
    DefinitionError,
    Locator,
    Path_,
    Problem,
    one_of,
    suggest,
    type_name,
)

_MISSING: Any = object()


class Checker:
    """Collects the problems of one file."""

    def __init__(self, source: str, locator: Locator) -> None:
        self.source = source
        self.locator = locator
        self.problems: list[Problem] = []

    def report(self, path: Path_, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, self.locator.line(path), where, message))

    def raise_if_any(self) -> None:
        if self.problems:
            problems = sorted(self.problems, key=lambda p: p.line or 0)
            raise DefinitionError(problems)


class Section:
    """One TOML table under validation.

    ``label`` names the thing (``"indicator 'flu_65'"``) and ``prefix`` the table's keys
    (``"population."``), so problems read ``indicator 'flu_65' key 'population.sex'``.
    """

    def __init__(
        self,
        checker: Checker,
        data: Mapping[str, Any],
        path: Path_,
        *,
        label: str = "",
        prefix: str = "",
    ) -> None:
        self.checker = checker
        self.data = data
        self.path = path
        self.label = label
        self.prefix = prefix

    def where(self, key: str) -> str:
        named = f"key {self.prefix + key!r}"
        return f"{self.label} {named}" if self.label else named

    def report(self, key: str, message: str, *, element: int | None = None) -> None:
        path = (*self.path, key) if element is None else (*self.path, key, element)
        self.checker.report(path, self.where(key), message)

    def child(self, key: str, data: Mapping[str, Any]) -> Section:
        return Section(
            self.checker, data, (*self.path, key), label=self.label, prefix=f"{self.prefix}{key}."
        )

    def has(self, key: str) -> bool:
        return key in self.data

    def check_keys(self, allowed: Collection[str], required: Collection[str] = ()) -> None:
        """Unknown keys (with a suggestion) and missing required keys."""
        for key in self.data:
            if key not in allowed:
                hint = suggest(key, allowed)
                self.report(key, f"unknown key{hint}; known keys: {one_of(allowed)}")
        for key in required:
            if key not in self.data:
                self.checker.report(self.path, self.where(key), "is required but missing")

    def value(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def string(
        self,
        key: str,
        default: Any = "",
        *,
        choices: Sequence[str] | None = None,
        pattern: re.Pattern[str] | None = None,
        rule: str = "",
        empty: bool = True,
    ) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.report(key, f"must be a string; got {type_name(value)} {value!r}")
            return default
        if choices is not None and value not in choices:
            self.report(key, _not_one_of(choices, value))
            return default
        if pattern is not None and not pattern.fullmatch(value):
            self.report(key, f"must be {rule}; got {value!r}")
            return default
        if not empty and not value.strip():
            self.report(key, "must not be empty")
            return default
        return value

    def integer(
        self,
        key: str,
        default: Any = None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"must be a whole number; got {type_name(value)} {value!r}")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.report(key, f"must be {_range(minimum, maximum)}; got {value}")
            return default
        return value

    def number(self, key: str, default: Any = None, *, positive: bool = False) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.report(key, f"must be a number; got {type_name(value)} {value!r}")
            return default
        if positive and not 0 < value < float("inf"):
            self.report(key, f"must be a positive number; got {value}")
            return default
        if value in (float("inf"), float("-inf")):
            self.report(key, f"must be a finite number; got {value}")
            return default
        return float(value)

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.report(key, f"must be true or false; got {type_name(value)} {value!r}")
            return default
        return value

    def strings(
        self, key: str, default: tuple[str, ...] = (), *, choices: Sequence[str] | None = None
    ) -> tuple[str, ...]:
        """A list of distinct strings (each one of ``choices`` if given)."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return default
        example = "e.g. [" + ", ".join(f'"{c}"' for c in (choices or ["x"])[:2]) + "]"
        if not isinstance(value, list):
            self.report(key, f"must be a list of strings, {example}; got {type_name(value)}")
            return default
        good: list[str] = []
        for position, item in enumerate(value):
            if not isinstance(item, str):
                self.report(
                    key, f"item {position + 1} must be a string; got {item!r}", element=position
                )
            elif choices is not None and item not in choices:
                self.report(key, _not_one_of(choices, item), element=position)
            elif item in good:
                self.report(key, f"{item!r} is listed twice", element=position)
            else:
                good.append(item)
        return tuple(good)

    def table(self, key: str) -> Mapping[str, Any] | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.report(key, f"must be a table; got {type_name(value)} {value!r}")
            return None
        return value


def _not_one_of(choices: Sequence[str], value: str) -> str:
    return f"must be one of {one_of(choices)}; got {value!r}{suggest(value, choices)}"


def _range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    return f"at least {minimum}" if minimum is not None else f"at most {maximum}"
