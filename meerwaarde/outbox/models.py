from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    """One month in which rows of one source changed, written by the write service in its
    own transaction (`meerwaarde.outbox.record_change`) and consumed by reporting."""

    # The model whose rows changed, as its label ("cases.HourRegistration").
    source = models.CharField(_("gewijzigd gegeven"), max_length=60)
    # The first day of the month the changed rows are counted in.
    month = models.DateField(_("maand"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wijziging voor de rapportage")
        verbose_name_plural = _("wijzigingen voor de rapportage")

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}"
