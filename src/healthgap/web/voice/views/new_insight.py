"""Recording an insight, with a warning before anything that looks like personal data is saved."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.plan.errors import Invalid
from healthgap.web.voice.actions import PersonalData, create_insight
from healthgap.web.voice.forms import InsightForm, fingerprint


@require(Permission.INSIGHT_EDIT)
def new_insight(request: HttpRequest) -> HttpResponse:
    found: list[tuple[str, str]] = []
    if request.method != "POST":
        form = InsightForm(initial={"date": timezone.localdate()})
    else:
        form = InsightForm(request.POST)
        if form.is_valid():
            try:
                create_insight(form.raw(), by=request.user, allow_personal_data=form.confirmed())
            except Invalid as invalid:
                for name, message in invalid.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except PersonalData as warning:
                found = warning.found
                # Shown again with the box unticked: the writer confirms this text, as it
                # now is, after reading the warning.
                data = request.POST.copy()
                data["warned"] = fingerprint(form.cleaned_data["text"])
                data.pop("confirm_not_personal", None)
                form = InsightForm(data)
                form.is_valid()
            else:
                messages.success(request, "Insight recorded.")
                return redirect("voice:index")
    # Like the targeting page: a form sent back with errors is a 400 (a warning is not).
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "voice/new_insight.html", {"form": form, "found": found}, status=status)
