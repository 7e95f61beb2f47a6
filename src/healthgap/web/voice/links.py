"""Where an action of the plan is shown, when the plan has a page for it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def action_url(pk: int) -> str | None:
    """The URL of the plan's page for action ``pk`` (``plan:action``), or None if the
    plan offers no such page (the action is then named without a link)."""
    try:
        return reverse("plan:action", args=[pk])
    except NoReverseMatch:
        return None
