"""Group work and walk-in (inloop): activities, sessions and anonymous contacts."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import ContactTopic, Partner
from catalogue.models import Area, Location, Product
from meerwaarde.accounts.models import Team

from .fields import USER


class GroupActivity(models.Model):
    """A group, course or recurring activity (Groepsgerichte activiteiten, OKI, …)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("naam"), max_length=150)
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT)
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, null=True, blank=True
    )
    kern = models.ForeignKey(
        Area,
        verbose_name=_("kern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "kern"},
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("groepsactiviteit")
        verbose_name_plural = _("groepsactiviteiten")

    def __str__(self) -> str:
        return self.name


class GroupSession(models.Model):
    activity = models.ForeignKey(
        GroupActivity,
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    date = models.DateField(_("datum"))
    participants = models.PositiveIntegerField(
        _("aantal deelnemers"), validators=[MaxValueValidator(10000)]
    )
    new_participants = models.PositiveIntegerField(_("waarvan nieuw"), default=0)
    volunteers = models.PositiveIntegerField(_("aantal vrijwilligers"), default=0)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_participants__lte=models.F("participants")),
                name="new_participants_within_participants",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.date:%d-%m-%Y}"


class AnonymousContact(models.Model):
    """A walk-in question at a PlusPunt or spreekuur: no personal data."""

    date = models.DateField(_("datum"))
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, related_name="contacts"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("onderwerp"), max_length=20, choices=ContactTopic.choices)
    referred_on = models.BooleanField(_("doorverwezen"), default=False)
    referred_to = models.CharField(
        _("doorverwezen naar"), max_length=30, choices=Partner.choices, blank=True
    )
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("anoniem contact")
        verbose_name_plural = _("anonieme contacten")
        indexes = [models.Index(fields=["date", "location"])]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_topic_display()}"
