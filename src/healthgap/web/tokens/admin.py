from django.contrib import admin

from healthgap.web.tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see who holds tokens and revoke them by deleting the row.

    New tokens come from ``healthgap token`` only (it shows the token once); the stored
    hash is never edited.
    """

    list_display = ("user", "created_at", "last_used_at")
    search_fields = ("user__username",)
    readonly_fields = ("user", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
