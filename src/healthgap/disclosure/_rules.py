"""The disclosure rules of a workspace: the ``[disclosure]`` table of ``healthgap.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

from healthgap.errors import InputError


@dataclass(frozen=True)
class DisclosureRules:
    """Small-number suppression and rounding applied to everything that is published.

    The defaults are NHS Digital's rule for Hospital Episode Statistics and OpenSAFELY's
    output-checking rule: counts of 1 to 7 are suppressed, every other count is rounded
    to the nearest 5, and (healthgap's addition) secondary suppression stops a suppressed
    count being worked out from a total and the other categories.

    Parameters
    ----------
    threshold : int
        Counts from 1 to ``threshold`` are suppressed (0 suppresses nothing but zeros,
        when ``suppress_zero`` is true).
    rounding : int
        Published counts and denominators are rounded to the nearest multiple of
        ``rounding`` (halves upwards); 0 or 1 leaves them unrounded.
    secondary : bool
        Apply secondary suppression.
    suppress_zero : bool
        Treat zero counts as small numbers too (suppress them).

    Raises
    ------
    InputError
        A setting of the wrong type or out of range.

    Examples
    --------
    >>> DisclosureRules.from_mapping({"threshold": 10, "rounding": 10})
    DisclosureRules(threshold=10, rounding=10, secondary=True, suppress_zero=False)
    """

    threshold: int = 7
    rounding: int = 5
    secondary: bool = True
    suppress_zero: bool = False

    def __post_init__(self) -> None:
        for name in ("threshold", "rounding"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(
                    f"disclosure setting {name!r} must be a whole number of 0 or more, "
                    f"got {value!r}"
                )
        for name in ("secondary", "suppress_zero"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise InputError(
                    f"disclosure setting {name!r} must be true or false, got {value!r}"
                )

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> DisclosureRules:
        """Rules from a workspace's ``[disclosure]`` TOML table (missing keys keep defaults).

        Raises
        ------
        InputError
            ``mapping`` is not a table, has a key that is not a setting, or a value of
            the wrong type or out of range; the message names the key.
        """
        if not isinstance(mapping, Mapping):
            raise InputError(
                f"the disclosure settings must be a table of keys, got {type(mapping).__name__}"
            )
        allowed = [f.name for f in fields(cls)]
        unknown = [key for key in mapping if key not in allowed]
        if unknown:
            raise InputError(
                f"unknown disclosure setting(s) {', '.join(map(repr, unknown))}; "
                f"the settings are {', '.join(allowed)}"
            )
        return cls(**mapping)  # type: ignore[arg-type]  # values are checked in __post_init__

    def to_mapping(self) -> dict[str, int | bool]:
        """The rules as a ``[disclosure]`` TOML table (the inverse of :meth:`from_mapping`)."""
        return asdict(self)
