import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.text_limits import NOTE_LENGTH, SHORT_TEXT_LENGTH

from .entries import entries_plain_text, validate_entries


class Cluster(models.TextChoices):
    NEIGHBOURHOOD = "wijk_sociale_basis", _("Wijk en sociale basis")
    VOLUNTEERING = "vrijwillige_inzet", _("Vrijwillige inzet")
    PARTICIPATION = "ontmoeting_participatie", _("Ontmoeting en participatie")
    YOUTH = "jeugd", _("Jeugd")
    ELDERLY = "ouderen", _("Ouderen")
    SOCIAL_SERVICES = "maatschappelijke_dienstverlening", _("Maatschappelijke dienstverlening")
    PARENTING = "opvoeden_opgroeien", _("Opvoeden en opgroeien")


class VolunteerMatching(models.TextChoices):
    NONE = "none", _("Geen vrijwilligers op een traject")
    ONE_PER_CASE = "one_per_case", _("Eén vrijwilliger per traject")
    TWO_MEDIATORS = "two_mediators", _("Twee bemiddelaars per melding")
    MENTOR_MENTEE = "mentor_mentee", _("Mentor en mentee")
    HOST_AT_LOCATION = "host_at_location", _("Gastvrouw/-heer op een locatie")


class HourUnit(models.TextChoices):
    PER_MELDING = "per_melding", _("per melding")
    PER_CLIENT = "per_client", _("per cliënt")
    PER_GEZIN = "per_gezin", _("per gezin")
    PER_TRAJECT = "per_traject", _("per traject")
    PER_INITIATIEF = "per_initiatief", _("per initiatief")
    PER_CURSUS = "per_cursus", _("per cursus")
    PER_GROEP = "per_groep", _("per groep")
    PER_ACTIVITEIT = "per_activiteit", _("per activiteit")
    PER_BIJEENKOMST = "per_bijeenkomst", _("per bijeenkomst")
    PER_VRIJWILLIGER = "per_vrijwilliger", _("per vrijwilliger")
    PER_SOCIAAL_WERKER = "per_sociaal_werker", _("per sociaal werker")
    PER_HUISBEZOEK = "per_huisbezoek", _("per huisbezoek")
    PER_JAAR = "per_jaar", _("per jaar")
    VRAAGAFHANKELIJK = "vraagafhankelijk", _("vraagafhankelijk")


