from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.services.imports import HourImportRefused, RowError, format_count, import_hours_file


class Command(BaseCommand):
    help = (
        "Importeert uren uit een CSV-bestand (kolommen datum, medewerker, product, uren en "
        "eventueel client, kern, soort; scheidingsteken ; of ,). Alles of niets: bij één "
        "foute regel wordt niets opgeslagen en worden alle foute regels gemeld."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="BESTAND.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen controleren; er wordt niets opgeslagen.",
        )
        parser.add_argument(
            "--door",
            metavar="GEBRUIKERSNAAM",
            help="Wie importeert (wordt bij de import en de uren vastgelegd).",
        )

    def handle(self, *args, file: Path, dry_run: bool, door: str | None, **options):
        if not file.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        importer = None
        if door:
            importer = get_user_model().objects.filter(username=door, is_active=True).first()
            if importer is None:
                raise CommandError(f"Onbekende of niet-actieve gebruiker bij --door: {door}")
        verbose = options["verbosity"] >= 2

        def report(error: RowError) -> None:
            self.stderr.write(str(error))

        def progress(checked: int, expected: int) -> None:
            if verbose and checked:
                self.stdout.write(f"… {format_count(checked)} van {format_count(expected)} regels")

        try:
            result = import_hours_file(
                path=file,
                file_name=file.name,
                imported_by=importer,
                dry_run=dry_run,
                on_error=report,
                on_progress=progress,
            )
        except HourImportRefused as refusal:
            raise CommandError(refusal.summary, returncode=1) from refusal
        except OSError as error:
            raise CommandError(f"Het bestand kan niet worden gelezen: {error}") from error
        self.stdout.write(result.summary)
