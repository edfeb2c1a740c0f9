from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .middleware import two_factor_exempt

app_name = "accounts"

urlpatterns = [
    path("inloggen/", login_not_required(views.LoginView.as_view()), name="login"),
    path("uitloggen/", two_factor_exempt(views.LogoutView.as_view()), name="logout"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/controleren/", views.two_factor_verify, name="two_factor_verify"),
    path("wachtwoord/wijzigen/", views.password_change, name="password_change"),
]
