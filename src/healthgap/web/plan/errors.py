"""Why a write was refused: the caller turns these into 403, 404, 409 or a form error."""

from __future__ import annotations


class Conflict(Exception):
    """Someone changed the action since the caller read it (optimistic concurrency)."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"the action changed since you read it (your version {expected}, now {current}): "
            "reload it and make your change again"
        )
        self.expected = expected
        self.current = current


class Invalid(Exception):
    """A field's value is not acceptable; ``errors`` maps field → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
