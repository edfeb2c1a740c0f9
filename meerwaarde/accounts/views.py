import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import services
from .forms import LoginForm, TokenForm
from .middleware import password_change_exempt, two_factor_exempt

THROTTLED_MESSAGE = gettext_lazy(
    "Te veel onjuiste codes achter elkaar. Wacht een minuut en probeer het opnieuw."
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Links an authenticator app: the first time, after a reset by the beheerder, or — once
    the session passed the second factor — to replace the app (a new phone). A user who has
    an authenticator but has not passed it in this session only gets the code page: the
    password alone never links a new app."""
    replacing = request.user.is_verified()
    if replacing and not request.user.has_perm("accounts.use_app"):
        return redirect("home")
    if not replacing and services.has_confirmed_device(user=request.user):
        verify = reverse("accounts:two_factor_verify")
        return redirect(f"{verify}?{urlencode({'next': _safe_next(request)})}")
    device = services.pending_totp_device(user=request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", THROTTLED_MESSAGE)
        elif services.confirm_totp_device(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("Deze code klopt niet. Probeer de code die de app nu toont."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _safe_next(request),
        "replacing": replacing,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect("home")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_totp_token(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        if services.totp_throttled(user=request.user):
            form.add_error("token", THROTTLED_MESSAGE)
        else:
            form.add_error("token", _("Deze code klopt niet of is verlopen."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@password_change_exempt
@require_http_methods(["GET", "POST"])
def password_change(request):
    """The user chooses a new password; required right after the beheerder set one."""
    if not request.user.has_perm("accounts.use_app"):
        raise PermissionDenied
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Uw wachtwoord is gewijzigd."))
        return redirect(_safe_next(request))
    context = {
        "form": form,
        "required": request.user.must_change_password,
        "next": _safe_next(request),
    }
    return render(request, "accounts/password_change.html", context)


@login_not_required
def admin_login(request):
    """/beheer/'s login page. Anonymous users go to the application's login (lockout and
    second factor included); a logged-in user without access to /beheer/ gets the 403
    page instead of being sent round between the two logins."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    query = request.GET.urlencode()
    return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))
