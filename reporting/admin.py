"""The functioneel beheerder sees the indicator definitions and retires them (active_to); the
definitions themselves come from reporting/data/indicators.yaml and stay read-only here.
Periods and roll-up runs are shown read-only. Indicator values are not in the admin: they are
published through the dashboard, the exports and the API, with small counts suppressed."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Indicator, QuarantinedPeriod, ReportingPeriod, RollupRun, ValueStatus

INDICATOR_DEFINITION_FIELDS = [
    "code",
    "name",
    "description",
    "theme",
    "monitor_indicator",
    "unit",
    "computation",
    "numerator_label",
    "denominator_label",
    "breakdowns",
    "counts_persons",
    "indicator_set",
    "active_from",
    "position",
]


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["active_to"]

    def clean_active_to(self):
        active_to = self.cleaned_data.get("active_to")
        if active_to and active_to < self.instance.active_from:
            raise forms.ValidationError(
                _("Een indicator kan niet eindigen vóór hij actief werd (%(date)s).")
                % {"date": self.instance.active_from.strftime("%d-%m-%Y")}
            )
        return active_to


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ["code", "name", "theme", "unit", "active_from", "active_to"]
    list_filter = ["theme", "unit", "indicator_set"]
    search_fields = ["code", "name", "monitor_indicator"]
    readonly_fields = INDICATOR_DEFINITION_FIELDS
    fields = [*INDICATOR_DEFINITION_FIELDS, "active_to"]
    actions = ["retire"]

    def has_add_permission(self, request):
        return False  # new indicators come with a new meetsysteem in the data file

    def has_delete_permission(self, request, obj=None):
        return False  # retiring keeps the values already computed; deleting would not

    @admin.action(description=_("Uitfaseren (actief tot en met vandaag)"), permissions=["change"])
    def retire(self, request, queryset):
        today = timezone.localdate()
        retiring = list(
            queryset.filter(active_from__lte=today).exclude(active_to__lte=today).order_by("code")
        )
        for indicator in retiring:
            indicator.active_to = today
            indicator.save(update_fields=["active_to"])
            self.log_change(request, indicator, [{"changed": {"fields": ["active_to"]}}])
        if retiring:
            self.message_user(
                request,
                ngettext(
                    "%(count)d indicator uitgefaseerd.",
                    "%(count)d indicatoren uitgefaseerd.",
                    len(retiring),
                )
                % {"count": len(retiring)},
                messages.SUCCESS,
            )
        skipped = queryset.count() - len(retiring)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d indicator overgeslagen: al uitgefaseerd of nog niet actief.",
                    "%(count)d indicatoren overgeslagen: al uitgefaseerd of nog niet actief.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    """The status is not stored here: it follows the closed periods (Gesloten perioden)."""

    list_display = [
        "key",
        "kind",
        "start_date",
        "end_date",
        "status_label",
        "computed_at",
        "closed_at_label",
    ]
    list_filter = ["kind", "year"]
    search_fields = ["key"]

    @admin.display(description=_("status"))
    def status_label(self, obj) -> str:
        return ValueStatus(obj.status).label

    @admin.display(description=_("gesloten op"), ordering="closed_at")
    def closed_at_label(self, obj):
        return obj.closed_at


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "periods_label",
        "status",
        "values_written",
        "finished_at",
        "message",
    ]
    list_filter = ["status"]

    @admin.display(description=_("perioden"))
    def periods_label(self, obj) -> str:
        return ", ".join(obj.periods)


@admin.register(QuarantinedPeriod)
class QuarantinedPeriodAdmin(ReadOnlyAdmin):
    """Marks the roll-up could not process. Nothing to edit: the cause is a registration
    (list_dates_outside_window finds dates outside the window) or a passing failure, which
    the nightly full run clears. Deleting a mark only drops the request to recompute."""

    list_display = ["period_key", "source", "marked_at", "quarantined_at", "error"]
    list_filter = ["source"]
    search_fields = ["period_key"]
    ordering = ["-quarantined_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(quarantined_at__isnull=False)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("reporting.delete_quarantinedperiod")
