"""Reading TOML settings files with errors that name the file, the line and the key.

``tomllib`` parses but keeps no positions, so :class:`Locator` scans the text once to
find the line of every table header, key and (multi-line) array element. Validation then
collects :class:`Problem` s and raises them together as one :class:`DefinitionError`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from healthgap.errors import InputError

Path_ = tuple[str | int, ...]

_MAX_PROBLEMS_SHOWN = 20

_BARE = r"[A-Za-z0-9_-]+"
_PART = rf"(?:{_BARE}|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_ARRAY_HEADER = re.compile(rf"\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"\s*\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"\s*({_DOTTED})\s*=")
_ONE_PART = re.compile(_PART)
_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a settings file."""

    source: str
    line: int | None
    where: str  # e.g. "indicator 'flu_65' key 'method'"
    message: str

    def __str__(self) -> str:
        at = f", line {self.line}" if self.line is not None else ""
        where = f", {self.where}" if self.where else ""
        return f"{self.source}{at}{where}: {self.message}"


class DefinitionError(InputError):
    """A settings or catalogue file that cannot be used; lists every problem found.

    Attributes
    ----------
    problems : list of Problem
        Each with ``source`` (file), ``line`` (1-based or None), ``where`` and ``message``.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:_MAX_PROBLEMS_SHOWN]]
        extra = len(self.problems) - len(shown)
        if extra:
            shown.append(f"… and {extra} more problem(s)")
        super().__init__("\n".join(shown))

    @property
    def source(self) -> str:
        return self.problems[0].source

    @property
    def line(self) -> int | None:
        return self.problems[0].line


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse ``text``; a syntax error becomes a :class:`DefinitionError` with line/column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.match(str(error))
        if found is None:
            raise DefinitionError([Problem(source, None, "", f"not valid TOML: {error}")]) from None
        message = f"not valid TOML: {found['what']} (column {found['col']})"
        raise DefinitionError([Problem(source, int(found["line"]), "", message)]) from None


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``options``, or ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_of(options: Iterable[str]) -> str:
    return ", ".join(options)


def type_name(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


class Locator:
    """The line of every header, key and array element of a (valid) TOML text.

    Paths are tuples of keys, with the index of array-of-tables elements after their
    name: the ``kind`` key of the ``[indicator.numerator]`` table of the third
    ``[[indicator]]`` is ``("indicator", 2, "numerator", "kind")``. :meth:`line` falls
    back to the nearest enclosing thing that has a line (a key's table header, an inline
    table's key), so every path gets the best line known.

    Examples
    --------
    >>> text = '[[indicator]]\\nid = "a"\\n\\n[[indicator]]\\nid = "b"\\n'
    >>> text += 'breakdowns = [\\n  "sex",\\n]'
    >>> where = Locator(text)
    >>> where.line(("indicator", 1, "id")), where.line(("indicator", 1, "breakdowns", 0))
    (5, 7)
    >>> where.line(("indicator", 1, "title"))  # missing: the table's header
    4
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[Path_, int] = {}
        self._arrays: dict[Path_, int] = {}
        self._scan(text)

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest enclosing item (None: not found)."""
        here = tuple(path)
        while here:
            if here in self.lines:
                return self.lines[here]
            here = here[:-1]
        return None

    def tables(self, name: str) -> int:
        """How many ``[[name]]`` headers the text has at the top level."""
        return self._arrays.get((name,), 0)

    def _scan(self, text: str) -> None:
        table: Path_ = ()
        self._multiline: str | None = None
        self._stack: list[str] = []
        self._value: Path_ = ()
        self._element = 0
        self._expect = False
        for number, line in enumerate(text.splitlines(), start=1):
            start = 0
            if self._multiline is None and not self._stack:
                array = _ARRAY_HEADER.match(line)
                header = array or _TABLE_HEADER.match(line)
                if header is not None:
                    table = self._resolve(_parts(header[1]), array=array is not None)
                    for depth in range(1, len(table) + 1):  # and implied parents
                        self.lines.setdefault(table[:depth], number)
                    continue
                key = _KEY.match(line)
                if key is None:
                    continue
                parts = _parts(key[1])
                for depth in range(1, len(parts) + 1):
                    self.lines.setdefault(table + tuple(parts[:depth]), number)
                self._value = table + tuple(parts)
                start = key.end()
            self._scan_value(line, start, number)

    def _resolve(self, parts: list[str], *, array: bool) -> Path_:
        path: Path_ = ()
        for position, part in enumerate(parts):
            path += (part,)
            if array and position == len(parts) - 1:
                count = self._arrays.get(path, 0)
                self._arrays[path] = count + 1
                path += (count,)
            elif path in self._arrays:
                path += (self._arrays[path] - 1,)
        return path

    def _scan_value(self, line: str, i: int, number: int) -> None:
        """Follow strings, brackets and commas, recording each top-level array element."""
        while i < len(line):
            if self._multiline is not None:
                end = line.find(self._multiline, i)
                if end < 0:
                    return
                i = end + 3
                self._multiline = None
                continue
            char = line[i]
            if char in " \t":
                i += 1
                continue
            if char == "#":
                return
            if self._stack == ["["] and self._expect and char not in ",]":
                self.lines.setdefault((*self._value, self._element), number)
                self._expect = False
            if line.startswith(('"""', "'''"), i):
                self._multiline = line[i : i + 3]
                i += 3
                continue
            if char == '"':
                i = _end_of_basic_string(line, i + 1)
                continue
            if char == "'":
                end = line.find("'", i + 1)
                i = len(line) if end < 0 else end + 1
                continue
            if char in "[{":
                self._stack.append(char)
                if self._stack == ["["]:
                    self._element, self._expect = 0, True
            elif char in "]}":
                if self._stack:
                    self._stack.pop()
            elif char == "," and self._stack == ["["]:
                self._element += 1
                self._expect = True
            i += 1


def _end_of_basic_string(line: str, i: int) -> int:
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == '"':
            return i + 1
        else:
            i += 1
    return len(line)


def _parts(dotted: str) -> list[str]:
    parts = []
    for part in _ONE_PART.findall(dotted):
        if part[:1] in "\"'" and len(part) >= 2:
            part = part[1:-1]
        parts.append(part)
    return parts
