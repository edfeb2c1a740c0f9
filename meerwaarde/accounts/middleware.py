from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

TWO_FACTOR_EXEMPT_ATTR = "two_factor_exempt"


def two_factor_exempt(view_func):
    """Marks a view reachable by a logged-in user who has not passed the second factor."""
    setattr(view_func, TWO_FACTOR_EXEMPT_ATTR, True)
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
