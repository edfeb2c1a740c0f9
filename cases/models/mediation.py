"""Mediation (buurtbemiddeling): the parties and the steps of a case."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import MediationStep
from meerwaarde.text_limits import REPORT_LENGTH

from .cases import Case
from .fields import USER


class MediationParty(models.Model):
    """Buurtbemiddeling: the two parties of a melding. Party 1 is usually the client."""

    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.CASCADE, related_name="mediation_parties"
    )
    number = models.PositiveSmallIntegerField(
        _("partij"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    name = models.CharField(_("naam"), max_length=150)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_party_per_number")
        ]

    def __str__(self) -> str:
        return f"Partij {self.number}: {self.name}"


class MediationStepRecord(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.CASCADE, related_name="mediation_steps"
    )
    step = models.CharField(_("stap"), max_length=30, choices=MediationStep.choices)
    date = models.DateField(_("datum"))
    note = models.TextField(
        _("verslag"),
        blank=True,
        max_length=REPORT_LENGTH,
        validators=[MaxLengthValidator(REPORT_LENGTH)],
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("bemiddelingsstap")
        verbose_name_plural = _("bemiddelingsstappen")
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="one_record_per_mediation_step")
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date:%d-%m-%Y}"
