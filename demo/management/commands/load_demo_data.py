from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.demo_registrations import load_demo_registrations
from demo.demo_volunteers import load_demo_volunteers
from demo.services import DEMO_PASSWORD, load_demo_accounts


class Command(BaseCommand):
    help = "Laadt demo-accounts en demogegevens (alleen met DEMO_MODE aan)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Ook laden als DEMO_MODE uit staat."
        )

    def handle(self, *args, force: bool = False, **options):
        if not (settings.DEMO_MODE or force):
            raise CommandError(
                "Demogegevens horen niet in productie: zet DEMO_MODE=true of gebruik --force."
            )
        accounts = load_demo_accounts()
        counts = load_demo_registrations()
        volunteer_counts = load_demo_volunteers()
        if volunteer_counts:
            self.stdout.write(
                "Demovrijwilligers: {volunteers} vrijwilligers, {matches} koppelingen.".format(
                    **volunteer_counts
                )
            )
        if counts:
            self.stdout.write(
                "Demoregistraties: {clients} cliënten, {cases} trajecten, {hours} urenregels, "
                "{sessions} groepsbijeenkomsten, {walk_ins} inloopcontacten.".format(**counts)
            )
        if counts or volunteer_counts:
            # Demo rows are bulk-inserted (no per-row change marks): compute the indicators
            # of the demo years once, so the dashboard is complete from the first start.
            this_year = timezone.localdate().year
            for year in (this_year - 1, this_year):
                call_command("rollup_indicators", "--year", str(year), stdout=StringIO())
            self.stdout.write("Indicatoren berekend voor de demojaren.")
        self.stdout.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<15} {account.role.label}")
