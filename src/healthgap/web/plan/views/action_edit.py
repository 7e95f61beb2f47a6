"""Editing an action, safe against two people editing it at once.

The form carries the ``version`` of the action it was filled from; if someone saved the
action since, ``update_action`` raises :class:`~healthgap.web.plan.errors.Conflict` and
saves nothing, and the page shows the current version with what the person had typed,
so nothing is silently overwritten or lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.actions import can_edit, update_action
from healthgap.web.plan.errors import Conflict, Invalid
from healthgap.web.plan.forms import ActionForm, action_initial
from healthgap.web.plan.models import Action
from healthgap.web.plan.views._shared import editable_organisations, indicator_choices


@require(Permission.ACTION_EDIT)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("lead"), pk=pk)
    if not can_edit(request.user, action.lead):
        raise PermissionDenied(f"you may not edit actions led by {action.lead}")
    leads = editable_organisations(request.user)
    indicators = indicator_choices(keep=action.indicator_ids or [])

    def make(data: QueryDict | None = None, initial: dict[str, Any] | None = None) -> ActionForm:
        return ActionForm(data, leads=leads, indicators=indicators, editing=True, initial=initial)

    unsaved = None
    if request.method != "POST":
        form = make(initial=action_initial(action))
    else:
        form = make(request.POST)
        if not form.is_valid():
            form.check_rest(form.accepted(), [i for i, _ in indicators])
        else:
            try:
                saved = update_action(
                    action.pk,
                    form.raw(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                    indicators=[i for i, _ in indicators],
                )
            except Action.DoesNotExist:
                raise Http404("the action no longer exists") from None
            except Conflict:
                action.refresh_from_db()
                current = action_initial(action)
                unsaved = form.unsaved(current)
                form = make(initial=current)
            except Invalid as error:
                form.add_invalid(error)
            else:
                messages.success(request, f"Action “{saved.title}” saved.")
                return redirect("plan:action", pk=saved.pk)
    return render(
        request,
        "plan/action_form.html",
        {
            "form": form,
            "errors": form.summary(),
            "action": action,
            "title": f"Edit: {action.title}",
            "conflict": unsaved is not None,
            "unsaved": unsaved,
        },
    )
