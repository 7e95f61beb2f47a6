"""The plan's pages (under /plan/)."""

from django.urls import path

from healthgap.web.plan.views import plan_list

app_name = "plan"

urlpatterns = [
    path("", plan_list.plan_list, name="index"),
]
