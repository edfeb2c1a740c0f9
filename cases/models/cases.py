"""Cases: status, contacts, referrals, outcomes, scores and follow-ups."""

from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    ContactKind,
    FollowUpKind,
    GoalReached,
    Instrument,
    Partner,
    ReferralSource,
    ScoreMoment,
)
from catalogue.models import Product
from meerwaarde.accounts.models import Team
from meerwaarde.text_limits import NOTE_LENGTH, REPORT_LENGTH

from .clients import Client
from .fields import USER


class Case(models.Model):
    """A traject: one client, one product, run by a team."""

    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="cases"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="cases"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    responsible_worker = models.ForeignKey(
        USER,
        verbose_name=_("verantwoordelijk sociaal werker"),
        on_delete=models.PROTECT,
        related_name="responsible_cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    referral_source = models.CharField(
        _("verwijzer"), max_length=30, choices=ReferralSource.choices
    )
    referral_source_detail = models.CharField(
        _("toelichting verwijzer"), max_length=200, blank=True
    )
    question = models.TextField(
        _("hulpvraag"), max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    life_domains = models.JSONField(_("leefgebieden"), default=list, blank=True)
    is_caregiver = models.BooleanField(_("mantelzorger"), default=False)
    caregiver_overburdened = models.BooleanField(_("(zwaar) overbelast"), default=False)
    confirmed_criteria = models.JSONField(
        _("bevestigde criteria"), default=list, blank=True, editable=False
    )
    registered_on = models.DateField(_("aanmelddatum"))
    waiting_since = models.DateField(_("op de wachtlijst sinds"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        indexes = [
            models.Index(fields=["team", "status", "-registered_on"]),
            # The case list: a team's cases newest first, read in index order (no sort).
            models.Index(fields=["team", "-registered_on", "-id"]),
            models.Index(fields=["responsible_worker", "status"]),
            models.Index(fields=["product", "status", "waiting_since"]),
            # Which clients a team may see (clients_visible_to): read from the index alone.
            models.Index(fields=["team", "client"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(caregiver_overburdened=False) | models.Q(is_caregiver=True),
                name="overburdened_only_for_caregivers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.client}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStatusChange(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("van status"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar status"), max_length=20, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(
        USER, verbose_name=_("gewijzigd door"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '–'} → {self.get_to_status_display()}"


class Contact(models.Model):
    """A contact moment or note on a case."""

    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="contacts"
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort"), max_length=20, choices=ContactKind.choices)
    summary = models.TextField(
        _("verslag"), max_length=REPORT_LENGTH, validators=[MaxLengthValidator(REPORT_LENGTH)]
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class Referral(models.Model):
    """Onward referral (doorverwijzing / toeleiding) to a partner — an outcome in itself."""

    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="referrals"
    )
    partner = models.CharField(_("partner"), max_length=30, choices=Partner.choices)
    partner_detail = models.CharField(_("toelichting partner"), max_length=200, blank=True)
    date = models.DateField(_("datum"))
    data_shared = models.BooleanField(
        _("gegevens gedeeld met de partner"),
        default=False,
        help_text=_("Alleen met toestemming 'delen met netwerkpartners'."),
    )
    note = models.TextField(
        _("toelichting"),
        blank=True,
        max_length=NOTE_LENGTH,
        validators=[MaxLengthValidator(NOTE_LENGTH)],
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")

    def __str__(self) -> str:
        return f"{self.get_partner_display()} {self.date:%d-%m-%Y}"


class CaseOutcome(models.Model):
    case = models.OneToOneField(
        Case, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="outcome"
    )
    goal_reached = models.CharField(_("doel bereikt"), max_length=5, choices=GoalReached.choices)
    can_continue_independently = models.BooleanField(_("kan zelfstandig verder"))
    referred_to = models.CharField(
        _("doorverwezen naar"), max_length=30, choices=Partner.choices, blank=True
    )
    note = models.TextField(
        _("toelichting"),
        blank=True,
        max_length=NOTE_LENGTH,
        validators=[MaxLengthValidator(NOTE_LENGTH)],
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resultaat")
        verbose_name_plural = _("resultaten")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_goal_reached_display()}"


class OutcomeScore(models.Model):
    """A before or after score on a standard instrument, with its version."""

    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="scores"
    )
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    instrument_version = models.CharField(_("versie"), max_length=60)
    moment = models.CharField(_("moment"), max_length=4, choices=ScoreMoment.choices)
    domain = models.CharField(_("domein"), max_length=40)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "instrument", "moment", "domain"], name="one_score_per_domain"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=10), name="score_at_most_10"),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.domain}: {self.score}"


class FollowUp(models.Model):
    """Something to do on a case by a date — e.g. the nazorg call after a mediation."""

    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=FollowUpKind.choices)
    due_on = models.DateField(_("uiterlijk op"))
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER,
        verbose_name=_("afgehandeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("opvolgactie")
        verbose_name_plural = _("opvolgacties")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(kind="nazorg_bemiddeling"),
                name="one_aftercare_follow_up_per_case",
            )
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (uiterlijk {self.due_on:%d-%m-%Y})"
