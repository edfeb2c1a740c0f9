from django.core.management.base import BaseCommand

from reporting.reference_data import load_indicators


class Command(BaseCommand):
    help = "Laadt de indicatordefinities (reporting/data/indicators.yaml). Idempotent."

    def handle(self, *args, **options):
        created, updated = load_indicators()
        self.stdout.write(f"Indicatoren: {created} nieuw, {updated} bijgewerkt.")
