"""Lists the rows that were saved before the date window existed and lie outside it: the
registrations the functioneel beheerder should look at (a typo like 01-01-0001 stalls
nothing any more, but the figures still miss or misplace them). Only reads; exit code 0."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from meerwaarde.dates import registration_date_window


@dataclass(frozen=True)
class DatedField:
    model: str  # "app.Model"
    field: str
    # Path to the user who registered the row ("" when the model does not know).
    registered_by: str
    # A planned date (a group's start) may lie ahead; only "too early" counts.
    planned: bool = False


# Every date a user types on a registration (the fields meerwaarde/dates.py guards).
DATED_FIELDS = [
    DatedField("cases.Case", "registered_on", "created_by__username"),
    DatedField("cases.Case", "waiting_since", "created_by__username"),
    DatedField("cases.Case", "closed_on", "created_by__username"),
    DatedField("cases.Contact", "date", "created_by__username"),
    DatedField("cases.Referral", "date", "created_by__username"),
    DatedField("cases.MediationStepRecord", "date", "recorded_by__username"),
    DatedField("cases.HourRegistration", "date", "created_by__username"),
    DatedField("cases.GroupActivity", "start_date", "created_by__username", planned=True),
    DatedField("cases.GroupSession", "date", "created_by__username"),
    DatedField("cases.AnonymousContact", "date", "registered_by__username"),
    DatedField("volunteers.VolunteerHours", "date", "registered_by__username"),
    DatedField("volunteers.Match", "proposed_on", "created_by__username"),
    DatedField("volunteers.Match", "introduced_on", "created_by__username"),
    DatedField("volunteers.Match", "started_on", "created_by__username"),
    DatedField("volunteers.Match", "ended_on", "created_by__username"),
    DatedField("volunteers.Match", "interim_evaluation_on", "created_by__username"),
    DatedField("volunteers.Match", "final_evaluation_on", "created_by__username"),
]


def as_text(day: datetime.date) -> str:
    """DD-MM-JJJJ, also for year 1 (strftime would write 01-01-1)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def rows_outside(spec: DatedField, window):
    """(id, date, username or None) of the rows of one field outside the window."""
    model = apps.get_model(spec.model)
    outside = Q(**{f"{spec.field}__lt": window.earliest})
    if not spec.planned:
        outside |= Q(**{f"{spec.field}__gt": window.latest})
    return (
        model.objects.filter(outside)
        .order_by(spec.field, "pk")
        .values_list("pk", spec.field, spec.registered_by)
    )


class Command(BaseCommand):
    help = (
        "Toont per tabel de bestaande rijen met een datum buiten het registratievenster "
        "(vóór de vroegste registratiedatum of in de toekomst): model, id, datum en wie "
        "registreerde. Wijzigt niets. Voorbeeld: list_dates_outside_window --earliest 2025-01-01"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--earliest",
            help=(
                "vroegste datum (JJJJ-MM-DD) in plaats van EARLIEST_REGISTRATION_DATE; "
                "nooit vóór 2000-01-01"
            ),
        )

    def handle(self, *args, earliest=None, **options):
        if earliest:
            try:
                earliest = datetime.date.fromisoformat(earliest)
            except ValueError as error:
                raise CommandError(
                    f"--earliest {earliest!r} is geen datum; gebruik JJJJ-MM-DD, "
                    "bijvoorbeeld 2025-01-01."
                ) from error
        window = registration_date_window(earliest=earliest)
        self.stdout.write(
            f"Registratievenster: {as_text(window.earliest)} tot en met {as_text(window.latest)}."
        )
        total = 0
        for spec in DATED_FIELDS:
            rows = list(rows_outside(spec, window))
            if not rows:
                continue
            total += len(rows)
            self.stdout.write(f"\n{spec.model}.{spec.field}: {len(rows)} rij(en)")
            for pk, day, username in rows:
                who = username or "onbekend"
                self.stdout.write(f"  {spec.model} id={pk} datum={as_text(day)} door={who}")
        if total:
            self.stdout.write(f"\nTotaal {total} rij(en) buiten het venster.")
        else:
            self.stdout.write("Geen rijen buiten het venster.")
