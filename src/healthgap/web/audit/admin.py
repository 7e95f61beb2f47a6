from django.contrib import admin

from healthgap.web.audit.models import AuditEvent
from healthgap.web.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is append-only: nobody edits or deletes it through the admin."""

    list_display = ("created_at", "actor_name", "verb", "target_type", "target_id")
    list_filter = ("verb", "target_type")
    search_fields = ("actor_name", "target_id")
