"""/beheer/: Django's admin, branded, behind the application's own login."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _


class MeerWaardeAdminSite(admin.AdminSite):
    site_header = _("MeerWaarde beheer")
    site_title = _("MeerWaarde beheer")
    index_title = _("Functioneel beheer")

    def admin_view(self, view, cacheable=False):
        """A logged-in user without access gets the 403 page at once. Django's admin
        would send them to the admin login, which sends a logged-in user back: a loop."""
        guarded_view = super().admin_view(view, cacheable)

        @wraps(guarded_view)
        def refuse_logged_in_outsiders(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded_view(request, *args, **kwargs)

        return refuse_logged_in_outsiders

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """One way in: the application's login, with lockout and the second factor."""
        from meerwaarde.accounts.views import admin_login

        return admin_login(request)


class MeerWaardeAdminConfig(AdminConfig):
    default_site = "meerwaarde.admin_site.MeerWaardeAdminSite"
