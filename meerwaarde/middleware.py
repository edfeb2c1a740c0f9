import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.template import loader
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


NUL = "\x00"
API_PREFIX = "/api/"


def bad_request_response(request, message: str, *, parameter: str | None = None) -> HttpResponse:
    """A 400 with the reason in Dutch: the API's JSON error format under /api/ (the
    parameter's name with a list of messages, as DRF reports a bad filter; "detail"
    otherwise), the Dutch error page elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        body = {parameter: [message]} if parameter else {"detail": message}
        return JsonResponse(body, status=400)
    page = loader.render_to_string("errors/400_reason.html", {"message": message})
    return HttpResponse(page, status=400)


def _nul_in(querydict) -> str | None:
    """The name of the first parameter whose name or value holds a NUL character."""
    for name, values in querydict.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


class RejectNulCharacterMiddleware:
    """PostgreSQL refuses a NUL character in text, and nobody types one: a request with a
    NUL in its path, a query or form parameter, or its session cookie is answered with a
    400 and a Dutch message before any view (or the session lookup) puts it in a query.
    Ranges of numbers and dates are each view's own validation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            return bad_request_response(
                request, _("Het adres bevat een ongeldig teken (NUL). Controleer het adres.")
            )
        if NUL in request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""):
            return bad_request_response(
                request, _("Het verzoek bevat een ongeldig teken (NUL). Log opnieuw in.")
            )
        parameter = _nul_in(request.GET)
        if parameter is None and request.method == "POST":
            # Form fields only; uploaded files are their own view's concern (the hour
            # import reports binary content per line). A body that cannot be read is left
            # to the CSRF check, which handles it.
            try:
                parameter = _nul_in(request.POST)
            except OSError:
                parameter = None
        if parameter is not None:
            return bad_request_response(
                request,
                _(
                    "Het verzoek bevat een ongeldig teken (NUL) in '%(name)s'. Controleer wat "
                    "u hebt ingevuld en probeer het opnieuw."
                )
                % {"name": parameter},
                parameter=parameter,
            )
        return self.get_response(request)
