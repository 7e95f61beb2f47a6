"""``record``: the one way to write an audit event."""

from __future__ import annotations

from typing import Any

from django.db import models

from healthgap.web.audit.models import AuditEvent


def record(verb: str, target: models.Model, *, by: Any, **details: Any) -> AuditEvent:
    """Write one audit event for a change to ``target`` made by ``by`` (None: the system)."""
    return AuditEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_name=getattr(by, "username", "") or "",
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        details=details,
    )
