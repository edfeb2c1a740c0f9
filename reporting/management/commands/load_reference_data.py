from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Production needs it (docker-compose's migrate service, `make run`), so it lives in an
    app of the production lock: in reporting, the top domain app, which may know the loaders
    of the apps below it. Each app keeps its own loader; this one calls them by name."""

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
