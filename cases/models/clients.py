"""Clients, their households and their consents."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import ConsentPurpose, Gender
from catalogue.models import Area, normalise_for_search
from meerwaarde.accounts.models import Team
from meerwaarde.dates import validate_birth_date

from .fields import USER, normalise_postcode, postcode_validator


class Household(models.Model):
    """Persons who live together ("één huishouden, één plan, één regisseur")."""

    name = models.CharField(_("naam huishouden"), max_length=150)
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return self.name


class Client(models.Model):
    """A resident MeerWaarde supports. Never a BSN."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("geslacht"), max_length=10, choices=Gender.choices, blank=True)
    street = models.CharField(_("straat"), max_length=150, blank=True)
    house_number = models.PositiveIntegerField(
        _("huisnummer"), null=True, blank=True, validators=[MaxValueValidator(99999)]
    )
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    # The four digits, kept so reports can be re-cut when the area division changes.
    pc4 = models.CharField(_("postcodegebied"), max_length=4, blank=True, db_index=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    lives_in_haarlemmermeer = models.BooleanField(_("woont in Haarlemmermeer"), default=True)
    kern = models.ForeignKey(
        Area,
        verbose_name=_("kern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "kern"},
    )
    wijk = models.ForeignKey(
        Area,
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "wijk"},
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language_needs = models.CharField(
        _("taal en tolk"), max_length=200, blank=True, help_text=_("Bijv. Arabisch, tolk nodig.")
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    external_reference = models.CharField(
        _("kenmerk oud systeem"), max_length=50, blank=True, db_index=True
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="clients"
    )
    search_name = models.CharField(max_length=250, editable=False, db_index=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by AVG 'verwijdering' or the retention job (cases.services.privacy).
    anonymised_at = models.DateTimeField(
        _("geanonimiseerd op"), null=True, blank=True, editable=False
    )
    anonymised_by = models.ForeignKey(
        USER,
        verbose_name=_("geanonimiseerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")
        indexes = [
            models.Index(fields=["birth_date"]),
            models.Index(fields=["postcode", "house_number"]),
            models.Index(fields=["team", "last_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        self.pc4 = self.postcode[:4]
        self.search_name = normalise_for_search(self.full_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.wijk_id and self.kern_id and self.wijk.parent_id != self.kern_id:
            errors["wijk"] = _("Deze wijk ligt niet in de gekozen kern.")
        if self.birth_date:
            try:
                validate_birth_date(self.birth_date)
            except ValidationError as error:
                errors["birth_date"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name_prefix, self.last_name) if p)

    @property
    def address_line(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}"
        return " ".join(p for p in (self.street, number) if p)


class Consent(models.Model):
    """Consent per purpose. A withdrawal is recorded on the row; rows are never deleted."""

    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("doel"), max_length=30, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("toestemming gegeven"))
    text_version = models.CharField(_("versie toestemmingstekst"), max_length=20)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER,
        verbose_name=_("ingetrokken door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        indexes = [models.Index(fields=["client", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'ja' if self.given else 'nee'}"

    @property
    def is_active(self) -> bool:
        return self.given and self.withdrawn_at is None
