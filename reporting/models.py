"""Reporting: indicator definitions (data, versioned), reporting periods and the rolled-up
indicator values that dashboards, exports and the API read. Nothing here holds a person."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from cases.services.periods import closures_covering
from catalogue.models import Area, Product
from meerwaarde.text_limits import SHORT_TEXT_LENGTH

USER = settings.AUTH_USER_MODEL


class Unit(models.TextChoices):
    HOURS = "uren", _("uren")
    PERSONS = "personen", _("personen")
    COUNT = "aantal", _("aantal")
    PERCENT = "procent", _("%")
    WEEKS = "weken", _("weken")


class Breakdown(models.TextChoices):
    PRODUCT = "product", _("per product")
    AREA = "kern", _("per kern")


class Indicator(models.Model):
    """One TransforMeerMonitor or MeerWaarde indicator. Loaded from reporting/data/indicators.yaml;
    the functioneel beheerder can see them and retire them (active_to)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    description = models.TextField(
        _("omschrijving"),
        max_length=SHORT_TEXT_LENGTH,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
    )
    theme = models.CharField(_("thema TransforMeerMonitor"), max_length=150)
    monitor_indicator = models.CharField(_("indicator in de monitor"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices)
    computation = models.CharField(_("berekening"), max_length=60)
    numerator_label = models.CharField(_("teller"), max_length=200)
    denominator_label = models.CharField(_("noemer"), max_length=200, blank=True)
    breakdowns = models.JSONField(_("uitsplitsingen"), default=list, blank=True)
    counts_persons = models.BooleanField(
        _("telt personen"),
        default=False,
        help_text=_("Kleine aantallen (<5) worden in uitsplitsingen onderdrukt."),
    )
    indicator_set = models.CharField(_("indicatorenset"), max_length=60)
    active_from = models.DateField(_("actief vanaf"))
    active_to = models.DateField(_("actief tot en met"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_active_between(self, start, end) -> bool:
        return self.active_from <= end and (self.active_to is None or self.active_to >= start)

    @property
    def by_product(self) -> bool:
        return Breakdown.PRODUCT in self.breakdowns

    @property
    def by_area(self) -> bool:
        return Breakdown.AREA in self.breakdowns


class PeriodKind(models.TextChoices):
    MONTH = "maand", _("maand")
    QUARTER = "kwartaal", _("kwartaal")
    HALF_YEAR = "halfjaar", _("halfjaar")
    YEAR = "jaar", _("jaar")


class ValueStatus(models.TextChoices):
    PROVISIONAL = "voorlopig", _("voorlopig")
    FINAL = "definitief", _("definitief")


def _closures_of_period(prefix: str = ""):
    return closures_covering(OuterRef(f"{prefix}start_date"), OuterRef(f"{prefix}end_date"))


class ReportingPeriodManager(models.Manager):
    """Every period read carries `closed_at`: when the closure in force that covers it was
    made (None = voorlopig). The closure itself is owned by `cases.services.periods`."""

    def get_queryset(self):
        closure = _closures_of_period().order_by("closed_at").values("closed_at")[:1]
        return super().get_queryset().annotate(closed_at=Subquery(closure))


class ReportingPeriod(models.Model):
    """A month, quarter, half-year or year. Keys: "2025", "2025-H1", "2025-Q2", "2025-03".
    Its status is not stored: a period is definitief while a closed period in force
    (`cases.ClosedPeriod`) covers it."""

    key = models.CharField(_("periode"), max_length=7, unique=True)
    kind = models.CharField(_("soort"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("jaar"))
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    computed_at = models.DateTimeField(_("laatst berekend"), null=True, blank=True)

    plain = models.Manager()  # related access and cascades: no subquery needed there
    objects = ReportingPeriodManager()

    class Meta:
        ordering = ["start_date", "-end_date"]
        verbose_name = _("rapportageperiode")
        verbose_name_plural = _("rapportageperioden")
        default_manager_name = "objects"
        base_manager_name = "plain"

    def __str__(self) -> str:
        return self.key

    @property
    def is_final(self) -> bool:
        if "closed_at" not in self.__dict__:  # read without the manager's annotation
            return closures_covering(self.start_date, self.end_date).exists()
        return self.closed_at is not None

    @property
    def status(self) -> str:
        return ValueStatus.FINAL if self.is_final else ValueStatus.PROVISIONAL


class IndicatorValueQuerySet(models.QuerySet):
    def with_status(self):
        """`status` (voorlopig/definitief) of each value: that of its period, derived from
        the closed periods; every read that publishes a value asks for it."""
        return self.annotate(
            status=Case(
                When(Exists(_closures_of_period("period__")), then=Value(ValueStatus.FINAL)),
                default=Value(ValueStatus.PROVISIONAL),
                output_field=models.CharField(),
            )
        )


class IndicatorValue(models.Model):
    """One rolled-up number. product NULL = all products; area NULL and not area_unknown = all
    areas; area NULL and area_unknown = registrations without a known kern ("onbekend")."""

    # A derived table, rewritten wholesale by every roll-up: the references are kept by the
    # ORM (cascades) without database constraints, whose deferred checks at each commit cost
    # as much as writing the rows.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", db_constraint=False
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="values", db_constraint=False
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_constraint=False
    )
    area_unknown = models.BooleanField(default=False)
    value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    suppressed = models.BooleanField(
        default=False, help_text=_("Minder dan 5 personen in een uitsplitsing: niet publiceren.")
    )
    computed_at = models.DateTimeField()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__position", "period__start_date", "product_id", "area_id"]
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        indexes = [models.Index(fields=["period", "indicator"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "product", "area", "area_unknown"],
                name="one_value_per_breakdown",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "area", "area_unknown"],
                condition=models.Q(product__isnull=True),
                name="one_value_per_breakdown_all_products",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "product", "area_unknown"],
                condition=models.Q(area__isnull=True),
                name="one_value_per_breakdown_all_areas",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "area_unknown"],
                condition=models.Q(product__isnull=True, area__isnull=True),
                name="one_value_per_breakdown_totals",
            ),
            models.CheckConstraint(
                condition=~models.Q(area__isnull=False, area_unknown=True),
                name="unknown_area_has_no_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id} {self.value}"

    @property
    def area_label(self) -> str | None:
        if self.area_id:
            return self.area.name
        return "onbekend" if self.area_unknown else None


class RollupStatus(models.TextChoices):
    QUEUED = "wachtrij", _("in de wachtrij")
    RUNNING = "bezig", _("bezig")
    DONE = "klaar", _("klaar")
    FAILED = "mislukt", _("mislukt")


class RollupRun(models.Model):
    """One (re)computation, so the dashboard can show progress and the last run."""

    periods = models.JSONField(_("perioden"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=RollupStatus.choices, default=RollupStatus.QUEUED
    )
    periods_done = models.PositiveIntegerField(_("perioden klaar"), default=0)
    values_written = models.PositiveIntegerField(_("waarden geschreven"), default=0)
    requested_by = models.ForeignKey(
        USER,
        verbose_name=_("aangevraagd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    message = models.CharField(_("melding"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")

    def __str__(self) -> str:
        return f"{', '.join(self.periods)} ({self.get_status_display()})"

    @property
    def periods_total(self) -> int:
        return len(self.periods)

    @property
    def percent_done(self) -> int:
        if not self.periods:
            return 100
        return min(100, round(100 * self.periods_done / len(self.periods)))

    @property
    def is_finished(self) -> bool:
        return self.status in (RollupStatus.DONE, RollupStatus.FAILED)


class DirtyPeriod(models.Model):
    """A period whose registrations changed since its last roll-up: made by the roll-up task
    from the changes the write services recorded in the outbox (`meerwaarde.outbox`), deleted
    once the period is recomputed; survives a broker outage (the periodic task and the nightly
    full run pick it up)."""

    period_key = models.CharField(_("periode"), max_length=7)
    # The model whose rows changed ("cases.Case"); empty = recompute every indicator.
    source = models.CharField(_("gewijzigd gegeven"), max_length=60, blank=True)
    marked_at = models.DateTimeField(_("gemarkeerd op"), auto_now_add=True)
    # A mark the roll-up could not process is set aside here instead of blocking every
    # later run; the functioneel beheerder sees it in /beheer/ and on the dashboard.
    quarantined_at = models.DateTimeField(_("in quarantaine sinds"), null=True, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("te herberekenen periode")
        verbose_name_plural = _("te herberekenen perioden")
        indexes = [
            models.Index(
                fields=["quarantined_at"],
                name="dirty_quarantined_idx",
                condition=models.Q(quarantined_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.period_key


class QuarantinedPeriod(DirtyPeriod):
    """The marks the roll-up set aside, as the functioneel beheerder sees them in /beheer/."""

    class Meta:
        proxy = True
        verbose_name = _("herberekening in quarantaine")
        verbose_name_plural = _("herberekeningen in quarantaine")
