from django.contrib import admin

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: the access log can be searched, never edited."""

    list_display = ["accessed_at", "user", "action", "subject_type", "subject_id"]
    list_filter = ["action", "subject_type", ("accessed_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "subject_id"]
    date_hierarchy = "accessed_at"
    list_select_related = ["user", "subject_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
