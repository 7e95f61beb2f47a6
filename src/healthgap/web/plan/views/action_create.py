"""A new action, through the form; saved only by ``plan.actions.create_action``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.actions import create_action
from healthgap.web.plan.errors import Invalid
from healthgap.web.plan.forms import ActionForm
from healthgap.web.plan.views._shared import editable_organisations, indicator_choices


@require(Permission.ACTION_EDIT)
def action_create(request: HttpRequest) -> HttpResponse:
    leads = editable_organisations(request.user)
    if not leads:
        raise PermissionDenied("you may not edit any organisation's actions")
    indicators = indicator_choices()
    data = request.POST if request.method == "POST" else None
    known = [i for i, _ in indicators]
    form = ActionForm(data, leads=leads, indicators=indicators)
    if data is not None and not form.is_valid():
        form.check_rest(form.accepted(), known)
    elif data is not None:
        try:
            action = create_action(form.raw(), by=request.user, indicators=known)
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, f"Action “{action.title}” created.")
            return redirect("plan:action", pk=action.pk)
    return render(
        request,
        "plan/action_form.html",
        {"form": form, "errors": form.summary(), "action": None, "title": "New action"},
    )
