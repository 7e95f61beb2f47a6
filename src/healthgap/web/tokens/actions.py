"""Making and checking API tokens (creation is audited; the token is returned once)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from healthgap.errors import InputError
from healthgap.web.audit.record import record
from healthgap.web.tokens.models import ApiToken

#: Marks the string as a healthgap token (secret scanners and people recognise it).
PREFIX = "hg_"
#: ``last_used_at`` is written at most this often per token (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    """The hex SHA-256 of ``token``: what the database keeps.

    Examples
    --------
    >>> digest("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(username: str, *, by: Any = None) -> tuple[ApiToken, str]:
    """A new token for the user called ``username``: the stored row and the token itself.

    ``by`` is who asked (None: the system, e.g. the command line run by the server's
    administrator). Raises :class:`~healthgap.errors.InputError` for an unknown or
    inactive user.
    """
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise InputError(f"no user {username!r}", column="username")
    if not user.is_active:
        raise InputError(f"user {username!r} is inactive", column="username")
    token = PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    row = ApiToken.objects.create(user=user, key_hash=digest(token))
    record("token.create", row, by=by, user=user.username)  # never the token itself
    return row, token


def user_for(token: str) -> Any | None:
    """The active user ``token`` belongs to, or None (unknown token, inactive user)."""
    if not token:
        return None
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
