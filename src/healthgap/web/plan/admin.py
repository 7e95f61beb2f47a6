"""The admin area: administrators add local priorities and edit groups and localities.

Actions and progress updates are shown read-only: they change only through the plan's
pages and API, which check permissions, keep versions and write the audit trail.
"""

from django.contrib import admin

from healthgap.web.plan.models import Action, Locality, PopulationGroup, Priority, ProgressUpdate
from healthgap.web.readonly_admin import ReadOnlyAdmin


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("title", "key")


@admin.register(PopulationGroup)
class PopulationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "order")
    search_fields = ("name", "key")


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead", "status", "due_date", "version")
    list_filter = ("status", "lead")
    search_fields = ("title", "description")


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ("action", "date", "status", "author")
