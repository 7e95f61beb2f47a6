"""Disclosure control: what may leave the analyst's session.

Raw values stay in the warehouse; every export, web page and report passes its table
through :func:`protect` (suppression of small numbers, secondary suppression, rounding)
and, for text output, :func:`render` (suppressed numbers shown as ``"*"``). The rules
come from the workspace's ``[disclosure]`` table (:class:`DisclosureRules`). See
``docs/disclosure.md``.
"""

from healthgap.disclosure._protect import (
    DERIVED,
    SIBLINGS,
    SUPPRESSED,
    SUPPRESSED_NOTE,
    VALUES,
    protect,
    render,
)
from healthgap.disclosure._rules import DisclosureRules

__all__ = [
    "DERIVED",
    "SIBLINGS",
    "SUPPRESSED",
    "SUPPRESSED_NOTE",
    "VALUES",
    "DisclosureRules",
    "protect",
    "render",
]
