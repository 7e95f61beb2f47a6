"""Themes by group and locality: what each community and each area raises most."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthgap.web.accounts.decorators import require
from healthgap.web.accounts.permissions import Permission
from healthgap.web.voice.matrix import TOP, theme_matrix


@require(Permission.ACTION_VIEW)
def themes(request: HttpRequest) -> HttpResponse:
    matrices = [theme_matrix("group"), theme_matrix("locality")]
    return render(request, "voice/themes.html", {"matrices": matrices, "top": TOP})
