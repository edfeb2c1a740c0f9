import datetime

from django.core.management.base import BaseCommand, CommandError

from cases.services.privacy import apply_retention


class Command(BaseCommand):
    help = (
        "Anonimiseert cliënten van wie alle trajecten zijn afgesloten en van wie het laatste "
        "traject langer geleden is afgesloten dan de bewaartermijn van de producten "
        "(de langste telt). Al geanonimiseerde cliënten worden overgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen tonen welke cliënten aan de beurt zijn; er wordt niets gewijzigd.",
        )
        parser.add_argument(
            "--datum",
            metavar="JJJJ-MM-DD",
            help="Rekenen alsof het deze dag is (standaard: vandaag).",
        )

    def handle(self, *args, dry_run: bool, datum: str | None, **options):
        today = None
        if datum:
            try:
                today = datetime.date.fromisoformat(datum)
            except ValueError as error:
                raise CommandError(f"Ongeldige datum bij --datum: {datum}") from error
        result = apply_retention(today=today, dry_run=dry_run)
        numbers = ", ".join(str(pk) for pk in result.client_ids)
        if dry_run:
            self.stdout.write(
                f"Proefdraai: {result.count} cliënt(en) zouden worden geanonimiseerd"
                + (f" (nummers {numbers})." if numbers else ".")
            )
            return
        self.stdout.write(
            f"{result.count} cliënt(en) geanonimiseerd"
            + (f" (nummers {numbers})." if numbers else ".")
        )
        if result.refused:
            refused = ", ".join(str(pk) for pk in result.refused)
            self.stdout.write(
                f"Overgeslagen omdat er intussen weer een open traject is: {refused}."
            )
