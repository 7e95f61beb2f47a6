"""The admin area: administrators edit the themes; insights are read-only here."""

from django.contrib import admin

from healthgap.web.readonly_admin import ReadOnlyAdmin
from healthgap.web.voice.models import Insight, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key")


@admin.register(Insight)
class InsightAdmin(ReadOnlyAdmin):
    list_display = ("date", "source", "group", "locality")
    list_filter = ("source", "group")
    search_fields = ("text",)
