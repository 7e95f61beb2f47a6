"""What is wrong in an imported file: one :class:`Problem` each, raised together."""

from __future__ import annotations

from dataclasses import dataclass

from healthgap.errors import InputError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, located as a spreadsheet shows it."""

    file: str
    row: int | None  # the header is row 1
    column: str | None
    message: str
    letter: str | None = None  # the column's spreadsheet letter, when known

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}" + (f" ({self.letter})" if self.letter else ""))
        return f"{', '.join(where)}: {self.message}"


class PlanImportError(InputError):
    """The file could not be imported; ``problems`` lists every reason (nothing saved)."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{file}: {count}, nothing was imported:\n{lines}")
        self.problems = problems
        self.rows = [p for p in sorted({p.row for p in problems if p.row is not None})]
        columns = {p.column for p in problems}
        self.column = columns.pop() if len(columns) == 1 else None


def fail(name: str, message: str, row: int | None = None) -> PlanImportError:
    """The error for a file that cannot be read any further: one problem, in no column."""
    return PlanImportError(name, [Problem(name, row, None, message)])
