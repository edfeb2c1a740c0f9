import re
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

from catalogue.models import Area, Location, Product, normalise_for_search
from meerwaarde.accounts.models import Team
from meerwaarde.dates import validate_birth_date
from meerwaarde.text_limits import NOTE_LENGTH, REPORT_LENGTH, SHORT_TEXT_LENGTH

from .choices import (
    CaseStatus,
    ConsentPurpose,
    ContactKind,
    ContactTopic,
    FollowUpKind,
    Gender,
    GoalReached,
    HourKind,
    Instrument,
    MediationStep,
    Partner,
    ReferralSource,
    ScoreMoment,
)

USER = settings.AUTH_USER_MODEL
HOURS = {"max_digits": 6, "decimal_places": 2}

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Vul een Nederlandse postcode in, bijvoorbeeld 2132 AB.")
)


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


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
        from .choices import OPEN_STATUSES

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


class ClosedPeriodQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(reopened_at__isnull=True)


class InForceClosedPeriodManager(models.Manager.from_queryset(ClosedPeriodQuerySet)):
    def get_queryset(self):
        return super().get_queryset().in_force()


class ClosedPeriod(models.Model):
    """Hours in a closed reporting period can no longer be added or changed. The one
    truth about closing: reporting's voorlopig/definitief derives from it. Written only by
    `cases.services.periods` (close_period, reopen_period); a reopened period keeps its row,
    with who reopened it, when and why, as its history."""

    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    closed_by = models.ForeignKey(
        USER, verbose_name=_("gesloten door"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("gesloten op"), auto_now_add=True)
    reopened_at = models.DateTimeField(_("heropend op"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        USER,
        verbose_name=_("heropend door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(
        _("reden van heropenen"),
        blank=True,
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )

    # `objects`: the closures in force (what the hour rules and reporting read);
    # `all_records`: with the reopened ones, for the history in the admin.
    objects = InForceClosedPeriodManager()
    all_records = ClosedPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-closed_at"]
        verbose_name = _("gesloten periode")
        verbose_name_plural = _("gesloten perioden")
        base_manager_name = "all_records"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")),
                name="closed_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_at__isnull=True)
                | (models.Q(reopened_by__isnull=False) & ~models.Q(reopen_reason="")),
                name="closed_period_reopened_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.start_date:%d-%m-%Y} t/m {self.end_date:%d-%m-%Y}"

    @property
    def is_in_force(self) -> bool:
        return self.reopened_at is None


class ImportBatch(models.Model):
    """One imported file. The checksum makes a second import of the same file refusable."""

    file_name = models.CharField(_("bestand"), max_length=255)
    checksum = models.CharField(_("controlegetal (SHA-256)"), max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("regels"), default=0)
    imported_by = models.ForeignKey(
        USER,
        verbose_name=_("geïmporteerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name


class ImportJobStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class ImportJob(models.Model):
    """An upload of an hours file through the browser, processed by a Celery task;
    the page shows its progress."""

    file_name = models.CharField(_("bestand"), max_length=255)
    stored_path = models.CharField(max_length=500, editable=False)
    dry_run = models.BooleanField(_("alleen controleren"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("regels in het bestand"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("verwerkte regels"), default=0)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    errors = models.JSONField(_("foutmeldingen"), default=list, blank=True)
    message = models.CharField(_("melding"), max_length=500, blank=True)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importtaak")
        verbose_name_plural = _("importtaken")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class HourRegistration(models.Model):
    """Hours a staff member spent on a product (and optionally a case)."""

    worker = models.ForeignKey(
        USER, verbose_name=_("medewerker"), on_delete=models.PROTECT, related_name="hours"
    )
    date = models.DateField(_("datum"))
    hours = models.DecimalField(_("uren"), **HOURS, validators=[MinValueValidator(Decimal("0.25"))])
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="hours"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("traject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=HourKind.choices)
    kern = models.ForeignKey(
        Area,
        verbose_name=_("kern"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pc4 = models.CharField(_("postcodegebied"), max_length=4, blank=True)
    client_reference = models.CharField(
        _("kenmerk cliënt (oud systeem)"), max_length=50, blank=True
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours",
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("urenregistratie")
        verbose_name_plural = _("urenregistraties")
        indexes = [
            models.Index(fields=["worker", "date"]),
            models.Index(fields=["product", "date"]),
            models.Index(fields=["date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="hours_between_0_and_24"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.hours} uur {self.product_id}"


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
