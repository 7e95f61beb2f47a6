"""The plan: every action, filtered by priority, group, organisation, locality and status."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.models import Action


@require(Permission.ACTION_VIEW)
def plan_list(request: HttpRequest) -> HttpResponse:
    actions = Action.objects.select_related("lead").order_by("due_date", "title")
    return render(request, "plan/plan_list.html", {"actions": actions})
