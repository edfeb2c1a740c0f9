"""The access log and the change history in /beheer/: read-only, searchable by person
(record number or name), by user and by date (drill down with the date bar, the date
filter, or a range in the address: ?accessed_at__gte=2025-01-01&accessed_at__lt=2025-04-01,
?timestamp__gte=…&timestamp__lt=… for the history)."""

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import PersonalDataAccess
from .registry import personal_data_models


def people_named(term: str) -> list[tuple[ContentType, list[str]]]:
    """(content type, ids) of the registered persons whose first or last name contains
    each word of `term`. The registry tells which models hold persons, so this app does
    not import them."""
    words = term.split()
    found = []
    for entry in personal_data_models() if words else []:
        field_names = {field.name for field in entry.model._meta.get_fields()}
        if not {"first_name", "last_name"} <= field_names:
            continue
        people = entry.model._default_manager.all()
        for word in words:
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        ids = [str(pk) for pk in people.values_list("pk", flat=True)[:500]]
        if ids:
            found.append((ContentType.objects.get_for_model(entry.model), ids))
    return found


class PersonSearchMixin:
    """A search term also finds the entries about a person: by record number exactly, or
    by name (first and last name of any registered person model)."""

    content_type_field = "subject_type"
    object_id_field = "subject_id"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        is_number = term.isascii() and term.isdigit() and len(term) <= 18
        about_person = Q(**{self.object_id_field: term}) if is_number else Q()
        for content_type, ids in people_named(term):
            about_person |= Q(
                **{self.content_type_field: content_type, f"{self.object_id_field}__in": ids}
            )
        if about_person:
            results = results | queryset.filter(about_person)
        return results, may_have_duplicates


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PersonSearchMixin, admin.ModelAdmin):
    """Read-only: the access log can be searched, never edited."""

    list_display = ["accessed_at", "user", "action", "subject_type", "subject_id"]
    list_filter = [
        "action",
        "subject_type",
        ("user", admin.RelatedOnlyFieldListFilter),
        ("accessed_at", admin.DateFieldListFilter),
    ]
    search_fields = ["user__username", "user__first_name", "user__last_name", "=subject_id"]
    search_help_text = "Zoek op cliëntnummer, naam van de persoon of gebruikersnaam."
    date_hierarchy = "accessed_at"
    list_select_related = ["user", "subject_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(PersonSearchMixin, AuditlogLogEntryAdmin):
    """django-auditlog's read-only history, plus search by person and filters by user
    and date."""

    content_type_field = "content_type"
    object_id_field = "object_pk"
    list_filter = [
        *AuditlogLogEntryAdmin.list_filter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("timestamp", admin.DateFieldListFilter),
    ]
    search_help_text = "Zoek op cliëntnummer, naam van de persoon of gebruiker."
