"""Hours: staff hours, their import and the closed periods."""

from decimal import Decimal

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import HourKind
from catalogue.models import Area, Product
from meerwaarde.text_limits import SHORT_TEXT_LENGTH

from .cases import Case
from .fields import HOURS, USER


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
