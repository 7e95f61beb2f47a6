"""The exceptions healthgap raises for problems users can fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_MAX_ROWS_SHOWN = 10


class InputError(ValueError):
    """Input data that a method or command cannot use.

    The message says what was expected and, where it applies, names the column and the
    rows at fault, so that an analyst can find and fix them without a traceback into
    numpy or pandas.

    Attributes
    ----------
    column : str or None
        The column at fault.
    rows : list
        Index labels of the offending rows (possibly empty).
    """

    def __init__(
        self,
        message: str,
        *,
        column: str | None = None,
        rows: Iterable[object] = (),
    ) -> None:
        self.column = column
        self.rows = list(rows)
        super().__init__(_compose(message, column, self.rows))


def _compose(message: str, column: str | None, rows: Sequence[object]) -> str:
    parts = []
    if column is not None:
        parts.append(f"column {column!r}: ")
    parts.append(message)
    if rows:
        shown = ", ".join(repr(r) for r in rows[:_MAX_ROWS_SHOWN])
        more = f" and {len(rows) - _MAX_ROWS_SHOWN} more" if len(rows) > _MAX_ROWS_SHOWN else ""
        noun = "row" if len(rows) == 1 else "rows"
        parts.append(f" ({noun} {shown}{more})")
    return "".join(parts)
