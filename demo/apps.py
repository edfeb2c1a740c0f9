from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for the embedded default and the benchmark generator. Sits above every
    domain app (it may import them all; none imports it) and uses no test packages, so it
    runs from the production lock too."""

    name = "demo"
    verbose_name = "Demogegevens"
