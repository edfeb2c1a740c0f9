from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.services import PRODUCTS_FILE, CatalogueDataError, load_catalogue


class Command(BaseCommand):
    help = "Laadt de productcatalogus uit catalogue/data/products.yaml (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PRODUCTS_FILE)
        parser.add_argument(
            "--overwrite-admin-edits",
            action="store_true",
            help="Ook producten bijwerken die de functioneel beheerder heeft gewijzigd.",
        )

    def handle(self, *args, file: Path, overwrite_admin_edits: bool, **options):
        try:
            result = load_catalogue(path=file, overwrite_admin_edits=overwrite_admin_edits)
        except CatalogueDataError as error:
            raise CommandError(f"Catalogus niet geladen (niets gewijzigd): {error}") from error
        self.stdout.write(
            f"Catalogus: {len(result.created)} nieuw, {len(result.updated)} bijgewerkt, "
            f"{len(result.unchanged)} ongewijzigd, {len(result.budgets_created)} jaarbegrotingen."
        )
        if result.skipped:
            self.stdout.write(
                "Overgeslagen (gewijzigd in beheer, gebruik --overwrite-admin-edits): "
                + ", ".join(result.skipped)
            )
