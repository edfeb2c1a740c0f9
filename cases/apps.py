from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cliënten en trajecten")

    def ready(self) -> None:
        from meerwaarde.audit.avg_registry import register_client_data
        from meerwaarde.audit.registry import register_personal_data_model

        from . import models
        from .services import privacy

        # Pages that show a person write the access log; every change is in the history.
        register_personal_data_model(models.Client, exclude_fields=["search_name", "version"])
        register_personal_data_model(models.Case, exclude_fields=["version"])
        for model in (
            models.Household,
            models.Consent,
            models.CaseStatusChange,
            models.Contact,
            models.Referral,
            models.CaseOutcome,
            models.OutcomeScore,
            models.MediationParty,
            models.MediationStepRecord,
            models.FollowUp,
            models.HourRegistration,
        ):
            register_personal_data_model(model, access_logged=False)
        # Cases' own part of a client's file, for the AVG services; apps above add theirs.
        register_client_data(
            "cases",
            anonymised=privacy.CASES_ANONYMISATION_PLAN,
            retention_blockers=[privacy.open_case_blocks_retention],
        )
