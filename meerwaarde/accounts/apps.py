from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meerwaarde.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers en teams")

    def ready(self) -> None:
        from meerwaarde.audit.registry import register_personal_data_model

        from .models import User

        register_personal_data_model(
            User, exclude_fields=["password", "last_login"], access_logged=False
        )
