"""The API's request and response shapes (they become the OpenAPI schema's components).

Inputs forbid unknown fields: a misspelt field is a 422, never silently ignored.
Relations travel as stable identifiers: organisations by id, priorities and population
groups by key, localities by code, themes by key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from healthgap.web.plan.models import Status
from healthgap.web.voice.models import Insight


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Message(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    """422: ``detail`` in ninja's shape, ``errors`` the same as field → message."""

    detail: list[FieldError]
    errors: dict[str, str]


class Stale(Schema):
    """409: the action changed since the caller read it; ``version`` is the current one."""

    detail: str
    version: int


class Found(Schema):
    kind: str
    text: str


class PersonalData(Schema):
    """422 from ``POST /api/insights/``: what looked like personal data."""

    detail: str
    personal_data: list[Found]


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str


class ActionOut(Schema):
    id: int
    version: int = Field(description="Send it back with a PATCH (optimistic concurrency).")
    title: str
    description: str
    lead: int = Field(description="Organisation id.")
    partners: list[int] = Field(description="Organisation ids.")
    priorities: list[str] = Field(description="Priority keys.")
    groups: list[str] = Field(description="Population group keys.")
    localities: list[str] = Field(description="Locality codes.")
    indicator_ids: list[str]
    baseline: float | None
    target_value: float | None
    target_date: dt.date | None
    start_date: dt.date | None
    due_date: dt.date | None
    status: Status
    overdue: bool = Field(description="Open and past its due date (today, in the UK).")
    created_at: dt.datetime
    updated_at: dt.datetime


class _ActionFields(Strict):
    description: str | None = None
    partners: list[int] | None = None
    priorities: list[str] | None = None
    groups: list[str] | None = None
    localities: list[str] | None = None
    indicator_ids: list[str] | None = None
    baseline: float | None = None
    target_value: float | None = None
    target_date: dt.date | None = None
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    status: Status | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status_not_null(cls, value: Any) -> Any:
        return _not_null(value)


def _not_null(value: Any) -> Any:
    """Refuse an explicit null for a field that always has a value (omit it instead)."""
    if value is None:
        raise ValueError("cannot be null: leave the field out to keep its value")
    return value


class ActionIn(_ActionFields):
    title: str
    lead: int = Field(description="Organisation id: the caller must be able to edit its actions.")


class ActionPatch(_ActionFields):
    """Only the fields sent change; ``version`` is the one the caller read."""

    version: int
    title: str | None = None
    lead: int | None = None

    @field_validator("title", "lead", mode="before")
    @classmethod
    def _required_not_null(cls, value: Any) -> Any:
        return _not_null(value)


class UpdateOut(Schema):
    id: int
    action: int
    date: dt.date
    author: str | None = Field(description="Username.")
    status: Status
    narrative: str
    measured_value: float | None
    created_at: dt.datetime
    action_version: int = Field(description="The action's version after this update.")


class UpdateIn(Strict):
    narrative: str
    status: Status
    date: dt.date | None = Field(default=None, description="Default: today.")
    measured_value: float | None = None


class InsightOut(Schema):
    id: int
    date: dt.date
    source: Insight.Source
    group: str | None = Field(description="Population group key.")
    locality: str | None = Field(description="Locality code.")
    themes: list[str] = Field(description="Theme keys.")
    text: str
    actions: list[int] = Field(description="Ids of the actions it is linked to.")
    recorded_by: str | None = Field(description="Username.")
    created_at: dt.datetime


class InsightIn(Strict):
    date: dt.date
    source: Insight.Source
    group: str | None = None
    locality: str | None = None
    themes: list[str] | None = None
    text: str
    actions: list[int] | None = None
    allow_personal_data: bool = Field(
        default=False, description="Save even though the text looks like it holds personal data."
    )


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str | None = Field(description="Username (None: the system).")
    verb: str
    target_type: str
    target_id: str
    details: dict[str, Any]


#: Error answers every authenticated operation can give.
ERRORS: dict[int, Any] = {401: Message, 403: Message}
