"""The access log and the change history in /beheer/: read-only, searchable by person
(record number or name), by user and by date (drill down with the date bar, the date
filter, or a range in the address: ?accessed_at__gte=2025-01-01&accessed_at__lt=2025-04-01,
?timestamp__gte=…&timestamp__lt=… for the history)."""

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.filters import CIDFilter, ResourceTypeFilter
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import admin_third_party  # noqa: F401  (Dutch admin of django-axes and django-otp)
from .models import PersonalDataAccess
from .presenters import ACTION_LABELS, person_with_role, readable_changes, shown_field
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


class ActionFilter(admin.SimpleListFilter):
    title = _("handeling")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in ACTION_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is not None and value.isdigit():
            return queryset.filter(action=int(value))
        return queryset


class DutchResourceTypeFilter(ResourceTypeFilter):
    title = _("soort gegevens")


class DutchCIDFilter(CIDFilter):
    title = _("verzoekkenmerk")


@admin.register(LogEntry)
class LogEntryAdmin(PersonSearchMixin, AuditlogLogEntryAdmin):
    """django-auditlog's read-only history, plus search by person and filters by user
    and date."""

    content_type_field = "content_type"
    object_id_field = "object_pk"
    list_display = ["created", "resource_url", "action_label", "msg_short", "user_url", "cid_url"]
    list_filter = [
        ActionFilter,
        DutchResourceTypeFilter,
        DutchCIDFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("timestamp", admin.DateFieldListFilter),
    ]
    search_help_text = "Zoek op cliëntnummer, naam van de persoon of gebruiker."
    readonly_fields = ["created", "resource_url", "action_label", "user_url", "msg"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "resource_url", "cid"]}),
        (_("Wijzigingen"), {"fields": ["action_label", "msg"]}),
    ]
    CID_TITLE = _("Toon alle wijzigingen van hetzelfde verzoek")

    # auditlog's columns, with Dutch headers and texts.
    @admin.display(description=_("tijdstip"), ordering="timestamp")
    def created(self, obj):
        return super().created(obj)

    @admin.display(description=_("gegevens"))
    def resource_url(self, obj):
        return super().resource_url(obj)

    @admin.display(description=_("handeling"), ordering="action")
    def action_label(self, obj):
        return ACTION_LABELS.get(obj.action, obj.get_action_display())

    @admin.display(description=_("door"))
    def user_url(self, obj):
        return person_with_role(obj.actor)

    @admin.display(description=_("wijzigingen"))
    def msg_short(self, obj):
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        model = obj.content_type.model_class()
        if model is None:
            return ", ".join(obj.changes_dict)
        # Labels only: the values (and the rows they point to) are on the detail page.
        shown = (shown_field(model, name) for name in obj.changes_dict)
        return ", ".join(str(field.verbose_name) for field in shown if field is not None)

    @admin.display(description=_("wijzigingen"))
    def msg(self, obj):
        model = obj.content_type.model_class()
        changes = readable_changes(model, obj) if model is not None else []
        if not changes:
            return "–"
        return format_html_join(
            "",
            "<p><strong>{}</strong>: {} → {}</p>",
            ((capfirst(c.label), c.old, c.new) for c in changes),
        )

    @admin.display(description=_("verzoekkenmerk"))
    def cid_url(self, obj):
        return super().cid_url(obj)
