"""The admin area: reference lists editable by administrators, the rest read-only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/plan/priority/add/", 200),  # local priorities are added here
        ("/admin/plan/populationgroup/add/", 200),
        ("/admin/voice/theme/add/", 200),
        ("/admin/plan/action/add/", 403),  # actions change only through the plan's pages/API
        ("/admin/voice/insight/add/", 403),
        ("/admin/audit/auditevent/add/", 403),
    ],
)
def test_admin_pages(client_as, path, status):
    assert client_as("admin").get(path).status_code == status


def test_admin_adds_a_local_priority(client_as):
    from healthgap.web.plan.models import Priority

    client = client_as("admin")
    response = client.post(
        "/admin/plan/priority/add/",
        {"key": "core20plus5_hypertension", "title": "Hypertension case-finding", "kind": "local",
         "order": 20},
    )  # fmt: skip
    assert response.status_code == 302
    assert Priority.objects.get(key="core20plus5_hypertension").kind == "local"
