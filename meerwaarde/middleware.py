import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header: scripts and styles only from this app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session a fixed time after login, however busy the user is (the idle
    timeout alone would keep an always-active session alive for ever). The login time
    is stored in the session at the first authenticated request; past the lifetime the
    user is logged out and sent to the login page with a Dutch message. Runs after the
    authentication and message middleware."""

    SESSION_KEY = "_mw_authenticated_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(self.SESSION_KEY)
            if started is None:
                request.session[self.SESSION_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _(
                        "U bent automatisch uitgelogd: een sessie duurt hoogstens %(hours)s uur. "
                        "Log opnieuw in."
                    )
                    % {"hours": settings.SESSION_ABSOLUTE_LIFETIME_SECONDS // 3600},
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreForLoggedInUsersMiddleware:
    """Pages seen by a logged-in user hold personal data: browsers and proxies must not
    keep them (ASVS 8.2.1), so the back button after logout shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
