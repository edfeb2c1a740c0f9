from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Vrijwilligers en matching")

    def ready(self) -> None:
        from meerwaarde.audit.registry import register_personal_data_model

        from . import models

        register_personal_data_model(models.Volunteer, exclude_fields=["search_name", "version"])
        for model in (
            models.Availability,
            models.VolunteerTraining,
            models.Match,
            models.MatchStatusChange,
            models.VolunteerHours,
        ):
            register_personal_data_model(model, access_logged=False)
