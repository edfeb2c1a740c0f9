from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Rapportage")

    def ready(self) -> None:
        from meerwaarde.outbox.services import set_consumer

        from . import consumer

        # Reporting consumes the outbox the write services record their changes in.
        set_consumer(consumer.kick)
