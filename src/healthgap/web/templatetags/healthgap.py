"""Template filters: numbers as people read them, and Fingertips' comparison colours."""

from __future__ import annotations

import math
from typing import Any

from django import template

from healthgap.disclosure import SUPPRESSED

register = template.Library()

#: Fingertips' comparison colours, by outcome (text colour chosen for AA contrast).
COMPARISON_CLASSES = {
    "Best": "cmp-better-strong",
    "Better": "cmp-better",
    "Same": "cmp-same",
    "Similar": "cmp-same",
    "Worse": "cmp-worse",
    "Worst": "cmp-worse-strong",
    "Higher": "cmp-higher",
    "Higher (99.8%)": "cmp-higher-strong",
    "Lower": "cmp-lower",
    "Lower (99.8%)": "cmp-lower-strong",
}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@register.filter
def number(value: Any, places: int = 1) -> str:
    """``1234.567|number:1`` → ``1,234.6``; missing → an en dash."""
    if value == SUPPRESSED:
        return SUPPRESSED
    if _missing(value):
        return "–"
    return f"{float(value):,.{int(places)}f}"


@register.filter
def count(value: Any) -> str:
    """Whole numbers with thousands separators; suppressed stays ``*``."""
    return number(value, 0)


@register.filter
def percent(value: Any, places: int = 1) -> str:
    shown = number(value, places)
    return shown if shown in ("–", SUPPRESSED) else f"{shown}%"


@register.filter
def comparison_class(outcome: Any) -> str:
    """CSS class of a comparison outcome (grey when not compared or suppressed)."""
    return COMPARISON_CLASSES.get(str(outcome), "cmp-none")


@register.filter
def signed(value: Any, places: int = 1) -> str:
    if _missing(value):
        return "–"
    return f"{float(value):+,.{int(places)}f}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping|get:key`` for dicts in templates."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
