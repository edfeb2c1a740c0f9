from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Vrijwilligers en matching")

    def ready(self) -> None:
        from meerwaarde.audit.avg_registry import register_client_data
        from meerwaarde.audit.registry import register_personal_data_model

        from . import models, privacy

        register_personal_data_model(models.Volunteer, exclude_fields=["search_name", "version"])
        for model in (
            models.Availability,
            models.VolunteerTraining,
            models.Match,
            models.MatchStatusChange,
            models.VolunteerHours,
        ):
            register_personal_data_model(model, access_logged=False)
        # The volunteers' part of a client's file, for inzage and anonymisation (AVG).
        register_client_data(
            "volunteers",
            anonymised=privacy.ANONYMISED,
            inzage_case_sections=privacy.INZAGE_CASE_SECTIONS,
        )
