"""Community voice pages (under /voice/)."""

from django.urls import path

from healthgap.web.voice.views import insight_list, new_insight, themes, you_said

app_name = "voice"

urlpatterns = [
    path("", insight_list.insight_list, name="index"),
    path("themes/", themes.themes, name="themes"),
    path("you-said-we-did/", you_said.you_said, name="you-said"),
    path("new/", new_insight.new_insight, name="new"),
]
