from django.apps import AppConfig


class SetupDataConfig(AppConfig):
    """Reference data (every app) and demo data. Sits above all apps, so it may import them."""

    name = "meerwaarde.setup_data"
    label = "setup_data"
    verbose_name = "Referentie- en demogegevens"
