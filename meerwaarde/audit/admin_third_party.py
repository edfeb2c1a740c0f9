"""The lock-out lists of django-axes and django-otp's authenticator apps in /beheer/, in
Dutch. The packages' own admin classes stay (same addresses, same behaviour); these
subclasses replace only their English texts: filter titles, section titles, actions and
computed columns. Model and field names are set in `dutch_names`."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

META_SECTION = (_("Verzoekgegevens"), {"fields": ("user_agent", "ip_address", "http_accept")})


class LockedOutFilter(admin.SimpleListFilter):
    title = _("geblokkeerd")
    parameter_name = "locked_out"

    def lookups(self, request, model_admin):
        return (("yes", _("Ja")), ("no", _("Nee")))

    def queryset(self, request, queryset):
        limit = axes_settings.AXES_FAILURE_LIMIT
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=limit)
        if self.value() == "no":
            return queryset.filter(failures_since_start__lt=limit)
        return queryset


def _replace(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class DutchAccessAttemptAdmin(AccessAttemptAdmin):
    """Accounts with wrong passwords; five lock the account for an hour. Deleting the row
    lifts the lock-out."""

    list_display = [
        "attempt_time",
        "username",
        "failures_since_start",
        "status",
        "ip_address",
        "path_info",
    ]
    list_filter = ["attempt_time", LockedOutFilter]
    search_help_text = _("Zoek op gebruikersnaam of IP-adres.")
    fieldsets = (
        (None, {"fields": ("username", "path_info", "failures_since_start", "expiration")}),
        (_("Formuliergegevens"), {"fields": ("get_data", "post_data")}),
        META_SECTION,
    )

    @admin.action(description=_("Verlopen pogingen opruimen"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request, _("%(count)s verlopen inlogpogingen opgeruimd.") % {"count": count}
        )

    @admin.display(description=_("verloopt op"))
    def expiration(self, obj: AccessAttempt):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else _("niet gezet")

    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt):
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return _("nog %(count)s pogingen") % {"count": remaining}
        return _("geblokkeerd")


class DutchAccessLogAdmin(AccessLogAdmin):
    fieldsets = ((None, {"fields": ("username", "path_info")}), META_SECTION)
    search_help_text = _("Zoek op gebruikersnaam of IP-adres.")


class DutchAccessFailureLogAdmin(AccessFailureLogAdmin):
    fieldsets = ((None, {"fields": ("username", "path_info")}), META_SECTION)
    search_help_text = _("Zoek op gebruikersnaam of IP-adres.")


if axes_settings.AXES_ENABLE_ADMIN:
    _replace(AccessAttempt, DutchAccessAttemptAdmin)
    _replace(AccessLog, DutchAccessLogAdmin)
    _replace(AccessFailureLog, DutchAccessFailureLogAdmin)
# Authenticators are not edited in the admin: django-otp's page would let anyone with
# the right add a device with a known key to another user's account, or read a device's
# QR code (its secret). The beheerder sees a user's devices on the user's page and resets
# them there, with a reason, in the account history (meerwaarde.accounts.admin).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
