from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Laadt alle referentiegegevens (catalogus, gebieden, …). Idempotent."

    # Each app's own idempotent loader, in dependency order.
    loaders: tuple[str, ...] = (
        "load_catalogue",
        "load_areas",
        "load_screening_rules",
        "load_indicators",
    )

    def handle(self, *args, **options):
        for loader in self.loaders:
            call_command(loader, stdout=self.stdout, stderr=self.stderr)
        if not self.loaders:
            self.stdout.write("Geen referentiegegevens om te laden.")
