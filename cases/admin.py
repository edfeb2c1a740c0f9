"""Configuration the functioneel beheerder maintains. Client files are not in the admin:
they are reached only through the application's own, team-scoped pages."""

from django.contrib import admin

from .models import ClosedPeriod, GroupActivity, ImportBatch
from .services.group_work import save_group_activity


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "closed_by", "closed_at"]
    readonly_fields = ["closed_by", "closed_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.closed_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        return False  # a closed period stays closed; reopening is a reporting decision

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "row_count", "imported_by", "imported_at"]
    readonly_fields = ["file_name", "checksum", "row_count", "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GroupActivity)
class GroupActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "team", "start_date", "end_date", "is_active"]
    list_filter = ["is_active", "team", "product"]
    search_fields = ["name"]
    list_select_related = ["product", "team"]
    raw_id_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        # Through the service: the sessions' figures follow the activity's product and kern.
        save_group_activity(activity=obj)
