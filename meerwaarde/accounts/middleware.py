from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

TWO_FACTOR_EXEMPT_ATTR = "two_factor_exempt"
PASSWORD_CHANGE_EXEMPT_ATTR = "password_change_exempt"  # noqa: S105 (an attribute name)


def two_factor_exempt(view_func):
    """Marks a view reachable by a logged-in user who has not passed the second factor."""
    setattr(view_func, TWO_FACTOR_EXEMPT_ATTR, True)
    return view_func


def password_change_exempt(view_func):
    """Marks a view reachable by a user who still has to choose a new password."""
    setattr(view_func, PASSWORD_CHANGE_EXEMPT_ATTR, True)
    return view_func


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA, a logged-in user reaches nothing but the TOTP pages until the
    session is verified: first-time users set up their authenticator app, others enter
    a code. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_2FA:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if (
            getattr(view_func, TWO_FACTOR_EXEMPT_ATTR, False)
            or getattr(view_func, "login_required", True) is False
        ):
            return None
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


class PasswordChangeRequiredMiddleware:
    """A user whose password the beheerder set reaches nothing but the page to choose a
    new one (after the second factor, so the code page stays reachable). Runs after
    TwoFactorRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        if settings.REQUIRE_2FA and not user.is_verified():
            return None
        if (
            getattr(view_func, TWO_FACTOR_EXEMPT_ATTR, False)
            or getattr(view_func, "login_required", True) is False
            or getattr(view_func, PASSWORD_CHANGE_EXEMPT_ATTR, False)
        ):
            return None
        target = reverse("accounts:password_change")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
