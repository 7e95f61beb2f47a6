"""Checking an insight's fields, from the form or the API, in one place.

:func:`clean` takes raw values (strings, lists or comma-separated keys and ids) and
returns Python values and model objects, or raises
:class:`~healthgap.web.plan.errors.Invalid` listing every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from healthgap.web.plan.errors import Invalid
from healthgap.web.plan.fields import items
from healthgap.web.plan.models import Action, Locality, PopulationGroup
from healthgap.web.voice.models import Insight, Theme

FIELDS = ("date", "source", "group", "locality", "themes", "text", "actions")
REQUIRED = ("date", "source", "text")
#: The longest text an insight holds (the model's ``max_length``).
MAX_TEXT = 2000


def source_value(raw: Any) -> str | None:
    """The source's slug from its slug or its label (any case), or None if neither."""
    wanted = str(raw).strip().lower()
    for value, label in Insight.Source.choices:
        if wanted in (value, label.lower()):
            return str(value)
    return None


def _date(raw: Any, errors: dict[str, str]) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors["date"] = f"expected a date as YYYY-MM-DD, got {raw!r}"
        return None


def _one(model: Any, field: str, raw: Any, name: str, errors: dict[str, str]) -> Any:
    if raw in (None, ""):
        return None
    wanted = str(raw).strip()
    found = model.objects.filter(**{field: wanted}).first()
    if found is None:
        errors[name] = f"unknown {name}: {wanted}"
    return found


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values of an insight's fields, or :class:`Invalid` listing every problem.

    ``date`` (ISO), ``source`` (slug or label) and ``text`` (at most 2000 characters) are
    required; ``group`` is a population group's key, ``locality`` a locality's code,
    ``themes`` theme keys and ``actions`` action ids (lists or comma-separated).
    """
    errors: dict[str, str] = {name: "not a field of an insight" for name in set(raw) - {*FIELDS}}
    for name in REQUIRED:
        if raw.get(name) is None or str(raw.get(name)).strip() == "":
            errors[name] = "is required"
    out: dict[str, Any] = {}
    if "date" not in errors:
        out["date"] = _date(raw["date"], errors)
    if "source" not in errors:
        out["source"] = source_value(raw["source"])
        if out["source"] is None:
            allowed = ", ".join(str(v) for v in Insight.Source.values)
            errors["source"] = f"expected one of {allowed}, got {raw['source']!r}"
    if "text" not in errors:
        out["text"] = str(raw["text"]).strip()
        if len(out["text"]) > MAX_TEXT:
            errors["text"] = f"must be at most {MAX_TEXT} characters (it has {len(out['text'])})"
    out["group"] = _one(PopulationGroup, "key", raw.get("group"), "group", errors)
    out["locality"] = _one(Locality, "code", raw.get("locality"), "locality", errors)
    keys = items(raw.get("themes"))
    themes = {t.key: t for t in Theme.objects.filter(key__in=keys)}
    if missing := [k for k in keys if k not in themes]:
        errors["themes"] = f"unknown theme(s): {', '.join(missing)}"
    out["themes"] = list(dict.fromkeys(themes[k] for k in keys if k in themes))
    ids = items(raw.get("actions"))
    if bad := [i for i in ids if not i.isdigit()]:
        errors["actions"] = f"expected action ids (whole numbers), got {', '.join(bad)}"
    else:
        actions = Action.objects.in_bulk([int(i) for i in ids])
        if missing := [i for i in ids if int(i) not in actions]:
            errors["actions"] = f"no action with id {', '.join(missing)}"
        out["actions"] = list(dict.fromkeys(actions[int(i)] for i in ids if int(i) in actions))
    if errors:
        raise Invalid(dict(sorted(errors.items(), key=lambda e: _order(e[0]))))
    return out


def _order(name: str) -> int:
    return FIELDS.index(name) if name in FIELDS else len(FIELDS)