def normalise_for_search(text: str) -> str:
    """Lower case without accents, so 'coordinatie' finds 'coördinatie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _validate_entry_list(value) -> None:
    try:
        validate_entries(value)
    except ValueError as error:
        raise ValidationError(_("Ongeldige lijst: %(error)s"), params={"error": error}) from error


def _validate_string_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Verwacht een lijst met teksten."))


HOURS_FIELD = {"max_digits": 9, "decimal_places": 2}


class Product(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam (URL)"), max_length=100, unique=True)
    cluster = models.CharField(_("cluster"), max_length=40, choices=Cluster.choices)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    goal = models.TextField(
        _("doel"), max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    target_group = models.TextField(
        _("doelgroep"), max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    effects_micro = models.JSONField(
        _("maatschappelijk effect microniveau"),
        default=list,
        validators=[_validate_entry_list],
        help_text=_("Belang van de deelnemer."),
    )
    effects_macro = models.JSONField(
        _("maatschappelijk effect macroniveau"),
        default=list,
        validators=[_validate_entry_list],
        help_text=_("Belang van de samenleving."),
    )
    criteria = models.JSONField(
        _("criteria om deel te nemen"), default=list, validators=[_validate_entry_list]
    )
    method = models.JSONField(
        _("werkwijze/methodiek"), default=list, validators=[_validate_entry_list]
    )
    works_with_volunteers = models.BooleanField(_("werkt met vrijwilligers"), default=False)
    volunteer_matching = models.CharField(
        _("koppeling vrijwilligers"),
        max_length=20,
        choices=VolunteerMatching.choices,
        default=VolunteerMatching.NONE,
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coördinatoren"),
        related_name="coordinated_products",
        blank=True,
    )
    keywords = models.JSONField(
        _("zoekwoorden"),
        default=list,
        blank=True,
        validators=[_validate_string_list],
        help_text=_("Andere namen waaronder collega's het product zoeken."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    # Set when the functioneel beheerder edits the product: `load_catalogue` then leaves it
    # alone instead of overwriting the edit with the data file.
    edited_in_admin = models.BooleanField(_("gewijzigd in beheer"), default=False, editable=False)

    # Ureninzet: the norm as the catalogue states it, structured, plus the original text.
    hour_budget_text = models.TextField(
        _("ureninzet (oorspronkelijke tekst)"),
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )
    norm_hours = models.DecimalField(
        _("normuren"),
        **HOURS_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    norm_unit = models.CharField(_("eenheid"), max_length=20, choices=HourUnit.choices)
    participants_per_unit = models.PositiveIntegerField(
        _("deelnemers per eenheid"), null=True, blank=True
    )
    coordination_hours = models.DecimalField(
        _("waarvan coördinatie-uren"),
        **HOURS_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    # Eligibility that can be decided automatically; the rest is a checklist for the worker.
    min_age = models.PositiveSmallIntegerField(
        _("minimumleeftijd"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximumleeftijd"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    turns_age_this_year = models.PositiveSmallIntegerField(
        _("wordt dit jaar (leeftijd)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Bijvoorbeeld 80: iedereen die dit kalenderjaar 80 wordt."),
    )
    requires_living_in_haarlemmermeer = models.BooleanField(
        _("moet in Haarlemmermeer wonen"), default=False
    )
    child_under_age = models.PositiveSmallIntegerField(
        _("kind jonger dan (jaar) in het gezin"), null=True, blank=True
    )
    judgement_criteria = models.JSONField(
        _("criteria ter beoordeling"),
        default=list,
        blank=True,
        validators=[_validate_string_list],
        help_text=_("Worden bij de intake door de sociaal werker bevestigd."),
    )

    # AVG: clients whose cases are all finished are anonymised this long after the last one
    # closed (the longest period of their products counts); see cases.services.privacy.
    retention_years = models.PositiveSmallIntegerField(
        _("bewaartermijn (jaren)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Zo lang na het afsluiten van het laatste traject blijven de persoonsgegevens van de "
            "cliënt bewaard; daarna worden ze geanonimiseerd."
        ),
    )

    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        indexes = [models.Index(fields=["cluster", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(norm_unit__in=HourUnit.values), name="product_unit_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(cluster__in=Cluster.values), name="product_cluster_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(norm_unit=HourUnit.VRAAGAFHANKELIJK)
                | models.Q(norm_hours__isnull=True),
                name="product_vraagafhankelijk_has_no_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="product_age_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.norm_unit == HourUnit.VRAAGAFHANKELIJK and self.norm_hours is not None:
            errors["norm_hours"] = _("Bij een vraagafhankelijke inzet horen geen normuren.")
        if (
            self.norm_unit
            and self.norm_unit != HourUnit.VRAAGAFHANKELIJK
            and self.norm_hours is None
        ):
            errors["norm_hours"] = _("Vul de normuren in, of kies 'vraagafhankelijk'.")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("De maximumleeftijd ligt onder de minimumleeftijd.")
        if (
            self.coordination_hours is not None
            and self.norm_hours is not None
            and self.coordination_hours > self.norm_hours
        ):
            errors["coordination_hours"] = _("Coördinatie-uren zijn een deel van de normuren.")
        if errors:
            raise ValidationError(errors)

    def build_search_text(self) -> str:
        parts = [
            self.name,
            " ".join(self.keywords),
            str(Cluster(self.cluster).label) if self.cluster in Cluster.values else "",
            self.goal,
            self.target_group,
            entries_plain_text(self.method),
        ]
        return normalise_for_search(" ".join(parts))

    @property
    def has_numeric_norm(self) -> bool:
        return self.norm_hours is not None

    @property
    def age_bounds(self) -> tuple[int | None, int | None]:
        """Age bounds of the person served; 'turns 80 this year' is 79 to 80 during the year."""
        if self.turns_age_this_year is not None:
            return self.turns_age_this_year - 1, self.turns_age_this_year
        return self.min_age, self.max_age


class HourBudget(models.Model):
    """The hours agreed with the municipality for one product in one year."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    planned_units = models.DecimalField(
        _("geplande eenheden"),
        **HOURS_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Aantal meldingen, cliënten, groepen … dat dit jaar is afgesproken."),
    )
    hours_per_unit = models.DecimalField(
        _("uren per eenheid"),
        **HOURS_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leeg: de norm uit de catalogus."),
    )
    agreed_hours = models.DecimalField(
        _("afgesproken uren (vast bedrag)"),
        **HOURS_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Voor vraagafhankelijke producten of een afwijkende afspraak."),
    )
    # Computed by catalogue.services (save_hour_budget, and for a change of the product's
    # norm recompute_budgets_for_product), not in save().
    budgeted_hours = models.DecimalField(_("begrote uren"), **HOURS_FIELD, editable=False)
    notes = models.TextField(
        _("toelichting"),
        blank=True,
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )

    class Meta:
        ordering = ["-year", "product__position"]
        verbose_name = _("urenbegroting")
        verbose_name_plural = _("urenbegrotingen")
        constraints = [
            models.UniqueConstraint(fields=["product", "year"], name="one_budget_per_product_year"),
            models.CheckConstraint(
                condition=models.Q(budgeted_hours__gte=0), name="budget_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.year}"

    def clean(self) -> None:
        if self.product_id and self.compute_budgeted_hours() is None:
            raise ValidationError(
                _(
                    "Vul het aantal geplande eenheden in, of een vast aantal afgesproken uren "
                    "(nodig bij een vraagafhankelijke inzet)."
                )
            )

    def effective_hours_per_unit(self) -> Decimal | None:
        if self.hours_per_unit is not None:
            return self.hours_per_unit
        return self.product.norm_hours if self.product_id else None

    def compute_budgeted_hours(self) -> Decimal | None:
        if self.agreed_hours is not None:
            return self.agreed_hours
        per_unit = self.effective_hours_per_unit()
        if per_unit is None:
            return None
        if self.product.norm_unit == HourUnit.PER_JAAR and self.planned_units is None:
            return per_unit
        if self.planned_units is None:
            return None
        return (per_unit * self.planned_units).quantize(Decimal("0.01"))


class AreaKind(models.TextChoices):
    KERN = "kern", _("Kern")
    WIJK = "wijk", _("Wijk")


pc4_validator = RegexValidator(r"^[1-9]\d{3}$", _("Een postcodegebied is vier cijfers."))


class Area(models.Model):
    """A kern (village or town) of Haarlemmermeer, or a wijk within a kern. Editable
    reference data: the municipality's official division is not fixed here."""

    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=4, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ligt in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wijken",
        limit_choices_to={"kind": AreaKind.KERN},
    )
    postcodes = models.JSONField(
        _("postcodegebieden (PC4)"), default=list, blank=True, validators=[_validate_string_list]
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        constraints = [
            models.UniqueConstraint(fields=["kind", "parent", "name"], name="unique_area_name"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(kind="kern"),
                name="unique_kern_name",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="kern") & models.Q(parent__isnull=True))
                | (models.Q(kind="wijk") & models.Q(parent__isnull=False)),
                name="wijk_in_kern_kern_top_level",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AreaKind.WIJK and self.parent_id:
            return f"{self.parent.name} – {self.name}"
        return self.name

    def clean(self) -> None:
        for code in self.postcodes or []:
            pc4_validator(code)


class LocationKind(models.TextChoices):
    PLUSPUNT = "pluspunt", _("PlusPunt")
    BUURTHUIS = "buurthuis", _("Buurthuis / wijkcentrum")
    OFFICE = "kantoor", _("Kantoor MeerWaarde")
    OTHER = "anders", _("Anders")


class Location(models.Model):
    name = models.CharField(_("naam"), max_length=150, unique=True)
    kind = models.CharField(_("soort"), max_length=12, choices=LocationKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("gebied"), on_delete=models.PROTECT, related_name="locations"
    )
    address = models.CharField(_("adres"), max_length=200, blank=True)
    opening_hours = models.CharField(_("openingstijden"), max_length=200, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")

    def __str__(self) -> str:
        return self.name
