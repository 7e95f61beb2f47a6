"""Writes to accounts, each checked and audited (keyword-only ``by=``, one transaction)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from healthgap.errors import InputError
from healthgap.web.accounts.models import Membership, Organisation
from healthgap.web.accounts.roles import get_role
from healthgap.web.audit.record import record


@transaction.atomic
def create_user(
    username: str,
    password: str,
    *,
    role: str,
    organisation: str,
    by: Any = None,
    replace: bool = False,
    validate: bool = True,
) -> Any:
    """Make a user with ``role`` in ``organisation`` (created if new).

    ``replace`` resets an existing user's password and role instead of refusing.
    Administrators also get Django's staff and superuser flags (the admin area).
    """
    chosen = get_role(role)
    username = username.strip()
    if not username:
        raise InputError("the username is empty", column="username")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None and not replace:
        raise InputError(f"user {username!r} already exists", column="username")
    if user is None:
        user = User(username=username)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InputError("password refused: " + " ".join(error.messages)) from None
    user.set_password(password)
    user.is_staff = user.is_superuser = chosen.slug == "admin"
    user.save()
    org, _ = Organisation.objects.get_or_create(name=organisation.strip() or "Default")
    Membership.objects.update_or_create(user=user, organisation=org, defaults={"role": chosen.slug})
    record(
        "user.create" if not replace else "user.replace",
        user,
        by=by,
        role=chosen.slug,
        organisation=org.name,
    )
    return user
