"""The OpenAPI document: valid JSON, every path of the contract, a schema per answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from healthgap._version import __version__

#: The issue's contract: path → methods.
CONTRACT = {
    "/api/organisations/": {"get"},
    "/api/actions/": {"get", "post"},
    "/api/actions/{id}/": {"get", "patch"},
    "/api/actions/{id}/updates/": {"get", "post"},
    "/api/insights/": {"get", "post"},
    "/api/audit/": {"get"},
}


@pytest.fixture
def document(db) -> dict:
    response = Client().get("/api/openapi.json")  # public: it describes, it holds no data
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_document_names_the_api_and_its_version(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "healthgap API"
    assert document["info"]["version"] == __version__


def test_every_path_of_the_contract_is_listed(document):
    paths = {path: set(ops) for path, ops in document["paths"].items()}
    assert paths == CONTRACT


def test_every_operation_documents_its_answers(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            ok = [code for code in responses if code.startswith("2")]
            assert len(ok) == 1, (method, path)
            assert "schema" in responses[ok[0]]["content"]["application/json"], (method, path)
            for code in ("401", "403"):  # every operation needs a caller and a permission
                assert "schema" in responses[code]["content"]["application/json"]
            if method in ("post", "patch"):
                assert "422" in responses, (method, path)


def test_patch_documents_the_conflict_and_needs_the_version(document):
    patch = document["paths"]["/api/actions/{id}/"]["patch"]
    conflict = patch["responses"]["409"]["content"]["application/json"]["schema"]
    stale = document["components"]["schemas"][conflict["$ref"].rsplit("/", 1)[-1]]
    assert set(stale["required"]) == {"detail", "version"}
    body = patch["requestBody"]["content"]["application/json"]["schema"]
    patch_schema = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert patch_schema["required"] == ["version"]


def test_action_schema_carries_version_status_and_overdue(document):
    action = document["components"]["schemas"]["ActionOut"]
    assert {"id", "version", "lead", "partners", "status", "overdue"} <= set(action["required"])


def test_bearer_and_session_security_are_declared(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["Session"]["in"] == "cookie"
    for operations in document["paths"].values():
        for operation in operations.values():
            assert {"BearerToken": []} in operation["security"]


def test_no_docs_page_that_would_load_a_cdn(db):
    assert Client().get("/api/docs").status_code == 404
