"""Posting a progress update on an action, through ``plan.actions.add_update``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.actions import add_update, can_edit
from healthgap.web.plan.errors import Invalid
from healthgap.web.plan.forms import ProgressForm
from healthgap.web.plan.models import Action
from healthgap.web.plan.views._shared import today


@require(Permission.ACTION_EDIT)
def progress_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("lead"), pk=pk)
    if not can_edit(request.user, action.lead):
        raise PermissionDenied(f"you may not update actions led by {action.lead}")
    initial = {"date": today().isoformat(), "status": action.status}
    if request.method != "POST":
        form = ProgressForm(initial=initial)
    else:
        form = ProgressForm(request.POST, initial=initial)
        if not form.is_valid():
            form.check_rest(form.accepted())
        else:
            values = form.cleaned_data
            try:
                add_update(
                    action.pk,
                    by=request.user,
                    narrative=values["narrative"],
                    status=values["status"],
                    on=values["date"] or None,
                    measured_value=values["measured_value"] or None,
                )
            except Action.DoesNotExist:  # deleted meanwhile
                return redirect("plan:index")
            except Invalid as error:
                form.add_invalid(error)
            else:
                messages.success(request, "Progress update posted.")
                return redirect("plan:action", pk=action.pk)
    return render(
        request,
        "plan/update_form.html",
        {"form": form, "errors": form.summary(), "action": action},
    )
