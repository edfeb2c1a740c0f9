from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "meerwaarde.audit"
    label = "audit"
    verbose_name = _("Logboeken")

    def ready(self) -> None:
        from .dutch_names import apply_dutch_names

        apply_dutch_names()
