"""Template filters for the community voice pages."""

from __future__ import annotations

from typing import Any

from django import template

from healthgap.web.voice.links import action_url as _action_url

register = template.Library()


@register.filter
def action_url(action: Any) -> str | None:
    """``action|action_url``: the plan's page for the action, or None when there is none."""
    return _action_url(action.pk)
