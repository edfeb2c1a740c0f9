from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import AccountEvent, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    search_fields = ["name"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=services.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Komt in de accountgeschiedenis, met uw naam en het tijdstip."),
        error_messages={"required": gettext_lazy("Geef een reden op.")},
    )


class AdminSetPasswordForm(SetPasswordForm):
    reason = ReasonForm.base_fields["reason"]

    field_order = ["new_password1", "new_password2", "reason"]


def _local(moment) -> str:
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "d-m-Y H:i")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "teams"]
    filter_horizontal = ["teams"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (gettext_lazy("Persoonsgegevens"), {"fields": ["first_name", "last_name", "email"]}),
        (gettext_lazy("Rol en teams"), {"fields": ["role", "teams", "is_active"]}),
        (
            gettext_lazy("Inloggen"),
            {
                "fields": [
                    "must_change_password",
                    "lockout_status",
                    "two_factor_devices",
                    "recent_account_events",
                ]
            },
        ),
        (gettext_lazy("Datums"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "email", "password1", "password2", "role", "teams"]}),
    ]
    readonly_fields = [
        "last_login",
        "date_joined",
        "must_change_password",
        "lockout_status",
        "two_factor_devices",
        "recent_account_events",
    ]

    # --- what the beheerder sees of an account's way in ---------------------------------

    @admin.display(description=gettext_lazy("Blokkade"))
    def lockout_status(self, user):
        if user.pk is None:
            return "—"
        if not services.is_locked_out(user=user):
            return _("Niet geblokkeerd")
        url = reverse("admin:accounts_user_lift_lockout", args=[user.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            _("Geblokkeerd na te veel mislukte inlogpogingen."),
            url,
            _("Blokkade opheffen"),
        )

    @admin.display(description=gettext_lazy("Authenticator-apps"))
    def two_factor_devices(self, user):
        if user.pk is None:
            return "—"
        devices = TOTPDevice.objects.filter(user=user).order_by("id")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    device.name,
                    _("gekoppeld") if device.confirmed else _("nog niet bevestigd"),
                    _local(device.created_at),
                    _local(device.last_used_at),
                )
                for device in devices
            ),
        )
        reset_url = reverse("admin:accounts_user_reset_two_factor", args=[user.pk])
        if not devices:
            return format_html("{}", _("Geen authenticator-app gekoppeld."))
        return format_html(
            '<table data-testid="two-factor-devices"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            '<p><a class="button" href="{}">{}</a></p>',
            _("Naam"),
            _("Status"),
            _("Aangemaakt"),
            _("Laatst gebruikt"),
            rows,
            reset_url,
            _("Tweestapsverificatie opnieuw instellen"),
        )

    @admin.display(description=gettext_lazy("Accountgeschiedenis"))
    def recent_account_events(self, user):
        if user.pk is None:
            return "—"
        events = AccountEvent.objects.filter(user=user).select_related("actor")[:10]
        if not events:
            return _("Nog geen gebeurtenissen.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _local(event.occurred_at),
                    event.get_kind_display(),
                    event.actor.display_name,
                    event.reason or event.detail or "—",
                )
                for event in events
            ),
        )
        all_url = reverse("admin:accounts_accountevent_changelist") + f"?user__id__exact={user.pk}"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            '<tbody>{}</tbody></table><p><a href="{}">{}</a></p>',
            _("Tijdstip"),
            _("Gebeurtenis"),
            _("Door"),
            _("Reden of toelichting"),
            rows,
            all_url,
            _("Alle gebeurtenissen van dit account"),
        )

    # --- the beheerder's actions, each with a reason and a trace -----------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<id>/password/", wrap(self.user_change_password), name="auth_user_password_change"
            ),
            path(
                "<id>/tweestaps-opnieuw/",
                wrap(self.reset_two_factor_view),
                name="accounts_user_reset_two_factor",
            ),
            path(
                "<id>/blokkade-opheffen/",
                wrap(self.lift_lockout_view),
                name="accounts_user_lift_lockout",
            ),
        ] + super().get_urls()

    def _target_user(self, request, id):
        if not request.user.has_perm("accounts.manage_accounts"):
            raise PermissionDenied
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return user

    def _render_action(self, request, *, user, form, title, consequence, button):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": title,
            "consequence": consequence,
            "button": button,
            "form": form,
            "change_url": reverse("admin:accounts_user_change", args=[user.pk]),
        }
        return TemplateResponse(request, "admin/accounts/user/account_action.html", context)

    def _done(self, request, user, message):
        messages.success(request, message)
        return redirect("admin:accounts_user_change", user.pk)

    def user_change_password(self, request, id, form_url=""):
        user = self._target_user(request, id)
        form = AdminSetPasswordForm(user, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.set_password_by_admin(
                    actor=request.user,
                    user=user,
                    password=form.cleaned_data["new_password1"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                return self._done(
                    request,
                    user,
                    _(
                        "Het wachtwoord van %(user)s is ingesteld. Bij de volgende keer "
                        "inloggen kiest %(user)s een nieuw wachtwoord; %(user)s krijgt een "
                        "e-mail."
                    )
                    % {"user": user.username},
                )
        return self._render_action(
            request,
            user=user,
            form=form,
            title=_("Wachtwoord instellen voor %(user)s") % {"user": user.username},
            consequence=_(
                "Het oude wachtwoord werkt daarna niet meer en de sessies van dit account "
                "eindigen. Bij de volgende keer inloggen moet de gebruiker zelf een nieuw "
                "wachtwoord kiezen. De gebruiker krijgt hierover een e-mail; de reden komt in "
                "de accountgeschiedenis."
            ),
            button=_("Wachtwoord instellen"),
        )

    def reset_two_factor_view(self, request, id):
        user = self._target_user(request, id)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            services.reset_two_factor(
                actor=request.user, user=user, reason=form.cleaned_data["reason"]
            )
            return self._done(
                request,
                user,
                _(
                    "De authenticator-apps van %(user)s zijn verwijderd. Bij de volgende keer "
                    "inloggen koppelt %(user)s een nieuwe app."
                )
                % {"user": user.username},
            )
        return self._render_action(
            request,
            user=user,
            form=form,
            title=_("Tweestapsverificatie opnieuw instellen voor %(user)s")
            % {"user": user.username},
            consequence=_(
                "Alle authenticator-apps van dit account worden verwijderd; dat kan niet "
                "ongedaan worden gemaakt. Wie nu met dit account is ingelogd, moet opnieuw "
                "inloggen en een nieuwe app koppelen. Doe dit alleen als u zeker weet dat de "
                "aanvraag van de gebruiker zelf komt. De gebruiker krijgt hierover een e-mail."
            ),
            button=_("Authenticator-apps verwijderen"),
        )

    def lift_lockout_view(self, request, id):
        user = self._target_user(request, id)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            services.lift_lockout(actor=request.user, user=user, reason=form.cleaned_data["reason"])
            return self._done(
                request,
                user,
                _("De blokkade van %(user)s is opgeheven.") % {"user": user.username},
            )
        return self._render_action(
            request,
            user=user,
            form=form,
            title=_("Blokkade opheffen voor %(user)s") % {"user": user.username},
            consequence=_(
                "Het account kan daarna meteen weer inloggen, ook als de blokkade door iemand "
                "anders dan de gebruiker is veroorzaakt. De gebruiker krijgt hierover een e-mail."
            ),
            button=_("Blokkade opheffen"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            # A password the beheerder typed is known to two people: the user replaces it.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        if not change:
            services.record_initial_password(actor=request.user, user=obj)


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Read-only: what happened to accounts' passwords, authenticators and lockouts."""

    list_display = ["occurred_at", "user", "kind", "actor", "reason", "detail"]
    list_filter = ["kind", ("occurred_at", admin.DateFieldListFilter)]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "actor__username",
        "reason",
    ]
    search_help_text = gettext_lazy("Zoek op gebruikersnaam of naam van het account, of de reden.")
    date_hierarchy = "occurred_at"
    list_select_related = ["user", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
