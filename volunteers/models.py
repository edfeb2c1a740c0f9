from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Client, GroupActivity, normalise_postcode, postcode_validator
from catalogue.models import Area, Product, normalise_for_search
from meerwaarde.text_limits import EVALUATION_NOTES_LENGTH, SHORT_TEXT_LENGTH

USER = settings.AUTH_USER_MODEL


class VolunteerStatus(models.TextChoices):
    ASPIRANT = "aspirant", _("Aspirant")
    ACTIVE = "actief", _("Actief")
    PAUSED = "pauze", _("Pauze")
    STOPPED = "gestopt", _("Gestopt")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class DayPart(models.TextChoices):
    MORNING = "ochtend", _("ochtend")
    AFTERNOON = "middag", _("middag")
    EVENING = "avond", _("avond")


class TrainingType(models.Model):
    """A training volunteers can follow (Home-Start training, bemiddelaarstraining, …)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    valid_for_months = models.PositiveSmallIntegerField(
        _("geldig (maanden)"), null=True, blank=True, help_text=_("Leeg: blijft geldig.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("training")
        verbose_name_plural = _("trainingen")

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    pc4 = models.CharField(_("postcodegebied"), max_length=4, blank=True, editable=False)
    kern = models.ForeignKey(
        Area,
        verbose_name=_("woont in kern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "kern"},
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.ASPIRANT,
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("werkt voor"), related_name="volunteers", blank=True
    )
    kernen_served = models.ManyToManyField(
        Area,
        verbose_name=_("kernen waar hij/zij wil werken"),
        related_name="volunteers_serving",
        blank=True,
        limit_choices_to={"kind": "kern"},
    )
    max_matches = models.PositiveSmallIntegerField(
        _("maximaal aantal koppelingen tegelijk"), default=1, validators=[MaxValueValidator(20)]
    )
    languages = models.JSONField(_("talen"), default=list, blank=True)
    skills = models.TextField(
        _("wat kan hij/zij"),
        blank=True,
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )
    wishes = models.TextField(
        _("wat wil hij/zij en waar wordt hij/zij blij van"),
        blank=True,
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )
    vog_date = models.DateField(_("datum VOG"), null=True, blank=True)
    client = models.OneToOneField(
        Client,
        verbose_name=_("ook cliënt (wederkerigheid)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
    )
    search_name = models.CharField(max_length=250, editable=False, db_index=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("vrijwilliger")
        verbose_name_plural = _("vrijwilligers")
        indexes = [models.Index(fields=["status", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        self.pc4 = self.postcode[:4]
        self.search_name = normalise_for_search(self.full_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name_prefix, self.last_name) if p)


class Availability(models.Model):
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("vrijwilliger"),
        on_delete=models.CASCADE,
        related_name="availability",
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    day_part = models.CharField(_("dagdeel"), max_length=8, choices=DayPart.choices)

    class Meta:
        ordering = ["weekday", "day_part"]
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheid")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "weekday", "day_part"], name="one_slot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}{self.day_part}"


class VolunteerTraining(models.Model):
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("vrijwilliger"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    training = models.ForeignKey(TrainingType, verbose_name=_("training"), on_delete=models.PROTECT)
    completed_on = models.DateField(_("afgerond op"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("gevolgde training")
        verbose_name_plural = _("gevolgde trainingen")

    def __str__(self) -> str:
        return f"{self.training} ({self.completed_on:%d-%m-%Y})"


class ScreeningRule(models.Model):
    """What a volunteer needs before being matched on a product."""

    product = models.OneToOneField(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="screening_rule"
    )
    required_trainings = models.ManyToManyField(
        TrainingType, verbose_name=_("verplichte trainingen"), blank=True
    )
    vog_required = models.BooleanField(_("VOG verplicht"), default=True)
    vog_max_age_months = models.PositiveSmallIntegerField(
        _("VOG maximaal zo oud (maanden)"), default=36, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("screeningseis")
        verbose_name_plural = _("screeningseisen")

    def __str__(self) -> str:
        return str(self.product)


class MatchRole(models.TextChoices):
    MEDIATOR = "bemiddelaar", _("Bemiddelaar")
    BUDDY = "maatje", _("Maatje")
    MENTOR = "mentor", _("Mentor")
    HOME_START = "home_start", _("Home-Start vrijwilliger")
    HOST = "gastvrouw", _("Gastvrouw/-heer")
    VOLUNTEER = "vrijwilliger", _("Vrijwilliger")


class MatchStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Voorgesteld")
    INTRODUCTION = "kennismaking", _("Kennismaking")
    ACTIVE = "actief", _("Actief")
    COMPLETED = "afgerond", _("Afgerond")
    BROKEN_OFF = "afgebroken", _("Afgebroken")


# Matches that take one of the volunteer's places.
OCCUPYING_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.INTRODUCTION, MatchStatus.ACTIVE)


class Match(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("vrijwilliger"), on_delete=models.PROTECT, related_name="matches"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="matches"
    )
    role = models.CharField(_("rol"), max_length=15, choices=MatchRole.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    proposed_on = models.DateField(_("voorgesteld op"))
    introduced_on = models.DateField(_("kennismaking op"), null=True, blank=True)
    started_on = models.DateField(_("actief sinds"), null=True, blank=True)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden van beëindigen"), max_length=300, blank=True)
    interim_evaluation_on = models.DateField(_("tussenevaluatie"), null=True, blank=True)
    final_evaluation_on = models.DateField(_("eindevaluatie"), null=True, blank=True)
    # Evaluations are appended (each one at most NOTE_LENGTH), so the whole holds several.
    evaluation_notes = models.TextField(
        _("evaluatie"),
        blank=True,
        max_length=EVALUATION_NOTES_LENGTH,
        validators=[MaxLengthValidator(EVALUATION_NOTES_LENGTH)],
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("aangemaakt door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        indexes = [
            models.Index(fields=["volunteer", "status"]),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "case"], name="volunteer_once_per_case"),
            models.CheckConstraint(
                condition=models.Q(status__in=MatchStatus.values), name="match_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} ↔ {self.case_id} ({self.get_status_display()})"


class MatchStatusChange(models.Model):
    match = models.ForeignKey(
        Match, verbose_name=_("koppeling"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("van status"), max_length=15, choices=MatchStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar status"), max_length=15, choices=MatchStatus.choices)
    changed_by = models.ForeignKey(
        USER, verbose_name=_("gewijzigd door"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("statuswijziging koppeling")
        verbose_name_plural = _("statuswijzigingen koppelingen")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class VolunteerHours(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("vrijwilliger"), on_delete=models.PROTECT, related_name="hours"
    )
    date = models.DateField(_("datum"))
    hours = models.DecimalField(
        _("uren"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    match = models.ForeignKey(
        Match,
        verbose_name=_("koppeling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours",
    )
    activity = models.ForeignKey(
        GroupActivity,
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kern = models.ForeignKey(
        Area,
        verbose_name=_("kern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        USER, verbose_name=_("geregistreerd door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("vrijwilligersuren")
        verbose_name_plural = _("vrijwilligersuren")
        indexes = [
            models.Index(fields=["volunteer", "date"]),
            models.Index(fields=["product", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24),
                name="volunteer_hours_between_0_and_24",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.date:%d-%m-%Y} {self.hours}"


class SuggestionWeights(models.Model):
    """How suggestions are scored; one row, editable by the functioneel beheerder."""

    same_kern = models.PositiveSmallIntegerField(_("woont in dezelfde kern"), default=30)
    serves_kern = models.PositiveSmallIntegerField(
        _("wil in de kern van de cliënt werken"), default=20
    )
    language = models.PositiveSmallIntegerField(_("spreekt de taal van de cliënt"), default=25)
    free_place = models.PositiveSmallIntegerField(_("per vrije plek"), default=5)
    availability = models.PositiveSmallIntegerField(_("per beschikbaar dagdeel"), default=2)
    extra_training = models.PositiveSmallIntegerField(_("per gevolgde training"), default=3)

    class Meta:
        verbose_name = _("weging suggesties")
        verbose_name_plural = _("weging suggesties")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "SuggestionWeights":
        return cls.objects.first() or cls()
