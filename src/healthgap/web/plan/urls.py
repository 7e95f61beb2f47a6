"""The plan's pages (under /plan/)."""

from django.urls import path

from healthgap.web.plan.views import (
    action_create,
    action_detail,
    action_edit,
    coverage,
    duplicates,
    export,
    overdue,
    plan_list,
    progress_update,
)

app_name = "plan"

urlpatterns = [
    path("", plan_list.plan_list, name="index"),
    path("actions/new/", action_create.action_create, name="create"),
    path("actions/<int:pk>/", action_detail.action_detail, name="action"),
    path("actions/<int:pk>/edit/", action_edit.action_edit, name="edit"),
    path("actions/<int:pk>/updates/new/", progress_update.progress_update, name="update"),
    path("overdue/", overdue.overdue, name="overdue"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("duplicates/", duplicates.duplicates, name="duplicates"),
    path("export/", export.export, name="export"),
]
