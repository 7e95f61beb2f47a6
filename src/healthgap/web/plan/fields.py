"""Checking an action's fields, from a form, the API or an imported row, in one place.

:func:`clean` takes raw values (strings, numbers, lists of ids/keys/codes) and returns
Python values and model objects, or raises :class:`~healthgap.web.plan.errors.Invalid`
listing every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import models

from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.errors import Invalid
from healthgap.web.plan.models import Locality, PopulationGroup, Priority, Status

SCALARS = ("title", "description", "baseline", "target_value", "target_date", "start_date",
           "due_date", "status", "indicator_ids")  # fmt: skip
RELATIONS = ("partners", "priorities", "groups", "localities")
FIELDS = (*SCALARS, "lead", *RELATIONS)
DATES = ("target_date", "start_date", "due_date")
NUMBERS = ("baseline", "target_value")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def items(value: Any) -> list[str]:
    """Keys or ids from a list, or from a comma- or semicolon-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _lookup(model: type[models.Model], field: str, wanted: list[str]) -> tuple[list, list[str]]:
    found = {str(getattr(o, field)): o for o in model.objects.filter(**{f"{field}__in": wanted})}
    return [found[w] for w in wanted if w in found], [w for w in wanted if w not in found]


def clean(
    raw: Mapping[str, Any], *, partial: bool = False, indicators: Iterable[str] | None = None
) -> dict[str, Any]:
    """Validated values of the fields present in ``raw`` (all required ones unless
    ``partial``). ``indicators``: the warehouse's indicator ids, to check against."""
    unknown = sorted(set(raw) - set(FIELDS))
    errors: dict[str, str] = {name: "not a field of an action" for name in unknown}
    out: dict[str, Any] = {}
    for name in ("title", "lead"):
        if not partial and raw.get(name) in (None, ""):
            errors[name] = "is required"
    if "title" in raw and raw["title"] not in (None, ""):
        title = str(raw["title"]).strip()
        if len(title) > 200:
            errors["title"] = "must be at most 200 characters"
        out["title"] = title
    elif "title" in raw and partial:
        errors["title"] = "cannot be empty"
    if "description" in raw:
        out["description"] = str(raw["description"] or "").strip()
    for name in DATES:
        if name in raw:
            try:
                out[name] = _date(raw[name])
            except ValueError:
                errors[name] = f"expected a date as YYYY-MM-DD, got {raw[name]!r}"
    for name in NUMBERS:
        if name in raw:
            try:
                out[name] = _number(raw[name])
            except (TypeError, ValueError):
                errors[name] = f"expected a number, got {raw[name]!r}"
    if "status" in raw:
        status = str(raw["status"] or Status.NOT_STARTED).strip()
        labels = {label.lower(): value for value, label in Status.choices}
        status = labels.get(status.lower(), status)
        if status not in Status.values:
            errors["status"] = f"expected one of {', '.join(Status.values)}, got {raw['status']!r}"
        out["status"] = status
    if "indicator_ids" in raw:
        ids = items(raw["indicator_ids"])
        known = set(indicators) if indicators is not None else None
        bad = [i for i in ids if known is not None and i not in known]
        if bad:
            errors["indicator_ids"] = f"unknown indicator(s): {', '.join(bad)}"
        out["indicator_ids"] = ids
    if raw.get("lead") not in (None, ""):
        lead, missing = _organisations([raw["lead"]])
        if missing:
            errors["lead"] = f"no organisation {missing[0]!r}"
        else:
            out["lead"] = lead[0]
    relations = {
        "partners": None,
        "priorities": (Priority, "key"),
        "groups": (PopulationGroup, "key"),
        "localities": (Locality, "code"),
    }
    for name, spec in relations.items():
        if name not in raw:
            continue
        wanted = items(raw[name])
        objects, missing = _organisations(wanted) if spec is None else _lookup(*spec, wanted)
        if missing:
            errors[name] = f"unknown: {', '.join(missing)}"
        out[name] = objects
    start, due = out.get("start_date"), out.get("due_date")
    if start and due and due < start:
        errors["due_date"] = "is before the start date"
    if errors:
        raise Invalid(errors)
    return out


def _organisations(wanted: list[Any]) -> tuple[list[Organisation], list[str]]:
    """Organisations by id or by exact name."""
    keys = [str(w).strip() for w in wanted]
    by_id = {
        str(o.pk): o for o in Organisation.objects.filter(pk__in=[k for k in keys if k.isdigit()])
    }
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=keys)}
    found: list[Organisation] = []
    missing: list[str] = []
    for key in keys:
        org = by_id.get(key) or by_name.get(key)
        if org is None:
            missing.append(key)
        else:
            found.append(org)
    return found, missing
