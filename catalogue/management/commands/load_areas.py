from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.services import AREAS_FILE, CatalogueDataError, load_areas


class Command(BaseCommand):
    help = "Laadt de kernen en wijken van Haarlemmermeer (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=AREAS_FILE)

    def handle(self, *args, file: Path, **options):
        try:
            result = load_areas(path=file)
        except (CatalogueDataError, KeyError) as error:
            raise CommandError(f"Gebieden niet geladen (niets gewijzigd): {error}") from error
        self.stdout.write(
            f"Gebieden: {len(result.created)} nieuw, {len(result.updated)} bijgewerkt, "
            f"{len(result.unchanged)} ongewijzigd."
        )
