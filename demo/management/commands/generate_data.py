"""`generate_data --scale N`: benchmark data, see demo/generator/."""

import datetime
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.models import Client
from demo.generator.base import Copier, GeneratorBase
from demo.generator.registrations import RegistrationRows
from demo.generator.volunteers import VolunteerRows
from demo.generator.walk_ins import WalkInAndGroupRows


class Command(RegistrationRows, VolunteerRows, WalkInAndGroupRows, GeneratorBase, BaseCommand):
    help = (
        "Bouwt benchmarkgegevens: een jaar MeerWaarde maal --scale (1 = 250.000 uren, "
        "15.000 trajecten, 12.000 cliënten, 1.500 vrijwilligers, 40.000 PlusPunt-contacten). "
        "Alleen op een lege PostgreSQL-database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=394)
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Het jaar van de gegevens (standaard: vorig jaar, een volledig jaar).",
        )

    def handle(self, *args, scale: int, seed: int, year: int | None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_data heeft PostgreSQL nodig (DATABASE_URL).")
        if scale < 1:
            raise CommandError("--scale is minstens 1.")
        if Client.objects.exists():
            raise CommandError("Er staan al cliënten in deze database; gebruik een lege.")
        started = time.monotonic()
        call_command("load_reference_data", stdout=self.stdout)
        self.year = year or datetime.date.today().year - 1
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
        self.copier = Copier(self.stdout)
        self.now = datetime.datetime(self.year + 1, 1, 2, 9, 0, tzinfo=datetime.UTC)
        self.stdout.write(f"Benchmarkgegevens voor {self.year}, schaal {scale} (seed {seed})")
        with transaction.atomic():
            self._reference()
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # (deferred to commit they cost more than the COPY itself). Needs a superuser,
            # which the throwaway benchmark cluster's owner is.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self._users()
            self._clients()
            self._cases()
            self._hours()
            self._volunteers()
            self._matches()
            self._volunteer_hours()
            self._walk_ins_and_groups()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Klaar in {time.monotonic() - started:.1f} s")
