"""What communities said: insights filtered by group, locality, theme and source."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.voice.models import Insight


@require(Permission.ACTION_VIEW)
def insight_list(request: HttpRequest) -> HttpResponse:
    insights = Insight.objects.select_related("group", "locality")[:200]
    return render(request, "voice/insight_list.html", {"insights": insights})
