"""Community voice pages (under /voice/)."""

from django.urls import path

from healthgap.web.voice.views import insight_list

app_name = "voice"

urlpatterns = [
    path("", insight_list.insight_list, name="index"),
]
