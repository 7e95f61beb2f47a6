"""An admin page that shows records but never adds, changes or deletes them.

For records that change only through the app's actions layers (which check permissions,
keep versions and write the audit trail) and for the audit trail itself.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
