"""Configuration the functioneel beheerder maintains. Client files are not in the admin:
they are reached only through the application's own, team-scoped pages."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meerwaarde.text_limits import SHORT_TEXT_LENGTH

from .models import ClosedPeriod, GroupActivity, ImportBatch
from .services import periods
from .services.group_work import save_group_activity


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=SHORT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Komt bij de periode in de historie, met uw naam en het tijdstip."),
        error_messages={"required": gettext_lazy("Geef een reden voor het heropenen.")},
    )


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(admin.ModelAdmin):
    """Read-only: a period is closed by the manager's "Periode sluiten" on the dashboard
    (after the last roll-up). The beheerder can reopen one closed by mistake, with a
    reason; both go through cases.services.periods."""

    list_display = [
        "__str__",
        "closed_by",
        "closed_at",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
        "reopen_link",
    ]
    list_select_related = ["closed_by", "reopened_by"]
    fields = [
        "start_date",
        "end_date",
        "closed_by",
        "closed_at",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return ClosedPeriod.all_records.all()  # the reopened ones are the history

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("heropenen"))
    def reopen_link(self, obj):
        if not obj.is_in_force:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:cases_closedperiod_reopen", args=[obj.pk]),
            _("Heropenen…"),
        )

    def get_urls(self):
        return [
            path(
                "<id>/heropenen/",
                self.admin_site.admin_view(self.reopen_view),
                name="cases_closedperiod_reopen",
            ),
        ] + super().get_urls()

    def reopen_view(self, request, id):
        if not request.user.has_perm("cases.reopen_period"):
            raise PermissionDenied
        period = self.get_object(request, unquote(id))
        if period is None:
            raise Http404
        change_url = reverse("admin:cases_closedperiod_change", args=[period.pk])
        if not period.is_in_force:
            messages.warning(request, _("Deze periode is al heropend."))
            return redirect(change_url)
        form = ReopenForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                periods.reopen_period(
                    actor=request.user, period=period, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("De periode %(period)s is heropend; de cijfers zijn weer voorlopig.")
                    % {"period": period},
                )
                return redirect("admin:cases_closedperiod_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": period,
            "title": _("Periode %(period)s heropenen") % {"period": period},
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/cases/closedperiod/reopen.html", context)


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
