"""GET parameters of the targeting page, checked one by one.

A bad value is not an exception: it is recorded against its field (so the page can say
what is wrong next to the control and answer 400) and the field's default is used in
its place, so the rest of the page still works.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


class Query:
    """The page's GET parameters and the problems found in them.

    Examples
    --------
    >>> query = Query({"by": "ward", "floor": "0.25"})
    >>> query.choice("by", ["lsoa", "msoa"], "lsoa", "an area type")
    'lsoa'
    >>> query.number("floor", 0.5, low=0, high=1, what="The floor")
    0.25
    >>> query.errors
    {'by': 'Choose an area type from the list'}
    """

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str:
        """The parameter as given (last value if repeated), stripped; "" if absent."""
        value = self.params.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def choice(self, name: str, choices: Sequence[str], default: str, what: str) -> str:
        """One of ``choices``; ``default`` if absent or empty."""
        value = self.text(name)
        if not value:
            return default
        if value in choices:
            return value
        self.errors[name] = f"Choose {what} from the list"
        return default

    def number(self, name: str, default: float, *, low: float, high: float, what: str) -> float:
        """A number from ``low`` to ``high``; ``default`` if absent or empty."""
        value = self.text(name)
        if not value:
            return default
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            self.errors[name] = f"{what} must be a number from {low:g} to {high:g}"
            return default
        return number

    def failed(self, *names: str) -> bool:
        """Whether any of the fields ``names`` has an error."""
        return any(name in self.errors for name in names)
