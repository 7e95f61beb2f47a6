"""``GET /api/organisations/``: the partners, for the ids that actions refer to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from healthgap.web.accounts.models import Organisation
from healthgap.web.accounts.permissions import Permission
from healthgap.web.api.auth import require
from healthgap.web.api.schemas import ERRORS, OrganisationOut

router = Router(tags=["organisations"])


@router.get("/", response={200: list[OrganisationOut], **ERRORS})
def list_organisations(request: HttpRequest) -> list[dict[str, Any]]:
    """Every organisation, by name."""
    require(request, Permission.ACTION_VIEW)
    return list(Organisation.objects.values("id", "name", "sector"))
